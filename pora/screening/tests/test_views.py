"""The screening pages as an officer of Jakarta Utara uses them: the review queue and a
hit's facts and reasons, the decision, the lists, their entries, uploads and rescreens.

Who may open which page is in pora/core/tests/test_access_matrix.py; here the officer
works and sees the results.
"""

# Fixtures shared by import are parameters of the same name.
from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from pora.alerts.models import Alert
from pora.conftest import login, make_person
from pora.core.countries import country_name
from pora.core.models import AccessLog
from pora.jobs.models import JobStatus
from pora.screening.engine.readers import watchlist_template_headers
from pora.screening.engine.score import SCORER_VERSION
from pora.screening.models import (
    AlertRule,
    EntryStatus,
    Hit,
    HitStatus,
    ImportFormat,
    Trigger,
    Watchlist,
    WatchlistEntry,
    WatchlistImport,
)
from pora.screening.selectors import reason_texts
from pora.screening.services import entry_withdraw, hit_decide, screen_person
from pora.screening.tests.screening_fixtures import (  # noqa: F401
    TODAY,
    add_entry,
    fresh_index,
    local_list,
    media,
    present_permit,
    wanted_list,
)

D = dt.timedelta(days=1)
REQUIRED = "Bidang ini tidak boleh kosong."  # Django's own Indonesian "This field is required."


def in_indonesian(message: str, **params) -> str:
    """A message as an Indonesian page shows it (HTML-escaped)."""
    with translation.override("id"):
        text = gettext(message)
    return escape(text % params if params else text)


@pytest.fixture
def client(officer):
    return login(officer)


@pytest.fixture
def wang(officer):
    """WANG XIAOMING of Pluit, present on a permit valid today."""
    person = make_person(actor=officer)
    present_permit(person)
    return person


@pytest.fixture
def entry(officer, wanted_list) -> WatchlistEntry:
    return add_entry(wanted_list, officer, names=["WANG XIAOMING", "王小明"],
                     documents=["EA1234567"], valid_from=TODAY - 10 * D,
                     valid_until=TODAY + 170 * D, legal_reference="UU 6/2011 Pasal 91")


@pytest.fixture
def hit(wang, entry) -> Hit:
    return screen_person(wang, trigger=Trigger.PERSON)[0]


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def logged(view: str) -> list[int]:
    return list(AccessLog.objects.filter(view=view).values_list("person_id", flat=True))


# ---------------------------------------------------------------------- review queue


def test_review_queue_shows_the_new_hit_with_score_person_and_entry(client, hit):
    response = client.get(reverse("screening:hit_list"))

    assert response.status_code == 200
    assert [h.pk for h in response.context["page"]] == [hit.pk]
    page = response.content.decode()
    assert "WANG, XIAOMING" in page and "DPO Polda Metro Jaya" in page
    assert f"<b>{hit.score}</b>" in page
    assert logged("screening_hits") == [hit.person_id]


def test_review_queue_filters_by_status_kind_and_text(client, officer, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.UNSURE, note="Cek paspor")
    url = reverse("screening:hit_list")

    def shown(**query) -> list[int]:
        return [h.pk for h in client.get(url, query).context["page"]]

    assert shown() == []  # the default is "to review"
    assert shown(status="unsure") == [hit.pk]
    assert shown(status="all") == [hit.pk]
    assert shown(status="all", kind="wanted") == [hit.pk]
    assert shown(status="all", kind="exit_ban") == []
    assert shown(status="all", q="xiaoming") == [hit.pk]
    assert shown(status="all", q="EA1234567") == [hit.pk]
    assert shown(status="all", q="PETROV") == []


