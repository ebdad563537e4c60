"""Nationality codes: ISO 3166 alpha-3 as in passports, with pycountry."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language, gettext_lazy

# ICAO 9303 codes that are not ISO 3166 alpha-3 country codes.
ICAO_SPECIAL = {
    "D": "DEU",  # Germany writes a single letter in the MRZ
    "GBD": "GBR", "GBN": "GBR", "GBO": "GBR", "GBP": "GBR", "GBS": "GBR",
    "RKS": "RKS",  # Kosovo
    "UNO": "UNO", "UNA": "UNA", "UNK": "UNK",  # United Nations documents
    "XXA": "XXA", "XXB": "XXB", "XXC": "XXC", "XXX": "XXX",  # stateless, refugee, unspecified
    "EUE": "EUE",
    "UTO": "UTO",  # Utopia: the state of the ICAO 9303 specimen documents
}
SPECIAL_NAMES = {
    "RKS": gettext_lazy("Kosovo"), "UNO": gettext_lazy("United Nations"),
    "UNA": gettext_lazy("United Nations agency"),
    "UNK": gettext_lazy("UN Interim Administration in Kosovo"),
    "XXA": gettext_lazy("Stateless person"), "XXB": gettext_lazy("Refugee"),
    "XXC": gettext_lazy("Refugee (other)"), "XXX": gettext_lazy("Unspecified nationality"),
    "EUE": gettext_lazy("European Union"), "UTO": gettext_lazy("Utopia (ICAO specimen)"),
}


# Indonesian names where pycountry's ``id`` catalogue has none, keeps ISO's formal
# inverted form ("Iran, Republik Islam"), or differs from the names the Indonesian
# government uses (Kemlu's list of countries; Keppres 12/2014 for Tiongkok).
INDONESIAN_NAMES = {
    "BES": "Bonaire, Sint Eustatius, dan Saba", "BOL": "Bolivia", "CHN": "Tiongkok",
    "COD": "Republik Demokratik Kongo", "COG": "Kongo", "CPV": "Tanjung Verde",
    "CZE": "Ceko", "FRA": "Prancis", "FSM": "Mikronesia", "GUF": "Guyana Prancis",
    "IRN": "Iran", "LAO": "Laos", "MAC": "Makau", "MAF": "Saint Martin (Prancis)",
    "MDA": "Moldova", "PCN": "Kepulauan Pitcairn", "PSE": "Palestina",
    "PYF": "Polinesia Prancis", "RUS": "Rusia", "SXM": "Sint Maarten (Belanda)",
    "SYR": "Suriah", "TLS": "Timor-Leste", "TWN": "Taiwan", "VAT": "Vatikan",
    "VEN": "Venezuela", "VIR": "Kepulauan Virgin Amerika Serikat",
    "ATF": "Wilayah Selatan Prancis", "FLK": "Kepulauan Falkland",
}


def to_alpha3(value: str | None) -> str | None:
    """``"id"``, ``"IDN"`` and ``"Indonesia"`` all give ``"IDN"``; unknown gives None."""
    if not value:
        return None
    raw = value.strip()
    code = raw.upper()
    if code in ICAO_SPECIAL:
        return ICAO_SPECIAL[code]
    if len(code) == 3 and pycountry.countries.get(alpha_3=code):
        return code
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        return country.alpha_3 if country else None
    try:
        return pycountry.countries.lookup(raw).alpha_3
    except LookupError:
        return None


@lru_cache(maxsize=4)
def _translations(language: str):
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def country_name(alpha3: str) -> str:
    if alpha3 in SPECIAL_NAMES:
        return str(SPECIAL_NAMES[alpha3])
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        return alpha3
    name = getattr(country, "common_name", None) or country.name
    language = (get_language() or "id").split("-")[0]
    if language == "en":
        return name
    if language == "id" and alpha3 in INDONESIAN_NAMES:
        return INDONESIAN_NAMES[alpha3]
    return _translations(language).gettext(country.name)


def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_3, country_name(c.alpha_3)) for c in pycountry.countries),
                  key=lambda item: item[1])
