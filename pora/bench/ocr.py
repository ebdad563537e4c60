"""How often and how fast :func:`pora.lodging.ocr.read_mrz` reads a set of labelled photos.

    uv run python -m pora.bench.ocr [DIRECTORY]

The directory holds the photos and an ``expected.json`` naming, for each photo, the MRZ
lines it shows (an empty list for a photo without an MRZ); by default the synthetic
photos of the test suite, ``pora/lodging/tests/photos``. A photo with an MRZ counts as
read correctly when the reading passes its checks and its lines are exactly the expected
ones; a photo without one when nothing is read. A valid reading that differs from the
expected lines is counted apart (``wrong_valid``): that is the failure that matters most.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pora.lodging.ocr import ocr_available, read_mrz

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "lodging" / "tests" / "photos"


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure_read_rate(
    directory: str | Path = DEFAULT_DIRECTORY, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Read every labelled photo in ``directory`` and return the figures.

    Keys: ``photos`` (all photos read), ``with_mrz``, ``read_correctly``, ``read_rate``
    (per cent of ``with_mrz``), ``wrong_valid``, ``without_mrz``, ``without_mrz_correct``,
    ``mean_seconds``, ``p95_seconds``, ``max_seconds`` and ``cpu_seconds`` (process CPU
    time per photo, both cores counted), and ``results``: one dict per photo.
    """
    directory = Path(directory)
    expected: dict[str, dict[str, Any]] = json.loads((directory / "expected.json").read_text())
    if not ocr_available():  # loads the engine, so that its start is not timed
        raise RuntimeError("OCR engine unavailable: nothing to measure")
    results = []
    cpu_started = time.process_time()
    for name in sorted(expected):
        want = "\n".join(expected[name]["lines"])
        reading = read_mrz((directory / name).read_bytes(), today=today)
        if want:
            correct = reading.mrz is not None and reading.text == want
            wrong_valid = reading.mrz is not None and reading.text != want
        else:
            correct = reading.mrz is None and reading.text == ""
            wrong_valid = reading.mrz is not None
        results.append({
            "photo": name,
            "has_mrz": bool(want),
            "correct": correct,
            "wrong_valid": wrong_valid,
            "seconds": reading.seconds,
            "text": reading.text,
            "error": str(reading.error) if reading.error else "",
        })
    cpu = time.process_time() - cpu_started
    seconds = [r["seconds"] for r in results] or [0.0]
    positives = [r for r in results if r["has_mrz"]]
    negatives = [r for r in results if not r["has_mrz"]]
    read = sum(r["correct"] for r in positives)
    return {
        "photos": len(results),
        "with_mrz": len(positives),
        "read_correctly": read,
        "read_rate": round(100 * read / len(positives), 1) if positives else 0.0,
        "wrong_valid": sum(r["wrong_valid"] for r in results),
        "without_mrz": len(negatives),
        "without_mrz_correct": sum(r["correct"] for r in negatives),
        "mean_seconds": round(statistics.fmean(seconds), 3),
        "p95_seconds": round(_percentile(seconds, 0.95), 3),
        "max_seconds": round(max(seconds), 3),
        "cpu_seconds": round(cpu / max(len(results), 1), 3),
        "results": results,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    figures = measure_read_rate(args[0] if args else DEFAULT_DIRECTORY)
    for result in figures["results"]:
        mark = "ok " if result["correct"] else ("WRONG" if result["wrong_valid"] else "-- ")
        print(f"{mark:5} {result['seconds']:6.2f} s  {result['photo']}  {result['error']}")
    print(
        f"photos {figures['photos']}: with an MRZ {figures['with_mrz']}, read correctly "
        f"{figures['read_correctly']} ({figures['read_rate']} %), valid but wrong "
        f"{figures['wrong_valid']}; without an MRZ {figures['without_mrz']}, "
        f"left empty {figures['without_mrz_correct']}"
    )
    print(
        f"seconds per photo: mean {figures['mean_seconds']}, p95 {figures['p95_seconds']}, "
        f"max {figures['max_seconds']}; CPU seconds per photo {figures['cpu_seconds']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
