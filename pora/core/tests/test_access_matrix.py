"""Every URL of the project against every persona: who is let in, who is refused, and how.

The MATRIX below is the one list of URLs. ``test_every_url_pattern_is_in_the_matrix``
compares it with the URL resolver, so a new URL cannot be added without deciding here who
may open it (STYLE lesson 3: every endpoint has a test that an outsider is refused).

Personal-data pages answer 404 to a user who may not see them, so that an outsider learns
nothing, not even that the person exists; other refused pages answer 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pora.conftest import login, make_permit, make_person
from pora.registry import services
from pora.registry.models import ChangeReport, ImportStatus
from pora.registry.services.imports import permit_import_start

# ------------------------------------------------------------------------ expectations


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named ``to``; ``LOGIN`` means the login page, with or without ?next."""

    to: str

    def check(self, response) -> None:
        assert response.status_code == 302, response
        target = reverse(self.to)
        if self.to == "core:login":
            assert response.url.split("?")[0] == target, response.url
        else:
            assert response.url == target, response.url


@dataclass(frozen=True)
class Status:
    code: int

    def check(self, response) -> None:
        assert response.status_code == self.code, response


LOGIN = Redirect("core:login")
HOME = Redirect("core:home")
ACCOUNT = Redirect("core:account")
DASHBOARD = Redirect("registry:dashboard")
OK = Status(200)
NO_LOGIN = Status(401)  # the API answers, it does not redirect
FORBIDDEN = Status(403)
HIDDEN = Status(404)

PERSONAS = ("anonymous", "hotel_operator", "police_partner", "analyst", "other_officer",
            "officer", "head")


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    expect: tuple  # one expectation per persona, in PERSONAS order

    def url(self, records) -> str:
        if self.name in URL_ARGS:
            return reverse(self.name, kwargs=URL_ARGS[self.name](records))
        return reverse(self.name)


def _person(records):
    return {"pk": records.person.pk}


URL_ARGS = {
    "registry:person_detail": _person,
    "registry:change_report_create": _person,
    "registry:person_photo": _person,
    "registry:person_photo_upload": _person,
    "registry:sponsor_detail": lambda r: {"pk": r.sponsor.pk},
    "registry:import_detail": lambda r: {"pk": r.job.pk},
    "registry:import_rejected": lambda r: {"pk": r.job.pk},
    "api:person": lambda r: {"person_id": r.person.pk},
    "core:user_detail": lambda r: {"pk": r.user.pk},
    "registry:permit_departure": lambda r: {"pk": r.person.permits.first().pk},
}

QUERY = {
    "registry:dashboard": {"on": "2024-02-01"},
    "registry:person_list": {"q": "WANG"},
    "api:headline": {"on": "2024-02-01"},
    "api:persons": {"q": "WANG"},
}


