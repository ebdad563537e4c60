"""Password policy and the limits on reset requests.

The policy (settings.AUTH_PASSWORD_VALIDATORS) is Django's validators with a minimum of 12
characters, plus ``DomainWordsValidator``: the guesses an attacker tries first against an
immigration office or a hotel are the words of that place ("Hotel2024", "jakarta1",
"Imigrasi#2024"), which no general list of common passwords holds.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

# Words of this system, its offices, lodgings and cities, and of passwords in general.
DOMAIN_WORDS = frozenset({
    "pora", "timpora", "imigrasi", "imigration", "immigration", "kanim", "kantor",
    "kemenkumham", "imipas", "ditjen", "dirjen", "inteldakim", "wasdakim", "petugas",
    "kepala", "analis", "mitra", "admin", "administrator", "operator", "pengguna",
    "user", "hotel", "motel", "losmen", "penginapan", "homestay", "apartemen",
    "apartment", "villa", "vila", "wisma", "resort", "guesthouse", "guest", "house",
    "kos", "kost", "indekos", "paspor", "passport", "visa", "kitas", "kitap", "itas",
    "itap", "orang", "asing", "jakarta", "jakut", "jakpus", "jakbar", "jaksel",
    "jaktim", "utara", "selatan", "barat", "timur", "pusat", "indonesia", "nusantara",
    "garuda", "merdeka", "bali", "surabaya", "bandung", "medan", "batam", "polres",
    "polri", "polisi", "police", "password", "sandi", "kata", "rahasia", "secret",
    "login", "masuk", "welcome", "selamat", "datang", "qwerty", "asdf", "letmein",
    "demo"
})

# Digits and signs read as letters ("H0tel", "Jak@rta"); "1" is tried as "i" and as "l".
_LEET = [str.maketrans("0134578@$!", "oieastbasi"), str.maketrans("0134578@$!", "oleastbasi")]
_SHORTEST_WORD = 3

# Further words of a user, from apps that core does not know (a lodging's name).
_word_sources: list[Callable[[object], Iterable[str]]] = []


def add_word_source(source: Callable[[object], Iterable[str]]) -> None:
    """``source(user)`` names more words that a password of ``user`` may not be built from."""
    if source not in _word_sources:
        _word_sources.append(source)


def _letters(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_text.lower())


def _words(texts: Iterable[str]) -> set[str]:
    out = set()
    for text in texts:
        for part in re.split(r"[^a-z]+", unicodedata.normalize("NFKD", str(text or ""))
                             .encode("ascii", "ignore").decode().lower()):
            if len(part) >= _SHORTEST_WORD:
                out.add(part)
    return out


def user_words(user) -> set[str]:
    """The user's own names, email, office, agency and (through the sources) lodging."""
    if user is None:
        return set()
    texts = [getattr(user, name, "") for name in ("username", "first_name", "last_name",
                                                  "email")]
    for relation in ("office", "agency"):
        if getattr(user, f"{relation}_id", None) is not None:
            texts.append(getattr(user, relation).name)
    # A form names what is not saved yet, e.g. the lodging a registration creates.
    texts.extend(getattr(user, "password_context", ()))
    for source in _word_sources:
        texts.extend(source(user))
    return _words(texts)


def _made_of(letters: str, words: frozenset[str] | set[str]) -> bool:
    """Whether ``letters`` is one or more of ``words`` run together."""
    if not letters:
        return False

    @functools.cache
    def rest_made_of(start: int) -> bool:
        if start == len(letters):
            return True
        return any(letters.startswith(word, start) and rest_made_of(start + len(word))
                   for word in words if len(word) <= len(letters) - start)

    return rest_made_of(0)


def built_from_domain_words(password: str, user=None) -> bool:
    words = DOMAIN_WORDS | user_words(user)
    candidates = {_letters(password)} | {_letters(password.lower().translate(t)) for t in _LEET}
    # 200 characters is far beyond any password typed from words; it bounds the work.
    return any(_made_of(letters, words) for letters in candidates if len(letters) <= 200)


class DomainWordsValidator:
    """Refuses passwords made only of words of this domain, with digits or signs."""

    def validate(self, password: str, user=None) -> None:
        if built_from_domain_words(password, user):
            raise ValidationError(
                gettext("This password is made only of words that are easy to guess here "
                        "(such as the name of an office, a lodging or a city, “hotel” or "
                        "“imigrasi”) with digits or signs. Add other, unrelated words."),
                code="password_domain_words",
            )

    def get_help_text(self) -> str:
        return gettext("Your password can’t be made only of words such as the name of your "
                       "office, lodging or city with digits.")


# ------------------------------------------------------------------ reset request limits


def _counted(key: str, limit: int, window: int) -> bool:
    """Counts one more request under ``key`` in this window; False once over ``limit``.
    A fixed window, keyed by its number, holds with any cache backend (not all keep a
    key's expiry on increment)."""
    number = int(timezone.now().timestamp() // window)
    key = f"pora:reset:{key}:{number}"
    if cache.add(key, 1, timeout=window + 60):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 60)
        return True
    return count <= limit


def reset_request_allowed(*, email: str, ip: str | None) -> bool:
    """Whether a reset link may be asked for this address from this network address
    (PORA_PASSWORD_RESET_PER_IP and _PER_ADDRESS per hour).

    Every address counts, registered or not: the limit itself must not tell which
    addresses have an account.
    """
    if ip and not _counted(f"ip:{ip}", settings.PORA_PASSWORD_RESET_PER_IP, 3600):
        return False
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return _counted(f"address:{address}", settings.PORA_PASSWORD_RESET_PER_ADDRESS, 3600)
