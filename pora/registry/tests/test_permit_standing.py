"""Where a foreigner stands on a given day: the pure engine, edge by edge, and the SQL
headline held to the same answers on a generated population."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest

from pora.demo import registry as demo
from pora.registry import services
from pora.registry.models import PermitKind, PermitStatus, Person, StayPermit
from pora.registry.rules import (
    OVERSTAYING,
    PRESENT,
    Assessment,
    Standing,
    effective_until,
    permit_standing,
    person_standing,
)
from pora.registry.selectors import headline_as_of, rules_on

D = dt.date


@dataclass(frozen=True)
class Rules:
    expiring_within_days: int = 30
    overstay_fee_per_day: int = 1_000_000  # PP 28/2019
    overstay_deportation_days: int = 60  # Pasal 78(3)


@dataclass(frozen=True)
class Permit:
    valid_from: dt.date
    valid_until: dt.date
    cancelled_on: dt.date | None = None
    departed_on: dt.date | None = None
    superseded_on: dt.date | None = None
    kind: str = "ITAS"


RULES = Rules()
# An ITAS valid for the whole of 2024 (a leap year: 366 days).
YEAR_2024 = Permit(D(2024, 1, 1), D(2024, 12, 31))


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --------------------------------------------------------------------- one permit

PERMIT_CASES = [
    # (id, permit, on, rules, expected standing, days_left, overstay_days, fee_due)
    ("day_before_first_day_is_not_yet_in_force",
     YEAR_2024, D(2023, 12, 31), RULES, Standing.NOT_YET, None, 0, 0),
    ("long_before_first_day_is_not_yet_in_force",
     YEAR_2024, D(2020, 6, 1), RULES, Standing.NOT_YET, None, 0, 0),
    ("first_day_is_valid_with_365_days_left",
     YEAR_2024, D(2024, 1, 1), RULES, Standing.VALID, 365, 0, 0),
    ("middle_of_validity_is_valid",
     YEAR_2024, D(2024, 6, 15), RULES, Standing.VALID, 199, 0, 0),
    ("31_days_left_is_still_plain_valid",
     YEAR_2024, D(2024, 11, 30), RULES, Standing.VALID, 31, 0, 0),
    ("exactly_30_days_left_is_expiring",
     YEAR_2024, D(2024, 12, 1), RULES, Standing.EXPIRING, 30, 0, 0),
    ("one_day_left_is_expiring",
     YEAR_2024, D(2024, 12, 30), RULES, Standing.EXPIRING, 1, 0, 0),
    ("last_day_is_still_valid_with_0_days_left",
     YEAR_2024, D(2024, 12, 31), RULES, Standing.EXPIRING, 0, 0, 0),
    ("first_day_of_a_one_day_permit_is_its_last",
     Permit(D(2024, 3, 1), D(2024, 3, 1)), D(2024, 3, 1), RULES, Standing.EXPIRING, 0, 0, 0),
    ("first_day_of_a_short_visit_permit_is_already_expiring",
     Permit(D(2024, 3, 1), D(2024, 3, 30), kind="ITK"), D(2024, 3, 1), RULES,
     Standing.EXPIRING, 29, 0, 0),
    ("overstay_day_1_owes_one_day_fee",
     YEAR_2024, D(2025, 1, 1), RULES, Standing.OVERSTAY_FEE, None, 1, 1_000_000),
    ("overstay_day_30_owes_thirty_days_fee",
     YEAR_2024, D(2025, 1, 30), RULES, Standing.OVERSTAY_FEE, None, 30, 30_000_000),
    ("overstay_day_59_owes_59_days_fee",
     YEAR_2024, D(2025, 2, 28), RULES, Standing.OVERSTAY_FEE, None, 59, 59_000_000),
    ("overstay_day_60_means_deportation",
     YEAR_2024, D(2025, 3, 1), RULES, Standing.OVERSTAY_DEPORT, None, 60, 0),
    ("overstay_day_400_means_deportation",
     YEAR_2024, D(2024, 12, 31) + days(400), RULES, Standing.OVERSTAY_DEPORT, None, 400, 0),
    ("fee_follows_the_configured_rate",
     YEAR_2024, D(2025, 1, 10), Rules(overstay_fee_per_day=1_500_000), Standing.OVERSTAY_FEE,
     None, 10, 15_000_000),
    ("expiring_window_follows_the_configured_days_inside",
     YEAR_2024, D(2024, 12, 17), Rules(expiring_within_days=14), Standing.EXPIRING, 14, 0, 0),
    ("expiring_window_follows_the_configured_days_outside",
     YEAR_2024, D(2024, 12, 16), Rules(expiring_within_days=14), Standing.VALID, 15, 0, 0),
    ("deportation_threshold_follows_the_configured_days",
     YEAR_2024, D(2025, 1, 30), Rules(overstay_deportation_days=30), Standing.OVERSTAY_DEPORT,
     None, 30, 0),
    ("day_before_cancellation_is_the_last_valid_day",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 5, 10)), D(2024, 5, 9), RULES,
     Standing.EXPIRING, 0, 0, 0),
    ("cancellation_day_is_overstay_day_1",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 5, 10)), D(2024, 5, 10), RULES,
     Standing.OVERSTAY_FEE, None, 1, 1_000_000),
    ("59_days_after_cancellation_day_is_overstay_day_60",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 5, 10)), D(2024, 7, 8), RULES,
     Standing.OVERSTAY_DEPORT, None, 60, 0),
    ("cancellation_counts_the_expiring_window_from_the_day_before",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 5, 10)), D(2024, 4, 9), RULES,
     Standing.EXPIRING, 30, 0, 0),
    ("cancellation_on_the_first_day_leaves_no_valid_day",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 1, 1)), D(2024, 1, 1), RULES,
     Standing.OVERSTAY_FEE, None, 1, 1_000_000),
    ("cancellation_after_expiry_changes_nothing",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2025, 1, 15)), D(2024, 12, 31),
     RULES, Standing.EXPIRING, 0, 0, 0),
    ("cancellation_after_expiry_still_overstays_from_expiry",
     Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2025, 1, 15)), D(2025, 1, 20),
     RULES, Standing.OVERSTAY_FEE, None, 20, 20_000_000),
    ("day_before_departure_is_valid",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2024, 8, 17)), D(2024, 8, 16), RULES,
     Standing.VALID, 137, 0, 0),
    ("departure_day_is_departed",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2024, 8, 17)), D(2024, 8, 17), RULES,
     Standing.DEPARTED, None, 0, 0),
    ("after_expiry_a_departed_holder_is_not_overstaying",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2024, 12, 30)), D(2025, 6, 1), RULES,
     Standing.DEPARTED, None, 0, 0),
    ("late_departure_still_overstays_until_the_day_before",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2025, 1, 11)), D(2025, 1, 10), RULES,
     Standing.OVERSTAY_FEE, None, 10, 10_000_000),
    ("late_departure_day_is_departed",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2025, 1, 11)), D(2025, 1, 11), RULES,
     Standing.DEPARTED, None, 0, 0),
    ("departure_before_first_day_checks_not_yet_first",
     Permit(D(2024, 1, 1), D(2024, 12, 31), departed_on=D(2024, 1, 1)), D(2023, 12, 31), RULES,
     Standing.NOT_YET, None, 0, 0),
    # The extension is on record, so the old permit's last day is not "expiring".
    ("day_before_extension_takes_over_is_the_old_permit_not_expiring",
     Permit(D(2023, 6, 1), D(2024, 5, 31), superseded_on=D(2024, 6, 1)), D(2024, 5, 31), RULES,
     Standing.VALID, 0, 0, 0),
    ("last_day_without_extension_is_expiring",
     Permit(D(2023, 6, 1), D(2024, 5, 31)), D(2024, 5, 31), RULES,
     Standing.EXPIRING, 0, 0, 0),
    ("extension_first_day_supersedes_the_old_permit",
     Permit(D(2023, 6, 1), D(2024, 5, 31), superseded_on=D(2024, 6, 1)), D(2024, 6, 1), RULES,
     Standing.SUPERSEDED, None, 0, 0),
    ("conversion_before_expiry_supersedes_the_old_permit",
     Permit(D(2023, 6, 1), D(2024, 5, 31), superseded_on=D(2024, 2, 1)), D(2024, 2, 1), RULES,
     Standing.SUPERSEDED, None, 0, 0),
    ("superseded_permit_is_never_overstayed",
     Permit(D(2023, 6, 1), D(2024, 5, 31), superseded_on=D(2024, 6, 1)), D(2025, 6, 1), RULES,
     Standing.SUPERSEDED, None, 0, 0),
    ("gap_before_the_next_permit_is_overstay",
     Permit(D(2023, 6, 1), D(2024, 5, 31), superseded_on=D(2024, 7, 1)), D(2024, 6, 20), RULES,
     Standing.OVERSTAY_FEE, None, 20, 20_000_000),
    ("departure_and_succession_on_one_day_is_departed",
     Permit(D(2023, 6, 1), D(2024, 5, 31), departed_on=D(2024, 3, 1),
            superseded_on=D(2024, 3, 1)), D(2024, 3, 1), RULES, Standing.DEPARTED, None, 0, 0),
    ("departure_before_succession_is_departed",
     Permit(D(2023, 6, 1), D(2024, 5, 31), departed_on=D(2024, 3, 1),
            superseded_on=D(2024, 6, 1)), D(2024, 4, 1), RULES, Standing.DEPARTED, None, 0, 0),
    ("succession_before_departure_is_superseded",
     Permit(D(2023, 6, 1), D(2024, 5, 31), departed_on=D(2024, 8, 1),
            superseded_on=D(2024, 6, 1)), D(2024, 7, 1), RULES, Standing.SUPERSEDED, None, 0, 0),
]


@pytest.mark.parametrize(
    ("permit", "on", "rules", "standing", "days_left", "overstay_days", "fee_due"),
    [case[1:] for case in PERMIT_CASES],
    ids=[case[0] for case in PERMIT_CASES],
)
def test_permit_standing(permit, on, rules, standing, days_left, overstay_days, fee_due):
    assessment = permit_standing(permit, on, rules)
    assert assessment.standing == standing
    assert assessment.days_left == days_left
    assert assessment.overstay_days == overstay_days
    assert assessment.fee_due == fee_due
    assert assessment.present == (standing in PRESENT)
    assert assessment.overstaying == (standing in OVERSTAYING)


def test_fee_on_day_59_is_59_times_the_rate_and_day_60_recommends_deportation():
    day_59 = permit_standing(YEAR_2024, D(2024, 12, 31) + days(59), RULES)
    day_60 = permit_standing(YEAR_2024, D(2024, 12, 31) + days(60), RULES)
    # Pasal 78(1): the fee is per day of overstay.
    assert day_59.standing == Standing.OVERSTAY_FEE
    assert day_59.fee_due == 59 * RULES.overstay_fee_per_day == 59_000_000
    # Pasal 78(3): 60 days or more, deportation and entry ban instead of a fee.
    assert day_60.standing == Standing.OVERSTAY_DEPORT
    assert day_60.fee_due == 0
    # The recommendations are translated; both cite Pasal 78 and they differ.
    assert "78" in day_59.recommendation
    assert "78" in day_60.recommendation
    assert day_59.recommendation != day_60.recommendation


def test_valid_and_not_yet_carry_no_recommendation():
    assert permit_standing(YEAR_2024, D(2024, 6, 1), RULES).recommendation == ""
    assert permit_standing(YEAR_2024, D(2023, 6, 1), RULES).recommendation == ""


@pytest.mark.parametrize(
    ("permit", "expected"),
    [
        (YEAR_2024, D(2024, 12, 31)),
        (Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 5, 10)), D(2024, 5, 9)),
        (Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2024, 12, 31)), D(2024, 12, 30)),
        (Permit(D(2024, 1, 1), D(2024, 12, 31), cancelled_on=D(2025, 1, 1)), D(2024, 12, 31)),
    ],
    ids=["uncancelled_ends_on_valid_until", "cancelled_ends_the_day_before",
         "cancelled_on_last_day_ends_the_day_before", "cancelled_after_expiry_is_ignored"],
)
def test_effective_until(permit, expected):
    assert effective_until(permit) == expected


def test_every_standing_has_a_label():
    for standing in Standing:
        assert Assessment(standing).label


# ------------------------------------------------------------------- a person's chain

# WANG's history: a visit, converted to a work ITAS, extended once, then left.
VISIT = Permit(D(2022, 3, 1), D(2022, 4, 29), superseded_on=D(2022, 4, 15), kind="ITK")
WORK_1 = Permit(D(2022, 4, 15), D(2023, 4, 14), superseded_on=D(2023, 4, 15))
WORK_2 = Permit(D(2023, 4, 15), D(2024, 4, 14), departed_on=D(2024, 2, 20))
WANG_CHAIN = [WORK_2, VISIT, WORK_1]  # order given does not matter

# KIM overstays his visit, then gets a new permit after a long gap.
KIM_VISIT = Permit(D(2024, 1, 1), D(2024, 1, 30), superseded_on=D(2024, 4, 15), kind="ITK")
KIM_ITAS = Permit(D(2024, 4, 15), D(2025, 4, 14))

# SMITH left, then came back on a fresh visit permit.
SMITH_FIRST = Permit(D(2023, 1, 10), D(2023, 3, 10), departed_on=D(2023, 2, 1),
                     superseded_on=D(2023, 6, 1), kind="ITK")
SMITH_SECOND = Permit(D(2023, 6, 1), D(2023, 7, 30), kind="ITK")

PERSON_CASES = [
    # (id, permits, on, expected standing or None, governing permit's days_left, overstay)
    ("no_permits_at_all_has_no_standing", [], D(2024, 1, 1), None, None, 0),
    ("only_a_future_permit_has_no_standing", [YEAR_2024], D(2023, 12, 1), None, None, 0),
    ("chain_before_first_permit_has_no_standing", WANG_CHAIN, D(2022, 2, 28), None, None, 0),
    ("chain_on_visit_is_governed_by_the_visit", WANG_CHAIN, D(2022, 3, 1), Standing.VALID,
     59, 0),
    ("chain_on_conversion_day_is_governed_by_the_itas", WANG_CHAIN, D(2022, 4, 15),
     Standing.VALID, 364, 0),
    ("chain_last_day_before_recorded_extension_is_not_expiring", WANG_CHAIN, D(2023, 4, 14),
     Standing.VALID, 0, 0),
    ("chain_on_extension_day_is_governed_by_the_extension", WANG_CHAIN, D(2023, 4, 15),
     Standing.VALID, 365, 0),
    ("chain_after_departure_is_departed", WANG_CHAIN, D(2024, 2, 20), Standing.DEPARTED, None,
     0),
    ("chain_long_after_departure_is_not_overstaying", WANG_CHAIN, D(2025, 1, 1),
     Standing.DEPARTED, None, 0),
    ("gap_day_20_is_overstay_with_fee", [KIM_ITAS, KIM_VISIT], D(2024, 2, 19),
     Standing.OVERSTAY_FEE, None, 20),
    ("gap_day_59_is_still_overstay_with_fee", [KIM_ITAS, KIM_VISIT], D(2024, 3, 29),
     Standing.OVERSTAY_FEE, None, 59),
    ("gap_day_60_is_deportation", [KIM_ITAS, KIM_VISIT], D(2024, 3, 30),
     Standing.OVERSTAY_DEPORT, None, 60),
    ("gap_last_day_before_new_permit_is_deportation", [KIM_ITAS, KIM_VISIT], D(2024, 4, 14),
     Standing.OVERSTAY_DEPORT, None, 75),
    ("new_permit_after_gap_ends_the_overstay", [KIM_ITAS, KIM_VISIT], D(2024, 4, 15),
     Standing.VALID, 364, 0),
    ("departed_person_is_departed_until_return", [SMITH_FIRST, SMITH_SECOND], D(2023, 5, 31),
     Standing.DEPARTED, None, 0),
    ("returning_person_is_governed_by_the_new_permit", [SMITH_FIRST, SMITH_SECOND],
     D(2023, 6, 1), Standing.VALID, 59, 0),
    ("returning_person_enters_the_window_30_days_before_the_end", [SMITH_FIRST, SMITH_SECOND],
     D(2023, 6, 30), Standing.EXPIRING, 30, 0),
    ("returning_person_can_overstay_the_new_permit", [SMITH_FIRST, SMITH_SECOND],
     D(2023, 8, 5), Standing.OVERSTAY_FEE, None, 6),
]


@pytest.mark.parametrize(
    ("permits", "on", "standing", "days_left", "overstay_days"),
    [case[1:] for case in PERSON_CASES],
    ids=[case[0] for case in PERSON_CASES],
)
def test_person_standing(permits, on, standing, days_left, overstay_days):
    assessment = person_standing(permits, on, RULES)
    if standing is None:
        assert assessment is None
        return
    assert assessment is not None
    assert assessment.standing == standing
    assert assessment.days_left == days_left
    assert assessment.overstay_days == overstay_days


def test_gap_overstay_fee_counts_from_the_visit_expiry():
    # 2024 is a leap year: 30 January to 29 March is 59 days.
    assessment = person_standing([KIM_VISIT, KIM_ITAS], D(2024, 3, 29), RULES)
    assert assessment.fee_due == 59_000_000


def test_person_standing_does_not_depend_on_the_order_of_permits():
    for on in (D(2022, 3, 1), D(2022, 4, 15), D(2023, 4, 15), D(2024, 2, 20)):
        forwards = person_standing([VISIT, WORK_1, WORK_2], on, RULES)
        backwards = person_standing([WORK_2, WORK_1, VISIT], on, RULES)
        assert forwards == backwards


# -------------------------------------------- SQL headline against the Python engine


def _python_counts(office, on: dt.date) -> dict:
    """The headline's figures computed person by person with the pure engine."""
    rules = rules_on(on)
    counts = {"by_kind": {k: 0 for k in PermitKind.values}, "expiring": 0, "overstay": 0,
              "overstay_deport": 0}
    permits_by_person: dict[int, list[StayPermit]] = defaultdict(list)
    for permit in StayPermit.objects.filter(office=office):
        permits_by_person[permit.person_id].append(permit)
    for person_permits in permits_by_person.values():
        assessment = person_standing(person_permits, on, rules)
        if assessment is None or not assessment.present:
            continue
        governing = [p for p in person_permits if permit_standing(p, on, rules).present]
        # The chain leaves at most one permit under which a person is here on a day.
        assert len(governing) == 1
        assert permit_standing(governing[0], on, rules) == assessment
        if assessment.standing in (Standing.VALID, Standing.EXPIRING):
            counts["by_kind"][governing[0].kind] += 1
        counts["expiring"] += assessment.standing == Standing.EXPIRING
        counts["overstay"] += assessment.overstaying
        counts["overstay_deport"] += assessment.standing == Standing.OVERSTAY_DEPORT
    return counts


