"""Every registry write goes through a service that leaves an audit row in the same
transaction; the logs cannot be rewritten; search finds people however they are spelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from pora.conftest import kelurahan, make_permit, make_person
from pora.core.models import AccessLog, AuditEvent, AuditLog
from pora.names.folding import search_key
from pora.registry import services
from pora.registry.models import (
    ChangeKind,
    ChangeReport,
    Person,
    Reporter,
    RuleSet,
    StayPermit,
    TravelDocument,
)
from pora.registry.selectors import SearchFilters, person_search
from pora.registry.services import changes as changes_module
from pora.registry.services import permits as permits_module
from pora.registry.services import persons as persons_module

D = dt.date


def audits_of(obj) -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
                .order_by("id"))


def refuse_audit(**kwargs):
    raise RuntimeError("audit store unavailable")


# --------------------------------------------------------------------------- persons


def test_person_create_leaves_an_audit_row_with_actor_and_values(officer, jakut):
    person = make_person(actor=officer)

    [entry] = audits_of(person)
    assert entry.event == AuditEvent.CREATE
    assert entry.actor == officer
    assert entry.actor_label == "petugas_jakut"
    assert entry.office == jakut
    assert entry.person_id == person.pk
    assert entry.changes["surname"] == [None, "WANG"]
    assert entry.changes["given_names"] == [None, "XIAOMING"]
    assert entry.changes["birth_year"] == [None, 1985]
    assert entry.changes["kelurahan"] == [None, kelurahan("Pluit").pk]
    assert entry.changes["document"] == [None, "EA1234567 (CHN)"]
    document = TravelDocument.objects.get(person=person)
    assert (document.number, document.issuing_state) == ("EA1234567", "CHN")


def test_person_in_another_offices_kelurahan_is_supervised_by_that_office(officer, jakpus):
    person = make_person(actor=officer, kelurahan_name="Gambir")
    assert person.office == jakpus
    assert audits_of(person)[0].office == jakpus


def test_person_create_rolls_back_when_the_audit_row_cannot_be_written(officer, monkeypatch):
    monkeypatch.setattr(persons_module, "audit_record", refuse_audit)
    with pytest.raises(RuntimeError):
        make_person(actor=officer)
    assert Person.objects.count() == 0
    assert TravelDocument.objects.count() == 0


def test_person_without_any_name_is_refused(officer):
    with pytest.raises(ValidationError):
        make_person(actor=officer, surname="", given_names="")
    assert Person.objects.count() == 0
    assert AuditLog.objects.count() == 0


def test_person_update_audits_before_and_after(officer, wang):
    services.person_update(actor=officer, person=wang, street="Jl. Muara Karang 9",
                           sex="M", given_names="XIAO MING")

    entry = audits_of(wang)[-1]
    assert entry.event == AuditEvent.UPDATE
    assert entry.actor == officer
    # Unchanged fields are not listed.
    assert entry.changes == {"street": ["Jl. Pluit Raya 1", "Jl. Muara Karang 9"],
                             "given_names": ["XIAOMING", "XIAO MING"]}
    wang.refresh_from_db()
    assert wang.street == "Jl. Muara Karang 9"
    # The search key follows the new spelling.
    assert wang.name_search == search_key("WANG", "XIAO MING")


def test_person_update_without_a_change_leaves_no_audit_row(officer, wang):
    before = AuditLog.objects.count()
    services.person_update(actor=officer, person=wang, street="Jl. Pluit Raya 1")
    assert AuditLog.objects.count() == before


def test_person_update_moving_kelurahan_moves_the_supervising_office(officer, wang, jakpus):
    person = services.person_update(actor=officer, person=wang, kelurahan=kelurahan("Gambir"))
    assert person.office == jakpus
    entry = audits_of(wang)[-1]
    assert entry.changes["office"] == [wang.office_id, jakpus.pk]
    assert entry.office == jakpus


def test_person_update_refuses_unknown_fields(officer, wang):
    with pytest.raises(TypeError):
        services.person_update(actor=officer, person=wang, passport="X1")


def test_person_update_rolls_back_when_the_audit_row_cannot_be_written(officer, wang,
                                                                      monkeypatch):
    monkeypatch.setattr(persons_module, "audit_record", refuse_audit)
    with pytest.raises(RuntimeError):
        services.person_update(actor=officer, person=wang, street="Jl. Lain")
    wang.refresh_from_db()
    assert wang.street == "Jl. Pluit Raya 1"


# --------------------------------------------------------------------------- permits


def test_permit_save_creates_with_an_audit_row(officer, jakut):
    person = make_person(actor=officer)
    permit = make_permit(person, actor=officer)

    [entry] = audits_of(permit)
    assert entry.event == AuditEvent.CREATE
    assert entry.actor == officer
    assert entry.person_id == person.pk
    assert entry.office == jakut
    assert entry.changes["number"] == [None, "2C11AA0000001"]
    assert entry.changes["valid_from"] == [None, "2023-06-01"]
    assert entry.changes["valid_until"] == [None, "2024-05-31"]
    assert entry.changes["person"] == [None, person.pk]
    assert permit.office == jakut
    assert permit.stay_ends_on is None


def test_permit_save_with_the_same_number_updates_instead_of_duplicating(officer, wang):
    permit, created = services.permit_save(
        actor=officer, person=wang, number=" 2c11aa0000001 ", kind="ITAS", purpose="work",
        valid_from=D(2023, 6, 1), valid_until=D(2024, 11, 30), kelurahan=wang.kelurahan,
        street=wang.street,
    )

    assert created is False
    assert StayPermit.objects.count() == 1
    assert permit.valid_until == D(2024, 11, 30)
    entry = audits_of(permit)[-1]
    assert entry.event == AuditEvent.UPDATE
    assert entry.actor == officer
    assert entry.changes == {"valid_until": ["2024-05-31", "2024-11-30"]}


def test_permit_save_with_identical_data_changes_nothing(officer, wang):
    before = AuditLog.objects.count()
    permit = wang.permits.get()
    again, created = services.permit_save(
        actor=officer, person=wang, number=permit.number, kind="ITAS", purpose="work",
        valid_from=D(2023, 6, 1), valid_until=D(2024, 5, 31), kelurahan=wang.kelurahan,
        street=wang.street,
    )
    assert (again.pk, created) == (permit.pk, False)
    assert AuditLog.objects.count() == before


def test_permit_save_refuses_a_number_belonging_to_another_person(officer, wang):
    kim = make_person(actor=officer, surname="KIM", given_names="MIN JUN", nationality="KOR",
                      passport="M12345678")
    with pytest.raises(ValidationError) as refused:
        make_permit(kim, actor=officer, number="2C11AA0000001")
    assert "number" in refused.value.message_dict
    permit = StayPermit.objects.get(number="2C11AA0000001")
    assert permit.person == wang
    assert permit.valid_until == D(2024, 5, 31)


def test_permit_save_refuses_an_end_before_the_start(officer, wang):
    with pytest.raises(ValidationError):
        make_permit(wang, actor=officer, number="2C11AA0000002", valid_from=D(2024, 6, 1),
                    valid_until=D(2024, 5, 31))
    assert StayPermit.objects.count() == 1


def test_permit_save_rolls_back_when_the_audit_row_cannot_be_written(officer, wang,
                                                                    monkeypatch):
    monkeypatch.setattr(permits_module, "audit_record", refuse_audit)
    with pytest.raises(RuntimeError):
        make_permit(wang, actor=officer, number="2C11AA0000002", valid_from=D(2024, 6, 1),
                    valid_until=D(2025, 5, 31))
    assert StayPermit.objects.count() == 1
    # Nor does the earlier permit keep a succession date for a permit that does not exist.
    assert wang.permits.get().superseded_on is None


def test_extension_supersedes_the_earlier_permit(officer, wang):
    first = wang.permits.get()
    extension = make_permit(wang, actor=officer, number="2C11AA0000002",
                            valid_from=D(2024, 6, 1), valid_until=D(2025, 5, 31))

    first.refresh_from_db()
    assert first.superseded_on == D(2024, 6, 1)
    assert first.stay_ends_on == D(2024, 6, 1)
    assert extension.superseded_on is None
    assert extension.stay_ends_on is None


def test_conversion_before_expiry_supersedes_on_its_first_day(officer, wang):
    first = wang.permits.get()
    make_permit(wang, actor=officer, number="2D11AA0000009", kind="ITAP", purpose="family",
                valid_from=D(2024, 2, 1), valid_until=D(2029, 1, 31))
    first.refresh_from_db()
    assert (first.superseded_on, first.stay_ends_on) == (D(2024, 2, 1), D(2024, 2, 1))


def test_an_earlier_permit_recorded_late_is_chained_before_the_current_one(officer, wang):
    current = wang.permits.get()
    earlier = make_permit(wang, actor=officer, number="2C11AA0000000",
                          valid_from=D(2022, 6, 1), valid_until=D(2023, 5, 31))
    current.refresh_from_db()
    assert earlier.superseded_on == D(2023, 6, 1)
    assert current.superseded_on is None


def test_departure_before_succession_ends_the_stay_on_departure(officer, wang):
    first = wang.permits.get()
    services.permit_record_departure(actor=officer, permit=first, departed_on=D(2024, 3, 1))
    make_permit(wang, actor=officer, number="2C11AA0000002", valid_from=D(2024, 6, 1),
                valid_until=D(2025, 5, 31))
    first.refresh_from_db()
    assert (first.departed_on, first.superseded_on, first.stay_ends_on) == (
        D(2024, 3, 1), D(2024, 6, 1), D(2024, 3, 1))


def test_moving_the_extension_start_moves_the_succession(officer, wang):
    first = wang.permits.get()
    make_permit(wang, actor=officer, number="2C11AA0000002", valid_from=D(2024, 6, 1),
                valid_until=D(2025, 5, 31))
    make_permit(wang, actor=officer, number="2C11AA0000002", valid_from=D(2024, 7, 1),
                valid_until=D(2025, 6, 30))
    first.refresh_from_db()
    assert first.superseded_on == D(2024, 7, 1)


def test_permit_cancel_audits_status_date_and_reason(officer, wang):
    permit = wang.permits.get()
    cancelled = services.permit_cancel(actor=officer, permit=permit, cancelled_on=D(2024, 3, 1),
                                       reason="Pasal 75: bekerja tidak sesuai izin")

    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_on == D(2024, 3, 1)
    assert cancelled.effective_until == D(2024, 2, 29)
    entry = audits_of(permit)[-1]
    assert entry.event == AuditEvent.UPDATE
    assert entry.actor == officer
    assert entry.person_id == wang.pk
    assert entry.changes == {"status": ["active", "cancelled"],
                             "cancelled_on": [None, "2024-03-01"]}
    assert entry.note == "Pasal 75: bekerja tidak sesuai izin"


def test_permit_cancel_rolls_back_when_the_audit_row_cannot_be_written(officer, wang,
                                                                      monkeypatch):
    monkeypatch.setattr(permits_module, "audit_record", refuse_audit)
    permit = wang.permits.get()
    with pytest.raises(RuntimeError):
        services.permit_cancel(actor=officer, permit=permit, cancelled_on=D(2024, 3, 1),
                               reason="x")
    permit.refresh_from_db()
    assert (permit.status, permit.cancelled_on) == ("active", None)


def test_permit_record_departure_ends_the_stay_and_is_audited(officer, wang):
    permit = wang.permits.get()
    departed = services.permit_record_departure(actor=officer, permit=permit,
                                                departed_on=D(2024, 2, 14))

    assert departed.departed_on == D(2024, 2, 14)
    assert departed.stay_ends_on == D(2024, 2, 14)
    entry = audits_of(permit)[-1]
    assert entry.event == AuditEvent.UPDATE
    assert entry.actor == officer
    assert entry.changes == {"departed_on": [None, "2024-02-14"]}


def test_departure_before_the_permit_starts_is_refused(officer, wang):
    permit = wang.permits.get()
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.permit_record_departure(actor=officer, permit=permit,
                                         departed_on=D(2023, 5, 31))
    assert "departed_on" in refused.value.message_dict
    permit.refresh_from_db()
    assert permit.departed_on is None
    assert AuditLog.objects.count() == before


# -------------------------------------------------------------------- change reports


def report(person, actor, **kwargs) -> ChangeReport:
    values = {"kind": ChangeKind.CIVIL_STATUS, "event_date": D(2024, 1, 10),
              "reported_on": D(2024, 1, 20), "reported_by": Reporter.FOREIGNER,
              "description": "Menikah"} | kwargs
    return services.change_report_create(actor=actor, person=person, **values)


def test_change_report_deadline_is_event_date_plus_60_days(officer, wang):
    created = report(wang, officer, event_date=D(2024, 1, 10), reported_on=D(2024, 1, 20))
    # Pasal 71, RuleSet.change_report_days = 60.
    assert RuleSet.objects.get().change_report_days == 60
    assert created.deadline == D(2024, 3, 10)
    assert created.days_late == 0


@pytest.mark.parametrize(
    ("reported_on", "days_late"),
    [(D(2024, 3, 10), 0), (D(2024, 3, 11), 1), (D(2024, 5, 9), 60)],
    ids=["on_the_deadline_is_on_time", "day_after_deadline_is_one_day_late",
         "sixty_days_after_deadline"],
)
def test_change_report_lateness_is_counted_from_the_deadline(officer, wang, reported_on,
                                                             days_late):
    created = report(wang, officer, event_date=D(2024, 1, 10), reported_on=reported_on)
    created.refresh_from_db()
    assert created.deadline == D(2024, 3, 10)
    assert created.days_late == days_late


def test_change_report_uses_the_rule_set_in_force_on_the_event_date(officer, wang):
    RuleSet.objects.create(valid_from=D(2024, 7, 1), legal_basis="PP 45/2024 (contoh)",
                           change_report_days=30)
    before = report(wang, officer, event_date=D(2024, 6, 30), reported_on=D(2024, 7, 5))
    after = report(wang, officer, event_date=D(2024, 7, 1), reported_on=D(2024, 7, 5))
    assert before.deadline == D(2024, 8, 29)
    assert after.deadline == D(2024, 7, 31)


def test_change_report_is_audited_with_actor_and_values(officer, wang):
    created = report(wang, officer)
    [entry] = audits_of(created)
    assert entry.event == AuditEvent.CREATE
    assert entry.actor == officer
    assert entry.person_id == wang.pk
    assert entry.changes["kind"] == [None, "civil_status"]
    assert entry.changes["event_date"] == [None, "2024-01-10"]
    assert entry.changes["deadline"] == [None, "2024-03-10"]


def test_change_report_rolls_back_when_the_audit_row_cannot_be_written(officer, wang,
                                                                      monkeypatch):
    monkeypatch.setattr(changes_module, "audit_record", refuse_audit)
    with pytest.raises(RuntimeError):
        report(wang, officer)
    assert ChangeReport.objects.count() == 0


def test_address_change_moves_the_person_and_the_current_permit(officer, wang):
    permit = wang.permits.get()
    created = report(wang, officer, kind=ChangeKind.ADDRESS, event_date=D(2024, 2, 1),
                     reported_on=D(2024, 2, 5), new_kelurahan=kelurahan("Sunter Agung"),
                     new_street="Jl. Danau Sunter 12")

    wang.refresh_from_db()
    permit.refresh_from_db()
    assert wang.kelurahan == kelurahan("Sunter Agung")
    assert wang.street == "Jl. Danau Sunter 12"
    assert permit.kelurahan == kelurahan("Sunter Agung")
    assert permit.street == "Jl. Danau Sunter 12"
    person_entry = audits_of(wang)[-1]
    assert person_entry.event == AuditEvent.UPDATE
    assert person_entry.actor == officer
    assert person_entry.changes["kelurahan"] == [kelurahan("Pluit").pk,
                                                 kelurahan("Sunter Agung").pk]
    permit_entry = audits_of(permit)[-1]
    assert permit_entry.event == AuditEvent.UPDATE
    assert permit_entry.changes == {
        "kelurahan": [kelurahan("Pluit").pk, kelurahan("Sunter Agung").pk],
        "street": ["Jl. Pluit Raya 1", "Jl. Danau Sunter 12"],
    }
    assert str(created.pk) in permit_entry.note


def test_address_change_into_another_office_hands_the_person_over(officer, wang, jakpus):
    permit = wang.permits.get()
    report(wang, officer, kind=ChangeKind.ADDRESS, event_date=D(2024, 2, 1),
           reported_on=D(2024, 2, 5), new_kelurahan=kelurahan("Gambir"),
           new_street="Jl. Medan Merdeka 1")
    wang.refresh_from_db()
    permit.refresh_from_db()
    assert wang.office == jakpus
    assert permit.office == jakpus


def test_address_change_leaves_ended_permits_alone(officer, wang):
    old = wang.permits.get()
    current = make_permit(wang, actor=officer, number="2C11AA0000002",
                          valid_from=D(2024, 6, 1), valid_until=D(2025, 5, 31))
    report(wang, officer, kind=ChangeKind.ADDRESS, event_date=D(2024, 7, 1),
           reported_on=D(2024, 7, 2), new_kelurahan=kelurahan("Ancol"))
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.kelurahan == kelurahan("Pluit")
    assert current.kelurahan == kelurahan("Ancol")


def test_employer_and_sponsor_changes_update_the_current_permit(officer, wang):
    permit = wang.permits.get()
    sponsor = services.sponsor_get_or_create(actor=officer, name="PT Maju Jaya")
    report(wang, officer, kind=ChangeKind.EMPLOYER, event_date=D(2024, 1, 2),
           reported_on=D(2024, 1, 3), new_employer="PT Maju Jaya")
    report(wang, officer, kind=ChangeKind.SPONSOR, event_date=D(2024, 1, 2),
           reported_on=D(2024, 1, 3), new_sponsor=sponsor)
    permit.refresh_from_db()
    assert permit.employer == "PT Maju Jaya"
    assert permit.sponsor == sponsor
    changes = [e.changes for e in audits_of(permit)[1:]]
    assert changes == [{"employer": ["", "PT Maju Jaya"]}, {"sponsor": [None, sponsor.pk]}]


def test_nationality_change_updates_the_person(officer, wang):
    report(wang, officer, kind=ChangeKind.NATIONALITY, new_nationality="SGP")
    wang.refresh_from_db()
    assert wang.nationality == "SGP"
    assert audits_of(wang)[-1].changes == {"nationality": ["CHN", "SGP"]}


@pytest.mark.parametrize(
    ("values", "field"),
    [({"event_date": D(2024, 1, 10), "reported_on": D(2024, 1, 9)}, "reported_on"),
     ({"reported_on": D(2999, 1, 1)}, "reported_on"),
     ({"kind": ChangeKind.ADDRESS}, "new_kelurahan"),
     ({"kind": ChangeKind.EMPLOYER}, "new_employer"),
     ({"kind": ChangeKind.SPONSOR}, "new_sponsor"),
     ({"kind": ChangeKind.NATIONALITY}, "new_nationality")],
    ids=["reported_before_it_happened", "reported_in_the_future", "address_without_kelurahan",
         "employer_without_employer", "sponsor_without_sponsor",
         "nationality_without_nationality"],
)
def test_incomplete_change_report_is_refused_and_nothing_is_written(officer, wang, values,
                                                                    field):
    before = AuditLog.objects.count()
    with pytest.raises(ValidationError) as refused:
        report(wang, officer, **values)
    assert field in refused.value.message_dict
    assert ChangeReport.objects.count() == 0
    assert AuditLog.objects.count() == before


# ------------------------------------------------------------------ immutable logs


@pytest.fixture
def access_row(officer, wang) -> AccessLog:
    return AccessLog.objects.create(user=officer, office=officer.office, person_id=wang.pk,
                                    person_label=str(wang), view="person_detail",
                                    path="/orang-asing/1/", ip_address="10.0.0.1")


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(wang):
    entry = AuditLog.objects.filter(person_id=wang.pk).first()
    entry.note = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).delete()
    # bulk_update opens its own atomic block; a savepoint keeps the test's usable.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditLog.objects.bulk_update([entry], ["note"])
    with pytest.raises(PermissionError):
        AuditLog.objects.all().delete()
    entry.refresh_from_db()
    assert entry.note == ""
    assert AuditLog.objects.filter(person_id=wang.pk).count() == 2


def test_access_rows_cannot_be_changed_or_deleted_through_the_orm(access_row):
    access_row.view = "nothing"
    with pytest.raises(PermissionError):
        access_row.save()
    with pytest.raises(PermissionError):
        access_row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=access_row.pk).update(view="nothing")
    with pytest.raises(PermissionError):
        AccessLog.objects.filter(pk=access_row.pk).delete()
    access_row.refresh_from_db()
    assert access_row.view == "person_detail"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the append-only trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "statement",
    ["UPDATE core_auditlog SET note = 'rewritten'", "DELETE FROM core_auditlog",
     "UPDATE core_accesslog SET view = 'nothing'", "DELETE FROM core_accesslog"],
    ids=["update_audit", "delete_audit", "update_access", "delete_access"],
)
def test_raw_sql_cannot_rewrite_the_logs_on_postgresql(wang, access_row, statement):
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(statement)
    assert "append-only" in str(refused.value)
    assert AuditLog.objects.filter(note="rewritten").count() == 0
    assert AuditLog.objects.filter(person_id=wang.pk).count() == 2
    assert AccessLog.objects.get().view == "person_detail"


# --------------------------------------------------------------------------- search


@pytest.fixture
def foreigners(officer, wang):
    """WANG (valid ITAS, Pluit), KIM (overstaying ITK), SMITH (departed), MÜLLER (ITAP)."""
    kim = make_person(actor=officer, surname="KIM", given_names="MIN JUN", nationality="KOR",
                      passport="M12345678", kelurahan_name="Kelapa Gading Barat", sex="F")
    make_permit(kim, actor=officer, number="1D21KR0000777", kind="ITK", purpose="tourism",
                valid_from=D(2023, 11, 1), valid_until=D(2023, 12, 30))
    smith = make_person(actor=officer, surname="SMITH", given_names="JOHN", nationality="GBR",
                        passport="123456789", kelurahan_name="Pluit")
    permit = make_permit(smith, actor=officer, number="2D31GB0000042", kind="ITAS",
                         valid_from=D(2023, 9, 1), valid_until=D(2024, 8, 31))
    services.permit_record_departure(actor=officer, permit=permit, departed_on=D(2024, 1, 15))
    muller = make_person(actor=officer, surname="MÜLLER", given_names="JÖRG",
                         nationality="DEU", passport="C01X00T47", kelurahan_name="Ancol")
    make_permit(muller, actor=officer, number="2D31DE0000001", kind="ITAP", purpose="family",
                valid_from=D(2020, 1, 1), valid_until=D(2024, 2, 20))
    old_visitor = make_person(actor=officer, surname="PETROV", given_names="IVAN",
                              nationality="RUS", passport="751234567", kelurahan_name="Ancol")
    make_permit(old_visitor, actor=officer, number="1D21RU0000001", kind="ITK",
                purpose="tourism", valid_from=D(2023, 8, 1), valid_until=D(2023, 9, 29))
    return {"wang": wang, "kim": kim, "smith": smith, "muller": muller, "petrov": old_visitor}


def found(user, **filters) -> list[int]:
    result, _scores = person_search(user, SearchFilters(**filters))
    return list(result) if isinstance(result, list) else list(result.values_list("id", flat=True))


NAME_QUERIES = [
    ("WANG XIAO MING", "wang"),
    ("Xiaoming Wang", "wang"),
    ("wang, xiaoming", "wang"),
    ("WANG XIAOMNIG", "wang"),
    ("XIAO MING", "wang"),
    ("Kim Minjun", "kim"),
    ("MIN JUN KIM", "kim"),
    ("Muller Jorg", "muller"),
    ("MUELLER JOERG", "muller"),
    ("SMTIH JOHN", "smith"),
]


@pytest.mark.parametrize(("query", "who"), NAME_QUERIES, ids=[q for q, _w in NAME_QUERIES])
def test_name_search_finds_the_person_first(officer, foreigners, query, who):
    ids = found(officer, q=query)
    assert ids, f"{query!r} found nobody"
    assert ids[0] == foreigners[who].pk


def test_name_typed_with_umlauts_finds_the_mrz_spelling(officer):
    stored = make_person(actor=officer, surname="SCHRÖDER", given_names="KLAUS",
                         nationality="DEU", passport="C22X00T47")
    from_mrz = make_person(actor=officer, surname="BAUER", given_names="JUERGEN",
                           nationality="DEU", passport="C33X00T47")
    assert found(officer, q="SCHROEDER KLAUS") == [stored.pk]
    assert found(officer, q="Jürgen Bauer")[0] == from_mrz.pk


def test_name_search_does_not_return_unrelated_people(officer, foreigners):
    assert foreigners["wang"].pk not in found(officer, q="PETROV IVAN")
    assert found(officer, q="ZZYZX QWERTY") == []


@pytest.mark.parametrize("query", ["EA1234567", "ea 123 4567", "123456789"],
                         ids=["exact", "lower_case_with_spaces", "digits_only"])
def test_passport_number_finds_exactly_its_holder(officer, foreigners, query):
    holder = foreigners["smith"] if query == "123456789" else foreigners["wang"]
    result, scores = person_search(officer, SearchFilters(q=query))
    assert list(result) == [holder.pk]
    assert scores == {holder.pk: 100.0}


@pytest.mark.parametrize("query", ["1D21KR0000777", "1d21kr0000777", " 1D21 KR00 00777 "],
                         ids=["exact", "lower_case", "with_spaces"])
def test_permit_number_finds_its_holder(officer, foreigners, query):
    result, scores = person_search(officer, SearchFilters(q=query))
    assert list(result) == [foreigners["kim"].pk]
    assert scores == {foreigners["kim"].pk: 100.0}


def test_a_permit_number_of_another_office_finds_nobody(other_officer, foreigners):
    assert found(other_officer, q="1D21KR0000777") == []


@pytest.mark.parametrize(("query", "who"), [
    ("EA1234", "wang"), ("ea12 34", "wang"), ("X00T", "muller"), ("01X00T47", "muller"),
    ("m1234", "kim"),
], ids=["start", "lower_case_with_spaces", "middle", "end", "lower_case"])
def test_part_of_a_passport_number_finds_its_holder(officer, foreigners, query, who):
    result, _scores = person_search(officer, SearchFilters(q=query))
    assert list(result) == [foreigners[who].pk]


def test_a_part_of_a_passport_number_finds_every_holder_and_no_one_else(officer, foreigners):
    # "1234" is in the passports of WANG (EA1234567), KIM (M12345678), SMITH (123456789)
    # and PETROV (751234567), not in MÜLLER's (C01X00T47).
    assert set(found(officer, q="1234")) == {foreigners[w].pk for w in
                                             ("wang", "kim", "smith", "petrov")}


def test_three_characters_of_a_passport_number_are_too_few(officer, foreigners):
    assert found(officer, q="X00") == []


def test_filter_by_nationality(officer, foreigners):
    assert found(officer, nationality="KOR") == [foreigners["kim"].pk]
    assert found(officer, nationality="CHN", q="wang") == [foreigners["wang"].pk]
    assert found(officer, nationality="KOR", q="WANG XIAOMING") == []


def test_filter_by_kelurahan(officer, foreigners):
    ancol = kelurahan("Ancol").pk
    assert set(found(officer, kelurahan=ancol)) == {foreigners["muller"].pk,
                                                    foreigners["petrov"].pk}
    assert set(found(officer, kelurahan=kelurahan("Pluit").pk)) == {foreigners["wang"].pk,
                                                                   foreigners["smith"].pk}


STANDING_FILTERS = [
    # (filters, who is found on 1 February 2024)
    ({"kind": "ITAS"}, {"wang"}),
    ({"kind": "ITAP"}, {"muller"}),
    ({"kind": "ITK"}, {"kim", "petrov"}),
    ({"standing": "valid"}, {"wang", "muller"}),
    ({"standing": "expiring"}, {"muller"}),
    ({"standing": "overstay"}, {"kim", "petrov"}),
    ({"standing": "overstay_deport"}, {"petrov"}),
    ({"standing": "departed"}, {"smith"}),
    ({"kind": "ITK", "standing": "overstay_deport"}, {"petrov"}),
    ({"kind": "ITAS", "standing": "overstay"}, set()),
]


@pytest.mark.parametrize(("filters", "expected"), STANDING_FILTERS,
                         ids=["-".join(f"{k}={v}" for k, v in f.items()) for f, _e in
                              STANDING_FILTERS])
def test_filter_by_kind_and_standing_on_a_date(officer, foreigners, filters, expected):
    ids = found(officer, on=D(2024, 2, 1), **filters)
    assert set(ids) == {foreigners[name].pk for name in expected}
    assert len(ids) == len(set(ids))


def test_standing_filter_follows_the_date(officer, foreigners):
    # On 1 December 2023 KIM's visit was still valid and SMITH had not left.
    on = D(2023, 12, 1)
    assert set(found(officer, on=on, standing="expiring")) == {foreigners["kim"].pk}
    assert foreigners["smith"].pk in found(officer, on=on, standing="valid")
    assert found(officer, on=on, standing="departed") == []


def test_officer_of_another_office_finds_nothing(other_officer, foreigners):
    assert found(other_officer, q="WANG XIAOMING") == []
    assert found(other_officer, q="EA1234567") == []
    assert found(other_officer) == []
    assert found(other_officer, standing="overstay", on=D(2024, 2, 1)) == []


def test_roles_without_personal_data_find_nothing(analyst, police_partner, foreigners):
    assert found(analyst, q="WANG") == []
    assert found(police_partner, q="EA1234567") == []


def test_officer_records_a_departure_from_the_person_page(as_officer, wang, officer):
    from django.urls import reverse

    from pora.core.models import AuditEvent, AuditLog
    from pora.registry.rules import Standing, person_standing
    from pora.registry.selectors import rules_on

    permit = wang.permits.get()
    response = as_officer.post(reverse("registry:permit_departure", args=[permit.pk]),
                               {"departed_on": "2024-02-10"})
    assert response.status_code == 302
    permit.refresh_from_db()
    assert permit.departed_on == dt.date(2024, 2, 10)
    assert permit.stay_ends_on == dt.date(2024, 2, 10)
    on = dt.date(2024, 3, 1)
    assert person_standing([permit], on, rules_on(on)).standing == Standing.DEPARTED
    audit = AuditLog.objects.filter(event=AuditEvent.UPDATE, object_id=str(permit.pk)).latest("id")
    assert audit.changes["departed_on"] == [None, "2024-02-10"]
    assert audit.actor == officer


def test_a_departure_in_the_future_is_refused_and_nothing_changes(as_officer, wang):
    from django.urls import reverse

    permit = wang.permits.get()
    as_officer.post(reverse("registry:permit_departure", args=[permit.pk]),
                    {"departed_on": "2099-01-01"})
    permit.refresh_from_db()
    assert permit.departed_on is None


def test_officer_adds_a_photo_served_only_through_the_logged_view(as_officer, wang, officer,
                                                                  other_officer, settings,
                                                                  tmp_path):
    from django.urls import reverse

    from pora.conftest import login
    from pora.core.models import AccessLog
    from pora.core.tests.test_access_matrix import png_upload

    settings.MEDIA_ROOT = tmp_path
    response = as_officer.post(reverse("registry:person_photo_upload", args=[wang.pk]),
                               {"photo": png_upload()})
    assert response.status_code == 302
    wang.refresh_from_db()
    assert wang.photo.name.startswith("persons/")
    photo = as_officer.get(reverse("registry:person_photo", args=[wang.pk]))
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")
    assert AccessLog.objects.filter(person_id=wang.pk, view="person_photo").exists()
    assert login(other_officer).get(
        reverse("registry:person_photo", args=[wang.pk])).status_code == 404


def test_a_file_that_is_not_an_image_is_refused_as_photo(as_officer, wang):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    fake = SimpleUploadedFile("foto.png", b"not an image", content_type="image/png")
    as_officer.post(reverse("registry:person_photo_upload", args=[wang.pk]), {"photo": fake})
    wang.refresh_from_db()
    assert not wang.photo


def test_a_renamed_person_is_found_by_the_new_name_only(officer, wang):
    from pora.registry.models import NameWord
    from pora.registry.selectors import SearchFilters, person_search

    before = NameWord.objects.get(word="xiaoming").persons
    services.person_update(actor=officer, person=wang, given_names="XIAOHONG")
    found, _scores = person_search(officer, SearchFilters(q="Wang Xiaohong"))
    assert found == [wang.pk]
    old, _scores = person_search(officer, SearchFilters(q="Wang Xiaoming"))
    assert wang.pk not in old[:1] or _scores[wang.pk] < 100
    assert NameWord.objects.get(word="xiaoming").persons == before - 1


def _big_png(width: int, height: int) -> bytes:
    """A one-bit PNG: 169 megapixels take 21 MB to draw and a few hundred KB as a file."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_photo_with_too_many_pixels_is_refused_and_nothing_is_stored(
        as_officer, wang, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    data = _big_png(13_000, 13_000)
    assert len(data) < 5 * 1024 * 1024
    as_officer.post(reverse("registry:person_photo_upload", args=[wang.pk]),
                    {"photo": SimpleUploadedFile("foto.png", data, content_type="image/png")})
    wang.refresh_from_db()
    assert not wang.photo
    assert not list(tmp_path.rglob("*.png"))


def test_a_large_photo_is_stored_as_a_resized_copy_without_its_metadata(officer, wang, settings,
                                                                        tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from pora.core.images import PHOTO_SIDE
    from pora.registry.services import person_update

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (4000, 3000), "navy").save(buffer, format="JPEG", exif=exif)
    person_update(actor=officer, person=wang,
                  photo=SimpleUploadedFile("foto.jpg", buffer.getvalue(),
                                           content_type="image/jpeg"))
    wang.refresh_from_db()
    with wang.photo.open("rb") as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (PHOTO_SIDE, PHOTO_SIDE * 3 // 4)
        assert not stored.getexif()
