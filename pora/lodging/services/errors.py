"""Errors a reporter can act on, each naming its field, in Bahasa Indonesia and English
(:class:`pora.core.api.Problem`, the API's one error shape)."""

from __future__ import annotations

from pora.core.api import Problem


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