def _add_edge_cases(office, actor, reference: dt.date) -> None:
    """Hand-made persons whose permits sit exactly on the headline's edges."""
    edges = [
        # (valid_from, valid_until, cancelled_on, departed_on)
        (reference - days(300), reference + days(30), None, None),  # expiring, last day of window
        (reference - days(300), reference + days(31), None, None),  # just outside the window
        (reference - days(300), reference, None, None),  # last valid day
        (reference - days(300), reference - days(1), None, None),  # overstay day 1
        (reference - days(300), reference - days(59), None, None),  # overstay day 59
        (reference - days(300), reference - days(60), None, None),  # overstay day 60
        (reference - days(300), reference + days(200), reference, None),  # cancelled today
        (reference - days(300), reference + days(200), reference + days(1), None),
        (reference - days(300), reference + days(200), reference - days(59), None),
        (reference - days(300), reference + days(200), reference + days(31), None),
        (reference - days(300), reference + days(200), None, reference),  # departs today
        (reference + days(1), reference + days(300), None, None),  # starts tomorrow
    ]
    for i, (start, until, cancelled, departed) in enumerate(edges):
        person = services.person_create(
            actor=actor, office=office, surname="EDGE", given_names=f"CASE {i}",
            nationality="AUS", document_number=f"EDGE{i:05d}",
        )
        services.permit_save(
            actor=actor, person=person, number=f"EDGE-{i:03d}", kind="ITAS", purpose="work",
            valid_from=start, valid_until=until,
            status=PermitStatus.CANCELLED if cancelled else PermitStatus.ACTIVE,
            cancelled_on=cancelled, departed_on=departed,
        )
    # An extension registered ahead of expiry, and a conversion ITAS → ITAP.
    person = services.person_create(actor=actor, office=office, surname="EDGE",
                                     given_names="EXTENDED", nationality="JPN")
    services.permit_save(actor=actor, person=person, number="EDGE-EXT-1", kind="ITAS",
                         purpose="work", valid_from=reference - days(364),
                         valid_until=reference)
    services.permit_save(actor=actor, person=person, number="EDGE-EXT-2", kind="ITAS",
                         purpose="work", valid_from=reference + days(1),
                         valid_until=reference + days(365))
    person = services.person_create(actor=actor, office=office, surname="EDGE",
                                    given_names="CONVERTED", nationality="KOR")
    services.permit_save(actor=actor, person=person, number="EDGE-CONV-1", kind="ITAS",
                         purpose="family", valid_from=reference - days(200),
                         valid_until=reference + days(165), status=PermitStatus.CONVERTED)
    services.permit_save(actor=actor, person=person, number="EDGE-CONV-2", kind="ITAP",
                         purpose="family", valid_from=reference - days(20),
                         valid_until=reference + days(1800))