def test_review_queue_answers_htmx_with_the_table_only(client, hit):
    response = client.get(reverse("screening:hit_list"), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="hit-table"' in page
    assert "<html" not in page


def test_review_queue_downloads_as_excel(client, hit):
    response = client.get(reverse("screening:hit_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][2] == hit.score and rows[1][3] == "WANG, XIAOMING"


# ------------------------------------------------------------------------ a hit


def test_hit_page_sets_the_facts_side_by_side_with_each_reason_and_its_points(client, hit):
    response = client.get(reverse("screening:hit_detail", args=[hit.pk]))

    assert response.status_code == 200
    with translation.override("id"):
        texts = reason_texts(hit)
    assert texts and [text for text, _points in response.context["reasons"]] == texts
    page = response.content.decode()
    for reason in hit.reasons:
        assert escape(reason_texts_one(reason)) in page
        assert f'data-points="{reason["points"]}"' in page
    table = page[page.index('id="side-by-side"'):]
    assert "王小明" in table and "EA1234567" in table
    assert escape(country_name_id("CHN")) in table
    assert "UU 6/2011 Pasal 91" in page
    # Which scorer judged it: the version stored on the hit.
    assert hit.scorer_version == SCORER_VERSION
    assert f"versi penilai {SCORER_VERSION}" in page
    assert logged("screening_hit") == [hit.person_id]
    assert logged("watchlist_entry") == [hit.entry_id]


def reason_texts_one(reason: dict) -> str:
    from pora.screening.reasons import reason_text

    with translation.override("id"):
        return reason_text(reason)


def country_name_id(code: str) -> str:
    with translation.override("id"):
        return country_name(code)


def test_false_positive_without_a_note_is_refused_in_indonesian(client, hit):
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]),
                           {"status": "false_positive", "note": "  "})

    # Refused, then redirected back (a reload sends nothing again) with the reason.
    assert response.status_code == 302
    assert response.url == reverse("screening:hit_detail", args=[hit.pk])
    page = client.get(response.url)
    assert in_indonesian("Write why this is not the listed person.") in page.content.decode()
    assert page.context["form"]["status"].value() == "false_positive"
    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW
    # Shown once: the next visit is the plain page.
    assert in_indonesian("Write why this is not the listed person.") not in client.get(
        response.url).content.decode()


def test_a_decision_needs_a_status(client, hit):
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]), {"note": "?"})
    assert response.status_code == 302
    page = client.get(response.url)
    assert REQUIRED in page.content.decode()
    assert page.context["form"]["note"].value() == "?"


def test_false_positive_with_a_note_leaves_the_queue_and_shows_in_the_history(client, hit):
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]),
                           {"status": "false_positive",
                            "note": "Tanggal lahir dan paspor berbeda."})

    assert response.status_code == 302
    hit.refresh_from_db()
    assert (hit.status, hit.note) == (HitStatus.FALSE_POSITIVE,
                                      "Tanggal lahir dan paspor berbeda.")
    assert client.get(reverse("screening:hit_list")).context["page"].object_list == []
    page = client.get(reverse("screening:hit_detail", args=[hit.pk]))
    history = page.context["history"]
    assert history[-1]["after"] == HitStatus.FALSE_POSITIVE.label
    assert "Tanggal lahir dan paspor berbeda." in page.content.decode()


def test_confirming_a_hit_raises_an_alert_with_the_action(client, hit):
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]),
                           {"status": "confirmed", "note": ""})

    assert response.status_code == 302
    alert = Alert.objects.get(rule=AlertRule.WATCHLIST, person=hit.person)
    assert alert.facts["action"] == "arrest"


def test_a_final_decision_cannot_be_turned_around(client, officer, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED)
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]),
                           {"status": "false_positive", "note": "salah orang"})

    assert response.status_code == 302
    assert client.get(response.url).context["form"].errors
    hit.refresh_from_db()
    assert hit.status == HitStatus.CONFIRMED


def test_officer_of_another_office_cannot_see_or_decide_our_hit(other_officer, hit):
    client = login(other_officer)
    assert client.get(reverse("screening:hit_detail", args=[hit.pk])).status_code == 404
    response = client.post(reverse("screening:hit_decision", args=[hit.pk]),
                           {"status": "false_positive", "note": "bukan"})
    assert response.status_code == 404
    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW
    assert client.get(reverse("screening:hit_list"), {"status": "all"}).context[
        "page"].object_list == []


def test_person_page_lists_the_persons_hits(client, hit):
    response = client.get(reverse("registry:person_detail", args=[hit.person_id]))
    assert [h.pk for h in response.context["watchlist_hits"]] == [hit.pk]
    assert reverse("screening:hit_detail", args=[hit.pk]) in response.content.decode()


# --------------------------------------------------------------------------- lists


