"""Why a person resembles a list entry, in the reader's language.

The engine gives each reason a code, its values and an English sentence
(:data:`pora.screening.engine.score.TEXTS`); a hit stores all of them and the pages render
the code's sentence below with the stored values.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

REASONS = {
    "name_same": _("Same name: %(query)s = %(entry)s"),
    "name_reordered": _("Same names in another order: %(query)s = %(entry)s"),
    "name_similar": _("Names %(percent)s%% alike: %(query)s ~ %(entry)s (%(detail)s)"),
    "name_script": _("Name written in another script, read as Latin: %(original)s → %(latin)s"),
    "name_reading": _("Name read another way (%(how)s): %(original)s → %(reading)s"),
    "birth_exact": _("Same birth date: %(query)s"),
    "birth_month": _("Same year and month of birth: %(query)s / %(entry)s"),
    "birth_year": _("Same year of birth: %(query)s / %(entry)s"),
    "birth_about": _("Birth year agrees with the recorded age: %(query)s / %(entry)s"),
    "birth_swapped": _("Birth date with day and month swapped: %(query)s / %(entry)s"),
    "birth_close": _("Birth dates differ by one field, possibly a typing error: "
                     "%(query)s / %(entry)s"),
    "birth_same_year": _("Same year of birth but a different day and month: "
                         "%(query)s / %(entry)s"),
    "birth_different": _("Clearly different birth dates: %(query)s / %(entry)s"),
    "birth_unknown": _("No birth date to compare: the name alone must be all but certain"),
    "nationality_same": _("Same nationality: %(codes)s"),
    "nationality_different": _("Different nationality: %(query)s / %(entry)s"),
    "nationality_unknown": _("No nationality to compare"),
    "document_same": _("Same document number: %(number)s"),
    "document_ocr": _("Document numbers equal but for O/0 or I/1 confusion: "
                      "%(query)s / %(entry)s"),
    "document_different": _("Different document numbers"),
    "sex_same": _("Same sex"),
    "sex_different": _("Different sex"),
    "sex_different_name": _("The name's form shows another sex: %(query)s / %(entry)s"),
}

# How two name words were found alike, inside the name reason's detail.
DETAIL_WORDS = {
    "spelling": _("spelling"),
    "sounds alike": _("sounds alike"),
    "same consonants": _("same consonants"),
    "initial": _("initial"),
    "particle joined": _("particle joined"),
    "a longer name": _("a longer name"),
    "the other sex's form": _("the other sex's form"),
    "words joined or split": _("words joined or split"),
    "same words": _("same words"),
    "another syllable": _("another syllable"),
    "typing error": _("typing error"),
    "Hong Kong spelling of the pinyin": _("Hong Kong spelling of the pinyin"),
    "another given name": _("another given name"),
}
# How a name was read another way (the name_reading reason's "how").
READING_HOW = {
    "Japanese reading": _("Japanese reading"),
    "Wade-Giles as pinyin": _("Wade-Giles as pinyin"),
    "Cantonese (Hong Kong) reading": _("Cantonese (Hong Kong) reading"),
    "nickname": _("nickname"),
    "old Indonesian spelling": _("old Indonesian spelling"),
    "Korean romanisations as one": _("Korean romanisations as one"),
    "another romanisation system": _("another romanisation system"),
}
# The scorer's words in parentheses after a pair ("(spelling)"); the joined or split
# note stands alone.
_WHOLES = ("words joined or split", "same words")
_DETAIL = re.compile(r"\((" + "|".join(re.escape(w) for w in DETAIL_WORDS if w not in _WHOLES)
                     + r")\)|^(" + "|".join(re.escape(w) for w in _WHOLES) + ")$")


def _detail(text: str) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(1)
        if word is None:
            return str(DETAIL_WORDS[match.group(2)])
        return f"({DETAIL_WORDS[word]})"

    return _DETAIL.sub(swap, text)


def reason_text(reason: dict) -> str:
    """One stored reason (``{code, points, params, text}``) as a sentence; an unknown
    code or broken values fall back to the engine's English sentence."""
    template = REASONS.get(reason.get("code", ""))
    params = dict(reason.get("params") or {})
    if template is None:
        return str(reason.get("text", ""))
    if "detail" in params:
        params["detail"] = _detail(str(params["detail"]))
    if "how" in params:
        params["how"] = str(READING_HOW.get(str(params["how"]), params["how"]))
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(reason.get("text", "")) or str(template)
