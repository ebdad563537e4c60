"""Lists and entries kept by hand, and screening one foreigner against them.

Each change leaves an audit row, a validity history and a new lists version; expired and
withdrawn entries stop matching; a local list screens only its own office's foreigners.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pora.conftest import make_person
from pora.core.models import AuditEvent, AuditLog
from pora.screening import index_cache
from pora.screening.engine.index import Index, Screener
from pora.screening.engine.records import PartialDate, Record
from pora.screening.models import (
    EntryStatus,
    Hit,
    ListsChange,
    ListsVersion,
    Trigger,
    WatchlistEntry,
)
from pora.screening.services import (
    entry_extend,
    entry_save,
    entry_withdraw,
    screen_person,
    screen_query,
    watchlist_create,
    watchlist_update,
)
from pora.screening.services.screening import _Pending, screen_after_commit
from pora.screening.tests.screening_fixtures import TODAY, add_entry, local_list

D = dt.timedelta(days=1)


def version() -> int:
    row = ListsVersion.objects.first()
    return row.version if row else 0


# ------------------------------------------------------------------------ entries


def test_new_entry_is_audited_fingerprinted_and_starts_its_validity_history(
        officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_from=TODAY, valid_until=TODAY + 180 * D)

    assert entry.action == "arrest"  # the list's default
    assert len(entry.fingerprint) == 64
    assert entry.source_id.startswith("pora-")
    assert list(entry.validity_history.values_list("valid_from", "valid_until")) == [
        (TODAY, TODAY + 180 * D)]
    log = AuditLog.objects.get(object_type="screening.WatchlistEntry", object_id=str(entry.pk))
    assert log.event == AuditEvent.CREATE
    assert log.changes["names"] == [None, ["WANG XIAOMING"]]
    assert version() == 1


def test_changing_an_entry_keeps_every_validity_period_and_moves_the_fingerprint(
        officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_until=TODAY + 30 * D)
    first_fingerprint = entry.fingerprint

    entry = entry_save(actor=officer, watchlist=wanted_list, entry=entry,
                       reason="Penipuan investasi, laporan polisi LP/123")
    assert entry.fingerprint == first_fingerprint  # the reason is not compared
    assert entry.validity_history.count() == 1

    entry = entry_save(actor=officer, watchlist=wanted_list, entry=entry,
                       valid_until=TODAY + 60 * D, note="Surat Polda 2/2025")
    assert [v.valid_until for v in entry.validity_history.all()] == [TODAY + 30 * D,
                                                                    TODAY + 60 * D]
    assert entry.validity_history.last().note == "Surat Polda 2/2025"

    entry = entry_save(actor=officer, watchlist=wanted_list, entry=entry,
                       documents=["ea 123-4567"])
    assert entry.documents == ["EA1234567"]
    assert entry.fingerprint != first_fingerprint
    assert AuditLog.objects.filter(object_type="screening.WatchlistEntry",
                                   event=AuditEvent.UPDATE).count() == 3
    assert version() == 4


def test_saving_an_entry_unchanged_writes_nothing(officer, wanted_list):
    entry = add_entry(wanted_list, officer)
    entry_save(actor=officer, watchlist=wanted_list, entry=entry, names=["WANG XIAOMING"])
    assert version() == 1
    assert AuditLog.objects.filter(object_type="screening.WatchlistEntry").count() == 1


def test_bad_entry_is_refused_field_by_field_and_nothing_is_saved(officer, wanted_list):
    with pytest.raises(ValidationError) as refused:
        entry_save(actor=officer, watchlist=wanted_list, names=["  "],
                   birth_dates=["1980-13-01", "1980"], nationalities=["CN", "XYZ"],
                   valid_from=TODAY, valid_until=TODAY - D)
    errors = refused.value.message_dict
    assert set(errors) == {"names", "birth_dates", "nationalities", "valid_until"}
    assert "1980-13-01" in errors["birth_dates"][0]
    assert "XYZ" in errors["nationalities"][0]
    assert not WatchlistEntry.objects.exists()
    assert version() == 0


def test_entry_normalises_countries_sex_and_documents(officer, wanted_list):
    entry = add_entry(wanted_list, officer, nationalities=["cn", "CHN", "RU"], sex="L",
                      documents=["G 1234-567", "g1234567"], birth_dates=["1985-3-21"])
    assert entry.nationalities == ["CHN", "RUS"]
    assert entry.sex == "M"
    assert entry.documents == ["G1234567"]
    assert entry.birth_dates == ["1985-03-21"]


def test_a_reference_is_unique_within_its_list(officer, wanted_list):
    add_entry(wanted_list, officer, source_id="DPO-1")
    with pytest.raises(ValidationError) as refused:
        add_entry(wanted_list, officer, source_id="DPO-1", names=["OTHER PERSON"])
    assert "DPO-1" in refused.value.message_dict["source_id"][0]


def test_officer_of_another_office_cannot_change_the_list(other_officer, officer, wanted_list):
    entry = add_entry(wanted_list, officer)
    with pytest.raises(PermissionDenied):
        add_entry(wanted_list, other_officer, names=["SOMEONE ELSE"])
    with pytest.raises(PermissionDenied):
        entry_withdraw(actor=other_officer, entry=entry, note="not theirs")
    with pytest.raises(PermissionDenied):
        watchlist_update(actor=other_officer, watchlist=wanted_list, name="Renamed")


def test_list_names_are_unique_per_office(officer, wanted_list):
    with pytest.raises(ValidationError) as refused:
        watchlist_create(actor=officer, office=officer.office, name="DPO Polda Metro Jaya",
                         kind="wanted")
    assert "name" in refused.value.message_dict


def test_extension_adds_a_validity_period_with_its_basis(officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_from=TODAY - 170 * D,
                      valid_until=TODAY + 10 * D)

    entry = entry_extend(actor=officer, entry=entry, valid_until=TODAY + 190 * D,
                         note="Keputusan Dirjen Imigrasi perpanjangan pencegahan")

    assert entry.valid_until == TODAY + 190 * D
    assert [(v.valid_until, v.note) for v in entry.validity_history.all()] == [
        (TODAY + 10 * D, ""),
        (TODAY + 190 * D, "Keputusan Dirjen Imigrasi perpanjangan pencegahan")]
    log = AuditLog.objects.filter(object_id=str(entry.pk), event=AuditEvent.UPDATE).get()
    assert log.changes == {"valid_until": [(TODAY + 10 * D).isoformat(),
                                           (TODAY + 190 * D).isoformat()]}


def test_extension_must_end_later_and_give_its_basis(officer, wanted_list):
    entry = add_entry(wanted_list, officer, valid_until=TODAY + 10 * D)
    with pytest.raises(ValidationError) as refused:
        entry_extend(actor=officer, entry=entry, valid_until=TODAY + 5 * D, note="")
    assert set(refused.value.message_dict) == {"valid_until", "note"}
    assert entry.validity_history.count() == 1


def test_withdrawn_entry_stops_matching(officer, wanted_list):
    person = make_person(actor=officer)
    entry = add_entry(wanted_list, officer)
    assert screen_person(person, trigger=Trigger.PERSON)

    entry_withdraw(actor=officer, entry=entry, note="Surat pencabutan DPO")

    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN and entry.withdrawn_at is not None
    assert screen_person(person, trigger=Trigger.PERSON) == []
    with pytest.raises(ValidationError):
        entry_withdraw(actor=officer, entry=entry, note="again")


# ---------------------------------------------------------------------- screening


def test_matching_foreigner_gets_one_hit_with_reasons(officer, wanted_list):
    person = make_person(actor=officer)  # WANG XIAOMING, CHN, 1985-03-21
    entry = add_entry(wanted_list, officer)

    hits = screen_person(person, trigger=Trigger.PERSON)

    assert len(hits) == 1
    hit = hits[0]
    assert (hit.entry, hit.person, hit.office_id, hit.status) == (
        entry, person, person.office_id, "new")
    assert hit.score >= 80
    codes = [reason["code"] for reason in hit.reasons]
    assert codes[0] in {"name_same", "name_reordered"}
    assert "birth_exact" in codes and "nationality_same" in codes
    assert hit.entry_fingerprint == entry.fingerprint and len(hit.person_fingerprint) == 64
    assert AuditLog.objects.filter(object_type="screening.Hit", event=AuditEvent.CREATE,
                                   person_id=person.pk).count() == 1


def test_screening_again_updates_the_same_hit(officer, wanted_list):
    person = make_person(actor=officer)
    add_entry(wanted_list, officer)
    screen_person(person, trigger=Trigger.PERSON)
    screen_person(person, trigger=Trigger.PERMIT, context={"permit": 7})

    hit = Hit.objects.get()
    assert hit.times_seen == 2
    assert hit.trigger == Trigger.PERSON  # first found by
    assert hit.context == {"permit": 7}


def test_namesake_with_another_birth_date_and_nationality_is_not_a_hit(officer, wanted_list):
    person = make_person(actor=officer, nationality="SGP", birth=(1961, 11, 2))
    add_entry(wanted_list, officer)
    assert screen_person(person, trigger=Trigger.PERSON) == []


def test_expired_entry_stops_matching_on_its_own(officer, wanted_list):
    person = make_person(actor=officer)
    add_entry(wanted_list, officer, valid_until=TODAY)
    lists = index_cache.screeners()
    record = index_cache.person_record(person)

    assert lists.screen(record, office_id=person.office_id, on=TODAY)
    # The next day the same index, unchanged, no longer returns it.
    assert lists.screen(record, office_id=person.office_id, on=TODAY + D) == []
    assert index_cache.screeners() is lists


def test_entry_not_yet_valid_does_not_match(officer, wanted_list):
    person = make_person(actor=officer)
    add_entry(wanted_list, officer, valid_from=TODAY + D)
    assert screen_person(person, trigger=Trigger.PERSON) == []


def test_extension_of_an_expired_entry_makes_it_match_again(officer, wanted_list):
    person = make_person(actor=officer)
    entry = add_entry(wanted_list, officer, valid_from=TODAY - 200 * D,
                      valid_until=TODAY - D)
    assert screen_person(person, trigger=Trigger.PERSON) == []

    entry_extend(actor=officer, entry=entry, valid_until=TODAY + 100 * D, note="Perpanjangan")

    assert len(screen_person(person, trigger=Trigger.PERSON)) == 1


def test_local_list_of_one_office_does_not_screen_another_offices_foreigners(
        officer, other_officer, jakpus):
    watchlist = local_list(jakpus, other_officer)
    add_entry(watchlist, other_officer)
    in_jakut = make_person(actor=officer)
    in_jakpus = make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir",
                            passport="EA7654321")
    assert in_jakpus.office == jakpus

    assert screen_person(in_jakut, trigger=Trigger.PERSON) == []
    hits = screen_person(in_jakpus, trigger=Trigger.PERSON)
    assert [hit.office_id for hit in hits] == [jakpus.pk]


def test_shared_list_screens_every_office(officer, other_officer, jakpus, wanted_list):
    add_entry(wanted_list, officer)
    in_jakpus = make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir")
    assert len(screen_person(in_jakpus, trigger=Trigger.PERSON)) == 1


def test_unsharing_a_list_takes_it_away_from_other_offices(officer, other_officer, jakpus,
                                                           wanted_list):
    add_entry(wanted_list, officer)
    in_jakpus = make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir")
    watchlist_update(actor=officer, watchlist=wanted_list, shared=False)
    assert screen_person(in_jakpus, trigger=Trigger.PERSON) == []


def test_query_sees_own_office_and_shared_lists_only(officer, other_officer, analyst, jakpus,
                                                     wanted_list):
    add_entry(local_list(jakpus, other_officer), other_officer, names=["IVAN PETROV"],
              nationalities=["RUS"], birth_dates=["1979"])
    add_entry(wanted_list, officer)
    wang = Record(id="q1", names=("Wang Xiaoming",), birth_dates=(PartialDate(1985, 3, 21),),
                  nationalities=("CHN",))
    ivan = Record(id="q2", names=("Ivan Petrov",), nationalities=("RUS",))

    assert [m.entry.names[0] for m in screen_query(wang, user=officer)] == ["WANG XIAOMING"]
    assert screen_query(ivan, user=officer) == []
    assert [m.entry.names[0] for m in screen_query(ivan, user=other_officer)] == ["IVAN PETROV"]
    assert screen_query(wang, user=analyst) == []
    assert not Hit.objects.exists()


def test_entry_given_by_age_matches_the_birth_year_about_it(officer, wanted_list):
    person = make_person(actor=officer, birth=(TODAY.year - 40, None, None))
    add_entry(wanted_list, officer, birth_dates=[], age=40)
    hits = screen_person(person, trigger=Trigger.PERSON)
    assert [r["code"] for r in hits[0].reasons if r["code"].startswith("birth")] == [
        "birth_about"]


def test_without_any_entry_screening_costs_only_the_version_check(
        officer, django_assert_num_queries):
    person = make_person(actor=officer)
    index_cache.reset()
    with django_assert_num_queries(1):
        assert screen_person(person, trigger=Trigger.PERSON) == []
        screen_after_commit(person, trigger=Trigger.CHECK_IN, context={"stay": 1})
    with django_assert_num_queries(0):
        screen_after_commit(person, trigger=Trigger.CHECK_IN, context={"stay": 1})
    connection = transaction.get_connection()
    assert not any(isinstance(getattr(func, "__self__", None), _Pending)
                   for _sids, func, _robust in connection.run_on_commit)


def test_the_index_follows_a_change_made_by_another_process_within_a_second(
        officer, wanted_list, monkeypatch):
    person = make_person(actor=officer)
    assert screen_person(person, trigger=Trigger.PERSON) == []
    # Another process adds an entry and moves the version: no signal reaches this one.
    entry = WatchlistEntry.objects.create(
        watchlist=wanted_list, source_id="X-1", names=["WANG XIAOMING"],
        birth_dates=["1985-03-21"], nationalities=["CHN"], action="arrest", fingerprint="x")
    ListsVersion.objects.update_or_create(pk=1, defaults={"version": 99})
    assert screen_person(person, trigger=Trigger.PERSON) == []  # checked under a second ago

    clock = index_cache.time.monotonic() + index_cache.CHECK_SECONDS + 0.1
    monkeypatch.setattr(index_cache.time, "monotonic", lambda: clock)
    assert [hit.entry for hit in screen_person(person, trigger=Trigger.PERSON)] == [entry]


# --------------------------------------------------------- the index kept up to date


@pytest.fixture
def no_rebuild(monkeypatch):
    """Fails the test if the indexes are built anew instead of changed entry by entry."""
    def refuse(key):
        raise AssertionError("the indexes were built anew")

    def arm():
        monkeypatch.setattr(index_cache, "_build", refuse)

    return arm


def test_an_officers_changes_to_entries_reach_the_index_entry_by_entry(
        officer, other_officer, jakpus, wanted_list, no_rebuild):
    wang = make_person(actor=officer)
    ivan = make_person(actor=officer, surname="PETROV", given_names="IVAN",
                       nationality="RUS", birth=(1979, 5, 4), passport="RU1234567")
    other = add_entry(wanted_list, officer, names=["KIM MINJUN"], nationalities=["KOR"])
    assert screen_person(wang, trigger=Trigger.PERSON) == []
    lists = index_cache.screeners()
    no_rebuild()

    entry = add_entry(wanted_list, officer)
    assert [hit.entry for hit in screen_person(wang, trigger=Trigger.PERSON)] == [entry]

    entry = entry_save(actor=officer, watchlist=wanted_list, entry=entry,
                       names=["PETROV IVAN"], birth_dates=["1979-05-04"],
                       nationalities=["RUS"], sex="M", reason="Penipuan")
    assert screen_person(wang, trigger=Trigger.PERSON) == []
    assert [hit.entry for hit in screen_person(ivan, trigger=Trigger.PERSON)] == [entry]

    entry_withdraw(actor=officer, entry=entry, note="Dicabut")
    assert screen_person(ivan, trigger=Trigger.PERSON) == []
    # A first local list of another office gets its own index the same way.
    local = add_entry(local_list(jakpus, other_officer), other_officer)
    in_jakpus = make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir",
                            passport="EA7654321")
    assert [hit.entry for hit in screen_person(in_jakpus, trigger=Trigger.PERSON)] == [local]
    assert index_cache.screeners() is lists
    assert lists.shared.index.get(str(other.pk)) is not None


def test_a_lists_scope_changed_builds_the_indexes_anew(officer, wanted_list, monkeypatch):
    add_entry(wanted_list, officer)
    index_cache.screeners()
    built = []
    real = index_cache._build
    monkeypatch.setattr(index_cache, "_build", lambda key: built.append(key) or real(key))
    watchlist_update(actor=officer, watchlist=wanted_list, shared=False)
    index_cache.screeners()
    assert len(built) == 1


def test_a_change_rolled_back_after_this_process_applied_it_is_undone(officer, wanted_list):
    """A change applied before its transaction rolled back leaves a version behind that
    the lists' row no longer has: the indexes are built anew."""
    wang = make_person(actor=officer)
    add_entry(wanted_list, officer, names=["KIM MINJUN"], nationalities=["KOR"])
    index_cache.screeners()
    with pytest.raises(RuntimeError), transaction.atomic():
        add_entry(wanted_list, officer)
        assert len(screen_person(wang, trigger=Trigger.PERSON)) == 1
        raise RuntimeError("undone")
    assert screen_person(wang, trigger=Trigger.PERSON) == []


