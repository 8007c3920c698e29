"""The identifier check: every real value of a pseudonym map and its variants found in a text,
whole words only, and nothing else; linear in the length of the text."""

import random
from dataclasses import dataclass

import pytest

from publication.identifiers import (
    CONTEXT,
    hits_by_entry,
    identifier_hits,
    parse_date,
    variants,
)


@dataclass(frozen=True)
class Entry:
    real_value: str
    kind: str


LEO = Entry("Leo James Farrant", "person")
HOME = Entry("12 Mill Lane, Northshire NS4 2QT", "place")
BIRTH = Entry("2024-02-17", "date")
SCHOOL = Entry("Mill Lane Primary School", "organisation")


def _found(text, *entries):
    return [hit.matched for hit in identifier_hits(text, entries or (LEO,))]


@pytest.mark.parametrize(
    "written",
    [
        "Leo James Farrant",
        "leo james farrant",
        "LEO JAMES FARRANT",
        "Leo  James\nFarrant",
        "Leo James Farrant's",
        "Leo James Farrant\u2019s",
        "Leo",
        "Leo's",
        "leo\u2019s",
        "James",
        "Farrant",
        "Farrant's",
        "FARRANT",
        "L. Farrant",
        "L Farrant",
        "L.Farrant",
        "L. FARRANT",
        "L. J. Farrant",
        "L.J. Farrant",
        "LJ Farrant",
    ],
)
def test_a_persons_name_is_found_written_every_way(written):
    text = f"The report says {written} was seen at home."
    (hit,) = identifier_hits(text, [LEO])
    assert hit.matched == written
    assert text[hit.start : hit.end] == written
    assert hit.entry is LEO


@pytest.mark.parametrize(
    "text",
    [
        "Leon was seen at home.",
        "A leopard was seen.",
        "Farranty and Farrantson.",
        "The jamesian view.",
        "Cleo attended.",
        "K. Farranto",
        "nothing to see here",
        "",
    ],
)
def test_other_words_are_not_hits(text):
    assert _found(text) == []


def test_an_initial_is_a_capital_letter():
    assert _found("l. farrant and a Farrant", LEO) == ["farrant", "Farrant"]


def test_words_shorter_than_three_letters_are_not_searched_for_alone():
    al = Entry("Al Bo Stone", "person")
    assert _found("Al went to Bo's and a Stone fell.", al) == ["Stone"]
    assert _found("A. Stone and Al Bo Stone", al) == ["A. Stone", "Al Bo Stone"]


def test_names_alone_are_searched_only_for_people():
    assert _found("The Lane was closed; the school opened.", SCHOOL) == []
    assert _found("mill lane primary school's gate", SCHOOL) == ["mill lane primary school's"]


@pytest.mark.parametrize(
    "written",
    ["NS4 2QT", "NS42QT", "ns4 2qt", "ns42qt", "Ns4  2Qt", "12 Mill Lane", "12 mill lane"],
)
def test_an_address_is_found_by_its_postcode_and_street(written):
    assert _found(f"They lived at {written}, then moved.", HOME) == [written]


def test_a_street_without_its_number_is_found_too():
    assert _found("The house on Mill Lane.", HOME) == ["Mill Lane"]
    assert _found("Miller Lanes", HOME) == []
    assert _found("NS4 2QTX or XNS4 2QT or NS4 2Q", HOME) == []


def test_a_postcode_in_any_kind_of_value_is_found_without_its_space():
    surgery = Entry("Riverside Surgery, NS1 4AB", "organisation")
    assert _found("Registered at ns14ab.", surgery) == ["ns14ab"]


@pytest.mark.parametrize(
    "written",
    [
        "2024-02-17",
        "17/02/2024",
        "17/2/2024",
        "17/02/24",
        "17.2.24",
        "17.02.2024",
        "17-02-2024",
        "17 February 2024",
        "17 february 2024",
        "17th February 2024",
        "17th of February 2024",
        "February 17, 2024",
        "February 17th, 2024",
        "February 17 2024",
        "17 Feb 2024",
        "17 Feb. 2024",
        "17 FEB 24",
        "2024/02/17",
    ],
)
@pytest.mark.parametrize("value", ["2024-02-17", "17 February 2024", "17/02/2024", "17th Feb 2024"])
def test_a_date_is_found_written_other_ways(value, written):
    assert _found(f"Born on {written}.", Entry(value, "date")) == [written]


@pytest.mark.parametrize(
    "text",
    ["18/02/2024", "17/03/2024", "17/02/2025", "117/02/2024", "17/02/20245", "7 February 2024"],
)
def test_other_dates_are_not_hits(text):
    assert _found(text, BIRTH) == []


def test_single_digit_days_and_months_and_september():
    day = Entry("3 September 2023", "date")
    found = _found("3/9/23, 03/09/2023, 3rd Sept 2023, Sep 3, 2023, 13/9/23, 3/9/2024", day)
    assert found == ["3/9/23", "03/09/2023", "3rd Sept 2023", "Sep 3, 2023"]


