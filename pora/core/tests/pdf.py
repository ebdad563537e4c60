"""Reading back the PDFs the project draws, for tests: each stream's bytes, inflated.

A stream is read by the /Length its dictionary declares, never by searching for the next
"endstream": compressed bytes may end in a carriage return, and a search that treats it as part
of the end-of-line before "endstream" cuts the last byte off (a one-in-256 failure of any test
that looks inside the receipt, seen in CI).
"""

import re
import zlib

_STREAM = re.compile(rb"<<(?P<dict>(?:[^<>]|<<(?:[^<>]|<[^<>]*>)*>>|<[^<>]*>)*)>>\s*stream\r?\n",
                     re.DOTALL)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream of the file, inflated when its dictionary says /FlateDecode."""
    streams = []
    for match in _STREAM.finditer(pdf):
        length = _LENGTH.search(match["dict"])
        assert length, f"a stream without a direct /Length: {match['dict'][:200]!r}"
        start = match.end()
        data = pdf[start : start + int(length[1])]
        assert re.match(rb"\r?\n?endstream", pdf[start + len(data) : start + len(data) + 11]), (
            "the declared /Length does not end at endstream")
        if b"/FlateDecode" in match["dict"]:
            data = zlib.decompress(data)
        streams.append(data)
    return streams


def pdf_text_strings(pdf: bytes) -> list[str]:
    """The literal strings the pages show with Tj, as latin-1 text (escapes left as written)."""
    strings = []
    for content in pdf_streams(pdf):
        strings += [s.decode("latin-1")
                    for s in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", content)]
    return strings
