"""URLs of stage 4: an agency's chronology."""

from django.urls import path

from reviews.views import chronology as views

urlpatterns = [
    path(
        "<str:reference>/reports/<int:pk>/chronology/",
        views.chronology_view,
        name="chronology",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/add/",
        views.chronology_entry_view,
        name="chronology_add",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/<int:entry_pk>/",
        views.chronology_entry_view,
        name="chronology_edit",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/<int:entry_pk>/delete/",
        views.chronology_entry_delete_view,
        name="chronology_delete",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/",
        views.chronology_import_view,
        name="chronology_import",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/<int:batch_pk>/",
        views.chronology_preview_view,
        name="chronology_preview",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology/import/<int:batch_pk>/undo/",
        views.chronology_undo_view,
        name="chronology_undo",
    ),
    path(
        "<str:reference>/reports/<int:pk>/chronology.csv",
        views.chronology_export_view,
        name="chronology_export",
    ),
]
