"""Every write of the screening app. Views, API, imports and commands call these only."""

from pora.screening.services.imports import (
    watchlist_import_run,
    watchlist_import_start,
    watchlist_template,
)
from pora.screening.services.lists import (
    entry_extend,
    entry_save,
    entry_withdraw,
    watchlist_create,
    watchlist_update,
)
from pora.screening.services.screening import (
    hit_decide,
    rescreen_run,
    rescreen_start,
    screen_after_commit,
    screen_person,
    screen_persons,
    screen_persons_later,
    screen_query,
)

__all__ = [
    "entry_extend",
    "entry_save",
    "entry_withdraw",
    "hit_decide",
    "rescreen_run",
    "rescreen_start",
    "screen_after_commit",
    "screen_person",
    "screen_persons",
    "screen_persons_later",
    "screen_query",
    "watchlist_create",
    "watchlist_import_run",
    "watchlist_import_start",
    "watchlist_template",
    "watchlist_update",
]
