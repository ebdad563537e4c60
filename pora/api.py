"""JSON API (django-ninja) with its OpenAPI document at /api/v1/openapi.json.

The one ``NinjaAPI``: each area's router (``pora/<area>/api.py``) mounted, every error
answered in the shape of :mod:`pora.core.api`.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from pora.core.api import install_error_handlers, router_paths, serve_token_only
from pora.lodging.api import router as lodging_router
from pora.registry.api import router as registry_router
from pora.screening.api import router as screening_router

API_ROOT = "/api/v1/"

api = NinjaAPI(
    title="PORA API", version="1", urls_namespace="api",
    description=(
        "Pengawasan Orang Asing: foreigner registry, lodging reports and watchlist "
        "screening for immigration offices. Lodging software authenticates with a bearer "
        "token per lodging; officers with their session or a personal bearer token."),
    auth=django_auth,
)
install_error_handlers(api)

api.add_router("/", lodging_router)
api.add_router("/", screening_router)
api.add_router("/", registry_router)

# Lodging software calls with its token alone, hundreds of times a second.
serve_token_only(router_paths(lodging_router, API_ROOT))
