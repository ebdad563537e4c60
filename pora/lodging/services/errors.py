"""Errors a reporter can act on, each naming its field, in Bahasa Indonesia and English."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message_id: str
    message_en: str

    @property
    def message(self) -> str:
        """The message in the active language (Indonesian unless English is chosen)."""
        return self.message_en if (get_language() or "id").startswith("en") else self.message_id

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "message_id": self.message_id,
                "message_en": self.message_en}


class ReportRejected(Exception):
    """Nothing was saved; ``problems`` says why, field by field."""

    def __init__(self, problems: list[Problem], *, status: int = 422) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems
        self.status = status

    @classmethod
    def one(cls, field: str, code: str, message_id: str, message_en: str, *,
            status: int = 422) -> ReportRejected:
        return cls([Problem(field, code, message_id, message_en)], status=status)
