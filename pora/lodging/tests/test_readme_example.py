"""The README's check-in example, run as a shell would run it: so that it cannot rot again.

The example's `$(date -u +FORMAT)` (if it has one) is expanded with the current time and
`$TOKEN` with a token of the lodging; the curl command's URL, headers and body then go
through the API, on the demo's calendar the example is written for.
`pora/core/tests/test_demo_starts.py` runs the same example against a running demo.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client

from pora.core import clock
from pora.demo.registry import REFERENCE_DATE
from pora.lodging.models import Stay
from pora.lodging.services.reporters import token_create

README = Path(__file__).resolve().parents[3] / "README.md"


@dataclass(frozen=True)
class Example:
    token_command: list[str]  # `…/pora token create …`, whose output is $TOKEN
    method: str
    url: str
    headers: dict[str, str]
    body: str


def readme_check_in_example(*, token: str, now: dt.datetime) -> Example:
    """The README's check-in example (under "Lodging API") with the shell's expansions."""
    section = README.read_text(encoding="utf-8").split("## Lodging API", 1)[1]
    block = next(b for b in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
                 if "/api/v1/check-ins" in b)
    # Command substitution of `date -u +FORMAT`, as GNU date formats it (%F, %T, …).
    block = re.sub(r"\$\(date -u \+([^)\s]+)\)",
                   lambda m: now.astimezone(dt.UTC).strftime(m.group(1)), block)
    block = block.replace("\\\n", " ")  # line continuations
    token_line = re.search(r"^TOKEN=\$\((.*)\)$", block, re.MULTILINE)
    token_words = shlex.split(token_line.group(1)) if token_line else []
    # The curl command runs to the end of the block (its body spans lines within quotes).
    words = shlex.split(block[block.index("curl "):].replace("$TOKEN", token))
    method, url, headers, body = "GET", "", {}, ""
    position = 1
    while position < len(words):
        word = words[position]
        if word == "-X":
            method, position = words[position + 1], position + 1
        elif word == "-H":
            name, _, value = words[position + 1].partition(":")
            headers[name.strip()] = value.strip()
            position += 1
        elif word == "-d":
            body, position = words[position + 1], position + 1
        elif not word.startswith("-"):
            url = word
        position += 1
    assert "$" not in body and all("$" not in value for value in headers.values()), block
    return Example(token_words, method, url, headers, body)


@pytest.fixture
def raw_token(hotel, hotel_operator) -> str:
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="README")
    return raw


# Beside `make demo`: at any time of the demo's day, from just after midnight to its end.
@pytest.mark.parametrize("moment", [dt.time(0, 0), dt.time(23, 59)], ids=str)
def test_the_readme_check_in_example_is_accepted_beside_the_demo(raw_token, hotel, moment):
    now = dt.datetime.now(dt.UTC)
    example = readme_check_in_example(token=raw_token, now=now)
    assert example.method == "POST"
    headers = {k: v for k, v in example.headers.items() if k != "Content-Type"}
    with clock.pinned(REFERENCE_DATE, moment=moment):
        response = Client().post(urlsplit(example.url).path, data=example.body,
                                 content_type=example.headers["Content-Type"], headers=headers)
    assert response.status_code == 201, response.content
    answer = response.json()
    stay = Stay.objects.get(receipt_number=answer["receipt_number"])
    assert (stay.surname, stay.given_names, stay.room) == ("ERIKSSON", "ANNA MARIA", "1207")
    assert stay.checked_in_at == dt.datetime.fromisoformat(
        json.loads(example.body)["checked_in_at"])
    # The same request again (the same Idempotency-Key) is answered from the first one.
    with clock.pinned(REFERENCE_DATE, moment=moment):
        again = Client().post(urlsplit(example.url).path, data=example.body,
                              content_type=example.headers["Content-Type"], headers=headers)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    # The token comes from the command the README shows, for the demo's hotel.
    program, *arguments = example.token_command
    assert program.endswith("/pora") and arguments == ["token", "create", "--lodging", hotel.name]
