"""The head of office's log pages: named audit actions read as Indonesian sentences,
filters by date, user, person name and event, pages without counting, streamed exports.

UU 27/2022 (PDP) Pasal 31: the head reads who changed what and who looked at whom.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import transaction
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login, make_permit, make_person, make_user
from pora.core import chain, logs
from pora.core.audit import audit_record
from pora.core.models import AccessLog, AuditEvent, AuditLog, Role
from pora.registry import services


@pytest.fixture
def wang(officer):
    person = make_person(actor=officer)
    make_permit(person, actor=officer)
    return person


@pytest.fixture
def kim(officer):
    person = make_person(actor=officer, surname="KIM", given_names="MINJUN", nationality="KOR",
                         passport="M12345678", kelurahan_name="Sunter Jaya")
    make_permit(person, actor=officer, number="2C11AA0000002")
    return person


def shown(response):
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def read(user, person, *, at: dt.datetime | None = None, view="person_detail", n=1):
    """``n`` rows of ``user`` reading ``person``, at ``at`` (a row's time is set only when
    it is written: the log is append-only, on PostgreSQL even to raw SQL)."""
    from pora.core.bulk import insert_rows

    if at is None:
        rows = [AccessLog(user=user, reader=user.username, office_id=user.office_id,
                          person_id=person.pk, person_label=str(person), view=view,
                          path=f"/orang-asing/{person.pk}/") for _ in range(n)]
        AccessLog.objects.bulk_create(rows)
        return rows
    before = set(AccessLog.objects.values_list("id", flat=True))
    insert_rows(AccessLog, ["at", "user_id", "reader", "office_id", "person_id",
                            "person_label", "view", "path"],
                [(at, user.pk, user.username, user.office_id, person.pk, str(person), view,
                  f"/orang-asing/{person.pk}/")] * n)
    return list(AccessLog.objects.exclude(id__in=before))


# ------------------------------------------------------------------------ named actions


def test_a_cancelled_permit_reads_as_a_sentence_with_labelled_changes(head, officer, wang):
    permit = wang.permits.get()
    services.permit_cancel(actor=officer, permit=permit, cancelled_on=dt.date(2024, 1, 10),
                           reason="Pasal 75 ayat (2)")
    row = AuditLog.objects.get(action="permit.cancelled")
    # The generic columns stay as they were: older filters and reports keep working.
    assert (row.event, row.object_type) == (AuditEvent.UPDATE, "registry.StayPermit")
    response = login(head).get(reverse("core:audit_log"), {"action": "permit.cancelled"})
    assert [r.pk for r in shown(response)] == [row.pk]
    html = response.content.decode()
    assert f"petugas_jakut membatalkan izin {permit} milik WANG, XIAOMING" in html
    assert "<b>Status</b>: Aktif → Dibatalkan" in html
    assert "<b>Dibatalkan pada</b>: — → 10 Januari 2024" in html
    assert "Izin tinggal dibatalkan" in html  # the action's label
    assert "cancelled_on" not in html and "['" not in html


def test_the_main_writes_name_their_action(officer, wang):
    permit = wang.permits.get()
    services.permit_record_departure(actor=officer, permit=permit,
                                     departed_on=dt.date(2024, 2, 1))
    services.person_update(actor=officer, person=wang, street="Jl. Pluit Raya 2")
    assert set(AuditLog.objects.filter(person_id=wang.pk).values_list("action", flat=True)) == {
        "person.created", "permit.created", "permit.departed", "person.changed"}


def test_an_extension_is_named_so(officer, wang):
    make_permit(wang, actor=officer, number="2C11AA0000009", valid_from=dt.date(2024, 6, 1),
                valid_until=dt.date(2025, 5, 31))
    assert AuditLog.objects.filter(object_label="ITAS 2C11AA0000009").get().action == (
        "permit.extended")


def test_an_action_no_area_declared_is_refused(officer):
    with transaction.atomic(), pytest.raises(ValueError, match="declared by no area"):
        audit_record(actor=officer, event=AuditEvent.UPDATE, action="permit.teleported",
                     object_type="registry.StayPermit")


def test_rows_without_an_action_still_read_as_sentences(head, officer):
    with transaction.atomic():
        audit_record(actor=officer, event=AuditEvent.UPDATE, object_type="registry.StayPermit",
                     object_label="ITAS 2C11AA0000001",
                     changes={"valid_until": ["2024-05-31", "2025-05-31"]})
    html = login(head).get(reverse("core:audit_log")).content.decode()
    assert "petugas_jakut mengubah Izin tinggal ITAS 2C11AA0000001" in html
    assert "<b>Berlaku sampai</b>: 31 Mei 2024 → 31 Mei 2025" in html


def test_the_chain_holds_rows_with_and_without_an_action(officer, wang):
    # Rows written before the action existed carry NULL, which the link leaves out: their
    # hash is the one sealed before the column was added.
    fields = chain._content_fields(AuditLog)
    values = [None if f == "action" else 1 for f in fields]
    without = [f for f in fields if f != "action"]
    assert chain.link_hash("", fields, values) == chain.link_hash(
        "", without, [1] * len(without))
    assert AuditLog.objects.filter(action__isnull=False).exists()
    chain.seal_all()
    assert chain.verify("audit").intact


# ------------------------------------------------------------------------------ filters


def test_the_person_filter_takes_a_name(head, officer, wang, kim):
    read(officer, wang)
    read(officer, kim)
    client = login(head)
    rows = shown(client.get(reverse("core:access_log"), {"person": "wang xiaoming"}))
    assert {r.person_id for r in rows} == {wang.pk}
    response = client.get(reverse("core:audit_log"), {"person": "Xiaoming Wang"})
    assert {r.person_id for r in shown(response)} == {wang.pk}
    assert response.context["persons_found"] == [(wang.pk, "WANG, XIAOMING")]


def test_a_name_outside_the_heads_office_finds_nothing(head, other_officer, jakpus):
    smith = make_person(actor=other_officer, office=jakpus, surname="SMITH",
                        given_names="JOHN", nationality="GBR", passport="123456789",
                        kelurahan_name="Gambir")
    read(other_officer, smith)
    response = login(head).get(reverse("core:access_log"), {"person": "SMITH JOHN"})
    assert shown(response) == []
    assert "Tidak ada orang asing di kantor ini" in response.content.decode()


def test_the_date_filter_bounds_whole_local_days(head, officer, wang):
    day = dt.date(2026, 3, 10)
    local = timezone.get_current_timezone()
    read(officer, wang, at=dt.datetime(2026, 3, 9, 23, 59, tzinfo=local))
    inside = read(officer, wang, at=dt.datetime(2026, 3, 10, 0, 0, tzinfo=local))
    inside += read(officer, wang, at=dt.datetime(2026, 3, 10, 23, 59, tzinfo=local))
    read(officer, wang, at=dt.datetime(2026, 3, 11, 0, 0, tzinfo=local))
    rows = shown(login(head).get(reverse("core:access_log"),
                                 {"from": day.isoformat(), "to": day.isoformat()}))
    assert sorted(r.pk for r in rows) == sorted(r.pk for r in inside)


def test_a_date_that_is_not_one_is_said_so(head, officer, wang):
    read(officer, wang)
    response = login(head).get(reverse("core:access_log"), {"from": "kemarin"})
    assert shown(response) == []
    assert "Dari bukan tanggal (YYYY-MM-DD)." in response.content.decode()


def test_the_event_and_user_filters(head, officer, wang, kim):
    read(officer, wang, view="person_detail")
    read(officer, kim, view="person_list")
    read(head, kim, view="person_list")
    client = login(head)
    rows = shown(client.get(reverse("core:access_log"),
                            {"action": "person_list", "user": officer.username}))
    assert [(r.person_id, r.user_id) for r in rows] == [(kim.pk, officer.pk)]
    audit = shown(client.get(reverse("core:audit_log"), {"action": "event:create"}))
    assert audit and {r.event for r in audit} == {AuditEvent.CREATE}


# ------------------------------------------------------------------- pages and exports


def test_pages_follow_each_other_without_counting(head, officer, wang):
    read(officer, wang, n=logs.PAGE_SIZE * 2 + 7)
    client = login(head)
    seen, cursor, pages = [], "", 0
    with CaptureQueriesContext(__import__("django.db").db.connection) as queries:
        while True:
            response = client.get(reverse("core:access_log"), {"cursor": cursor} if cursor else {})
            page = response.context["page"]
            seen += [r.pk for r in page.object_list]
            pages += 1
            if not page.has_next:
                break
            cursor = page.next_cursor
    assert pages == 3
    assert len(seen) == len(set(seen)) == logs.PAGE_SIZE * 2 + 7
    assert seen == sorted(seen, reverse=True)  # written in one go: newest id first
    assert not any("COUNT(" in q["sql"].upper() and "ACCESSLOG" in q["sql"].upper()
                   for q in queries.captured_queries)


def test_a_broken_cursor_shows_the_first_page(head, officer, wang):
    read(officer, wang, n=3)
    assert len(shown(login(head).get(reverse("core:access_log"), {"cursor": "x-1'--"}))) == 3


def test_the_csv_export_streams_every_matching_row_and_neutralises_formulas(
        head, officer, wang, monkeypatch):
    monkeypatch.setattr(logs, "EXPORT_CHUNK", 7)  # several chunks, as at a year of rows
    AccessLog.objects.bulk_create([AccessLog(
        user=officer, reader=officer.username, office_id=officer.office_id, person_id=wang.pk,
        person_label="=HYPERLINK(\"http://x\")", view="person_detail", path="/x")] * 1)
    read(officer, wang, n=20)
    response = login(head).get(reverse("core:access_log"), {"export": "csv", "person": "WANG"})
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["Waktu", "Pengguna"]
    assert len(rows) == 1 + 21
    assert "'=HYPERLINK(\"http://x\")" in [r[3] for r in rows]


def test_the_audit_csv_export_has_the_sentences(head, officer, wang):
    response = login(head).get(reverse("core:audit_log"), {"export": "csv",
                                                           "action": "person.created"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [r[3] for r in rows[1:]] == ["petugas_jakut mencatat orang asing WANG, XIAOMING"]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.ADMIN, Role.ANALYST])
@pytest.mark.parametrize("page", ["core:access_log", "core:audit_log"])
def test_only_the_head_of_office_reads_the_logs(jakut, role, page):
    user = make_user(f"not_head_{role}", role, office=jakut)
    client = login(user)
    assert client.get(reverse(page)).status_code == 403
    assert client.get(reverse(page), {"export": "csv"}).status_code == 403


def test_the_filters_come_back_with_htmx_as_the_results_only(head, officer, wang):
    read(officer, wang)
    response = login(head).get(reverse("core:access_log"), {"person": "WANG"},
                               headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "WANG, XIAOMING" in html and "<html" not in html


def test_a_full_export_logs_its_persons_in_one_insert(officer, wang, kim, monkeypatch):
    """Still one row per person exported (who looked at whom), but one statement for all,
    not one per chunk of persons read."""
    from django.db import connection

    from pora.registry import views as registry_views

    monkeypatch.setattr(registry_views, "EXPORT_CHUNK", 1)
    with CaptureQueriesContext(connection) as queries:
        response = login(officer).get(reverse("registry:person_list"), {"export": "xlsx"})
    assert response.status_code == 200
    # On PostgreSQL the rows go by COPY, which Django does not see: its ids are drawn
    # first, by one query.
    inserts = [q["sql"] for q in queries.captured_queries
               if "core_accesslog" in q["sql"].lower()
               and ("insert" in q["sql"].lower() or "nextval" in q["sql"].lower())]
    assert len(inserts) == 1
    assert sorted(AccessLog.objects.filter(view="person_export")
                  .values_list("person_id", flat=True)) == sorted([wang.pk, kim.pk])
