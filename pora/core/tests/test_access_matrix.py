"""Every URL of the project against every persona: who is let in, who is refused, and how.

The MATRIX below is the one list of URLs. ``test_every_url_pattern_is_in_the_matrix``
compares it with the URL resolver, so a new URL cannot be added without deciding here who
may open it (STYLE lesson 3: every endpoint has a test that an outsider is refused).

Personal-data pages answer 404 to a user who may not see them, so that an outsider learns
nothing, not even that the person exists; other refused pages answer 403.
"""

from __future__ import annotations

import csv as csvlib
import datetime as dt
import io
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from pora.alerts.models import Alert
from pora.conftest import login, make_permit, make_person
from pora.core import services as core_services
from pora.core.models import Agency
from pora.jobs.models import JobStatus
from pora.lodging.guest_list_rows import template_example, template_headers
from pora.lodging.linking import Guest
from pora.lodging.models import ApiToken, Source
from pora.lodging.services.guest_lists import guest_list_start
from pora.lodging.services.reporters import confirmation_token, token_create
from pora.lodging.services.stays import StayDetails, check_in
from pora.registry import services
from pora.registry.models import ChangeReport, VisaIndex
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
LODGING_HOME = Redirect("lodging:home")
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


def _stay(records):
    return {"pk": records.stay.pk}


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
    "core:password_reset_confirm": lambda r: {"uidb64": "MA", "token": "c0ffee-0123456789"},
    "core:office_detail": lambda r: {"pk": r.user.office_id},
    "core:agency_detail": lambda r: {"pk": Agency.objects.get_or_create(
        office_id=r.user.office_id, name="Polsek Penjaringan", defaults={"kind": "police"})[0].pk},
    "registry:visa_index_detail": lambda r: {"pk": VisaIndex.objects.get(code="E23").pk},
    "core:working_day_override": lambda r: {"pk": r.working_day_override.pk},
    "registry:permit_departure": lambda r: {"pk": r.person.permits.first().pk},
    "lodging:confirm_email": lambda r: {"token": confirmation_token(r.lodging)},
    "lodging:verify_receipt": lambda r: {"number": r.stay.receipt_number},
    "lodging:stay": _stay,
    "lodging:stay_check_out": _stay,
    "lodging:receipt": _stay,
    "lodging:officer_stay": _stay,
    "lodging:token_revoke": lambda r: {"pk": r.token.pk},
    "lodging:upload_detail": lambda r: {"pk": r.upload.pk},
    "lodging:upload_rejected": lambda r: {"pk": r.upload.pk},
    "lodging:officer_alert": lambda r: {"pk": r.alert.pk},
    "lodging:officer_lodging": lambda r: {"pk": r.lodging.pk},
    "lodging:officer_decide": lambda r: {"pk": r.lodging.pk},
    "api:lodging_receipt": lambda r: {"receipt_number": r.stay.receipt_number},
    "screening:hit_detail": lambda r: {"pk": r.hit.pk},
    "screening:hit_decision": lambda r: {"pk": r.hit.pk},
    "screening:watchlist_detail": lambda r: {"pk": r.watchlist.pk},
    "screening:watchlist_edit": lambda r: {"pk": r.watchlist.pk},
    "screening:watchlist_upload": lambda r: {"pk": r.watchlist.pk},
    "screening:entry_create": lambda r: {"pk": r.watchlist.pk},
    "screening:rescreen_create": lambda r: {"pk": r.watchlist.pk},
    "screening:entry_detail": lambda r: {"pk": r.entry.pk},
    "screening:entry_photo": lambda r: {"pk": r.entry.pk},
    "screening:entry_edit": lambda r: {"pk": r.entry.pk},
    "screening:entry_extend": lambda r: {"pk": r.entry.pk},
    "screening:entry_withdraw": lambda r: {"pk": r.entry.pk},
    "screening:import_detail": lambda r: {"pk": r.watchlist_import.pk},
    "screening:import_rejected": lambda r: {"pk": r.watchlist_import.pk},
    "screening:rescreen_detail": lambda r: {"pk": r.rescreen.pk},
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
    if name == "lodging:mrz_preview":
        return {"mrz": TD3_SPECIMEN}
    if name == "lodging:check_in_photo":
        return {"photo": png_upload()}
    if name == "lodging:officer_decide":
        return {"status": "verified"}
    if name == "screening:hit_decision":
        return {"status": "unsure", "note": "Periksa paspor di lokasi"}
    if name == "screening:watchlist_upload":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"file": SimpleUploadedFile("dpo.csv", _watchlist_file(
            [{"source_id": "DPO-9", "names": "IVAN PETROV", "birth_date": "1979"}])),
            "full": "on"}
    if name == "screening:entry_extend":
        return {"valid_until": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
                "note": "Keputusan perpanjangan 17/2025"}
    if name == "screening:entry_withdraw":
        return {"note": "Penangkalan dicabut"}
    if name == "api:screen":
        return {"name": "WANG XIAOMING", "birth_date": "1985-03-21", "nationality": "CHN"}
    return {}


