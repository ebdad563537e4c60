"""The detection rules, one table per rule, held to plain facts (no database).

Every rule in :mod:`pora.lodging.detection` is a pure function of :class:`StayFacts` (or a
lodging's counts) and :class:`Thresholds`; the tables below name each case after the edge
it pins: 24 hours is on time and a minute more is late, touching stays do not overlap, a
stay exactly 14 days back is out of the hopping window, day 30 of a visa-free stay is
allowed and day 31 is not, six silent days are quiet and seven are silence.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from pora.lodging import detection
from pora.lodging.detection import StayFacts, Thresholds
from pora.registry.rules import Assessment, Standing

UTC = dt.UTC
T0 = dt.datetime(2024, 3, 1, 14, 0, tzinfo=UTC)
LIMITS = Thresholds()
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
M = dt.timedelta(minutes=1)

LODGINGS = {1: "Hotel Pluit Bay", 2: "Ancol Beach Inn", 3: "Kelapa Gading Suites",
            4: "Sunter Residence", 5: "Kos Melati"}


def stay(id: int = 1, *, lodging: int = 1, at: dt.datetime = T0,
         reported: dt.datetime | None = None, out: dt.datetime | None = None, arrival: dt.date | None = None,
         person: int = 7) -> StayFacts:
    return StayFacts(id=id, person_id=person, lodging_id=lodging, lodging_name=LODGINGS[lodging],
                     checked_in_at=at, reported_at=reported or at, checked_out_at=out,
                     arrival_date=arrival)


# ------------------------------------------------------------------------- late_report


@pytest.mark.parametrize(("delay", "limits", "late_hours"), [
    pytest.param(dt.timedelta(0), LIMITS, None, id="at-once"),
    pytest.param(23 * H + 59 * M, LIMITS, None, id="23h59-on-time"),
    pytest.param(24 * H, LIMITS, None, id="exactly-24h-not-late"),
    pytest.param(24 * H + M, LIMITS, 24, id="24h-plus-1min-late"),
    pytest.param(50 * H, LIMITS, 50, id="50h-late"),
    pytest.param(12 * H, Thresholds(report_within_hours=12), None, id="12h-limit-exactly"),
    pytest.param(13 * H, Thresholds(report_within_hours=12), 13, id="12h-limit-13h-late"),
    pytest.param(30 * H, Thresholds(report_within_hours=48), None, id="48h-limit-30h-ok"),
])
def test_late_report(delay, limits, late_hours):
    finding = detection.late_report(stay(5, reported=T0 + delay), limits=limits)
    if late_hours is None:
        assert finding is None
        return
    assert finding.rule == "late_report"
    assert finding.key == "late_report:stay:5"
    assert finding.facts == {"hours": late_hours, "limit": limits.report_within_hours,
                             "lodging": "Hotel Pluit Bay"}
    assert (finding.person_id, finding.lodging_id, finding.stay_id) == (7, 1, 5)


def test_thresholds_come_from_settings(settings):
    settings.PORA_LODGING_THRESHOLDS = {"report_within_hours": 6, "silent_days": 3}
    limits = Thresholds.from_settings()
    assert (limits.report_within_hours, limits.silent_days) == (6, 3)
    assert limits.hopping_days == 14  # the rest keep their defaults
    assert detection.late_report(stay(reported=T0 + 7 * H), limits=limits) is not None


# ------------------------------------------------------------------------- overlapping

NOW = T0 + 10 * D


@pytest.mark.parametrize(("this", "others", "now", "expected"), [
    pytest.param(stay(2, lodging=2, at=T0 + D), [stay(1, lodging=1, at=T0, out=T0 + 3 * D)], NOW,
                 (1, 2), id="inside-another-stay"),
    pytest.param(stay(1, lodging=1, at=T0, out=T0 + 3 * D), [stay(2, lodging=2, at=T0 + D)], NOW,
                 (1, 2), id="earlier-stay-evaluated-second"),
    pytest.param(stay(2, lodging=1, at=T0 + D), [stay(1, lodging=1, at=T0, out=T0 + 3 * D)], NOW,
                 None, id="same-lodging-ignored"),
    pytest.param(stay(2, lodging=2, at=T0 + 2 * D), [stay(1, lodging=1, at=T0, out=T0 + 2 * D)],
                 NOW, None, id="touching-not-overlapping"),
    pytest.param(stay(2, lodging=2, at=T0 + 2 * D),
                 [stay(1, lodging=1, at=T0, out=T0 + 2 * D + M)], NOW, (1, 2),
                 id="one-minute-overlap"),
    pytest.param(stay(2, lodging=2, at=T0 + 3 * D), [stay(1, lodging=1, at=T0)], NOW, (1, 2),
                 id="open-stay-runs-until-now"),
    pytest.param(stay(2, lodging=2, at=T0 + 3 * D, out=T0 + 4 * D), [stay(1, lodging=1, at=T0)],
                 T0 + 2 * D, None, id="open-stay-ended-by-now-before-the-other"),
    pytest.param(stay(2, lodging=2, at=T0 + 3 * D), [stay(1, lodging=1, at=T0 + 5 * D)],
                 NOW, (2, 1), id="both-open"),
    pytest.param(stay(1, lodging=1, at=T0), [stay(1, lodging=2, at=T0)], NOW, None,
                 id="itself-ignored"),
    pytest.param(stay(3, lodging=3, at=T0 + 5 * D), [], NOW, None, id="no-others"),
])
def test_overlapping(this, others, now, expected):
    finding = detection.overlapping(this, others, now=now, limits=LIMITS)
    if expected is None:
        assert finding is None
        return
    first_id, second_id = expected
    facts_by_id = {s.id: s for s in [this, *others]}
    first, second = facts_by_id[first_id], facts_by_id[second_id]
    assert finding.rule == "overlapping"
    # The key names the pair in check-in order, whichever of the two is evaluated.
    assert finding.key == f"overlapping:stays:{first_id}:{second_id}"
    assert finding.facts == {
        "lodging": second.lodging_name, "checked_in": second.checked_in_at.date().isoformat(),
        "other_lodging": first.lodging_name,
        "other_checked_in": first.checked_in_at.date().isoformat()}
    assert (finding.stay_id, finding.lodging_id) == (second.id, second.lodging_id)


def test_overlapping_key_is_the_same_from_either_side():
    a = stay(1, lodging=1, at=T0, out=T0 + 3 * D)
    b = stay(2, lodging=2, at=T0 + D)
    assert (detection.overlapping(a, [b], now=NOW, limits=LIMITS).key
            == detection.overlapping(b, [a], now=NOW, limits=LIMITS).key)


# ----------------------------------------------------------------------------- hopping

# A check-in at 14:00 on day 0 = T0; the rule looks at (T0 - 14 days, T0].


@pytest.mark.parametrize(("earlier", "flagged", "count"), [
    pytest.param([(1, 2 * D)], False, None, id="two-lodgings"),
    pytest.param([(1, 2 * D), (2, D)], True, 3, id="three-lodgings"),
    pytest.param([(1, 5 * D), (2, 3 * D), (4, D)], True, 4, id="four-lodgings"),
    pytest.param([(1, 14 * D), (2, D)], False, None, id="exactly-14-days-back-is-out"),
    pytest.param([(1, 14 * D - M), (2, D)], True, 3, id="14-days-less-a-minute-is-in"),
    pytest.param([(1, 20 * D), (2, 15 * D)], False, None, id="older-stays-out"),
    pytest.param([(1, 4 * D), (1, 3 * D), (1, 2 * D), (3, D)], False, None,
                 id="same-lodging-counts-once"),
    pytest.param([(1, 4 * D), (1, 3 * D), (2, 2 * D), (2, D)], True, 3,
                 id="repeats-then-a-third-lodging"),
    pytest.param([(1, 4 * D), (3, 3 * D), (1, 2 * D)], False, None,
                 id="back-and-forth-two-lodgings"),
    pytest.param([(3, 0 * D), (2, 0 * D)], False, None, id="this-lodging-repeated"),
    pytest.param([(1, -D), (2, -2 * D)], False, None, id="later-stays-do-not-count"),
])
def test_hopping(earlier, flagged, count):
    this = stay(100, lodging=3, at=T0)
    others = [stay(i + 1, lodging=lodging, at=T0 - back) for i, (lodging, back) in
              enumerate(earlier)]
    finding = detection.hopping(this, others, limits=LIMITS)
    if not flagged:
        assert finding is None
        return
    assert finding.rule == "hopping"
    assert finding.facts["count"] == count
    assert finding.facts["days"] == 14
    # The lodgings in the order they were first visited.
    assert finding.facts["lodgings"].split(", ")[-1] == "Kelapa Gading Suites"
    assert len(finding.facts["lodgings"].split(", ")) == count
    assert (finding.person_id, finding.stay_id, finding.lodging_id) == (7, 100, 3)


def test_hopping_threshold_from_thresholds():
    this = stay(100, lodging=3, at=T0)
    others = [stay(1, lodging=1, at=T0 - 2 * D)]
    assert detection.hopping(this, others, limits=LIMITS) is None
    assert detection.hopping(this, others, limits=Thresholds(hopping_lodgings=2)) is not None
    far = [stay(1, lodging=1, at=T0 - 20 * D), stay(2, lodging=2, at=T0 - 19 * D)]
    assert detection.hopping(this, far, limits=LIMITS) is None
    assert detection.hopping(this, far, limits=Thresholds(hopping_days=30)) is not None


def test_hopping_key_is_stable_while_more_lodgings_follow():
    """One alert per person and period: a fourth and fifth lodging update the same alert."""
    start = dt.datetime.combine(dt.date.fromordinal(dt.date(2024, 3, 1).toordinal() // 14 * 14),
                                dt.time(14), tzinfo=UTC)  # the first day of a period
    history = [stay(1, lodging=1, at=start), stay(2, lodging=2, at=start + D)]
    third = stay(3, lodging=3, at=start + 2 * D)
    fourth = stay(4, lodging=4, at=start + 4 * D)
    fifth = stay(5, lodging=5, at=start + 6 * D)
    found = [detection.hopping(third, history, limits=LIMITS),
             detection.hopping(fourth, [*history, third], limits=LIMITS),
             detection.hopping(fifth, [*history, third, fourth], limits=LIMITS)]
    assert [f.facts["count"] for f in found] == [3, 4, 5]
    period = start.date().toordinal() // 14
    assert {f.key for f in found} == {f"hopping:person:7:{period}"}


def test_hopping_key_differs_for_another_person_and_a_later_period():
    others = [stay(1, lodging=1, at=T0 - 2 * D), stay(2, lodging=2, at=T0 - D)]
    mine = detection.hopping(stay(3, lodging=3, at=T0), others, limits=LIMITS)
    theirs = detection.hopping(
        stay(3, lodging=3, at=T0, person=8),
        [replace_person(s, 8) for s in others], limits=LIMITS)
    assert mine.key != theirs.key
    later = 60 * D
    again = detection.hopping(stay(13, lodging=3, at=T0 + later),
                              [stay(11, lodging=1, at=T0 + later - 2 * D),
                               stay(12, lodging=2, at=T0 + later - D)], limits=LIMITS)
    assert again.key != mine.key


def replace_person(facts: StayFacts, person: int) -> StayFacts:
    import dataclasses

    return dataclasses.replace(facts, person_id=person)


# --------------------------------------------------------------------- no_valid_permit

ON = dt.date(2024, 3, 30)


@pytest.mark.parametrize(("standing", "arrival", "first_seen", "expected"), [
    pytest.param(Assessment(Standing.VALID, days_left=100), None, ON - 200 * D, None,
                 id="valid-permit"),
    pytest.param(Assessment(Standing.EXPIRING, days_left=3), None, ON - 200 * D, None,
                 id="expiring-permit-still-valid"),
    pytest.param(Assessment(Standing.OVERSTAY_FEE, overstay_days=12), None, ON,
                 {"variant": "expired", "days": 12}, id="overstay-fee"),
    pytest.param(Assessment(Standing.OVERSTAY_DEPORT, overstay_days=75), ON - 5 * D, ON,
                 {"variant": "expired", "days": 75}, id="overstay-deport"),
    pytest.param(None, ON - 29 * D, ON, None, id="no-permit-day-30-ok"),
    pytest.param(None, ON - 30 * D, ON,
                 {"variant": "none", "days": 31, "arrived": (ON - 30 * D).isoformat(),
                  "limit": 30}, id="no-permit-day-31-flagged"),
    pytest.param(None, ON, ON, None, id="no-permit-arrived-today"),
    pytest.param(None, None, ON - 29 * D, None, id="no-arrival-first-seen-day-30"),
    pytest.param(None, None, ON - 30 * D,
                 {"variant": "none", "days": 31, "arrived": (ON - 30 * D).isoformat(),
                  "limit": 30}, id="no-arrival-uses-first-seen"),
    pytest.param(None, ON - 3 * D, ON - 100 * D, None,
                 id="reported-arrival-wins-over-first-seen"),
    pytest.param(Assessment(Standing.DEPARTED), ON - 10 * D, ON - 300 * D, None,
                 id="departed-then-back-within-30-days"),
    pytest.param(Assessment(Standing.DEPARTED), ON - 40 * D, ON - 300 * D,
                 {"variant": "none", "days": 41, "arrived": (ON - 40 * D).isoformat(),
                  "limit": 30}, id="departed-then-back-counts-as-no-permit"),
    pytest.param(Assessment(Standing.NOT_YET), ON - 40 * D, ON,
                 {"variant": "none", "days": 41, "arrived": (ON - 40 * D).isoformat(),
                  "limit": 30}, id="permit-not-yet-in-force"),
])
def test_no_valid_permit(standing, arrival, first_seen, expected):
    this = stay(9, lodging=2, arrival=arrival)
    finding = detection.no_valid_permit(this, standing, on=ON, first_seen=first_seen,
                                        limits=LIMITS)
    if expected is None:
        assert finding is None
        return
    assert finding.rule == "no_valid_permit"
    assert finding.key == "no_valid_permit:person:7:lodging:2"
    assert finding.facts == {"lodging": "Ancol Beach Inn", "on": ON.isoformat(), **expected}
    assert (finding.person_id, finding.lodging_id, finding.stay_id) == (7, 2, 9)


def test_no_valid_permit_limit_from_thresholds():
    this = stay(arrival=ON - 40 * D)
    assert detection.no_valid_permit(this, None, on=ON, first_seen=ON, limits=LIMITS) is not None
    assert detection.no_valid_permit(this, None, on=ON, first_seen=ON,
                                     limits=Thresholds(visa_free_days=60)) is None


# ---------------------------------------------------------------------- silent_lodging

LAST = dt.datetime(2024, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("reports", "last", "now", "silent"), [
    pytest.param(10, LAST, LAST + 7 * D, 7, id="usual-7-days-silent"),
    pytest.param(10, LAST, LAST + 7 * D - M, None, id="usual-6-days-23h59"),
    pytest.param(10, LAST, LAST + 6 * D, None, id="usual-6-days"),
    pytest.param(4, LAST, LAST + 30 * D, 30, id="exactly-usual-4-reports"),
    pytest.param(3, LAST, LAST + 30 * D, None, id="not-usual-3-reports"),
    pytest.param(0, None, LAST + 30 * D, None, id="never-reported"),
])
def test_silent_lodging(reports, last, now, silent):
    finding = detection.silent_lodging(4, "Sunter Residence", reports_in_window=reports,
                                       last_report_at=last, now=now, limits=LIMITS)
    if silent is None:
        assert finding is None
        return
    assert finding.rule == "silent_lodging"
    assert finding.key == "silent_lodging:lodging:4:2024-03-01"
    assert finding.facts == {"lodging": "Sunter Residence", "usual": reports, "window": 30,
                             "silent": silent, "last": "2024-03-01"}
    assert (finding.lodging_id, finding.person_id, finding.stay_id) == (4, None, None)


def test_silent_lodging_thresholds():
    quiet = {"reports_in_window": 2, "last_report_at": LAST, "now": LAST + 3 * D}
    assert detection.silent_lodging(4, "X", limits=LIMITS, **quiet) is None
    assert detection.silent_lodging(
        4, "X", limits=Thresholds(usual_reports=2, silent_days=3), **quiet) is not None


# ---------------------------------------------------------------------------- explain

EXPLAINED = [
    pytest.param("late_report", {"hours": 37, "limit": 24, "lodging": "Hotel Pluit Bay"},
                 ["37", "24", "Hotel Pluit Bay"], id="late_report"),
    pytest.param("overlapping", {"lodging": "Ancol Beach Inn", "checked_in": "2024-03-02",
                                 "other_lodging": "Hotel Pluit Bay",
                                 "other_checked_in": "2024-03-01"},
                 ["Ancol Beach Inn", "2024-03-02", "Hotel Pluit Bay", "2024-03-01"],
                 id="overlapping"),
    pytest.param("hopping", {"count": 3, "days": 14,
                             "lodgings": "Hotel Pluit Bay, Ancol Beach Inn, Kos Melati"},
                 ["3", "14", "Hotel Pluit Bay, Ancol Beach Inn, Kos Melati"], id="hopping"),
    pytest.param("no_valid_permit", {"variant": "expired", "days": 12, "lodging": "Kos Melati",
                                     "on": "2024-03-30"},
                 ["12", "Kos Melati", "2024-03-30"], id="no_valid_permit-expired"),
    pytest.param("no_valid_permit", {"variant": "none", "days": 31, "arrived": "2024-02-29",
                                     "limit": 30, "lodging": "Kos Melati", "on": "2024-03-30"},
                 ["31", "2024-02-29", "30", "Kos Melati", "2024-03-30"],
                 id="no_valid_permit-none"),
    pytest.param("silent_lodging", {"lodging": "Sunter Residence", "usual": 11, "window": 30,
                                    "silent": 9, "last": "2024-03-01"},
                 ["Sunter Residence", "11", "30", "9", "2024-03-01"], id="silent_lodging"),
]


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(("rule", "facts", "shown"), EXPLAINED)
def test_explain_renders_every_rule_with_its_facts(rule, facts, shown, language):
    with translation.override(language):
        text = detection.explain(rule, facts)
    assert "%(" not in text, text  # every placeholder was filled
    for value in shown:
        assert value in text, (value, text)


def test_explain_in_english_reads_as_written():
    with translation.override("en"):
        text = detection.explain("late_report", {"hours": 37, "limit": 24,
                                                 "lodging": "Hotel Pluit Bay"})
    assert text == ("Reported 37 hours after check-in at Hotel Pluit Bay; the report is due "
                    "within 24 hours (Pasal 72).")


@pytest.mark.parametrize(("rule", "finding"), [
    pytest.param("late_report", detection.late_report(stay(reported=T0 + 30 * H),
                                                      limits=LIMITS), id="late_report"),
    pytest.param("overlapping", detection.overlapping(
        stay(2, lodging=2, at=T0 + D), [stay(1, at=T0)], now=NOW, limits=LIMITS),
        id="overlapping"),
    pytest.param("hopping", detection.hopping(
        stay(3, lodging=3), [stay(1, at=T0 - D), stay(2, lodging=2, at=T0 - 2 * D)],
        limits=LIMITS), id="hopping"),
    pytest.param("no_valid_permit", detection.no_valid_permit(
        stay(arrival=ON - 40 * D), None, on=ON, first_seen=ON, limits=LIMITS),
        id="no_valid_permit"),
    pytest.param("silent_lodging", detection.silent_lodging(
        4, "Sunter Residence", reports_in_window=9, last_report_at=LAST, now=LAST + 8 * D,
        limits=LIMITS), id="silent_lodging"),
])
@pytest.mark.parametrize("language", ["en", "id"])
def test_every_finding_explains_itself(rule, finding, language):
    """What a rule returns is exactly what explain() needs: no fact is missing."""
    assert finding is not None and finding.rule == rule
    with translation.override(language):
        text = detection.explain(finding.rule, finding.facts)
    assert "%(" not in text and text != rule
    numbers = [str(v) for v in finding.facts.values() if isinstance(v, int)]
    for number in numbers:
        assert re.search(rf"\b{number}\b", text), (number, text)


def test_explain_unknown_rule_or_missing_fact_does_not_raise():
    assert detection.explain("no_such_rule", {}) == "no_such_rule"
    with translation.override("id"):
        text = detection.explain("late_report", {"hours": 30})  # "limit" and "lodging" missing
    assert isinstance(text, str) and text
