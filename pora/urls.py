from django.urls import include, path

from pora.api import api

urlpatterns = [
    path("", include("pora.core.urls")),
    path("registri/", include("pora.registry.urls")),
    path("penginapan/", include("pora.lodging.urls")),
    path("pengawasan/", include("pora.screening.urls")),
    path("api/v1/", api.urls),
]