def _watchlist_file(rows: list[dict]) -> bytes:
    """A watchlist in the upload template's columns."""
    from pora.screening.engine.readers import watchlist_template_headers

    headers = watchlist_template_headers()
    buffer = io.StringIO()
    writer = csvlib.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode()


# ICAO Doc 9303 part 4, the TD3 specimen passport of Utopia.
TD3_SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


# Records of Jakarta Utara: the person, their sponsor, an import job; Hotel Pluit Bay (the
# hotel persona's lodging) with the person's stay, its alert, an API token and an upload.
# Columns:         anonymous  hotel      police     analyst    other office  officer  head
MATRIX = [
    Route("core:home", "get",
          (LOGIN,     LODGING_HOME, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD)),
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
    Route("core:password_change", "get",
          (LOGIN,     OK,        OK,        OK,        OK,           OK,        OK)),
    # A forgotten password: open to anyone; the link below is no account's, so every
    # persona gets the page that says it cannot be used (see test_passwords.py).
    Route("core:password_reset", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("core:password_reset_sent", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("core:password_reset_confirm", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("core:password_reset_complete", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("core:audit_log", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, OK)),
    Route("core:access_log", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, OK)),
    # User management is the administrator's alone (see test_user_admin.py).
    Route("core:user_list", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("core:user_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    # Reference data too (see test_reference_admin.py in core and registry).
    *(Route(name, "get",
            (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN))
      for name in ("core:reference_index", "core:office_list", "core:office_detail",
                   "core:agency_list", "core:agency_detail", "registry:visa_index_list",
                   "registry:visa_index_detail", "registry:rule_set_list")),
    # So is the working-day calendar (see test_working_day_admin.py).
    Route("core:working_days", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("core:working_day_override", "get",
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
    # Watchlist screening: officers and heads (session or personal token), JSON body.
    Route("api:screen", "json",
          (NO_LOGIN,  FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    # The lodging API takes the bearer token of a lodging, never a session.
    Route("api:lodging_check_in", "post",
          (NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,     NO_LOGIN,  NO_LOGIN)),
    Route("api:lodging_check_out", "post",
          (NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,     NO_LOGIN,  NO_LOGIN)),
    Route("api:lodging_guests", "get",
          (NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,     NO_LOGIN,  NO_LOGIN)),
    Route("api:lodging_receipt", "get",
          (NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,  NO_LOGIN,     NO_LOGIN,  NO_LOGIN)),
    # Reporters sign up and confirm their address before they have a login; the receipt
    # check is public and shows nothing personal.
    Route("lodging:register", "get",
          (OK,        HOME,      HOME,      HOME,      HOME,         HOME,      HOME)),
    Route("lodging:confirm_email", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    Route("lodging:verify_receipt", "get",
          (OK,        OK,        OK,        OK,        OK,           OK,        OK)),
    # The front desk's pages: only a user who reports for a lodging (403 before any
    # lookup, so nobody learns which stays exist).
    Route("lodging:home", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:check_in", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:mrz_preview", "post",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    # Let in; a 4×4 picture holds no readable passport, so the form answers 422.
    Route("lodging:check_in_photo", "post",
          (LOGIN,     Status(422), FORBIDDEN, FORBIDDEN, FORBIDDEN,  FORBIDDEN, FORBIDDEN)),
    Route("lodging:check_out", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:stay", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:stay_check_out", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:receipt", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:tokens", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:token_revoke", "post",
          (LOGIN,     Redirect("lodging:tokens"), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
           FORBIDDEN)),
    Route("lodging:staff", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:upload_list", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:upload_template", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:upload_detail", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    Route("lodging:upload_rejected", "get",
          (LOGIN,     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN,    FORBIDDEN, FORBIDDEN)),
    # Officers: who stays where is personal data (404 to whoever may not see it, and to
    # another office for our records); the map, compliance and the reporter accounts are
    # office figures (each aggregate user sees its own office).
    Route("lodging:officer_guests", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    OK,           OK,        OK)),
    Route("lodging:officer_stay", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("lodging:officer_alerts", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    OK,           OK,        OK)),
    Route("lodging:officer_alert", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("lodging:officer_map", "get",
          (LOGIN,     FORBIDDEN, OK,        OK,        OK,           OK,        OK)),
    Route("lodging:officer_compliance", "get",
          (LOGIN,     FORBIDDEN, OK,        OK,        OK,           OK,        OK)),
    Route("lodging:officer_lodgings", "get",
          (LOGIN,     FORBIDDEN, OK,        OK,        OK,           OK,        OK)),
    Route("lodging:officer_lodging", "get",
          (LOGIN,     FORBIDDEN, OK,        OK,        HIDDEN,       OK,        OK)),
    # Only the supervising office decides; refused before the lookup, so 403 reveals nothing.
    Route("lodging:officer_decide", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    # Watchlists: officers and heads only, never lodging staff. The queue and the lists
    # refuse other roles with 403; another office sees its own queue and lists (and the
    # shared ones), and our local list, its entries, uploads and hits answer it 404.
    Route("screening:hit_list", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("screening:hit_detail", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("screening:hit_decision", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("screening:watchlist_list", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("screening:watchlist_create", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("screening:watchlist_template", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,           OK,        OK)),
    Route("screening:watchlist_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:watchlist_edit", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:watchlist_upload", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("screening:entry_create", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:rescreen_create", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("screening:rescreen_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:entry_detail", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("screening:entry_photo", "get",
          (LOGIN,     HIDDEN,    HIDDEN,    HIDDEN,    HIDDEN,       OK,        OK)),
    Route("screening:entry_edit", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:entry_extend", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("screening:entry_withdraw", "post",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       Status(302), Status(302))),
    Route("screening:import_detail", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
    Route("screening:import_rejected", "get",
          (LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, HIDDEN,       OK,        OK)),
]

# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def records(officer, hotel_operator, settings, tmp_path, django_capture_on_commit_callbacks):
    """Jakarta Utara's records: a sponsored worker in Pluit and an import with a bad row;
    the worker's stay at Hotel Pluit Bay, reported late (an alert), the hotel's API token
    and a guest-list upload with a rejected row."""
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
    assert job.status == JobStatus.DONE and job.rejected_count == 1
    lodging = hotel_operator.lodging_staff.lodging
    stay, _created = check_in(
        lodging=lodging, actor=hotel_operator, source=Source.TYPED,
        guest=Guest(surname="WANG", given_names="XIAOMING", nationality="CHN",
                    document_number="EA1234567", issuing_state="CHN", sex="M",
                    birth_year=1985, birth_month=3, birth_day=21),
        details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=30),
                            room="1204"))
    assert stay.person == person
    alert = Alert.objects.get(rule="late_report", stay=stay)
    token, _raw = token_create(actor=hotel_operator, lodging=lodging, label="PMS")
    rows = io.StringIO()
    writer = csvlib.writer(rows)
    writer.writerow(template_headers())
    example = template_example()
    writer.writerow([*example[:1], "", "ZZZ", *example[3:]])  # an unknown nationality
    with django_capture_on_commit_callbacks(execute=True):
        upload = guest_list_start(actor=hotel_operator, lodging=lodging,
                                  filename="tamu-pluit.csv",
                                  data=rows.getvalue().encode(), run_now=True)
    upload.refresh_from_db()
    assert upload.is_finished and upload.rejected_count == 1, upload.error
    watchlist, entry, hit, watchlist_import, rescreen = _screening_records(
        officer, person, django_capture_on_commit_callbacks)
    working_day_override = core_services.working_day_override_create(
        actor=None, date=dt.date(2025, 4, 5), is_working=True, name="Sabtu pengganti")
    return SimpleNamespace(person=person, sponsor=sponsor, job=job, user=officer,
                           lodging=lodging, stay=stay, alert=alert, token=token,
                           upload=upload, watchlist=watchlist, entry=entry, hit=hit,
                           watchlist_import=watchlist_import, rescreen=rescreen,
                           working_day_override=working_day_override)


def _screening_records(officer, person, capture):
    """Jakarta Utara's own (not shared) list of persons of interest, with WANG XIAOMING
    on it (and his photo), the hit on our WANG, an upload with a rejected row and a
    rescreen."""
    from pora.screening import index_cache
    from pora.screening.models import Trigger
    from pora.screening.services import (
        entry_save,
        rescreen_start,
        screen_person,
        watchlist_create,
        watchlist_import_start,
    )

    watchlist = watchlist_create(actor=officer, office=officer.office,
                                 name="Orang yang diawasi", kind="interest", shared=False,
                                 default_action="discreet")
    entry = entry_save(actor=officer, watchlist=watchlist, names=["WANG XIAOMING", "王小明"],
                       birth_dates=["1985-03-21"], nationalities=["CHN"], sex="M",
                       photo=png_upload("wang.png"),
                       valid_until=timezone.localdate() + dt.timedelta(days=100))
    hit, = screen_person(person, trigger=Trigger.PERSON,
                         lists=index_cache.screeners(fresh=True))
    with capture(execute=True):
        job = watchlist_import_start(actor=officer, watchlist=watchlist, filename="dpo.csv",
                                     full=False, data=_watchlist_file([
                                         {"source_id": "DPO-1", "names": "LI NA",
                                          "birth_date": "1980-13-45"}]))
    job.refresh_from_db()
    assert job.is_finished and job.rejected_count == 1, job.error
    rescreen = rescreen_start(office=officer.office, watchlist=watchlist, actor=officer)
    return watchlist, entry, hit, job, rescreen


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
    assert {"core", "registry", "api", "lodging", "screening"} == {
        n.split(":")[0] for n in names}


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
    elif route.method == "json":
        response = client.post(url, _post_data(route.name), content_type="application/json")
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


def test_hotel_lands_on_its_lodging_page(hotel_operator):
    # Until lodging reports existed the hotel operator had only the account page; now the
    # front desk lands on its own guests and its menu holds the lodging pages (and still
    # nothing of the registry).
    client = login(hotel_operator)
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain == [(reverse("lodging:home"), 302)]
    nav = [url for url, _label in response.context["nav_items"]]
    assert nav == [reverse("lodging:home"), reverse("lodging:check_in"),
                   reverse("lodging:upload_list"), reverse("core:account"),
                   reverse("core:password_change")]


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


# Lodging reports: a lodging sees its own guests only; officers see their own office's.


def test_another_lodging_cannot_open_our_guests_stay(other_hotel_operator, records):
    client = login(other_hotel_operator)
    for name in ("lodging:stay", "lodging:stay_check_out", "lodging:receipt"):
        response = client.get(reverse(name, args=[records.stay.pk]))
        assert response.status_code == 404, name
        assert b"XIAOMING" not in response.content
    for name in ("lodging:upload_detail", "lodging:upload_rejected"):
        assert client.get(reverse(name, args=[records.upload.pk])).status_code == 404, name
    home = client.get(reverse("lodging:home"))
    assert home.status_code == 200 and b"XIAOMING" not in home.content


def test_front_desk_staff_who_is_not_the_manager_cannot_manage_tokens_or_staff(
        other_hotel_operator, records):
    client = login(other_hotel_operator)
    assert client.get(reverse("lodging:tokens")).status_code == 403
    assert client.get(reverse("lodging:staff")).status_code == 403
    assert client.post(reverse("lodging:token_revoke", args=[records.token.pk])).status_code \
        == 403
    assert ApiToken.objects.get(pk=records.token.pk).is_active


def test_a_manager_cannot_revoke_another_lodgings_token(db, records):
    from pora.conftest import make_lodging, make_user
    from pora.core.models import Role

    manager = make_user("kos_manager", "lodging")
    assert manager.role == Role.LODGING
    make_lodging("Kos Melati", kelurahan_name="Ancol", user=manager)
    response = login(manager).post(reverse("lodging:token_revoke", args=[records.token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=records.token.pk).is_active


def test_a_bad_confirmation_link_answers_400(anonymous, records):
    response = anonymous.get(reverse("lodging:confirm_email", args=["forged-token"]))
    assert response.status_code == 400


def test_the_public_receipt_check_shows_nothing_personal(anonymous, records):
    response = anonymous.get(reverse("lodging:verify_receipt",
                                     args=[records.stay.receipt_number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert records.stay.receipt_number in page
    for secret in ("XIAOMING", "EA1234567", "1204"):
        assert secret not in page, secret
    unknown = anonymous.get(reverse("lodging:verify_receipt", args=["240101-AAAAAAAA"]))
    assert unknown.status_code == 404


def test_other_office_officer_gets_404_for_our_stay_alert_and_lodging(other_officer, records):
    client = login(other_officer)
    for url in (reverse("lodging:officer_stay", args=[records.stay.pk]),
                reverse("lodging:officer_alert", args=[records.alert.pk]),
                reverse("lodging:officer_lodging", args=[records.lodging.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"XIAOMING" not in response.content
    guests = client.get(reverse("lodging:officer_guests"))
    assert list(guests.context["page"].object_list) == []
    alerts = client.get(reverse("lodging:officer_alerts"))
    assert list(alerts.context["page"].object_list) == []


def test_other_office_officer_cannot_decide_on_our_lodging(other_officer, records):
    response = login(other_officer).post(reverse("lodging:officer_decide",
                                                 args=[records.lodging.pk]),
                                         {"status": "suspended"})
    assert response.status_code == 404
    records.lodging.refresh_from_db()
    assert records.lodging.status == "verified"


def test_our_officer_sees_the_stay_and_its_alert(officer, records):
    client = login(officer)
    stay = client.get(reverse("lodging:officer_stay", args=[records.stay.pk]))
    assert "XIAOMING" in stay.content.decode()
    assert records.alert in list(stay.context["alerts"])
    guests = client.get(reverse("lodging:officer_guests"))
    assert [s.pk for s in guests.context["page"].object_list] == [records.stay.pk]


def test_police_and_analyst_see_the_guest_map_without_names(police_partner, analyst, records):
    for user in (police_partner, analyst):
        response = login(user).get(reverse("lodging:officer_map"))
        assert response.status_code == 200
        assert response.context["total"] == 1
        assert all(marker["url"] == "" for marker in response.context["markers"])
        assert "XIAOMING" not in response.content.decode()


def test_lodging_staff_see_nothing_of_the_watchlists(hotel_operator, records):
    client = login(hotel_operator)
    for name, pk in (("screening:hit_list", None), ("screening:watchlist_list", None),
                     ("screening:hit_detail", records.hit.pk),
                     ("screening:entry_detail", records.entry.pk),
                     ("screening:watchlist_detail", records.watchlist.pk)):
        response = client.get(reverse(name, args=[pk] if pk else []))
        assert response.status_code in {403, 404}, name
        assert b"XIAOMING" not in response.content and "王小明" not in response.content.decode()
    nav = [url for url, _label in client.get(reverse("lodging:home")).context["nav_items"]]
    assert reverse("screening:hit_list") not in nav


def test_other_office_officer_gets_404_for_our_local_list_entry_and_hit(other_officer,
                                                                        records):
    client = login(other_officer)
    for url in (reverse("screening:watchlist_detail", args=[records.watchlist.pk]),
                reverse("screening:entry_detail", args=[records.entry.pk]),
                reverse("screening:entry_photo", args=[records.entry.pk]),
                reverse("screening:hit_detail", args=[records.hit.pk]),
                reverse("screening:import_detail", args=[records.watchlist_import.pk])):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"XIAOMING" not in response.content
    queue = client.get(reverse("screening:hit_list"), {"status": "all"})
    assert list(queue.context["page"].object_list) == []
    lists = client.get(reverse("screening:watchlist_list"))
    assert records.watchlist not in [w for w, _manage in lists.context["rows"]]


def test_the_lodging_api_refuses_every_session(hotel_operator, officer, records):
    for user in (hotel_operator, officer):
        client = login(user)
        assert client.get("/api/v1/guests").status_code == 401
        url = f"/api/v1/check-ins/{records.stay.receipt_number}/receipt.pdf"
        assert client.get(url).status_code == 401
