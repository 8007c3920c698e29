"""A review's quality markers, at /reviews/<reference>/quality/, and the board's view across
its reviews, at /board/quality/ (board manager and chair)."""

from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("board/quality/", views.board_quality_view, name="board"),
    path("board/quality/count/", views.board_quality_count_view, name="count"),
    path("reviews/<str:reference>/quality/", views.review_quality_view, name="review"),
    path("reviews/<str:reference>/quality/pdf/", views.review_quality_pdf_view, name="review_pdf"),
    path(
        "reviews/<str:reference>/quality/<slug:marker>/answer/",
        views.quality_answer_view,
        name="answer",
    ),
]
