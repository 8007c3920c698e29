"""URLs of how each person hears of what is theirs to do."""

from django.urls import path

from reviews.views import handoffs as views

urlpatterns = [
    path("notifications/choices/", views.delivery_view, name="delivery"),
]
