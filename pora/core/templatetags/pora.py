from django import template
from django.utils.formats import number_format

from pora.registry.countries import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def sex(code: str) -> str:
    """A passport's sex code (M, F, X; "<" in an MRZ) in the reader's language."""
    from pora.registry.models import Sex

    return Sex(code).label if code in Sex.values else str(Sex.UNSPECIFIED.label)


@register.filter
def rupiah(amount) -> str:
    if amount in (None, ""):
        return ""
    return "Rp" + number_format(int(amount), force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def stay_overdue(stay, today) -> bool:
    """A lodging guest past the expected check-out who has not checked out."""
    return stay.is_overdue(today)


@register.filter
def in_language(error) -> str:
    """An error that carries ``message_id`` and ``message_en``, in the page's language."""
    from django.utils.translation import get_language

    english = (get_language() or "id").startswith("en")
    return error.message_en if english else error.message_id
