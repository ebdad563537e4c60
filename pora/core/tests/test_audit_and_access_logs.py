"""Every read of a person's data leaves an access row; the head of office reads both logs.

UU 27/2022 (PDP) Pasal 31: record all processing. The logs are append-only: not even the
application may rewrite who read or changed what.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pora.conftest import login, make_permit, make_person
from pora.core.models import AccessLog, AuditEvent, AuditLog
from pora.lodging.linking import Guest
from pora.lodging.models import Source
from pora.lodging.services.reporters import token_create
from pora.lodging.services.stays import StayDetails, check_in
from pora.registry import services


@pytest.fixture
def sponsor(officer):
    return services.sponsor_get_or_create(actor=officer, name="PT Samudra Logistik Nusantara")


@pytest.fixture
def wang(officer, sponsor):
    person = make_person(actor=officer)
    make_permit(person, actor=officer, sponsor=sponsor)
    return person


@pytest.fixture
def kim(officer, sponsor):
    """A second foreigner of Jakarta Utara, a Korean worker in Sunter Jaya."""
    person = make_person(actor=officer, surname="KIM", given_names="MINJUN", nationality="KOR",
                         passport="M12345678", kelurahan_name="Sunter Jaya")
    make_permit(person, actor=officer, number="2C11AA0000002", sponsor=sponsor)
    return person


@pytest.fixture
def pusat_person(other_officer, jakpus):
    """A foreigner of Jakarta Pusat, read by its own officer."""
    return make_person(actor=other_officer, office=jakpus, surname="SMITH",
                       given_names="JOHN", nationality="GBR", passport="123456789",
                       kelurahan_name="Gambir")


def access_rows(user, view):
    return list(AccessLog.objects.filter(user=user, view=view).order_by("id"))


# ------------------------------------------------------------------- access rows written


def test_viewing_a_person_page_writes_an_access_row(officer, wang):
    url = reverse("registry:person_detail", args=[wang.pk])
    assert login(officer).get(url).status_code == 200
    [row] = access_rows(officer, "person_detail")
    assert (row.person_id, row.person_label, row.path) == (wang.pk, "WANG, XIAOMING", url)
    assert row.office_id == officer.office_id
    assert row.ip_address == "127.0.0.1"


def test_the_access_row_keeps_the_client_address(officer, wang):
    url = reverse("registry:person_detail", args=[wang.pk])
    login(officer).get(url, REMOTE_ADDR="10.20.30.40")
    assert access_rows(officer, "person_detail")[0].ip_address == "10.20.30.40"


def test_the_person_list_writes_one_row_per_person_shown(officer, wang, kim):
    response = login(officer).get(reverse("registry:person_list"), {"nationality": "CHN"})
    assert response.status_code == 200
    rows = access_rows(officer, "person_list")
    assert [r.person_id for r in rows] == [wang.pk]
    assert rows[0].path == reverse("registry:person_list") + "?nationality=CHN"


def test_the_person_list_without_results_writes_nothing(officer, wang):
    login(officer).get(reverse("registry:person_list"), {"q": "ZZYZX QWERTY"})
    assert access_rows(officer, "person_list") == []


def test_the_sponsor_page_logs_each_foreigner_it_shows(officer, sponsor, wang, kim):
    url = reverse("registry:sponsor_detail", args=[sponsor.pk])
    assert login(officer).get(url).status_code == 200
    assert {r.person_id for r in access_rows(officer, "sponsor_detail")} == {wang.pk, kim.pk}


def test_an_xlsx_export_logs_every_exported_person(officer, wang, kim):
    response = login(officer).get(reverse("registry:person_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(exported) == ["KIM", "WANG"]
    rows = access_rows(officer, "person_export")
    assert {r.person_id for r in rows} == {wang.pk, kim.pk}
    assert all(r.path.endswith("?export=xlsx") for r in rows)


def test_the_api_person_endpoint_writes_an_access_row(officer, wang):
    response = login(officer).get(f"/api/v1/persons/{wang.pk}")
    assert response.status_code == 200
    [row] = access_rows(officer, "api_person")
    assert (row.person_id, row.path, row.ip_address) == (
        wang.pk, f"/api/v1/persons/{wang.pk}", "127.0.0.1")


def test_the_api_search_logs_the_persons_it_returns(officer, wang, kim):
    login(officer).get("/api/v1/persons", {"q": "KIM MINJUN"})
    assert [r.person_id for r in access_rows(officer, "api_persons")] == [kim.pk]


def test_a_refused_read_writes_no_access_row(other_officer, wang):
    assert login(other_officer).get(
        reverse("registry:person_detail", args=[wang.pk])).status_code == 404
    assert login(other_officer).get(f"/api/v1/persons/{wang.pk}").status_code == 404
    assert not AccessLog.objects.filter(person_id=wang.pk).exists()


# ------------------------------------------------------------------ the head reads the logs


@pytest.fixture
def reads(officer, head, other_officer, wang, kim, pusat_person):
    """Officer reads Wang and Kim, the head reads Wang, Jakarta Pusat reads its own person."""
    login(officer).get(reverse("registry:person_detail", args=[wang.pk]))
    login(officer).get(reverse("registry:person_detail", args=[kim.pk]))
    login(head).get(reverse("registry:person_detail", args=[wang.pk]))
    login(other_officer).get(reverse("registry:person_detail", args=[pusat_person.pk]))
    assert AccessLog.objects.count() == 4


def shown(response):
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_head_sees_only_their_office_in_the_access_log(head, reads, pusat_person):
    rows = shown(login(head).get(reverse("core:access_log")))
    assert len(rows) == 3
    assert {r.office_id for r in rows} == {head.office_id}
    assert pusat_person.pk not in {r.person_id for r in rows}


def test_head_filters_the_access_log_by_person(head, officer, reads, wang):
    rows = shown(login(head).get(reverse("core:access_log"), {"person": wang.pk}))
    assert sorted(r.user.username for r in rows) == ["kepala_jakut", "petugas_jakut"]
    assert {r.person_id for r in rows} == {wang.pk}


def test_head_filters_the_access_log_by_user(head, officer, reads, wang, kim):
    rows = shown(login(head).get(reverse("core:access_log"), {"user": officer.username}))
    assert sorted(r.person_id for r in rows) == sorted([wang.pk, kim.pk])
    assert {r.user_id for r in rows} == {officer.pk}


def test_head_cannot_find_another_offices_reads_by_filtering(head, other_officer, reads,
                                                            pusat_person):
    client = login(head)
    assert shown(client.get(reverse("core:access_log"), {"person": pusat_person.pk})) == []
    assert shown(client.get(reverse("core:access_log"), {"user": other_officer.username})) == []


def test_head_filters_the_audit_log_by_person(head, officer, wang, kim):
    rows = shown(login(head).get(reverse("core:audit_log"), {"person": kim.pk}))
    assert rows, "creating Kim left audit rows"
    assert {r.person_id for r in rows} == {kim.pk}
    assert {r.event for r in rows} == {AuditEvent.CREATE}
    assert {r.object_type for r in rows} >= {"registry.Person", "registry.StayPermit"}


def test_head_filters_the_audit_log_by_user(head, officer, other_officer, wang,
                                            pusat_person):
    client = login(head)
    rows = shown(client.get(reverse("core:audit_log"), {"user": officer.username}))
    assert rows and {r.actor_id for r in rows} == {officer.pk}
    assert shown(client.get(reverse("core:audit_log"), {"user": other_officer.username})) == []


def test_head_sees_only_their_office_in_the_audit_log(head, wang, pusat_person):
    rows = shown(login(head).get(reverse("core:audit_log")))
    assert rows
    assert {r.office_id for r in rows} == {head.office_id}
    assert pusat_person.pk not in {r.person_id for r in rows}
    assert AuditLog.objects.filter(person_id=pusat_person.pk).exists()


def test_the_access_log_page_shows_who_read_whom(head, reads, wang):
    page = login(head).get(reverse("core:access_log"), {"person": wang.pk}).content.decode()
    assert "WANG, XIAOMING" in page
    assert "petugas_jakut" in page and "kepala_jakut" in page


def _reported_guest(hotel):
    stay, _created = check_in(
        lodging=hotel, source=Source.TYPED, actor=None,
        guest=Guest(surname="KIM", given_names="MINJUN", nationality="KOR", sex="M",
                    document_number="M12345678", issuing_state="KOR", birth_year=1979),
        details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=1), room="1"))
    return stay


def test_a_lodgings_reads_reach_the_head_of_its_office(head, hotel_operator, hotel):
    """Lodging staff belong to no office: what they (or their software) are shown of their
    guests is logged for the head of the lodging's office, naming who read it."""
    stay = _reported_guest(hotel)
    login(hotel_operator).get(reverse("lodging:stay", args=[stay.pk]))
    _token, raw = token_create(actor=hotel_operator, lodging=hotel, label="PMS")
    Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/guests")
    rows = shown(login(head).get(reverse("core:access_log"), {"person": stay.person_id}))
    assert [r.view for r in rows] == ["api_lodging_guests", "lodging_stay"]
    assert [r.reader_label for r in rows] == [f"API token {raw[:12]}… (Hotel Pluit Bay)",
                                              "hotel_pluit"]
    page = login(head).get(reverse("core:access_log"), {"person": stay.person_id})
    assert f"API token {raw[:12]}… (Hotel Pluit Bay)" in page.content.decode()
    export = login(head).get(reverse("core:access_log"),
                             {"person": stay.person_id, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        f"API token {raw[:12]}… (Hotel Pluit Bay)", "hotel_pluit"]
    # The head picks the token as any user, to see what it read.
    token_label = f"API token {raw[:12]}… (Hotel Pluit Bay)"
    by_token = login(head).get(reverse("core:access_log"), {"user": token_label})
    # Offered besides the office's users: the token, and the lodging's staff.
    assert {token_label, "hotel_pluit"} <= set(by_token.context["users"])
    assert [r.view for r in shown(by_token)] == ["api_lodging_guests"]
    assert [r.view for r in shown(login(head).get(reverse("core:access_log"),
                                                  {"user": "hotel_pluit"}))] == ["lodging_stay"]


def test_rows_numbering_an_import_are_not_a_persons_history(head, officer, wang):
    """A rejected-rows download is numbered by its import: filtering by a person with the
    same number does not list it, and the page does not link it as a person."""
    login(officer).get(reverse("registry:person_detail", args=[wang.pk]))
    AccessLog.objects.create(user=officer, reader=officer.username, office=officer.office,
                             person_id=wang.pk, person_label="izin.csv (3)",
                             view="permit_import_rejected", path="/x")
    response = login(head).get(reverse("core:access_log"), {"person": wang.pk})
    assert [r.view for r in shown(response)] == ["person_detail"]
    page = login(head).get(reverse("core:access_log")).content.decode()
    assert "izin.csv (3)" in page
    assert f'<a href="?person={wang.pk}">izin.csv (3)</a>' not in page
    assert f'<a href="?person={wang.pk}">WANG, XIAOMING</a>' in page


def test_officer_who_is_not_head_gets_403_for_both_logs(officer, reads):
    client = login(officer)
    assert client.get(reverse("core:access_log")).status_code == 403
    assert client.get(reverse("core:audit_log")).status_code == 403
    assert client.get(reverse("core:access_log"), {"user": officer.username}).status_code == 403


# ----------------------------------------------------------------------- append-only rows


@pytest.fixture
def logged(officer, wang):
    login(officer).get(reverse("registry:person_detail", args=[wang.pk]))
    return AccessLog.objects.get(view="person_detail"), AuditLog.objects.filter(
        person_id=wang.pk).first()


def refused(attempt) -> None:
    """``attempt`` raises PermissionError; its own savepoint keeps the test's transaction usable."""
    with pytest.raises(PermissionError), transaction.atomic():
        attempt()


@pytest.mark.parametrize("model_index", [0, 1], ids=["access_log", "audit_log"])
def test_a_log_row_cannot_be_changed_or_deleted_through_the_orm(logged, model_index):
    row = logged[model_index]
    model = type(row)
    field = "path" if model is AccessLog else "note"
    original = getattr(row, field)
    queryset = model.objects.filter(pk=row.pk)
    refused(lambda: queryset.update(**{field: "/tampered"}))
    refused(lambda: queryset.delete())
    refused(lambda: model.objects.all().delete())
    refused(row.delete)
    setattr(row, field, "/tampered")
    refused(row.save)
    refused(lambda: row.save(update_fields=[field]))
    refused(lambda: model.objects.bulk_update([row], [field]))
    refused(lambda: model.objects.update_or_create(pk=row.pk, defaults={field: "/tampered"}))
    assert getattr(model.objects.get(pk=row.pk), field) == original
    assert model.objects.filter(pk=row.pk).exists()


def test_a_log_row_cannot_be_overwritten_by_a_new_object_with_its_id(officer, logged):
    row = logged[0]
    forged = AccessLog(pk=row.pk, at=row.at, user=officer, office_id=row.office_id,
                       person_id=row.person_id, person_label="SOMEONE ELSE", view="forged",
                       path="/forged", ip_address=row.ip_address)
    refused(forged.save)
    assert AccessLog.objects.get(pk=row.pk).view == "person_detail"


def test_postgres_refuses_to_rewrite_a_log_row_even_in_raw_sql(logged):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    row = logged[0]
    for sql in ("UPDATE core_accesslog SET path = '/tampered' WHERE id = %s",
                "DELETE FROM core_accesslog WHERE id = %s"):
        with (pytest.raises(DatabaseError, match="append-only"), transaction.atomic(),
              connection.cursor() as cursor):
            cursor.execute(sql, [row.pk])
    assert AccessLog.objects.get(pk=row.pk).path == row.path