def test_watchlist_page_counts_active_expired_and_withdrawn_entries(client, officer,
                                                                    wanted_list):
    add_entry(wanted_list, officer, source_id="A")
    add_entry(wanted_list, officer, source_id="B", names=["IVAN PETROV"],
              valid_from=TODAY - 200 * D, valid_until=TODAY - D)
    gone = add_entry(wanted_list, officer, source_id="C", names=["LI NA"])
    entry_withdraw(actor=officer, entry=gone, note="Dicabut surat 12/2025")

    response = client.get(reverse("screening:watchlist_list"))

    (row, manage), = response.context["rows"]
    assert (row.active_count, row.expired_count, row.withdrawn_count) == (1, 1, 1)
    assert manage is True


def test_other_office_sees_a_shared_list_but_not_a_local_one(other_officer, officer, jakut,
                                                             wanted_list):
    local = local_list(jakut, officer)
    response = login(other_officer).get(reverse("screening:watchlist_list"))
    assert [(w.pk, manage) for w, manage in response.context["rows"]] == [
        (wanted_list.pk, False)]
    assert login(other_officer).get(
        reverse("screening:watchlist_detail", args=[local.pk])).status_code == 404


def test_officer_creates_a_list(client, officer):
    response = client.post(reverse("screening:watchlist_create"), {
        "name": "Cegah Kejati DKI", "kind": "exit_ban", "source": "Kejati DKI Jakarta",
        "default_action": "refuse_permit", "description": ""})

    watchlist = Watchlist.objects.get(name="Cegah Kejati DKI")
    assert response.url == reverse("screening:watchlist_detail", args=[watchlist.pk])
    assert (watchlist.office, watchlist.kind, watchlist.shared) == (officer.office, "exit_ban",
                                                                   False)


def test_list_form_refuses_a_missing_or_taken_name_in_indonesian(client, wanted_list):
    url = reverse("screening:watchlist_create")
    empty = client.post(url, {"name": "", "kind": "wanted", "default_action": "report"})
    assert empty.status_code == 400
    assert REQUIRED in empty.content.decode()

    taken = client.post(url, {"name": wanted_list.name, "kind": "wanted",
                              "default_action": "report"})
    assert taken.status_code == 400
    assert in_indonesian("Your office already has a list named “%(name)s”.",
                         name=wanted_list.name) in taken.content.decode()
    assert Watchlist.objects.count() == 1


def test_officer_edits_a_list(client, wanted_list):
    response = client.post(reverse("screening:watchlist_edit", args=[wanted_list.pk]), {
        "name": "DPO Polda Metro Jaya 2025", "kind": "wanted", "shared": "on",
        "source": "Polda Metro Jaya", "default_action": "arrest", "description": "Terbaru"})
    assert response.status_code == 302
    wanted_list.refresh_from_db()
    assert (wanted_list.name, wanted_list.description) == ("DPO Polda Metro Jaya 2025", "Terbaru")


