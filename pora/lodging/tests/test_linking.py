"""Which registered foreigner a reported guest is, and what the link rests on.

The registry holds WANG XIAOMING (CHN, born 21 March 1985, male, passport EA1234567).
:func:`find_link` links by the same document with nationality and birth date first, then
by a similar name with the same birth date and nationality, else records a new foreigner.
Through :func:`check_in` the link's facts reach the stay, a name link teaches the registry
the passport the guest showed, and an officer may correct the link.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from pora.conftest import make_person
from pora.core.models import AuditEvent, AuditLog
from pora.lodging.linking import Guest, explain_link, find_link
from pora.lodging.models import LinkMethod, Source, Stay
from pora.lodging.services.stays import StayDetails, check_in, stay_relink
from pora.registry.models import Person, TravelDocument


def guest(**changes) -> Guest:
    values = {"surname": "WANG", "given_names": "XIAOMING", "nationality": "CHN",
              "document_number": "EA1234567", "issuing_state": "CHN", "sex": "M",
              "birth_year": 1985, "birth_month": 3, "birth_day": 21}
    return Guest(**{**values, **changes})


@pytest.fixture
def person(officer):
    return make_person(actor=officer)


# ---------------------------------------------------------------------------- find_link


@pytest.mark.parametrize(("changes", "method"), [
    pytest.param({}, "document", id="document-nationality-birth"),
    pytest.param({"surname": "WONG", "given_names": "HSIAO MING"}, "document",
                 id="document-wins-over-a-differently-spelt-name"),
    pytest.param({"birth_month": None, "birth_day": None}, "document",
                 id="document-with-birth-year-only"),
    pytest.param({"document_number": "EB0000001", "surname": "WANG",
                  "given_names": "XIAOMNG"}, "name", id="name-typo"),
    pytest.param({"document_number": "EB0000001", "surname": "XIAOMING",
                  "given_names": "WANG"}, "name", id="name-order-swapped"),
    pytest.param({"document_number": "EB0000001", "given_names": "XIAO MING"}, "name",
                 id="name-split-differently"),
    pytest.param({"document_number": "EB0000001", "birth_month": None, "birth_day": None},
                 "name", id="name-guest-birth-year-only"),
    pytest.param({"document_number": "EB0000001", "sex": "X"}, "name",
                 id="name-guest-sex-unknown"),
    pytest.param({"document_number": "EB0000001", "birth_day": 22}, "new",
                 id="same-name-other-birth-day"),
    pytest.param({"document_number": "EB0000001", "birth_year": 1986}, "new",
                 id="same-name-other-birth-year"),
    pytest.param({"document_number": "EB0000001", "birth_year": None, "birth_month": None,
                  "birth_day": None}, "new", id="same-name-no-birth-date"),
    pytest.param({"document_number": "EB0000001", "nationality": "TWN"}, "new",
                 id="same-name-other-nationality"),
    pytest.param({"document_number": "EB0000001", "sex": "F"}, "new", id="sex-mismatch"),
    pytest.param({"document_number": "EB0000001", "surname": "LI", "given_names": "MEI"},
                 "new", id="other-name-same-birth"),
])
def test_find_link(person, changes, method):
    link = find_link(guest(**changes))
    assert link.method == method
    if method == "new":
        assert link.person is None
    else:
        assert link.person == person
    if method == "document":
        assert link.facts == {"document": "EA1234567 (CHN)"}
    if method == "name":
        assert link.facts["conflicts"] == []
        assert 88 <= link.facts["score"] <= 100


def test_same_document_other_birth_is_not_a_document_link_and_lists_the_conflict(person):
    link = find_link(guest(birth_year=1990))
    assert link.method == "new" and link.person is None
    assert link.facts == {"conflicts": [person.pk]}


def test_same_document_other_nationality_is_a_conflict(person):
    link = find_link(guest(nationality="HKG"))
    assert (link.method, link.facts["conflicts"]) == ("new", [person.pk])


def test_conflicting_person_is_not_linked_by_name_either(person):
    """Same document, same name, other birth date: the document's holder is excluded."""
    link = find_link(guest(birth_day=1))
    assert link.method == "new"
    assert link.facts["conflicts"] == [person.pk]


def test_name_link_still_reports_the_conflict(officer, person):
    """The document belongs to someone else; a same-named twin record is found by name."""
    twin = make_person(actor=officer, passport="EC7654321", birth=(1990, 1, 1))
    link = find_link(guest(birth_year=1990, birth_month=1, birth_day=1))
    assert link.method == "name" and link.person == twin
    assert link.facts["conflicts"] == [person.pk]