def test_a_date_that_does_not_parse_is_searched_for_as_written():
    assert parse_date("the spring of 2024") is None
    assert _found("In the spring of 2024", Entry("the spring of 2024", "date")) == [
        "the spring of 2024"
    ]


def test_accents_and_case_are_ignored_both_ways():
    zoe = Entry("Zoë Brontë", "person")
    found = _found("Zoe Bronte, ZOË, zoë's brother; Brontë.", zoe)
    assert found == ["Zoe Bronte", "ZOË", "zoë's", "Brontë"]
    assert _found("Zoë was there", Entry("Zoe Bronte", "person")) == ["Zoë"]


def test_decomposed_accents_are_found():
    assert _found("Zoe\u0308 came", Entry("Zoë Brontë", "person")) == ["Zoë"]


def test_non_latin_names_are_whole_words():
    name = Entry("Анна Петрова", "person")
    assert _found("Анна и Петрова, Аннаа", name) == ["Анна", "Петрова"]


def test_values_with_regular_expression_characters_are_literal():
    weird = Entry("St. Mary's (C of E) [Upper] School*", "organisation")
    assert _found("at St. Mary's (C of E) [Upper] School* today", weird) == [
        "St. Mary's (C of E) [Upper] School*"
    ]
    assert _found("at St1 Mary's C of E Upper School today", weird) == []


def test_hits_come_in_the_order_of_the_text_with_their_context():
    text = "x" * 100 + " Farrant met L. Farrant at 12 Mill Lane on 17/02/2024. " + "y" * 100
    hits = identifier_hits(text, [BIRTH, HOME, LEO])
    assert [hit.matched for hit in hits] == ["Farrant", "L. Farrant", "12 Mill Lane", "17/02/2024"]
    first = hits[0]
    assert first.before == text[first.start - CONTEXT : first.start]
    assert len(first.before) == CONTEXT
    assert first.after == text[first.end : first.end + CONTEXT]
    assert hits[-1].after.endswith("y" * (CONTEXT - 2))


def test_hits_are_grouped_by_entry_in_the_order_first_found():
    hits = identifier_hits("Mill Lane, Leo, Farrant, NS4 2QT", [LEO, HOME])
    groups = hits_by_entry(hits)
    assert [(entry, [hit.matched for hit in found]) for entry, found in groups] == [
        (HOME, ["Mill Lane", "NS4 2QT"]),
        (LEO, ["Leo", "Farrant"]),
    ]


def test_an_empty_value_finds_nothing():
    assert variants("   ", "person") == []
    assert identifier_hits("anything at all", [Entry("", "person")]) == []


# Property-style: random texts built of words that are and are not variants.
VARIANTS = ["Leo", "Farrant's", "L. Farrant", "NS42QT", "17.2.24", "February 17, 2024", "leo"]
NOT_VARIANTS = ["Leon", "Farrants", "Cleo", "NS4 2QU", "18.2.24", "LF", "Leopold", "farrantly"]
FILLER = ["the", "child", "was", "seen", "by", "a", "health", "visitor", "at", "home", "and"]


@pytest.mark.parametrize("seed", range(25))
def test_random_texts_find_exactly_the_variants_put_in(seed):
    rng = random.Random(seed)
    words, expected = [], []
    for _ in range(300):
        choice = rng.random()
        if choice < 0.1:
            word = rng.choice(VARIANTS)
            expected.append(word)
        elif choice < 0.3:
            word = rng.choice(NOT_VARIANTS)
        else:
            word = rng.choice(FILLER)
        words.append(word + rng.choice([" ", " ", ", ", ".\n", "; "]))
    found = _found("".join(words), LEO, HOME, BIRTH)
    assert found == expected


def test_a_hundred_pages_and_two_hundred_entries():
    """About 300,000 characters against 200 entries, and twice that: every hit where it says.
    The time is not asserted (machines differ): benchmarks/identifier_check.py measures it."""
    rng = random.Random(7)
    people = [Entry(f"Person{n} Surname{n}", "person") for n in range(120)]
    places = [Entry(f"{n} Street{n} Road, Town NS{n % 9 + 1} 1AB", "place") for n in range(40)]
    dates = [Entry(f"{n % 28 + 1} March 20{n % 20:02d}", "date") for n in range(40)]
    entries = people + places + dates
    assert len(entries) == 200
    vocabulary = [*FILLER, "Person3", "Surname77", "P. Surname5", "6/3/05", "NS21AB"]

    def text(length):
        out, size = [], 0
        while size < length:
            word = rng.choice(vocabulary)
            out.append(word)
            size += len(word) + 1
        return " ".join(out)

    for length in (300_000, 600_000):
        body = text(length)
        hits = identifier_hits(body, entries)
        assert len(hits) > length // 100
        assert all(body[hit.start : hit.end] == hit.matched for hit in hits)
        assert {hit.entry.kind for hit in hits} == {"person", "place", "date"}