def test_list_page_searches_and_filters_entries(client, officer, wanted_list):
    wang = add_entry(wanted_list, officer, source_id="A")
    petrov = add_entry(wanted_list, officer, source_id="B", names=["IVAN PETROV"],
                       valid_from=TODAY - 200 * D, valid_until=TODAY - D)
    url = reverse("screening:watchlist_detail", args=[wanted_list.pk])

    def shown(**query) -> list[int]:
        return [e.pk for e in client.get(url, query).context["page"]]

    assert shown() == [wang.pk, petrov.pk]
    assert shown(q="petrov") == [petrov.pk]
    assert shown(status="expired") == [petrov.pk]
    assert shown(status="active") == [wang.pk]
    assert shown(status="withdrawn") == []
    assert set(logged("watchlist_entries")) == {wang.pk, petrov.pk}
    partial = client.get(url, {"q": "petrov"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="entry-table"' in partial and "<html" not in partial


# --------------------------------------------------------------------------- entries


def test_officer_adds_an_entry_with_names_in_several_scripts(client, wanted_list):
    response = client.post(reverse("screening:entry_create", args=[wanted_list.pk]), {
        "names": "IVAN PETROV\nИван Петров\n\n", "sex": "M", "birth_dates": "1979-04-02\n1980",
        "nationalities": ["RUS"], "documents": "75 1234-567", "reason": "DPO penipuan",
        "action": "arrest", "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + 180 * D).isoformat(), "photo": png_upload()})

    entry = WatchlistEntry.objects.get(watchlist=wanted_list)
    assert response.url == reverse("screening:entry_detail", args=[entry.pk])
    assert entry.names == ["IVAN PETROV", "Иван Петров"]
    assert entry.birth_dates == ["1979-04-02", "1980"]
    assert (entry.nationalities, entry.documents) == (["RUS"], ["751234567"])
    assert entry.photo and entry.source_id

    page = client.get(response.url)
    assert "Иван Петров" in page.content.decode()
    assert escape(country_name_id("RUS")) in page.content.decode()
    assert logged("watchlist_entry") == [entry.pk]
    photo = client.get(reverse("screening:entry_photo", args=[entry.pk]))
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")
    assert logged("watchlist_entry_photo") == [entry.pk]


def test_entry_form_explains_bad_values_in_indonesian_and_saves_nothing(client, wanted_list):
    response = client.post(reverse("screening:entry_create", args=[wanted_list.pk]), {
        "names": "", "birth_dates": "1980-13-45", "action": "arrest"})
    assert response.status_code == 400
    assert REQUIRED in response.content.decode()

    response = client.post(reverse("screening:entry_create", args=[wanted_list.pk]), {
        "names": "IVAN PETROV", "birth_dates": "1980-13-45", "action": "arrest",
        "valid_from": "2025-06-01", "valid_until": "2025-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert in_indonesian("“%(value)s” is not a date. Write YYYY-MM-DD, YYYY-MM or only the "
                         "year.", value="1980-13-45") in page
    assert in_indonesian("The end of validity comes before its start.") in page
    assert not WatchlistEntry.objects.exists()


def test_officer_edits_an_entry_and_keeps_its_photo(client, officer, wanted_list):
    entry = add_entry(wanted_list, officer, photo=png_upload())
    form = client.get(reverse("screening:entry_edit", args=[entry.pk]))
    assert form.context["form"]["names"].value() == "WANG XIAOMING"

    response = client.post(reverse("screening:entry_edit", args=[entry.pk]), {
        "names": "WANG XIAOMING\nWANG HSIAO-MING", "birth_dates": "1985-03-21",
        "nationalities": ["CHN"], "sex": "M", "action": "report", "source_id": entry.source_id})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.names == ["WANG XIAOMING", "WANG HSIAO-MING"]
    assert entry.action == "report" and entry.photo


def test_officer_extends_an_entry_and_sees_the_history(client, officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_from=TODAY - 170 * D,
                      valid_until=TODAY + 10 * D)
    until = TODAY + 190 * D
    response = client.post(reverse("screening:entry_extend", args=[entry.pk]),
                           {"valid_until": until.isoformat(),
                            "note": "Keputusan perpanjangan 17/2025"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.valid_until == until
    page = client.get(reverse("screening:entry_detail", args=[entry.pk]))
    history = list(page.context["history"])
    assert [p.valid_until for p in history] == [TODAY + 10 * D, until]
    assert "Keputusan perpanjangan 17/2025" in page.content.decode()


def test_an_extension_must_end_later(client, officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_until=TODAY + 10 * D)
    response = client.post(reverse("screening:entry_extend", args=[entry.pk]),
                           {"valid_until": TODAY.isoformat(), "note": "Keputusan"})

    assert response.status_code == 400
    assert response.context["extend_form"].errors["valid_until"]
    entry.refresh_from_db()
    assert entry.valid_until == TODAY + 10 * D


def test_officer_withdraws_an_entry_with_a_note(client, officer, wanted_list):
    entry = add_entry(wanted_list, officer)
    url = reverse("screening:entry_withdraw", args=[entry.pk])
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 400 and REQUIRED in refused.content.decode()

    assert client.post(url, {"note": "Penangkalan dicabut"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    page = client.get(reverse("screening:entry_detail", args=[entry.pk]))
    assert page.context["withdraw_form"] is None and page.context["extend_form"] is None


def test_another_office_reads_a_shared_entry_but_cannot_change_it(other_officer, officer,
                                                                  wanted_list):
    entry = add_entry(wanted_list, officer)
    client = login(other_officer)
    page = client.get(reverse("screening:entry_detail", args=[entry.pk]))
    assert page.status_code == 200 and page.context["manage"] is False
    response = client.post(reverse("screening:entry_withdraw", args=[entry.pk]),
                           {"note": "bukan milik kami"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.status == EntryStatus.ACTIVE


# ------------------------------------------------------------------ uploads, rescreen


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_upload_templates_open_with_the_template_columns(client, fmt):
    response = client.get(reverse("screening:watchlist_template"), {"format": fmt})
    assert response.status_code == 200
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True))
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == watchlist_template_headers()
    assert len(rows) >= 2


def _list_file(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headers = watchlist_template_headers()
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode()


def test_upload_imports_the_file_and_keeps_the_rejected_row(client, officer, wanted_list,
                                                           django_capture_on_commit_callbacks):
    data = _list_file([
        {"source_id": "DPO-1", "names": "IVAN PETROV|Иван Петров", "birth_date": "1979",
         "nationalities": "RUS"},
        {"source_id": "DPO-2", "names": "LI NA", "birth_date": "1980-13-45"},
    ])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("screening:watchlist_upload", args=[wanted_list.pk]), {
            "file": SimpleUploadedFile("dpo.csv", data, content_type="text/csv"),
            "full": "on"})

    job = WatchlistImport.objects.get(watchlist=wanted_list)
    assert response.url == reverse("screening:import_detail", args=[job.pk])
    assert (job.format, job.full) == (ImportFormat.TABLE, True)
    job.refresh_from_db()
    assert (job.created_count, job.rejected_count) == (1, 1), job.error
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'data-figure="rejected">1<' in page.content.decode()
    assert "hx-get" not in page.content.decode().split('id="progress"')[1].split(">")[0]

    rejected = client.get(reverse("screening:import_rejected", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "alasan_penolakan"
    assert rows[1][0] == "DPO-2" and "birth_date" in rows[1][-1]
    # The rows are the file's own (names, passports): the download is logged.
    logged = AccessLog.objects.get(view="watchlist_import_rejected")
    assert (logged.user, logged.person_id) == (officer, job.pk)
    assert logged.person_label == "dpo.csv (1)"
    listed = client.get(reverse("screening:watchlist_detail", args=[wanted_list.pk]))
    assert [j.pk for j in listed.context["imports"]] == [job.pk]


def test_rejected_rows_csv_never_carries_a_live_formula(client, wanted_list,
                                                       django_capture_on_commit_callbacks):
    data = _list_file([{"source_id": "-1", "names": "=CMD|' /C calc'!A0",
                        "birth_date": "1980-13-45"}])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("screening:watchlist_upload", args=[wanted_list.pk]), {
            "file": SimpleUploadedFile("dpo.csv", data, content_type="text/csv")})
    job = WatchlistImport.objects.get(watchlist=wanted_list)
    rejected = client.get(reverse("screening:import_rejected", args=[job.pk]))
    header, line = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    cells = dict(zip(header, line, strict=True))
    assert (cells["source_id"], cells["names"]) == ("'-1", "'=CMD|' /C calc'!A0")


def test_an_import_still_running_polls_its_progress(client, officer, wanted_list):
    from pora.screening.services import watchlist_import_start

    job = watchlist_import_start(actor=officer, watchlist=wanted_list, filename="dpo.csv",
                                 data=_list_file([{"source_id": "1", "names": "LI NA"}]))
    partial = client.get(reverse("screening:import_detail", args=[job.pk]),
                         HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section") or 'id="progress"' in partial
    assert 'hx-trigger="load delay:1s"' in partial
    assert "<html" not in partial


def test_upload_of_an_unreadable_file_says_why(client, wanted_list):
    response = client.post(reverse("screening:watchlist_upload", args=[wanted_list.pk]), {
        "file": SimpleUploadedFile("dpo.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert response.status_code == 400
    assert in_indonesian("Upload a .csv or .xlsx file made from the template, or "
                         "FollowTheMoney JSON lines (.json).") in response.content.decode()
    assert not WatchlistImport.objects.exists()


def test_rescreen_now_screens_the_office_and_reports_its_progress(
        client, wang, entry, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("screening:rescreen_create", args=[entry.watchlist_id]))

    assert response.status_code == 302
    page = client.get(response.url)
    job = page.context["rescreen"]
    assert (job.status, job.total, job.processed) == (JobStatus.DONE, 1, 1)
    assert job.percent == 100
    assert Hit.objects.filter(person=wang, entry=entry).exists()
    assert "hx-get" not in page.content.decode().split('id="rescreen-progress"')[1].split(">")[0]
    on_list = client.get(reverse("screening:watchlist_detail", args=[entry.watchlist_id]))
    assert on_list.context["rescreen"].pk == job.pk


def test_a_queued_rescreen_polls_until_finished(client, officer, wanted_list):
    from pora.screening.services import rescreen_start

    job = rescreen_start(office=officer.office, watchlist=wanted_list, actor=officer)
    partial = client.get(reverse("screening:rescreen_detail", args=[job.pk]),
                         HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="load delay:1s"' in partial and "<html" not in partial
    assert 'value="0"' in partial


def test_the_menu_of_an_officer_leads_to_the_watchlists(client):
    response = client.get(reverse("core:account"))
    assert reverse("screening:hit_list") in [url for url, _label in response.context["nav_items"]]


def test_the_hit_page_links_the_check_in_that_found_it(client, hotel_operator, entry,
                                                       django_capture_on_commit_callbacks):
    from pora.lodging.linking import Guest
    from pora.lodging.models import Source
    from pora.lodging.services.stays import StayDetails, check_in

    with django_capture_on_commit_callbacks(execute=True):
        stay, _created = check_in(
            lodging=hotel_operator.lodging_staff.lodging, actor=hotel_operator,
            source=Source.TYPED,
            guest=Guest(surname="WANG", given_names="XIAOMING", nationality="CHN",
                        document_number="EA1234567", issuing_state="CHN", sex="M",
                        birth_year=1985, birth_month=3, birth_day=21),
            details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=1),
                                room="801"))
    found = Hit.objects.get(person=stay.person, entry=entry)
    assert found.trigger == Trigger.CHECK_IN
    page = client.get(reverse("screening:hit_detail", args=[found.pk])).content.decode()
    assert reverse("lodging:officer_stay", args=[stay.pk]) in page


def test_an_entry_photo_with_too_many_pixels_is_refused_and_a_large_one_stored_resized(
        client, wanted_list):
    from PIL import Image

    from pora.core.images import PHOTO_SIDE

    buffer = io.BytesIO()
    Image.new("1", (13_000, 13_000), 1).save(buffer, format="PNG")
    fields = {"names": "IVAN PETROV", "action": "arrest"}
    response = client.post(reverse("screening:entry_create", args=[wanted_list.pk]), {
        **fields, "photo": SimpleUploadedFile("foto.png", buffer.getvalue(),
                                              content_type="image/png")})
    assert response.status_code == 400  # the form again, with the reason
    assert "megapiksel" in response.content.decode()
    assert not WatchlistEntry.objects.exists()

    buffer = io.BytesIO()
    Image.new("RGB", (3000, 2000), "navy").save(buffer, format="PNG")
    client.post(reverse("screening:entry_create", args=[wanted_list.pk]), {
        **fields, "photo": SimpleUploadedFile("foto.png", buffer.getvalue(),
                                              content_type="image/png")})
    entry = WatchlistEntry.objects.get()
    with entry.photo.open("rb") as handle, Image.open(handle) as stored:
        assert (stored.format, stored.size) == ("PNG", (PHOTO_SIDE, PHOTO_SIDE * 2 // 3))


def test_the_history_names_automatic_screening_in_indonesian(client, hit):
    page = client.get(reverse("screening:hit_detail", args=[hit.pk]),
                      HTTP_ACCEPT_LANGUAGE="id").content.decode()
    history = page.split('id="hit-history"')[1].split("</ul>")[0]
    assert "system" not in history
    assert "PORA (otomatis)" in history
    assert ": —" not in history  # a new hit had no status before


@pytest.mark.parametrize("query, heading", [
    ({}, "Hit daftar pengawasan yang perlu ditinjau"),
    ({"status": "confirmed"}, "Hit daftar pengawasan: Terkonfirmasi"),
    ({"status": "all"}, "Semua hit daftar pengawasan"),
])
def test_the_hit_list_heading_says_which_hits_are_listed(client, hit, query, heading):
    page = client.get(reverse("screening:hit_list"), query, HTTP_ACCEPT_LANGUAGE="id")
    assert f'<h1 id="hits-heading">{heading}</h1>' in page.content.decode()
    # A filter applied in place (htmx) replaces the heading as well as the table.
    partial = client.get(reverse("screening:hit_list"), query, HTTP_ACCEPT_LANGUAGE="id",
                         HTTP_HX_REQUEST="true")
    assert f'<h1 id="hits-heading" hx-swap-oob="true">{heading}</h1>' in partial.content.decode()
