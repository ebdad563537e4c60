"""The shape every culture of the evaluation set fills in.

A culture draws persons (names by their real frequencies, a birth date, a nationality)
and writes their names: in Latin letters by one of its romanisation schemes and in
either order, and in the original script. It also makes the other persons a hard
negative needs: a sibling (another given name), the other sex's form of the name, a
longer name that begins with this one, two syllables that read as another name when
glued together.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from pora.screening.eval.common import (
    GIVEN_FIRST,
    SURNAME_FIRST,
    Person,
    Table,
    capitalised,
    folded,
)


class Culture:
    key = ""
    label = ""
    # Share of list entries (see cultures.py for why these shares).
    share = 0.0
    # Names have a form in a non-Latin script (Hanzi, Hangul, kanji, Cyrillic, Arabic).
    script = False
    # Of the passport's two orders, how often the registry has the given name first.
    given_first = 0.5
    # (region, nationality) and their weights.
    regions: Table[tuple[str, str]]

    # ------------------------------------------------------------------ persons

    def draw(self, rng: random.Random, *, sex: str, born: dt.date,
             region: str | None = None) -> Person:
        raise NotImplementedError

    def region(self, rng: random.Random) -> tuple[str, str]:
        return self.regions.pick(rng)

    def other_given(self, person: Person, rng: random.Random) -> Person:
        """A sibling: same family name, another given name of the same sex."""
        for _attempt in range(30):
            other = self.draw(rng, sex=person.sex, born=person.born, region=person.region)
            other = replace(other, surname=person.surname, middle=person.middle,
                            nationality=person.nationality, patronymic=person.patronymic)
            if tuple(w.key for w in other.given) != tuple(w.key for w in person.given):
                return other
        raise RuntimeError(f"no other given name for {person}")

    def other_sex(self, person: Person, rng: random.Random) -> Person | None:
        """The other sex's form of the name (Volkov → Volkova), or None."""
        return None

    def other_sex_pair(self, rng: random.Random, *, sex: str, born: dt.date
                       ) -> tuple[Person, Person] | None:
        """A listed person and another of the other sex whose name is its other form."""
        for _attempt in range(30):
            person = self.draw(rng, sex=sex, born=born)
            other = self.other_sex(person, rng)
            if other is not None:
                return person, other
        return None

    def longer_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        """A listed person and another whose surname is a longer name beginning with the
        listed one's (Sokolov, Sokolovsky)."""
        return None

    def joined_pair(self, rng: random.Random, *, sex: str, born: dt.date
                    ) -> tuple[Person, Person] | None:
        """A listed person and another whose given name is two short syllables that,
        glued together, read as the listed one's (Tuan and Tu An)."""
        return None

    def nickname(self, person: Person, rng: random.Random) -> tuple[Person, str] | None:
        """The person with a given name in its short or familiar form, and the side that
        carries it: "entry" (the list knows him as Misha) or "query" (the passport
        writes MOHD)."""
        return None

    def second_nationality(self, person: Person, rng: random.Random) -> str | None:
        return None

    # ---------------------------------------------------------------- spelling

    def passport_scheme(self, person: Person) -> str:
        """The romanisation the person's passport uses."""
        return person.choice("passport", "passport")

    def list_schemes(self, person: Person) -> Table[str]:
        """The romanisations lists use for this person, by how often."""
        raise NotImplementedError

    def family(self, scheme: str) -> str:
        """Schemes of one family differ only in how syllables are joined (pinyin joined,
        split or hyphenated): not another romanisation."""
        return scheme

    def spelled(self, person: Person, scheme: str) -> tuple[str, ...]:
        """Each word's spelling in ``scheme``, folded: two schemes that give the same
        tuple write the name the same way."""
        return tuple(folded(w.latin(scheme)) for w in person.words())

    def given_text(self, person: Person, scheme: str) -> str:
        return " ".join(capitalised(w.latin(scheme)) for w in person.given)

    def surname_text(self, person: Person, scheme: str) -> str:
        return " ".join(capitalised(w.latin(scheme)) for w in person.surname)

    def middle_text(self, person: Person, scheme: str) -> str:
        return " ".join(capitalised(w.latin(scheme)) for w in person.middle)

    def render(self, person: Person, scheme: str, order: str, *, short: bool = False) -> str:
        """The name in Latin letters; ``short`` leaves out the middle names."""
        given = self.given_text(person, scheme)
        middle = "" if short else self.middle_text(person, scheme)
        block = " ".join(p for p in (given, middle) if p)
        surname = self.surname_text(person, scheme)
        parts = (block, surname) if order == GIVEN_FIRST else (surname, block)
        return " ".join(p for p in parts if p)

    def native(self, person: Person, rng: random.Random) -> list[str]:
        """The name in its original script, the commonest form first; [] for cultures
        written in Latin letters."""
        return []

    def has_order(self, person: Person) -> bool:
        """Whether the name has two parts a clerk can put either way round."""
        return bool(person.surname) and bool(person.given)


def swap(order: str) -> str:
    return SURNAME_FIRST if order == GIVEN_FIRST else GIVEN_FIRST
