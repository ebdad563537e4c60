from django import template

from pora.registry.models import Sex

register = template.Library()


@register.filter
def sex(code: str) -> str:
    """A passport's sex code (M, F, X; "<" in an MRZ) in the reader's language."""
    return Sex(code).label if code in Sex.values else str(Sex.UNSPECIFIED.label)