def test_registry_birth_year_only_and_full_guest_date_link_by_document(officer):
    someone = make_person(actor=officer, birth=(1985, None, None))
    assert find_link(guest()).person == someone


def test_registry_birth_year_only_and_full_guest_date_link_by_name(officer):
    """_birth_agrees accepts a year-only record for a guest with a full date ("equal on
    every part both sides know"), so the name rule should find it too; the candidate query
    filters month and day strictly and drops the person before _birth_agrees sees it."""
    someone = make_person(actor=officer, birth=(1985, None, None))
    link = find_link(guest(document_number="EB0000001"))
    assert (link.method, link.person) == ("name", someone)


def test_best_name_wins_and_ties_go_to_the_oldest_record(officer, person):
    make_person(actor=officer, passport="EC1", given_names="XIAOMEI")
    same = make_person(actor=officer, passport="EC2")
    link = find_link(guest(document_number="EB0000001"))
    assert link.method == "name"
    assert link.person == person and person.pk < same.pk


def test_name_threshold_from_settings(person):
    typo = guest(document_number="EB0000001", given_names="XIAOMNG")
    with override_settings(PORA_LINK_NAME_MIN=100):
        assert find_link(typo).method == "new"
        assert find_link(guest(document_number="EB0000001")).method == "name"
    short = guest(document_number="EB0000001", given_names="MING")  # about 83% similar
    assert find_link(short).method == "new"
    with override_settings(PORA_LINK_NAME_MIN=80):
        assert find_link(short).person == person
    assert find_link(typo).method == "name"


@pytest.mark.parametrize(("method", "facts", "shown"), [
    pytest.param("document", {"document": "EA1234567 (CHN)"}, ["EA1234567 (CHN)"],
                 id="document"),
    pytest.param("name", {"score": 96.7, "conflicts": []}, ["96.7"], id="name"),
    pytest.param("name", {"score": 96.7, "conflicts": [12, 14]}, ["96.7", "12, 14"],
                 id="name-with-conflicts"),
    pytest.param("new", {"conflicts": [12]}, ["12"], id="new-with-conflict"),
    pytest.param("officer", {"officer": "petugas_jakut", "previous": 3}, ["petugas_jakut"],
                 id="officer"),
])
@pytest.mark.parametrize("language", ["en", "id"])
def test_explain_link(method, facts, shown, language):
    with translation.override(language):
        text = explain_link(method, facts)
    for value in shown:
        assert value in text, (value, text)


# -------------------------------------------------------------------- through check_in


def report(hotel, g: Guest, *, at: dt.datetime | None = None, actor=None):
    at = at or timezone.now() - dt.timedelta(hours=2)
    return check_in(lodging=hotel, guest=g, source=Source.TYPED, actor=actor,
                    details=StayDetails(checked_in_at=at, room="101"))


def test_check_in_links_by_document_and_explains_why(hotel, hotel_operator, person):
    stay, created = report(hotel, guest(), actor=hotel_operator)
    assert created and stay.person == person
    assert stay.link_method == LinkMethod.DOCUMENT
    assert stay.link_facts == {"document": "EA1234567 (CHN)"}
    with translation.override("en"):
        assert stay.link_explanation == ("Same travel document EA1234567 (CHN), nationality "
                                         "and birth date.")


def test_check_in_with_a_conflicting_document_creates_a_new_person_without_the_document(
        hotel, person):
    persons = Person.objects.count()
    stay, created = report(hotel, guest(birth_year=1990))
    assert created and stay.link_method == LinkMethod.NEW
    assert Person.objects.count() == persons + 1
    assert stay.person != person
    assert stay.link_facts == {"conflicts": [person.pk]}
    # The document stays with its holder; the new record has none, the stay keeps it.
    assert list(TravelDocument.objects.filter(number="EA1234567").values_list(
        "person_id", flat=True)) == [person.pk]
    assert not stay.person.documents.exists()
    assert stay.document_number == "EA1234567"
    assert (stay.person.birth_year, stay.person.surname) == (1990, "WANG")
    with translation.override("en"):
        assert str(person.pk) in stay.link_explanation
        assert "new foreigner" in stay.link_explanation


