"""Every reason the engine can give is rendered in the reader's language."""

from __future__ import annotations

from django.utils import translation

from pora.screening.engine.records import Record, parse_date
from pora.screening.engine.score import HOW, TEXTS, compare
from pora.screening.reasons import DETAIL_WORDS, REASONS, reason_text


def test_every_engine_reason_has_a_translatable_sentence():
    assert set(REASONS) == set(TEXTS)
    assert {how for how in HOW.values() if how} <= set(DETAIL_WORDS)


def test_reasons_read_in_indonesian():
    query = Record("q", ("Aleksandr Ivanov",), (parse_date("1980-05-12"),), ("RUS",))
    entry = Record("e", ("Александр Иванов",), (parse_date("1980-12-05"),), ("RUS",))
    reasons = [reason.as_dict() for reason in compare(query, entry).reasons]
    with translation.override("id"):
        texts = [reason_text(reason) for reason in reasons]
    english = [reason["text"] for reason in reasons]
    assert texts != english
    assert all(text for text in texts)
    assert any("1980-05-12" in text for text in texts)


def test_every_way_the_scorer_finds_words_alike_has_words_of_its_own_here():
    from pora.screening.engine.score import HOW
    from pora.screening.reasons import DETAIL_WORDS

    assert {how for how in HOW.values() if how} | {"words joined or split", "same words"} \
        == set(DETAIL_WORDS)


def test_every_way_a_name_is_read_another_way_has_words_of_its_own_here():
    from pora.screening.engine.score import READING_HOW as ENGINE
    from pora.screening.reasons import READING_HOW, reason_text

    assert set(ENGINE.values()) == set(READING_HOW)
    with translation.override("id"):
        text = reason_text({"code": "name_reading", "params": {
            "how": "nickname", "original": "Misha Ivanov", "reading": "mikhail ivanov"}})
    assert "nama panggilan" in text and "Misha Ivanov" in text
