"""The cultures of the evaluation set and their shares of list entries.

The shares are a judgement, not a statistic: they picture the persons an Indonesian
immigration office screens against lists — mostly Asian (Chinese nationals are the
largest group of foreign workers in Indonesia in the Ministry of Manpower's counts;
Malaysians, Singaporeans, Chinese, Indians and Koreans among the commonest visitors in
Statistics Indonesia's arrivals), the Gulf and the Levant, with Russians, Nigerians and
Westerners. Inside each culture, names follow their own countries' frequency tables
(see each module).
"""

from __future__ import annotations

from pora.screening.eval.arabic import Arabic
from pora.screening.eval.chinese import Chinese
from pora.screening.eval.culture import Culture
from pora.screening.eval.cyrillic import Cyrillic
from pora.screening.eval.japanese import Japanese
from pora.screening.eval.korean import Korean
from pora.screening.eval.latin import Indian, Indonesian, Nigerian, Vietnamese, Western

CULTURES: dict[str, Culture] = {c.key: c for c in (
    Chinese(), Indian(), Arabic(), Cyrillic(), Korean(), Vietnamese(), Japanese(),
    Nigerian(), Indonesian(), Western())}

# How lists order names, by culture: the share written given name first.
LIST_GIVEN_FIRST = {"chinese": 0.3, "korean": 0.4, "japanese": 0.4, "vietnamese": 0.2,
                    "russian": 0.7, "arabic": 0.85, "indian": 0.9, "nigerian": 0.6,
                    "indonesian": 0.9, "western": 0.9}

assert abs(sum(c.share for c in CULTURES.values()) - 1) < 1e-9
