"""A Word document read into the overview report's sections (reviews.docx_import), and two
texts compared (reviews.textdiff): pure functions, on real DOCX files made here."""

import io

import mammoth.docx.files
import pytest

from reviews.docx_import import DocxUnreadable, docx_to_sections, section_of_heading
from reviews.textdiff import ADDED, REMOVED, SAME, text_diff
from scr.richtext import loses_on_edit, plain_text
from tests.documents import (
    REL,
    report_docx,
    word_heading,
    word_paragraph,
    word_picture,
    word_table,
    zip_bytes,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _read(body: str, **options):
    return docx_to_sections(io.BytesIO(report_docx(body, **options)))


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Executive summary", "executive_summary"),
        ("1. Executive Summary", "executive_summary"),
        ("2 Introduction", "how_run"),
        ("How the review was run", "how_run"),
        ("Summary of the case", "case_summary"),
        ("3.1 The case in summary", "case_summary"),
        ("Analysis of each agency\u2019s involvement", "agency_analysis"),
        ("The family's views", "family_views"),
        ("Section 6: Good practice", "good_practice"),
        ("Lessons learned", "lessons"),
        ("Lessons Learnt", "lessons"),
        ("IV. Recommendations", "recommendations"),
        ("Multi-agency recommendations", "recommendations"),
        ("Summary of recommendations", None),
        ("Appendix A: glossary", None),
    ],
)
def test_a_heading_names_its_section_in_the_words_reports_use(heading, key):
    assert section_of_heading(heading) == key


def test_a_report_is_cut_into_its_sections_at_their_headings():
    read = _read(
        word_paragraph("Child A: overview report", "Title")
        + word_paragraph("Contents: 1 Summary, 2 The case")
        + word_heading("1. Executive summary")
        + word_paragraph("Child A was seen by five agencies.")
        + word_heading("2. Summary of the case")
        + word_paragraph("The family moved in 2024.")
        + word_heading("Housing")
        + word_paragraph("Two moves in a year.")
        + word_heading("Lessons learnt")
        + word_paragraph("Information was not shared.")
        + word_heading("Recommendations")
        + word_paragraph("Share attendance data weekly.")
    )
    assert plain_text(read.sections["executive_summary"]) == "Child A was seen by five agencies."
    assert read.sections["case_summary"] == (
        "<p>The family moved in 2024.</p><h3>Housing</h3><p>Two moves in a year.</p>"
    )
    assert plain_text(read.sections["lessons"]) == "Information was not shared."
    assert plain_text(read.sections["recommendations"]) == "Share attendance data weekly."
    assert [(h.text, h.key, h.placed_in) for h in read.headings] == [
        ("1. Executive summary", "executive_summary", "executive_summary"),
        ("2. Summary of the case", "case_summary", "case_summary"),
        ("Housing", None, "case_summary"),
        ("Lessons learnt", "lessons", "lessons"),
        ("Recommendations", "recommendations", "recommendations"),
    ]
    assert [h.text for h in read.unrecognised] == ["Housing"]
    assert read.empty == ["how_run", "agency_analysis", "family_views", "good_practice"]
    assert read.empty_sections[0] == "How the review was run"
    # The title page comes before the document's own executive summary: left out, and said.
    assert read.preamble == "Child A: overview report\n\nContents: 1 Summary, 2 The case"
    assert read.preamble_in is None
    assert "Unrecognised paragraph style: Title (Style ID: Title)" in read.messages


def test_text_before_the_first_heading_is_the_summary_of_a_report_without_one():
    read = _read(
        word_paragraph("A short report on Child B.")
        + word_heading("Good practice")
        + word_paragraph("The school nurse acted quickly.")
    )
    assert plain_text(read.sections["executive_summary"]) == "A short report on Child B."
    assert read.preamble_in == "executive_summary"
    assert read.preamble_section == "Executive summary"


def test_a_table_stays_a_table_and_editing_it_would_say_so():
    read = _read(
        word_heading("Analysis of agency involvement")
        + word_table([["Agency", "Contacts"], ["Police & Fire", "3"]])
    )
    html = read.sections["agency_analysis"]
    assert html.startswith("<table><tbody><tr><td><p>Agency</p></td>")
    assert "Police &amp; Fire" in html
    assert loses_on_edit(html)


def test_script_in_the_text_stays_text():
    read = _read(
        word_heading("Executive summary")
        + word_paragraph('<script>alert("x")</script><img src=x onerror=alert(1)>')
    )
    html = read.sections["executive_summary"]
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert plain_text(html) == '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_pictures_are_left_out_and_counted():
    read = _read(
        word_heading("Executive summary") + word_paragraph("Before") + word_picture("rIdPic"),
        relationships=[f'<Relationship Id="rIdPic" Type="{REL}/image" Target="media/a.png"/>'],
        defaults={"png": "image/png"},
        parts={"word/media/a.png": PNG},
    )
    assert read.pictures == 1
    assert "<img" not in read.sections["executive_summary"]
    assert plain_text(read.sections["executive_summary"]) == "Before"


def test_a_linked_picture_is_never_fetched(monkeypatch):
    """Uploads refuse such a document (reviews.files); were one read all the same, nothing
    outside it is opened."""
    fetched = []
    monkeypatch.setattr(mammoth.docx.files, "urlopen", lambda *a, **k: fetched.append(a))
    read = _read(
        word_heading("Executive summary") + word_picture("rIdExt", linked=True),
        relationships=[
            f'<Relationship Id="rIdExt" Type="{REL}/image" '
            'Target="http://127.0.0.1:9/chart.png" TargetMode="External"/>'
        ],
    )
    assert fetched == []
    assert read.pictures == 1
    assert "<img" not in read.sections["executive_summary"]


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", zip_bytes({"hello.txt": "not a Word document"})],
)
def test_a_malformed_document_cannot_be_read(data):
    with pytest.raises(DocxUnreadable):
        docx_to_sections(io.BytesIO(data))


def test_a_document_without_text_has_none():
    read = _read(word_heading("Recommendations"))
    assert not read.has_text


# Two texts compared


def _joined(pieces):
    return "".join(piece.text for piece in pieces)


def test_one_word_changed_in_a_long_paragraph_marks_that_word():
    before = "The health visitor called on 3 May. The family was out. A letter was left."
    after = "The health visitor called on 4 May. The family was out. A letter was left."
    left, right = text_diff(before, after)
    assert [(p.text, p.change) for p in left if p.change != SAME] == [("3 ", REMOVED)]
    assert [(p.text, p.change) for p in right if p.change != SAME] == [("4 ", ADDED)]
    assert (_joined(left), _joined(right)) == (before, after)


def test_sentences_added_and_removed_are_marked_whole():
    before = "First point.\n\nSecond point.\n\nThird point."
    after = "First point.\n\nThird point.\n\nA new fourth point."
    left, right = text_diff(before, after)
    assert [p.text.strip() for p in left if p.change == REMOVED] == ["Second point."]
    assert [p.text.strip() for p in right if p.change == ADDED] == ["A new fourth point."]
    assert (_joined(left), _joined(right)) == (before, after)


def test_spacing_alone_is_no_change():
    left, right = text_diff("Same words here.", "Same  words\nhere.")
    assert {p.change for p in left + right} == {SAME}


def test_long_texts_are_compared_quickly():
    before = " ".join(f"Sentence {n} about the case." for n in range(3000))
    after = before.replace("Sentence 1500 about", "Sentence 1500 concerning")
    left, right = text_diff(before, after)
    assert [p.text for p in right if p.change == ADDED] == ["concerning "]
    assert (_joined(left), _joined(right)) == (before, after)
