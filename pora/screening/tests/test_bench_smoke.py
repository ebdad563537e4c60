"""`pora bench screening` at tiny sizes: every part runs and reports; no timing asserted."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management.base import OutputWrapper
from django.test import Client

from pora.bench import screening as bench
from pora.bench.harness import Outcome
from pora.bench.screening_data import Maker, PersonStream, Pools, build_index, yardstick
from pora.screening import index_cache
from pora.screening.engine.index import Screener
from pora.screening.engine.score import prepare
from pora.screening.tests.pairs import PAIRS, evaluate


@pytest.fixture(scope="module")
def pools() -> Pools:
    return Pools.build(size=200)


def _facts(record):
    return (record.id, record.names, record.birth_dates, record.nationalities,
            record.documents, record.sex)


def test_every_part_but_the_api_runs_and_reports_beside_its_target():
    buffer = io.StringIO()
    results = bench.run(parts=("quality", "single", "bulk", "memory"), entries=300,
                        queries=20, bulk_persons=400, workers=2, sample=10,
                        memory_entries=300, out=OutputWrapper(buffer))
    names = [r.name for r in results]
    assert names == [
        "quality: recall on labelled pairs", "quality: precision on labelled pairs",
        "single screen p95, 300 entries",
        "bulk: 400 persons × 300 entries, 2 processes", "bulk: found / exhaustive on a sample",
        "memory: peak RSS, index of 300 entries"]
    assert all(r.value is not None for r in results), buffer.getvalue()
    quality = evaluate(80)
    assert results[0].value == pytest.approx(quality.recall * 100)
    assert results[1].value == pytest.approx(quality.precision * 100)
    text = buffer.getvalue()
    assert "Watchlist: 300 entries" in text
    assert "400 of 400 persons screened" in text
    assert "300 entries" in text and "peak resident" in text


def test_an_unknown_part_is_refused():
    with pytest.raises(ValueError, match="unknown part"):
        bench.run(parts=("quality", "speed"), out=OutputWrapper(io.StringIO()))


def test_the_yardstick_finds_what_comparing_every_entry_finds(pools):
    maker = Maker(pools, 3)
    screener = Screener(build_index(maker, 400))
    entries = [prepare(record) for record in screener.index]
    queries = maker.queries(12, entries=400, planted_share=0.5)
    found_any = False
    for query in queries:
        expected = sorted((m.entry_id, m.score) for m in screener.exhaustive(query))
        assert sorted(yardstick(query, entries, screener.threshold)) == expected
        found_any = found_any or bool(expected)
    assert found_any


def test_persons_are_the_same_however_the_run_is_split(pools):
    maker = Maker(pools, 3)
    stream = PersonStream(maker, entries=400, chunk=100)
    whole = [_facts(r) for r in stream.persons(0, 300)]
    split = [_facts(r) for r in stream.persons(0, 200)] + [
        _facts(r) for r in stream.persons(200, 300)]
    assert whole == split
    assert len({names for _id, names, *_rest in whole}) > 200
    planted = [r for r in stream.persons(0, 300) if "planted" in r.extra]
    assert [r.id for r in planted] == ["P0", "P100", "P200"]


def test_planted_persons_are_found_and_entries_are_reproducible(pools):
    maker = Maker(pools, 3)
    assert _facts(maker.entry(7)) == _facts(Maker(pools, 3).entry(7))
    screener = Screener(build_index(maker, 400))
    planted = [q for q in maker.queries(40, entries=400, planted_share=1.0)]
    found = sum(any(m.entry_id == q.extra["planted"] for m in screener.screen(q))
                for q in planted)
    assert found >= len(planted) // 2


def test_the_labelled_set_reports_what_it_missed():
    quality = evaluate(101)  # nothing reaches 101: every match is missed
    assert quality.recall == 0
    assert len(quality.false_negatives) == sum(p.match for p in PAIRS)
    assert quality.misclassified()[0].startswith("missed (")


@pytest.mark.django_db
def test_api_answers_are_checked_against_the_engine(pools):
    index_cache.reset()
    maker = Maker(pools, 3)
    records = list(maker.entries(300))
    screener = Screener(build_index(maker, 300))
    watchlist = bench._load_entries(records, OutputWrapper(io.StringIO()))
    source_ids = dict(watchlist.entries.values_list("id", "source_id"))
    [token] = bench._officers(1)
    persons = maker.queries(12, entries=300, planted_share=0.5, start=500)
    client = Client()
    outcome = Outcome()
    for number, person in enumerate(persons):
        response = client.post("/api/v1/screen", data=json.dumps(bench._body(person)),
                                content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {token}",
                                HTTP_X_FORWARDED_PROTO="https", secure=True)
        assert response.status_code == 200, response.content
        outcome.bodies[0, number] = response.content
    assert any(json.loads(body)["candidates"] for body in outcome.bodies.values())
    wrong, same = bench._check_answers(outcome, [persons], screener, source_ids)
    assert wrong == []
    assert same == len(persons)
    # A wrong score and a missing planted entry are noticed.
    first = next(key for key, body in outcome.bodies.items()
                 if json.loads(body)["candidates"] and "planted" in persons[key[1]].extra)
    answer = json.loads(outcome.bodies[first])
    answer["candidates"][0]["score"] -= 1
    outcome.bodies[first] = json.dumps(answer).encode()
    wrong, _same = bench._check_answers(outcome, [persons], screener, source_ids)
    assert len(wrong) == 1 and "scored" in wrong[0]
    answer["candidates"] = [c for c in answer["candidates"]
                            if source_ids[c["entry_id"]] != persons[first[1]].extra["planted"]]
    outcome.bodies[first] = json.dumps(answer).encode()
    wrong, _same = bench._check_answers(outcome, [persons], screener, source_ids)
    assert any("misses" in line for line in wrong)
    index_cache.reset()


# ------------------------------------------------------------------- evaluation set


def test_the_evaluation_set_reports_both_splits_beside_the_baseline():
    from pora.bench import screening_eval

    buffer = io.StringIO()
    results = bench.run(parts=("evalset",), eval_entries=600, eval_queries=240,
                        reference="rapidfuzz", out=OutputWrapper(buffer))
    assert [r.name for r in results] == [
        "evalset held_out: recall at 80", "evalset held_out: precision at 80",
        "evalset held_out: recall ≥ rapidfuzz token_sort_ratio's",
        "evalset held_out: precision ≥ rapidfuzz token_sort_ratio's"]
    assert all(r.value is not None and 0 <= r.value <= 100 for r in results)
    text = buffer.getvalue()
    assert "Evaluation set (pora.screening.eval, seed 1" in text and "600 list entries" in text
    assert "\ndev: 120 persons" in text and "\nheld_out: 120 persons" in text
    for threshold in screening_eval.THRESHOLDS:
        assert f"\n| {threshold} | " in text
    assert "| homonym_joined (false hit) |" in text and "| script (found) |" in text
    assert "Blocking for the pair scorers" in text and "Machine:" in text
    assert "Targets (held_out" in text and "rapidfuzz baseline stands in" in text


def test_recall_counts_persons_and_precision_counts_hits():
    from pora.bench.screening_eval import category_rates, figures
    from pora.screening.engine.records import Record
    from pora.screening.eval import Query

    def query(n, truth, category):
        return Query(Record(id=f"Q{n}", names=("X",)), "dev", category, truth, "E1")

    queries = [query(1, ("E1", "E2"), "exact"), query(2, ("E3",), "typo"),
               query(3, (), "homonym_same_date")]
    scores = {"Q1": {"E2": 85, "E9": 90}, "Q2": {"E3": 79}, "Q3": {"E4": 81, "E5": 60}}
    at_80 = figures(queries, scores, 80)
    assert (at_80.listed, at_80.found, at_80.hits, at_80.true_hits) == (2, 1, 3, 1)
    assert at_80.recall == 0.5 and at_80.precision == pytest.approx(1 / 3)
    assert figures(queries, scores, 70).recall == 1.0
    assert category_rates(queries, scores, 80) == {
        "exact": (1, 1.0), "typo": (1, 0.0), "homonym_same_date": (1, 1.0)}


def test_quality_flag_runs_the_labelled_pairs_and_the_evaluation_set(monkeypatch):
    from django.core.management import CommandError, call_command

    seen = {}

    def fake_run(**kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr(bench, "run", fake_run)
    call_command("bench", "screening", "--quality", "--eval-entries", "700",
                 "--eval-seed", "2", stdout=io.StringIO())
    assert seen["parts"] == ("quality", "evalset") and seen["eval_entries"] == 700
    assert seen["eval_seed"] == 2
    with pytest.raises(CommandError, match="give one of them"):
        call_command("bench", "screening", "--quality", "--only", "quality",
                     stdout=io.StringIO())


def test_records_become_followthemoney_persons_for_the_reference():
    model = pytest.importorskip(
        "followthemoney", reason="the reference scorer is an optional extra, never a product "
        "dependency: `uv sync --extra reference` installs it").model
    from pora.bench.screening_eval import _entity
    from pora.screening.engine.records import PartialDate, Record

    record = Record(id="E1", names=("Чан Ван Ан", "Tran Van An"),
                    birth_dates=(PartialDate(1980), PartialDate(1981, 5, 2)),
                    nationalities=("VNM", "TWN"), documents=("C1234567",), sex="M")
    entity = _entity(record, "entry", model)
    assert entity.id == "entry-E1" and entity.schema.name == "Person"
    assert set(entity.get("name")) == {"Чан Ван Ан", "Tran Van An"}
    assert set(entity.get("birthDate")) == {"1980", "1981-05-02"}
    assert set(entity.get("nationality")) == {"vn", "tw"}
    assert entity.get("gender") == ["male"] and entity.get("passportNumber") == ["C1234567"]
