"""Which trip a stay belongs to: the visa-free clock starts again on a new trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pora.lodging.detection import StayFacts
from pora.lodging.services.alerts import trip_start


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T14:00"))


def stay(pk: int, checked_in: str, checked_out: str | None = None,
         expected: str | None = None) -> StayFacts:
    return StayFacts(id=pk, person_id=1, lodging_id=pk, lodging_name=f"L{pk}",
                     checked_in_at=at(checked_in), reported_at=at(checked_in),
                     checked_out_at=at(checked_out) if checked_out else None,
                     expected_checkout=dt.date.fromisoformat(expected) if expected else None)


@pytest.mark.parametrize(("earlier", "expected"), [
    pytest.param([], "2024-03-10", id="first-stay-starts-the-trip"),
    pytest.param([stay(2, "2024-03-01", "2024-03-09")], "2024-03-01", id="back-to-back"),
    pytest.param([stay(2, "2024-03-01", "2024-03-07")], "2024-03-01", id="three-day-gap"),
    pytest.param([stay(2, "2024-03-01", "2024-03-06")], "2024-03-10", id="four-day-gap"),
    pytest.param([stay(2, "2024-02-20", "2024-02-25"), stay(3, "2024-02-26", "2024-03-09")],
                 "2024-02-20", id="chain-of-stays"),
    pytest.param([stay(2, "2023-11-01", "2023-11-20")], "2024-03-10",
                 id="returning-visitor-starts-a-new-trip"),
    pytest.param([stay(2, "2024-02-01")], "2024-02-01", id="still-open-elsewhere"),
    pytest.param([stay(2, "2024-02-01", expected="2024-03-08")], "2024-02-01",
                 id="open-with-expected-check-out"),
])
def test_trip_start(earlier, expected):
    assert trip_start(stay(1, "2024-03-10"), earlier) == dt.date.fromisoformat(expected)


def test_a_later_stay_does_not_move_the_start():
    assert trip_start(stay(1, "2024-03-10"), [stay(2, "2024-03-12")]) == dt.date(2024, 3, 10)


@pytest.mark.django_db
def test_nightly_run_forgets_idempotency_keys_after_a_week(hotel):
    from pora.core.models import IdempotencyKey
    from pora.lodging.services.alerts import run_nightly
    from pora.lodging.services.reporters import token_create

    token, _raw = token_create(actor=None, lodging=hotel, label="PMS")
    old = IdempotencyKey.objects.create(caller=f"lodging:{token.pk}", key="old",
                                        body_digest="x", status_code=201, response={})
    IdempotencyKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8))
    IdempotencyKey.objects.create(caller=f"lodging:{token.pk}", key="new", body_digest="y",
                                  status_code=201, response={})
    result = run_nightly()
    assert result["idempotency_keys_expired"] == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
