from django.urls import include, path

from pora.api import API_ROOT, api

urlpatterns = [
    path("", include("pora.core.urls")),
    path("registri/", include("pora.registry.urls")),
    path("penginapan/", include("pora.lodging.urls")),
    path("pengawasan/", include("pora.screening.urls")),
    path(API_ROOT.strip("/") + "/", api.urls),
]

# Under /api/ an error is JSON in the API's shape, wherever it was raised; pages keep theirs.
handler400 = "pora.core.errors.bad_request"
handler403 = "pora.core.errors.permission_denied"
handler404 = "pora.core.errors.page_not_found"
handler500 = "pora.core.errors.server_error"
