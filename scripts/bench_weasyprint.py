"""Renders a letter's print HTML with WeasyPrint, in-process, and prints the figures as JSON.

Used by scripts/bench-letters to set Recouvre's PDF engine against WeasyPrint on the same letter:
one warm-up render (fonts found and loaded, as in a server already running), then the median of
`--runs` renders of the whole HTML-to-PDF path (`HTML(string=..., base_url=...).write_pdf()`).
"""

import argparse
import json
import pathlib
import statistics
import sys
import time

import weasyprint


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", type=pathlib.Path, help="the letter as print HTML")
    parser.add_argument("pdf", type=pathlib.Path, help="where to write WeasyPrint's PDF")
    parser.add_argument("--runs", type=int, default=20, help="timed renders (the median is reported)")
    args = parser.parse_args()

    text = args.html.read_text(encoding="utf-8")
    base_url = str(args.html.parent.resolve()) + "/"

    def render() -> bytes:
        return weasyprint.HTML(string=text, base_url=base_url).write_pdf()

    started = time.perf_counter()
    pdf = render()
    first = time.perf_counter() - started
    samples = []
    for _ in range(max(args.runs, 1)):
        started = time.perf_counter()
        pdf = render()
        samples.append(time.perf_counter() - started)
    args.pdf.write_bytes(pdf)
    # The page count from a separate layout, outside the timed renders.
    document = weasyprint.HTML(string=text, base_url=base_url).render()
    json.dump(
        {
            "weasyprint": weasyprint.__version__,
            "python": sys.version.split()[0],
            "runs": len(samples),
            "first_ms": round(first * 1000, 3),
            "median_ms": round(statistics.median(samples) * 1000, 3),
            "min_ms": round(min(samples) * 1000, 3),
            "pdf_bytes": len(pdf),
            "pages": len(document.pages),
        },
        sys.stdout,
        indent=2,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
