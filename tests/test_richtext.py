"""Report text: what the sanitiser keeps and drops, and the writing form there and back."""

import pytest

from scr.richtext import html_to_text, loses_on_edit, plain_text, sanitise, text_to_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">Seen <script>alert(1)</script>at home</p>', "<p>Seen at home</p>"),
        ('<p><img src="file:///etc/passwd">Text</p>', "<p>Text</p>"),
        ('<p><a href="http://example.org/">link</a></p>', "<p>link</p>"),
        ("<style>p{}</style><p>Kept</p>", "<p>Kept</p>"),
        ('<p style="color:red" class="x">Kept</p>', "<p>Kept</p>"),
        (
            '<table><tr><th scope="col" style="x">Date</th></tr></table>',
            '<table><tbody><tr><th scope="col">Date</th></tr></tbody></table>',
        ),
        ("<h1>Title</h1><h3>Part</h3>", "Title<h3>Part</h3>"),
        ("<!-- note --><p>Kept</p>", "<p>Kept</p>"),
    ],
)
def test_sanitise_keeps_a_reports_tags_only(dirty, clean):
    assert sanitise(dirty) == clean


def test_the_writing_form_makes_paragraphs_headings_and_lists():
    text = "## What happened\n\nFirst line\nsecond line\n\n- one\n- two\n\n1. first\n2. second"
    assert text_to_html(text) == (
        "<h3>What happened</h3><p>First line<br>second line</p>"
        "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
    )


def test_the_writing_form_escapes_what_is_typed():
    assert text_to_html('<script>alert("x")</script> & <b>') == (
        '<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;b&gt;</p>'
    )


def test_html_goes_back_to_the_writing_form_and_round_trips():
    text = "## What happened\n\nFirst line\nsecond line\n\n- one\n- two\n\n1. first\n2. second"
    assert html_to_text(text_to_html(text)) == text
    assert not loses_on_edit(text_to_html(text))


def test_a_table_is_flagged_as_lost_on_edit_and_its_cells_kept_as_text():
    html = "<p>Before</p><table><tr><th>Date</th><th>Agency</th></tr></table><p>After</p>"
    assert loses_on_edit(html)
    assert "Date" in html_to_text(html)
    assert "Agency" in html_to_text(html)


def test_plain_text_has_the_words_without_markup():
    assert plain_text("<h3>Lessons</h3><p>Share <strong>early</strong>.</p>") == (
        "Lessons\n\nShare early."
    )
