"""The rules that raise alerts, registered by the areas that own them.

A rule has a code (stored on each alert), a label, a severity that orders the queue (a
confirmed watchlist hit before a late report) and an explanation rendered from the
alert's facts in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


class Severity:
    """Higher is more urgent; the queue lists the most urgent first."""

    LOW = 10
    MEDIUM = 20
    HIGH = 30
    CRITICAL = 40


def _plain(template: str | Promise, facts: dict[str, Any]) -> str:
    try:
        return str(template) % facts
    except (KeyError, TypeError, ValueError):
        return str(template)


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    severity: int
    # The area whose queue page shows the alert (its app label).
    area: str
    # An explanation from the facts; by default the template ``explanation`` filled in.
    explanation: str | Promise = ""
    explain: Callable[[dict[str, Any]], str] | None = field(default=None, compare=False)

    def explain_facts(self, facts: dict[str, Any]) -> str:
        if self.explain is not None:
            return self.explain(facts)
        return _plain(self.explanation, facts) if self.explanation else str(self.label)


@dataclass(frozen=True)
class Finding:
    """What a rule found: its key makes two findings of the same subject one alert."""

    rule: str
    key: str
    facts: dict[str, Any] = field(default_factory=dict)
    person_id: int | None = None
    lodging_id: int | None = None
    stay_id: int | None = None


_rules: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    """Register rules (again: the same code is replaced, as AppConfig.ready may rerun)."""
    for rule in rules:
        _rules[rule.code] = rule


def get(code: str) -> Rule | None:
    return _rules.get(code)


def all_rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: (-rule.severity, rule.code))


def choices() -> list[tuple[str, str | Promise]]:
    return [(rule.code, rule.label) for rule in all_rules()]


def severity(code: str) -> int:
    rule = _rules.get(code)
    return rule.severity if rule else Severity.LOW


def label(code: str) -> str:
    rule = _rules.get(code)
    return str(rule.label) if rule else code


def explain(code: str, facts: dict[str, Any]) -> str:
    rule = _rules.get(code)
    return rule.explain_facts(facts) if rule else code
