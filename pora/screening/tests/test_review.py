"""Officers' decisions on hits, and how later screenings respect them.

A false positive stays quiet while nothing compared changes, and comes back for review
when the foreigner's or the entry's facts change; a confirmed hit raises an alert with
the action the list asks for and stays confirmed.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pora.alerts.models import Alert
from pora.conftest import make_person
from pora.core.models import AuditEvent, AuditLog
from pora.registry.services import person_update
from pora.screening.models import AlertRule, Hit, HitStatus, Trigger
from pora.screening.selectors import hits_for_person, hits_queue, reason_texts
from pora.screening.services import entry_save, entry_withdraw, hit_decide, screen_person
from pora.screening.tests.screening_fixtures import add_entry, present_permit


@pytest.fixture
def wang(officer):
    return make_person(actor=officer)


@pytest.fixture
def entry(officer, wanted_list):
    return add_entry(wanted_list, officer)


@pytest.fixture
def hit(wang, entry) -> Hit:
    return screen_person(wang, trigger=Trigger.PERSON)[0]


def dismiss(officer, hit) -> Hit:
    return hit_decide(actor=officer, hit=hit, status=HitStatus.FALSE_POSITIVE,
                      note="Paspor dan foto berbeda; orang lain dengan nama sama.")


def test_false_positive_stays_quiet_when_screened_again(officer, wang, hit):
    dismiss(officer, hit)

    assert screen_person(wang, trigger=Trigger.PERSON) == []

    hit.refresh_from_db()
    assert hit.status == HitStatus.FALSE_POSITIVE
    assert hit.times_seen == 1
    assert hit.decided_by == officer and hit.decided_at is not None


def test_false_positive_comes_back_when_the_birth_date_changes(officer, wang, hit,
                                                                django_capture_on_commit_callbacks):
    dismiss(officer, hit)
    with django_capture_on_commit_callbacks(execute=True):
        person_update(actor=officer, person=wang, birth_day=22)

    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW
    assert hit.note == "" and hit.decided_by is None
    log = AuditLog.objects.filter(object_type="screening.Hit",
                                  event=AuditEvent.UPDATE).order_by("pk").last()
    assert log.changes["status"] == [HitStatus.FALSE_POSITIVE, HitStatus.NEW]
    assert log.changes["note"][0].startswith("Paspor dan foto berbeda")
    assert "person_fingerprint" in log.changes


def test_false_positive_comes_back_when_the_name_changes(officer, wang, hit,
                                                         django_capture_on_commit_callbacks):
    dismiss(officer, hit)
    with django_capture_on_commit_callbacks(execute=True):
        person_update(actor=officer, person=wang, given_names="XIAO MING")
    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW


def test_false_positive_stays_quiet_when_only_the_address_changes(
        officer, wang, hit, django_capture_on_commit_callbacks):
    dismiss(officer, hit)
    with django_capture_on_commit_callbacks(execute=True):
        person_update(actor=officer, person=wang, street="Jl. Muara Karang 9")
    hit.refresh_from_db()
    assert (hit.status, hit.times_seen) == (HitStatus.FALSE_POSITIVE, 1)


def test_false_positive_comes_back_when_the_entry_changes(officer, wanted_list, wang, entry,
                                                          hit, django_capture_on_commit_callbacks):
    present_permit(wang)
    dismiss(officer, hit)
    # A new passport number on the list: the rescreen the change queues asks again.
    with django_capture_on_commit_callbacks(execute=True):
        entry_save(actor=officer, watchlist=wanted_list, entry=entry, documents=["EA1234567"])

    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW
    assert hit.trigger == Trigger.RESCREEN
    assert "document_same" in [r["code"] for r in hit.reasons]


def test_a_change_of_wording_on_the_entry_keeps_the_false_positive_quiet(
        officer, wanted_list, wang, entry, hit, django_capture_on_commit_callbacks):
    present_permit(wang)
    dismiss(officer, hit)
    with django_capture_on_commit_callbacks(execute=True):
        entry_save(actor=officer, watchlist=wanted_list, entry=entry, reason="Kasus baru")
    hit.refresh_from_db()
    assert hit.status == HitStatus.FALSE_POSITIVE


def test_confirming_raises_an_alert_with_the_lists_action(officer, wang, entry, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED, note="Cocok dengan foto.")

    alert = Alert.objects.get()
    assert alert.rule == AlertRule.WATCHLIST
    assert alert.key == f"watchlist:hit:{hit.pk}"
    assert (alert.person, alert.office_id) == (wang, wang.office_id)
    assert alert.facts == {"hit": hit.pk, "entry": entry.pk, "list": "DPO Polda Metro Jaya",
                           "kind": "wanted", "action": "arrest"}
    with translation.override("en"):
        assert alert.explanation == (
            "Confirmed watchlist hit: DPO Polda Metro Jaya (Wanted person (DPO)). "
            "Action: Arrest / secure the person.")


def test_confirmed_hit_is_final_but_takes_a_further_note(officer, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED, note="Cocok.")
    with pytest.raises(ValidationError) as refused:
        hit_decide(actor=officer, hit=hit, status=HitStatus.FALSE_POSITIVE, note="Salah")
    assert "status" in refused.value.message_dict

    hit = hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED,
                     note="Diamankan oleh Tim PORA.")
    assert hit.note == "Cocok.\n\nDiamankan oleh Tim PORA."
    assert Alert.objects.count() == 1


def test_confirmed_hit_stays_confirmed_when_screened_again(officer, wang, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED, note="Cocok.")
    screen_person(wang, trigger=Trigger.PERSON)
    hit.refresh_from_db()
    assert (hit.status, hit.times_seen) == (HitStatus.CONFIRMED, 2)


def test_unsure_hit_can_be_decided_later(officer, hit):
    hit_decide(actor=officer, hit=hit, status=HitStatus.UNSURE, note="Tunggu foto paspor.")
    hit = hit_decide(actor=officer, hit=hit, status=HitStatus.CONFIRMED, note="")
    assert hit.status == HitStatus.CONFIRMED
    assert Alert.objects.filter(rule=AlertRule.WATCHLIST).count() == 1


def test_false_positive_needs_a_reason(officer, hit):
    with pytest.raises(ValidationError) as refused:
        hit_decide(actor=officer, hit=hit, status=HitStatus.FALSE_POSITIVE, note="  ")
    assert "note" in refused.value.message_dict
    hit.refresh_from_db()
    assert hit.status == HitStatus.NEW


def test_decision_is_audited_with_old_and_new_status(officer, hit):
    dismiss(officer, hit)
    log = AuditLog.objects.filter(object_type="screening.Hit", event=AuditEvent.UPDATE).get()
    assert log.changes["status"] == [HitStatus.NEW, HitStatus.FALSE_POSITIVE]
    assert log.actor == officer


def test_reasons_read_in_the_readers_language(hit):
    with translation.override("en"):
        english = reason_texts(hit)
    assert english[0].startswith(("Same name", "Same names in another order"))
    assert "Same birth date: 1985-03-21" in english
    assert all(isinstance(text, str) and text for text in english)


def test_queue_shows_new_hits_of_the_officers_office_only(officer, other_officer, analyst,
                                                          wang, hit, entry):
    assert list(hits_queue(officer, status=HitStatus.NEW)) == [hit]
    assert list(hits_queue(officer, status=HitStatus.NEW, q="xiaoming")) == [hit]
    assert list(hits_queue(officer, status=HitStatus.NEW, q="EA1234567")) == [hit]
    assert list(hits_queue(officer, status=HitStatus.NEW, kind="exit_ban")) == []
    assert list(hits_queue(other_officer)) == []
    assert list(hits_queue(analyst)) == []
    assert list(hits_for_person(wang)) == [hit]

    entry_withdraw(actor=officer, entry=entry, note="Dicabut")
    assert list(hits_queue(officer, status=HitStatus.NEW)) == []
