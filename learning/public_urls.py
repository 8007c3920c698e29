"""Learning briefs published with their reports, on the board's public site: no sign-in."""

from django.urls import path

from learning import public_views

app_name = "public_learning"

urlpatterns = [
    path("<int:pk>/learning-brief/", public_views.public_brief_view, name="brief"),
    path("<int:pk>/learning-brief.pdf", public_views.public_brief_pdf_view, name="brief_pdf"),
]
