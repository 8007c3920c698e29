"""URLs of the chronologies: an agency's (stage 4) and the review's combined one (stage 5)."""

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
    path(
        "<str:reference>/chronology/",
        views.combined_chronology_view,
        name="combined_chronology",
    ),
    path(
        "<str:reference>/chronology.csv",
        views.combined_chronology_export_view,
        name="combined_chronology_export",
    ),
    path(
        "<str:reference>/chronology/<int:entry_pk>/key-episode/",
        views.key_episode_view,
        name="key_episode",
    ),
    path(
        "<str:reference>/chronology/<int:entry_pk>/key-episode/remove/",
        views.key_episode_unmark_view,
        name="key_episode_unmark",
    ),
]
