"""The Indonesian catalogue is complete, compiled, and actually served.

Bahasa Indonesia is the default language, so an untranslated or stale message shows
English to an immigration officer. These tests read pora/locale/id/LC_MESSAGES with a
small parser of their own (no dependency) and compare it with the compiled .mo.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")
REGENERATE = (
    "Run `uv run python manage.py makemessages -l id --no-obsolete --ignore=.venv "
    "--ignore=var`, translate, then `uv run python manage.py compilemessages --ignore=.venv`."
)


# ------------------------------------------------------------------------- a .po parser


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index, 0 when singular
    obsolete: bool = False

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt is not None else ""
        return f"line {self.line}: {context}{self.msgid!r}"


def parse_po(text: str) -> list[Entry]:
    """Entries of a gettext .po file; enough of the format for what makemessages writes."""
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None  # the field that continuation lines extend
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            entry, target = None, None
            continue
        # A comment or a new msgctxt/msgid after a msgstr begins the next entry.
        if entry is None or (entry.msgstr and not line.startswith(('"', "msgstr"))):
            entry, target = Entry(line=number), None
            entries.append(entry)
        entry.obsolete = entry.obsolete or obsolete
        if line.startswith("#,"):
            entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            pass  # translator, extracted and reference comments
        elif match := keyword.match(line):
            name, index, literal = match.groups()
            if name == "msgstr":
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = ast.literal_eval(literal)
            else:
                target = (name, 0)
                setattr(entry, name, ast.literal_eval(literal))
        elif line.startswith('"') and target is not None:
            name, index = target
            if name == "msgstr":
                entry.msgstr[index] += ast.literal_eval(line)
            else:
                setattr(entry, name, getattr(entry, name) + ast.literal_eval(line))
        else:
            raise AssertionError(f"{PO_PATH}:{number}: cannot parse {raw!r}")
    return entries


def catalog_key(entry: Entry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. {REGENERATE}"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    """The translatable entries: not the header, not obsolete leftovers."""
    return [e for e in po_entries if e.msgid and not e.obsolete]


def header(po_entries) -> dict[str, str]:
    head = next(e for e in po_entries if e.msgid == "" and e.msgctxt is None)
    return dict(line.split(": ", 1) for line in head.msgstr[0].split("\n") if ": " in line)


def load_mo(data: bytes) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(data))


# ----------------------------------------------------------------- the .po is complete


def test_parser_reads_the_catalogue(messages):
    assert len(messages) > 300
    by_id = {catalog_key(e): e for e in messages}
    assert by_id["Log in"].msgstr[0] == "Masuk"
    assert by_id["Log out"].msgstr[0] == "Keluar"


def test_every_message_is_translated(messages):
    empty = [e.label for e in messages if not e.msgstr or any(not s for s in e.msgstr.values())]
    assert not empty, f"{len(empty)} untranslated message(s):\n" + "\n".join(empty)


def test_no_message_is_fuzzy(po_entries):
    fuzzy = [e.label if e.msgid else "header" for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries are not used by Django; check and unflag:\n" + "\n".join(fuzzy)


def test_no_obsolete_entries(po_entries):
    obsolete = [e.line for e in po_entries if e.obsolete]
    assert not obsolete, f"obsolete (#~) entries at lines {obsolete}; use --no-obsolete"


def test_header_matches_djangos_indonesian_plural_rule(po_entries, messages):
    fields = header(po_entries)
    assert fields.get("Language") == "id"
    assert fields.get("Project-Id-Version") == "PORA"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    # Django's own id catalogue says nplurals=1; one rule keeps the catalogues merged.
    assert fields.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"
    for entry in messages:
        if entry.msgid_plural is not None:
            assert sorted(entry.msgstr) == [0], f"{entry.label}: Indonesian has one plural form"


def test_placeholders_are_kept(messages):
    def names(text: str) -> set[str]:
        return {next(g for g in m.groups() if g) for m in PLACEHOLDER.finditer(text)}

    wrong = []
    for entry in messages:
        expected = names(entry.msgid) | names(entry.msgid_plural or "")
        for translation in entry.msgstr.values():
            if names(translation) != expected:
                wrong.append(f"{entry.label}: {sorted(names(translation))} != {sorted(expected)}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


# ------------------------------------------------------------ the .mo matches the .po


def test_mo_holds_exactly_the_po_translations(messages):
    assert MO_PATH.exists(), f"{MO_PATH} is missing. {REGENERATE}"
    compiled = load_mo(MO_PATH.read_bytes())
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in messages:
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue  # msgfmt leaves these out; the tests above report them
        if entry.msgid_plural is None:
            expected[catalog_key(entry)] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(catalog_key(entry), index)] = text
    stale = sorted(str(k) for k in expected.keys() ^ catalog.keys())
    changed = sorted(str(k) for k in expected.keys() & catalog.keys() if expected[k] != catalog[k])
    assert not stale and not changed, (
        f"django.mo is out of date with django.po. {REGENERATE}\n"
        f"only in one of them: {stale[:20]}\ntranslated differently: {changed[:20]}"
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_mo_equals_a_fresh_msgfmt_compile():
    result = subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "-", str(PO_PATH)],
        capture_output=True, check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    fresh = load_mo(result.stdout)
    shipped = load_mo(MO_PATH.read_bytes())
    assert fresh._catalog == shipped._catalog, f"django.mo is stale. {REGENERATE}"  # type: ignore[attr-defined]
    assert fresh.plural(1) == shipped.plural(1) == fresh.plural(5) == 0


# ------------------------------------------------------------------- pages as served


@pytest.mark.django_db
def test_login_page_is_indonesian_by_default(anonymous):
    response = anonymous.get(reverse("core:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert "Masuk ke PORA" in html
    assert ">Masuk</button>" in html
    assert "Kata sandi" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_login_page_in_english_by_accept_language(anonymous):
    response = anonymous.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in to PORA" in html
    assert ">Log in</button>" in html
    assert "Masuk ke PORA" not in html


@pytest.mark.django_db
def test_language_cookie_wins_over_accept_language(anonymous):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = anonymous.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Log in to PORA" in html
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = anonymous.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Masuk ke PORA" in html


@pytest.mark.django_db
def test_language_switch_form_sets_english(anonymous):
    response = anonymous.post(reverse("core:set_language"),
                              {"language": "en", "next": reverse("core:login")})
    assert response.status_code == 302
    assert "Log in to PORA" in anonymous.get(reverse("core:login")).content.decode()


def test_officer_pages_use_the_translated_menu_and_labels(as_officer, wang):
    html = as_officer.get(reverse("registry:person_detail", args=[wang.pk])).content.decode()
    for text in ("Dasbor", "Orang asing", "Penjamin", "Keluar", "Izin tinggal",
                 "Dokumen perjalanan", "Perubahan yang dilaporkan"):
        assert text in html, text
    for text in ("Dashboard", "Log out", "Stay permits", "Travel documents"):
        assert text not in html, text


def test_access_and_audit_logs_name_what_was_seen_in_indonesian(head, wang):
    client = Client()
    client.force_login(head)
    client.get(reverse("registry:person_detail", args=[wang.pk]))
    html = client.get(reverse("core:access_log")).content.decode()
    assert "Rincian orang asing" in html
    assert 'title="person_detail"' in html
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "Izin tinggal" in html
    assert 'title="registry.StayPermit"' in html


def test_refused_pages_speak_indonesian(client, police_partner):
    from django.urls import reverse

    from pora.conftest import login

    partner = login(police_partner)
    hidden = partner.get(reverse("registry:person_list"))
    assert hidden.status_code == 404
    assert "Tidak ditemukan" in hidden.content.decode()
    refused = partner.get(reverse("registry:import_list"))
    assert refused.status_code == 403
    assert "Tidak diizinkan" in refused.content.decode()
