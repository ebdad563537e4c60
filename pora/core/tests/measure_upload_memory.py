"""Peak memory of reading hostile uploads: the shared reader against openpyxl's own.

    .venv/bin/python -m pora.core.tests.measure_upload_memory

Each file is read in a fresh process and its peak resident size (``ru_maxrss``) printed,
with the peak of a process that only loads the modules for comparison. "openpyxl" reads
as the imports did before ``pora.core.uploads``: openpyxl's read-only sheet, every row
kept as a list. Not a test: it takes about a minute and a gigabyte or more for the
openpyxl dimension bomb.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys

MB = 1024 * 1024
HEADERS = ["nomor_izin", "nama_keluarga", "tanggal_lahir"]
ROWS = [["2C11AB0012345", "WANG", "1985-03-21"], ["1D21KR0000777", "KIM", "1990-07"]]


def hostile(name: str) -> tuple[str, bytes]:
    from pora.core.tests.hostile import gzip_bomb, table_workbook

    if name == "dimension":
        return "xlsx", table_workbook(HEADERS, ROWS, dimension="A1:XFD8000", last_row_at=8000)
    if name == "last-row":
        return "xlsx", table_workbook(HEADERS, ROWS, last_row_at=1_048_576)
    if name == "gzip":
        return "gz", gzip_bomb(512 * MB)
    raise SystemExit(f"unknown file {name}")


def read(reader: str, name: str) -> str:
    kind, data = hostile(name)
    if reader == "none":
        import openpyxl.reader.excel  # noqa: F401

        from pora.core import uploads  # noqa: F401
        return "loaded modules only"
    if kind == "gz":
        if reader == "openpyxl":  # as the watchlist import did: unpacked whole
            import gzip
            return f"{len(gzip.decompress(data)) // MB} MB unpacked"
        from pora.core.uploads import UploadRefused, gunzip_stream, read_lines
        try:
            sum(1 for _ in read_lines(gunzip_stream(data)))
        except UploadRefused as exc:
            return f"refused: {exc}"
        return "read"
    if reader == "openpyxl":
        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = [["" if v is None else str(v) for v in row]
                for row in sheet.iter_rows(values_only=True)]
        return f"{len(rows)} rows, {sum(map(len, rows))} cells"
    from pora.core.uploads import xlsx_rows
    rows = [values for _, values in xlsx_rows(data)]
    return f"{len(rows)} rows, {sum(map(len, rows))} cells"


def main() -> None:
    if len(sys.argv) == 3:
        outcome = read(sys.argv[1], sys.argv[2])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{sys.argv[2]:10} {sys.argv[1]:9} peak RSS {peak:6} MB  {outcome}")
        return
    runs = [("none", "dimension")] + [(reader, name) for name in ("dimension", "last-row", "gzip")
                                      for reader in ("openpyxl", "shared")]
    for reader, name in runs:
        subprocess.run([sys.executable, "-m", "pora.core.tests.measure_upload_memory",
                        reader, name], check=False)


if __name__ == "__main__":
    main()