def test_a_process_that_missed_versions_builds_anew(officer, wanted_list, monkeypatch):
    wang = make_person(actor=officer)
    add_entry(wanted_list, officer, names=["KIM MINJUN"], nationalities=["KOR"])
    index_cache.screeners()
    entry = add_entry(wanted_list, officer)
    # Its version's change is gone (pruned): no way to know what changed.
    ListsChange.objects.filter(version=version()).delete()
    built = []
    real = index_cache._build
    monkeypatch.setattr(index_cache, "_build", lambda key: built.append(key) or real(key))
    assert [hit.entry for hit in screen_person(wang, trigger=Trigger.PERSON)] == [entry]
    assert len(built) == 1


def test_an_index_kept_up_to_date_ranks_namesakes_as_one_built_afresh(
        officer, wanted_list, no_rebuild):
    """Among more equal namesakes than a screen returns, the same ones come first in a
    process that applied a change entry by entry as in one that built its index anew."""
    wang = make_person(actor=officer)
    # More than the 50 candidates a screen compares (Screener.CANDIDATES).
    entries = [add_entry(wanted_list, officer, reason=f"Perkara {n}") for n in range(60)]
    lists = index_cache.screeners()
    no_rebuild()
    # The first entry saved again (another reason): removed and added at the end.
    entry_save(actor=officer, watchlist=wanted_list, entry=entries[0],
               names=["WANG XIAOMING"], birth_dates=["1985-03-21"], nationalities=["CHN"],
               sex="M", reason="Perkara baru")
    assert index_cache.screeners() is lists and lists.dead == 1
    record = index_cache.person_record(wang)
    kept = [m.entry_id for m in lists.screen(record, office_id=wang.office_id, on=TODAY,
                                            limit=10)]
    # Built afresh from the same entries, as another process would.
    index = Index()
    for values in index_cache._active_entries().order_by("pk"):
        index.add(index_cache._entry_record(values))
    fresh = Screener(index).screen(record, limit=10, on=TODAY)
    assert kept == [m.entry_id for m in fresh]
    assert str(entries[0].pk) in kept


