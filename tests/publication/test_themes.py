"""The board's themes: seeded, added and renamed by the board manager (unique in any case, in
history), and a publication's themes changed (history and the review's timeline)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from publication.models import Publication, Theme
from publication.themes import publication_themes_set, theme_add, theme_rename
from scr.versions import version_of
from tests.factories import PublicationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_the_common_themes_of_national_analyses_are_seeded():
    seeded = set(Theme.objects.values_list("name", flat=True))
    for name in (
        "Neglect",
        "Domestic abuse",
        "Parental mental health",
        "Substance misuse",
        "Information sharing",
        "Professional curiosity",
        "The voice of the child",
        "Escalation",
        "Assessment",
        "Exploitation",
    ):
        assert name in seeded
    neglect = Theme.objects.get(name="Neglect")
    assert neglect.history.get().history_change_reason == "seeded"


def test_a_theme_is_added_with_its_spaces_tidied_and_kept_in_history(manager):
    theme = theme_add(actor=manager, name="  Modern   slavery ")
    assert theme.name == "Modern slavery"
    row = theme.history.get()
    assert (row.history_user, row.history_change_reason) == (manager, "added")


@pytest.mark.parametrize("name", ["neglect", "NEGLECT", " Neglect "])
def test_theme_names_are_unique_whatever_their_case(manager, name):
    with pytest.raises(ValidationError) as error:
        theme_add(actor=manager, name=name)
    assert error.value.message_dict["name"] == ["There is already a theme called Neglect"]
    assert Theme.objects.filter(name__iexact="neglect").count() == 1


def test_the_database_refuses_a_second_theme_of_the_same_name_in_another_case():
    with pytest.raises(IntegrityError), transaction.atomic():
        Theme.objects.create(name="NEGLECT")


def test_renaming_keeps_the_old_name_in_history_and_the_publications_keep_the_theme(manager):
    theme = ThemeFactory(name="Voice of child")
    publication = PublicationFactory(themes=[theme])
    theme_rename(theme=theme, actor=manager, name="The child's lived experience")
    assert list(publication.themes.values_list("name", flat=True)) == [
        "The child's lived experience"
    ]
    row = theme.history.latest("history_id")
    assert (row.history_user, row.history_change_reason) == (manager, "renamed from Voice of child")


def test_a_theme_may_change_the_case_of_its_own_name_but_not_take_another_s(manager):
    theme = ThemeFactory(name="peer review")
    assert theme_rename(theme=theme, actor=manager, name="Peer review").name == "Peer review"
    with pytest.raises(ValidationError):
        theme_rename(theme=theme, actor=manager, name="assessment")
    theme.refresh_from_db()
    assert theme.name == "Peer review"


def test_renaming_over_a_change_made_since_is_refused(manager, chair):
    theme = ThemeFactory(name="Housing")
    seen = version_of(theme)
    theme_rename(theme=theme, actor=manager, name="Housing and homelessness")
    with pytest.raises(ValidationError) as error:
        theme_rename(theme=theme, actor=chair, name="Homes", version=seen)
    assert error.value.code == "conflict"
    theme.refresh_from_db()
    assert theme.name == "Housing and homelessness"


def test_a_publication_s_themes_are_set_with_history_and_a_timeline_row(manager):
    neglect, abuse = Theme.objects.get(name="Neglect"), Theme.objects.get(name="Domestic abuse")
    publication = PublicationFactory()
    publication_themes_set(publication=publication, actor=manager, themes=[neglect, abuse])
    assert set(publication.themes.all()) == {neglect, abuse}
    row = publication.history.latest("history_id")
    assert (row.history_user, row.history_change_reason) == (manager, "themes changed")
    assert {theme.theme for theme in row.themes.all()} == {neglect, abuse}
    line = publication.review.transitions.latest("id")
    assert line.summary == (
        f"Themes of publication version {publication.version.number}: Domestic abuse, Neglect"
    )
    assert line.actor == manager
    # The same themes again change nothing.
    count = publication.history.count()
    publication_themes_set(publication=publication, actor=manager, themes=[abuse, neglect])
    assert publication.history.count() == count


def test_a_removed_publication_keeps_its_themes(manager):
    publication = PublicationFactory(removed=True, themes=[ThemeFactory()])
    with pytest.raises(ValidationError):
        publication_themes_set(publication=publication, actor=manager, themes=[])
    assert publication.themes.count() == 1


def test_the_board_manager_adds_a_theme_and_bad_names_change_nothing(client, manager):
    client.force_login(manager)
    url = reverse("publications:theme_add")
    count = Theme.objects.count()
    for name, message in (
        ("", "Enter the theme&#x27;s name"),
        ("information SHARING", "There is already a theme called Information sharing"),
        ("x" * 101, "Name must be 100 characters or fewer"),
    ):
        response = client.post(url, {"name": name})
        html = response.content.decode()
        assert "There is a problem" in html
        assert message in html
        assert Theme.objects.count() == count
    response = client.post(url, {"name": "Private fostering"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("publications:themes")
    assert "Theme added: Private fostering" in response.content.decode()
    assert Theme.objects.filter(name="Private fostering").exists()


def test_the_board_manager_renames_a_theme_and_a_stale_form_is_refused(client, manager):
    theme = ThemeFactory(name="Supervison")
    client.force_login(manager)
    url = reverse("publications:theme_rename", args=[theme.pk])
    version = version_of(theme)
    assert client.post(url, {"name": "Supervision", "version": version}).status_code == 302
    stale = client.post(url, {"name": "Other", "version": version})
    assert stale.status_code == 409
    theme.refresh_from_db()
    assert theme.name == "Supervision"


def test_the_theme_list_counts_publications_in_flat_queries(
    client, manager, django_assert_max_num_queries
):
    theme = ThemeFactory(name="Aardvark")
    PublicationFactory(themes=[theme])
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("publications:themes")).content.decode()
    assert Theme.objects.count() >= 26
    assert f'href="{reverse("publications:theme_rename", args=[theme.pk])}"' in html


def test_the_board_manager_changes_a_publication_s_themes(client, manager):
    publication = PublicationFactory(themes=[ThemeFactory(name="Old")])
    neglect = Theme.objects.get(name="Neglect")
    client.force_login(manager)
    url = reverse(
        "publication:published_themes", args=[publication.review.reference, publication.pk]
    )
    page = client.get(url).content.decode()
    assert 'value="' + str(publication.themes.get().pk) + '" checked' in page
    bad = client.post(url, {"themes": ["999999"], "version": version_of(publication)})
    assert "Select themes from the list" in bad.content.decode()
    assert list(publication.themes.values_list("name", flat=True)) == ["Old"]
    done = client.post(url, {"themes": [neglect.pk], "version": version_of(publication)})
    assert done.status_code == 302
    assert list(Publication.objects.get(pk=publication.pk).themes.all()) == [neglect]