def test_check_in_of_an_unknown_guest_records_a_new_person_with_the_passport(hotel):
    stay, _created = report(hotel, guest(surname="MÜLLER", given_names="anna", nationality="DEU",
                                         document_number="c01x00t47", issuing_state="D"))
    assert stay.link_method == LinkMethod.NEW and stay.link_facts == {"conflicts": []}
    person = stay.person
    assert (person.nationality, person.office_id) == ("DEU", hotel.office_id)
    assert list(person.documents.values_list("number", "issuing_state")) == [
        ("C01X00T47", "DEU")]
    assert person.kelurahan == hotel.kelurahan


def test_name_link_adds_the_guests_passport_to_the_person_and_audits_it(hotel, hotel_operator,
                                                                         person):
    stay, _created = report(hotel, guest(document_number="EB0000001", given_names="XIAOMNG",
                                         document_expiry=dt.date(2033, 1, 1)),
                            actor=hotel_operator)
    assert stay.person == person and stay.link_method == LinkMethod.NAME
    assert stay.link_facts["conflicts"] == []
    document = TravelDocument.objects.get(number="EB0000001")
    assert (document.person, document.issuing_state, document.expiry_date) == (
        person, "CHN", dt.date(2033, 1, 1))
    entry = AuditLog.objects.get(note="document from lodging report")
    assert (entry.event, entry.person_id, entry.actor) == (AuditEvent.UPDATE, person.pk,
                                                           hotel_operator)
    assert entry.changes == {"document": [None, "EB0000001 (CHN)"]}
    with translation.override("en"):
        assert "similar" in stay.link_explanation
    # The next report with that passport links by document.
    again, created = report(hotel, guest(document_number="EB0000001"),
                            at=timezone.now() - dt.timedelta(hours=1))
    assert created and again.link_method == LinkMethod.DOCUMENT and again.person == person


def test_name_link_with_a_conflict_does_not_move_the_document(officer, hotel, person):
    twin = make_person(actor=officer, passport="EC7654321", birth=(1990, 1, 1))
    stay, _created = report(hotel, guest(birth_year=1990, birth_month=1, birth_day=1))
    assert (stay.person, stay.link_method) == (twin, LinkMethod.NAME)
    assert TravelDocument.objects.get(number="EA1234567").person == person
    assert list(twin.documents.values_list("number", flat=True)) == ["EC7654321"]


# -------------------------------------------------------------------------- relinking


@pytest.fixture
def linked_stay(hotel, person):
    stay, _created = report(hotel, guest(document_number="EB0000001"))
    assert stay.link_method == LinkMethod.NAME
    return stay


def test_officer_relinks_a_stay_to_another_person(officer, linked_stay, person,
                                                  django_capture_on_commit_callbacks):
    other = make_person(actor=officer, given_names="XIAOMIN", passport="EC1111111")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stay = stay_relink(actor=officer, stay=linked_stay, person=other)
    assert len(callbacks) == 1  # the rules run again for the corrected person
    stay.refresh_from_db()
    assert stay.person == other
    assert stay.link_method == LinkMethod.OFFICER
    assert stay.link_facts == {"officer": "petugas_jakut", "previous": person.pk}
    entry = AuditLog.objects.filter(object_type__icontains="stay",
                                    object_id=str(stay.pk)).order_by("-id").first()
    assert entry.event == AuditEvent.UPDATE and entry.actor == officer
    assert entry.changes == {"person": [person.pk, other.pk]}
    assert entry.person_id == other.pk
    with translation.override("en"):
        assert "petugas_jakut" in stay.link_explanation


def test_officer_relinks_a_stay_to_a_new_person(officer, linked_stay, person,
                                                django_capture_on_commit_callbacks):
    persons = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        stay = stay_relink(actor=officer, stay=linked_stay, person=None)
    stay.refresh_from_db()
    assert Person.objects.count() == persons + 1
    new = stay.person
    assert new != person
    assert (new.surname, new.given_names, new.nationality, new.birth_year) == (
        "WANG", "XIAOMING", "CHN", 1985)
    assert stay.link_method == LinkMethod.OFFICER
    assert stay.link_facts == {"officer": "petugas_jakut", "previous": person.pk}
    # The passport learnt from the name link stays where it is until an officer moves it.
    assert AuditLog.objects.filter(actor=officer, event=AuditEvent.UPDATE,
                                   object_id=str(stay.pk),
                                   changes={"person": [person.pk, new.pk]}).exists()


def test_relink_to_the_same_person_changes_nothing(officer, linked_stay, person):
    entries = AuditLog.objects.count()
    stay = stay_relink(actor=officer, stay=linked_stay, person=person)
    assert stay.link_method == LinkMethod.NAME
    assert AuditLog.objects.count() == entries
    assert Stay.objects.get(pk=stay.pk).link_method == LinkMethod.NAME