def test_an_index_built_long_ago_is_built_anew_on_the_next_change(officer, wanted_list,
                                                                    monkeypatch):
    add_entry(wanted_list, officer, names=["KIM MINJUN"], nationalities=["KOR"])
    lists = index_cache.screeners()
    monkeypatch.setattr(index_cache, "REBUILD_AFTER", -1.0)
    add_entry(wanted_list, officer)
    assert index_cache.screeners() is not lists


def test_screening_many_persons_at_once_finds_what_each_finds_alone(
        officer, other_officer, wanted_list):
    # A shared list and a local list in each of two offices; persons of both offices.
    add_entry(wanted_list, officer)
    add_entry(wanted_list, officer, names=["Ivan PETROV", "Иван Петров"],
              nationalities=["RUS"], birth_dates=["1979-02-02"])
    add_entry(local_list(officer.office, officer), officer, names=["John SMITH"],
              nationalities=["GBR"], birth_dates=["1960-01-01"])
    add_entry(local_list(other_officer.office, other_officer), other_officer,
              names=["SMITH John Paul"], nationalities=["GBR"], birth_dates=["1960"])
    people = [
        make_person(actor=officer),
        make_person(actor=officer, surname="SMITH", given_names="JOHN", nationality="GBR",
                    passport="123456789", birth=(1960, 1, 1)),
        make_person(actor=other_officer, office=other_officer.office, surname="SMITH",
                    given_names="JOHN", nationality="GBR", passport="123456780",
                    birth=(1960, 1, 1)),
        make_person(actor=other_officer, office=other_officer.office, surname="PETROV",
                    given_names="IVAN", nationality="RUS", passport="750000002",
                    birth=(1979, 2, 2)),
        make_person(actor=officer, surname="TANAKA", given_names="YUKI", nationality="JPN",
                    passport="TK0000001", birth=(1990, 5, 5)),
    ]
    lists = index_cache.screeners()
    records = [index_cache.person_record(person) for person in people]
    alone = [lists.screen(record, office_id=person.office_id, on=TODAY)
             for person, record in zip(people, records, strict=True)]
    together = lists.screen_many(records, office_ids=[p.office_id for p in people], on=TODAY)
    assert together == alone
    # Each office's local list screened its own foreigners only.
    assert [len(matches) for matches in together] == [1, 1, 1, 1, 0]