HEADLINE_DATES = [
    pytest.param(0, id="on_the_reference_date"),
    pytest.param(20, id="20_days_later"),
    pytest.param(70, id="70_days_later"),
    pytest.param(-100, id="100_days_earlier"),
]


@pytest.fixture
def population(jakut, officer):
    stats = demo.generate(office=jakut, reference=demo.REFERENCE_DATE,
                          holders={"ITAS": 40, "ITAP": 10, "ITK": 15}, overstay=12,
                          departed=10, companies=5, seed=7)
    _add_edge_cases(jakut, officer, demo.REFERENCE_DATE)
    return stats


@pytest.mark.django_db
@pytest.mark.parametrize("offset", HEADLINE_DATES)
def test_headline_counts_agree_with_person_standing(jakut, population, offset):
    on = demo.REFERENCE_DATE + days(offset)
    headline = headline_as_of(jakut, on)
    expected = _python_counts(jakut, on)
    assert headline.by_kind == expected["by_kind"]
    assert headline.expiring == expected["expiring"]
    assert headline.overstay == expected["overstay"]
    assert headline.overstay_deport == expected["overstay_deport"]
    assert headline.total == sum(expected["by_kind"].values())
    # Per kecamatan rows add up to the office's totals.
    assert sum(row["total"] for row in headline.rows) == headline.total
    assert sum(row["expiring"] for row in headline.rows) == headline.expiring
    assert sum(row["overstay"] for row in headline.rows) == headline.overstay


@pytest.mark.django_db
def test_headline_on_the_reference_date_counts_exactly_the_generated_holders(jakut, population):
    headline = headline_as_of(jakut, demo.REFERENCE_DATE)
    # The generated holders plus the hand-made edge cases valid on the reference date:
    # 2 ITAS inside/outside the window, the last-valid-day ITAS, the one cancelled
    # tomorrow, the one cancelled in 31 days, the extended ITAS on its last day and the
    # converted person's ITAP.
    assert headline.by_kind == {"ITAS": 40 + 6, "ITAP": 10 + 1, "ITK": 15}
    overstayers = Counter()
    for permit in StayPermit.objects.filter(person__surname="EDGE"):
        overstayers[permit_standing(permit, demo.REFERENCE_DATE,
                                    rules_on(demo.REFERENCE_DATE)).standing] += 1
    # cancelled today, overstay day 1, day 59, day 60, cancelled 59 days ago (day 60).
    assert overstayers[Standing.OVERSTAY_FEE] == 3
    assert overstayers[Standing.OVERSTAY_DEPORT] == 2
    assert headline.overstay == 12 + 5
    assert Person.objects.filter(office=jakut).count() == population.persons + 14