def png_upload(name: str = "foto.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _post_data(name: str) -> dict:
    if name == "registry:change_report_create":
        return {"kind": "civil_status", "event_date": "2024-01-10",
                "reported_on": "2024-01-20", "reported_by": "foreigner",
                "description": "Menikah di Jakarta"}
    if name == "registry:person_photo_upload":
        return {"photo": png_upload()}
    if name == "registry:permit_departure":
        return {"departed_on": "2024-02-10"}
    if name == "core:set_language":
        return {"language": "id", "next": reverse("core:account")}
    return {}


# Records of Jakarta Utara: the person, their sponsor, an import job.
# Columns:         anonymous  hotel      police     analyst    other office  officer  head
MATRIX = [
    Route("core:home", "get",
          (LOGIN,     ACCOUNT,   DASHBOARD, DASHBOARD, DASHBOARD,    DASHBOARD, DASHBOARD)),
    Route("core:login", "get",
          (OK,        HOME,      HOME,      HOME,      HOME,         HOME,      HOME)),
    Route("core:otp", "get",
          (LOGIN,     HOME,      HOME,      HOME,      HOME,         HOME,      HOME)),
    Route("core:logout", "post",
          (LOGIN,     LOGIN,     LOGIN,     LOGIN,     LOGIN,        LOGIN,     LOGIN)),
    Route("core:account", "get",
          (LOGIN,     OK,        OK,        OK,        OK,           OK,        OK)),
    Route("core:set_language", "post",
          (ACCOUNT,   ACCOUNT,   ACCOUNT,   ACCOUNT,   ACCOUNT,      ACCOUNT,   ACCOUNT)),
    Route("core:audit_log", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, OK)),
    Route("core:access_log", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, OK)),
    # User management is the administrator's alone (see test_user_admin.py).
    Route("core:user_list", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("core:user_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("registry:dashboard", "get",
          (LOGIN,     FORBIDDEN, OK,        OK,        OK,           OK,        OK)),
    Route("registry:person_list", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    OK,           OK,        OK)),
    Route("registry:person_detail", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    # Writes are refused before the person is looked up, so 403 reveals nothing.
    Route("registry:person_photo", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("registry:person_photo_upload", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("registry:change_report_create", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("registry:permit_departure", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("registry:sponsor_list", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    OK,           OK,        OK)),
    Route("registry:sponsor_detail", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("registry:import_list", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("registry:import_template", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("registry:import_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("registry:import_rejected", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    # The API: session login, JSON answers.
    Route("api:headline", "get",
          (NO_LOGIN,  FORBIDDEN, OK,        OK,        OK,           OK,        OK)),
    Route("api:persons", "get",
          (NO_LOGIN,  FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("api:person", "get",
          (NO_LOGIN,  HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    # The API root has no page; its description is public, it holds no data.
    Route("api:api-root", "get",
          (HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       HIDDEN,    HIDDEN)),
    Route("api:openapi-json", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("api:openapi-view", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
]

# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def records(officer, settings, tmp_path, django_capture_on_commit_callbacks):
    """Jakarta Utara's records: a sponsored worker in Pluit and an import with a bad row."""
    settings.MEDIA_ROOT = tmp_path
    sponsor = services.sponsor_get_or_create(actor=officer, name="PT Samudra Logistik Nusantara")
    person = make_person(actor=officer)
    make_permit(person, actor=officer, sponsor=sponsor)
    person = services.person_update(actor=officer, person=person, photo=png_upload())
    csv = ("nomor_izin,jenis_izin,berlaku_mulai,berlaku_sampai,kewarganegaraan,nomor_paspor,"
           "nama_keluarga\n2C11AA0000999,XYZ,2024-01-01,2024-12-31,CHN,EB7654321,LI\n")
    with django_capture_on_commit_callbacks(execute=True):
        job = permit_import_start(actor=officer, filename="izin-jakut.csv",
                                  data=csv.encode())
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.rejected_count == 1
    return SimpleNamespace(person=person, sponsor=sponsor, job=job, user=officer)


@pytest.fixture
def persona(request):
    """A logged-in client for the persona named by the test's parameter."""

    def client_for(name: str) -> Client:
        if name == "anonymous":
            return Client()
        return login(request.getfixturevalue(name))

    return client_for


# ------------------------------------------------------------------------------ tests


def _url_names(resolver=None, namespace: str = "") -> tuple[set[str], list[str]]:
    """Every named URL as ``namespace:name``, and the routes of any URL without a name."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    unnamed: list[str] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            more, more_unnamed = _url_names(pattern, inner)
            names |= more
            unnamed += more_unnamed
        elif isinstance(pattern, URLPattern):
            if pattern.name:
                names.add(namespace + pattern.name)
            else:
                unnamed.append(str(pattern.pattern))
    return names, unnamed


def test_every_url_pattern_is_in_the_matrix():
    names, unnamed = _url_names()
    assert unnamed == [], "give every URL a name and a row in MATRIX"
    in_matrix = [route.name for route in MATRIX]
    assert len(in_matrix) == len(set(in_matrix)), "a URL is listed twice"
    assert names - set(in_matrix) == set(), "URLs without a row in MATRIX: add them"
    assert set(in_matrix) - names == set(), "MATRIX rows for URLs that no longer exist"
    assert {"core", "registry", "api"} == {n.split(":")[0] for n in names}


def test_every_row_of_the_matrix_names_each_persona():
    for route in MATRIX:
        assert len(route.expect) == len(PERSONAS), route.name


@pytest.mark.parametrize("persona_name", PERSONAS)
@pytest.mark.parametrize("route", MATRIX, ids=lambda r: r.name)
def test_every_url_answers_each_persona_as_the_matrix_says(route, persona_name, persona,
                                                            records):
    client = persona(persona_name)
    url = route.url(records)
    if route.method == "post":
        response = client.post(url, _post_data(route.name))
    else:
        response = client.get(url, QUERY.get(route.name, {}))
    route.expect[PERSONAS.index(persona_name)].check(response)


# Named cases: what the matrix means, with what the refused persona does (not) see.


def test_anonymous_visitor_is_sent_to_login_with_the_page_to_return_to(anonymous, records):
    url = reverse("registry:person_detail", args=[records.person.pk])
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('core:login')}?next={url}"


def test_anonymous_visitor_gets_401_from_the_api(anonymous, records):
    response = anonymous.get(f"/api/v1/persons/{records.person.pk}")
    assert response.status_code == 401
    assert "WANG" not in response.content.decode()


def test_hotel_cannot_see_foreigners(hotel_operator, records):
    client = login(hotel_operator)
    for url in (reverse("registry:person_list") + "?q=WANG",
                reverse("registry:person_detail", args=[records.person.pk]),
                reverse("registry:person_list") + "?export=xlsx",
                f"/api/v1/persons/{records.person.pk}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"XIAOMING" not in response.content


def test_hotel_cannot_see_the_dashboard_or_api_figures(hotel_operator, records):
    client = login(hotel_operator)
    assert client.get(reverse("registry:dashboard")).status_code == 403
    assert client.get("/api/v1/headline").status_code == 403
    assert client.get("/api/v1/persons", {"q": "WANG"}).status_code == 403


def test_hotel_lands_on_its_account_page(hotel_operator):
    client = login(hotel_operator)
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain == [(reverse("core:account"), 302)]
    nav = [url for url, _label in response.context["nav_items"]]
    assert nav == [reverse("core:account")]


def test_police_partner_sees_the_office_figures(police_partner, records):
    response = login(police_partner).get(reverse("registry:dashboard"), {"on": "2024-02-01"})
    assert response.status_code == 200
    headline = response.context["headline"]
    assert headline.office.code == "jakarta-utara"
    assert headline.by_kind["ITAS"] == 1
    assert "XIAOMING" not in response.content.decode()


def test_police_partner_gets_404_for_personal_data_pages(police_partner, records):
    client = login(police_partner)
    for url in (reverse("registry:person_list"),
                reverse("registry:person_detail", args=[records.person.pk]),
                reverse("registry:sponsor_list"),
                reverse("registry:sponsor_detail", args=[records.sponsor.pk]),
                f"/api/v1/persons/{records.person.pk}"):
        assert client.get(url).status_code == 404, url


def test_police_partner_cannot_open_imports(police_partner, records):
    client = login(police_partner)
    assert client.get(reverse("registry:import_list")).status_code == 403
    assert client.get(reverse("registry:import_detail", args=[records.job.pk])).status_code == 403


def test_analyst_sees_the_dashboard_but_no_personal_data(analyst, records):
    client = login(analyst)
    dashboard = client.get(reverse("registry:dashboard"), {"on": "2024-02-01"})
    assert dashboard.status_code == 200
    assert dashboard.context["headline"].total == 1
    assert client.get(reverse("registry:person_detail", args=[records.person.pk])).status_code == 404
    assert client.get(reverse("registry:sponsor_detail", args=[records.sponsor.pk])).status_code == 404
    assert client.get("/api/v1/persons", {"q": "WANG"}).status_code == 403


def test_other_office_officer_gets_404_for_our_person(other_officer, records):
    client = login(other_officer)
    assert client.get(reverse("registry:person_detail", args=[records.person.pk])).status_code == 404
    assert client.get(f"/api/v1/persons/{records.person.pk}").status_code == 404


def test_other_office_officer_gets_404_for_our_sponsor_and_import(other_officer, records):
    client = login(other_officer)
    assert client.get(reverse("registry:sponsor_detail", args=[records.sponsor.pk])).status_code == 404
    assert client.get(reverse("registry:import_detail", args=[records.job.pk])).status_code == 404
    assert client.get(reverse("registry:import_rejected", args=[records.job.pk])).status_code == 404


def test_other_office_officer_cannot_report_a_change_for_our_person(other_officer, records):
    response = login(other_officer).post(
        reverse("registry:change_report_create", args=[records.person.pk]),
        _post_data("registry:change_report_create"))
    assert response.status_code == 404
    assert not ChangeReport.objects.filter(person=records.person).exists()


def test_other_office_officer_finds_none_of_our_people_or_sponsors(other_officer, records):
    client = login(other_officer)
    listing = client.get(reverse("registry:person_list"), {"q": "WANG"})
    assert listing.status_code == 200
    assert listing.context["rows"] == []
    assert "XIAOMING" not in listing.content.decode()
    sponsors = client.get(reverse("registry:sponsor_list"))
    assert list(sponsors.context["page"].object_list) == []
    imports = client.get(reverse("registry:import_list"))
    assert list(imports.context["page"].object_list) == []
    api = client.get("/api/v1/persons", {"q": "WANG"})
    assert api.json() == {"count": 0, "results": []}


def test_other_office_dashboard_shows_zero_for_our_foreigners(other_officer, records):
    response = login(other_officer).get(reverse("registry:dashboard"), {"on": "2024-02-01"})
    headline = response.context["headline"]
    assert headline.office.code == "jakarta-pusat"
    assert headline.by_kind == {"ITK": 0, "ITAS": 0, "ITAP": 0}
    assert (headline.total, headline.expiring, headline.overstay) == (0, 0, 0)
    api = login(other_officer).get("/api/v1/headline", {"on": "2024-02-01"}).json()
    assert (api["ITAS"], api["ITAP"], api["ITK"]) == (0, 0, 0)


def test_our_officer_sees_our_person_sponsor_and_import(officer, records):
    client = login(officer)
    person = client.get(reverse("registry:person_detail", args=[records.person.pk]))
    assert "XIAOMING" in person.content.decode()
    sponsor = client.get(reverse("registry:sponsor_detail", args=[records.sponsor.pk]))
    assert [p.pk for p, _a in sponsor.context["rows"]] == [records.person.pk]
    rejected = client.get(reverse("registry:import_rejected", args=[records.job.pk]))
    assert "XYZ" in rejected.content.decode("utf-8-sig")
    dashboard = client.get(reverse("registry:dashboard"), {"on": "2024-02-01"})
    assert dashboard.context["headline"].by_kind["ITAS"] == 1


def test_our_officer_records_a_change_for_our_person(officer, records):
    response = login(officer).post(
        reverse("registry:change_report_create", args=[records.person.pk]),
        _post_data("registry:change_report_create"))
    assert response.url == reverse("registry:person_detail", args=[records.person.pk])
    report = ChangeReport.objects.get(person=records.person)
    assert (report.kind, report.event_date) == ("civil_status", dt.date(2024, 1, 10))
