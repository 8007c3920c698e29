"""Benchmark the identifier check (publication/identifiers.py) on report-sized text.

Times ``identifier_hits`` on about 100, 200 and 400 pages (3,000 characters a page) against a
pseudonym map of 200 entries (people, addresses, dates), with identifiers sprinkled through the
text: the time must grow in step with the text, not faster.

    make bench
"""

import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from publication.identifiers import identifier_hits

PAGE = 3_000


@dataclass(frozen=True)
class Entry:
    real_value: str
    kind: str


def main() -> None:
    rng = random.Random(7)
    entries = [Entry(f"Person{n} Surname{n}", "person") for n in range(120)]
    entries += [Entry(f"{n} Street{n} Road, Town NS{n % 9 + 1} 1AB", "place") for n in range(40)]
    entries += [Entry(f"{n % 28 + 1} March 20{n % 20:02d}", "date") for n in range(40)]
    words = [
        "the",
        "child",
        "was",
        "seen",
        "by",
        "a",
        "health",
        "visitor",
        "at",
        "home",
        "and",
        "school",
        "on",
    ]
    words += ["Person3", "Surname77", "P. Surname5", "6/3/05", "NS21AB", "Street9 Road"]
    print(f"{len(entries)} entries")
    for pages in (100, 200, 400):
        text = " ".join(rng.choice(words) for _ in range(pages * PAGE // 6))
        started = time.perf_counter()
        hits = identifier_hits(text, entries)
        took = time.perf_counter() - started
        print(f"{pages:>4} pages ({len(text):,} characters): {len(hits):,} hits in {took:.2f} s")


if __name__ == "__main__":
    main()
