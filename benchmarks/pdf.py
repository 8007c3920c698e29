"""Benchmark the review's PDFs: a combined chronology of about 10 and 50 pages (150 with
``--largest``) rendered through the documents' layout (templates/pdf/document.html and
static/css/document.css, via scr.pdf with its static-only fetcher and tagging) beside bare
WeasyPrint on the same HTML (``HTML(string=...).write_pdf()``, with no stylesheet: the floor
WeasyPrint itself sets).

Each render runs in a fresh child process, so that its peak memory (the kernel's high-water
mark of resident memory, reset before the render) is its own. Prints seconds, pages and peak
MiB; the whole run takes about 15 s here (a minute with ``--largest``). Needs no database.

    make bench          # or: .venv/bin/python benchmarks/pdf.py [--largest]
"""

import argparse
import io
import logging
import multiprocessing
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scr.settings")

import django
import pikepdf

django.setup()

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from scr.pdf import render_pdf

# Entries that fill about 10, 50 and 150 pages of the chronology's table. The 150 pages take
# as long as the rest of `make bench` together, which must stay under two minutes: asked for.
SIZES = {10: 36, 50: 190}
LARGEST = {150: 580}
TEMPLATE = "publication/documents/chronology.html"
WORDS = "The health visitor called at the home; nobody answered the door and a card was left. "


def _context(entries: int) -> dict:
    start = date(2020, 1, 1)
    rows = [
        {
            "id": n,
            "day": start + timedelta(days=n),
            "time": "10:30" if n % 3 else "",
            "approximate": n % 7 == 0,
            "agency": f"Agency {n % 12 + 1}",
            "what_happened": WORDS * (3 + n % 4),
            "practitioner_role": "Health Visitor 1",
            "source_reference": f"REC-{n:05d}",
            "analysis": "Missed contact not followed up." if n % 2 else "",
            "key_episode": "No referral was made." if n % 40 == 0 else None,
        }
        for n in range(entries)
    ]
    return {
        "title": "Combined chronology",
        "reference": "SCR-2026-001",
        "review_kind": "Serious Case Review",
        "marking": "OFFICIAL-SENSITIVE",
        "dated": date(2026, 1, 1),
        "sections": [
            {"anchor": "about", "title": "About this chronology"},
            {"anchor": "chronology", "title": "Chronology"},
            {"anchor": "key-episodes", "title": "Key practice episodes"},
        ],
        "board_name": settings.SCR_BOARD_NAME,
        "entries": rows,
        "agencies": sorted({row["agency"] for row in rows}),
        "period": (start, start + timedelta(days=entries)),
        "key_episodes": [row for row in rows if row["key_episode"]],
    }


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _render(way: str, entries: int, out) -> None:
    """In a child process: render once, send back (seconds, pages, peak MiB)."""
    context = _context(entries)
    Path("/proc/self/clear_refs").write_text("5")  # reset the high-water mark to now
    start = time.perf_counter()
    if way == "layout":
        data = render_pdf(TEMPLATE, context)
    else:
        html = render_to_string(TEMPLATE, context)
        data = HTML(string=html).write_pdf()
    seconds = time.perf_counter() - start
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
    out.send((seconds, pages, _peak_mib()))


def _measure(way: str, entries: int) -> tuple[float, int, float]:
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_render, args=(way, entries, send))
    child.start()
    result = receive.recv()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--largest", action="store_true", help="also about 150 pages")
    sizes = SIZES | (LARGEST if parser.parse_args().largest else {})
    # Bare WeasyPrint has no base URL for the page's <link> to the layout's stylesheet: it says
    # so on every run, which is the point of the comparison, not news.
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    print("PDF rendering: combined chronology, layout vs bare WeasyPrint (one run each)")
    print(f"{'target':>7} {'way':>7} {'pages':>6} {'seconds':>8} {'s/page':>7} {'peak MiB':>9}")
    started = time.perf_counter()
    for target, entries in sizes.items():
        for way in ("layout", "bare"):
            seconds, pages, peak = _measure(way, entries)
            per_page = seconds / pages if pages else float("nan")
            print(f"{target:>7} {way:>7} {pages:>6} {seconds:>8.2f} {per_page:>7.3f} {peak:>9.0f}")
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
