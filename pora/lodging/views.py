"""Pages for lodgings (report guests) and for officers (see who stays where, act on alerts)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pora.alerts import rules as alert_rules
from pora.alerts import selectors as alert_selectors
from pora.alerts import services as alert_services
from pora.core import clock
from pora.core.access import aggregates_required, personal_data_required, registry_write_required
from pora.core.audit import access_record
from pora.core.selectors import get_office_for_user
from pora.lodging import selectors
from pora.lodging.forms import (
    MODE,
    AlertFilterForm,
    AlertUpdateForm,
    CheckInForm,
    CheckOutForm,
    GuestFilterForm,
    PhotoForm,
    RegistrationForm,
    RelinkForm,
    StaffForm,
    TokenForm,
    local_datetime,
)
from pora.lodging.linking import Guest
from pora.lodging.models import (
    Lodging,
    ReporterStatus,
    Source,
    Stay,
)
from pora.lodging.mrz import MRZError, parse_mrz
from pora.lodging.receipts import receipt_for
from pora.lodging.services import reporters
from pora.lodging.services.errors import ReportRejected
from pora.lodging.services.stays import (
    StayDetails,
    check_in,
    check_out,
    guest_from_mrz,
    guests_shown,
    partial_date,
    stay_relink,
    stay_warnings,
)
from pora.registry.selectors import get_person_for_user

# ----------------------------------------------------------------- lodging (reporters)


def lodging_required(view):
    """A front-desk user of a lodging; the lodging is passed to the view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        lodging = selectors.lodging_for_user(request.user)
        if lodging is None:
            raise PermissionDenied
        return view(request, lodging, *args, **kwargs)

    return wrapped


def manager_required(view):
    @wraps(view)
    @lodging_required
    def wrapped(request, lodging, *args, **kwargs):
        if not selectors.is_manager(request.user, lodging):
            raise PermissionDenied
        return view(request, lodging, *args, **kwargs)

    return wrapped


REGISTERED_EMAIL = "pora:lodging_registered_email"
NEW_TOKEN = "pora:lodging_new_token"


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    if request.method == "GET" and "terkirim" in request.GET:
        # Where a registration lands after its redirect: a reload sends nothing again.
        email = request.session.get(REGISTERED_EMAIL)
        if email:
            return render(request, "lodging/registered.html", {"email": email})
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reporters.lodging_register(
                data=reporters.Registration(
                    kind=data["kind"], name=data["name"].strip(),
                    lodging_type=data["lodging_type"], licence_number=data["licence_number"],
                    kelurahan=data["kelurahan"], street=data["street"],
                    person_in_charge=data["person_in_charge"], email=data["email"],
                    phone=data["phone"], latitude=data["latitude"],
                    longitude=data["longitude"]),
                username=data["username"], password=data["password"],
                base_url=request.build_absolute_uri("/"))
        except reporters.RegistrationError as exc:
            form.add_error("kelurahan", str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            request.session[REGISTERED_EMAIL] = data["email"]
            return redirect(reverse("lodging:register") + "?terkirim=1")
    return render(request, "lodging/register.html", {"form": form})


@require_GET
def confirm_email(request, token):
    try:
        lodging = reporters.lodging_confirm_email(token)
    except (signing.BadSignature, Lodging.DoesNotExist):
        return render(request, "lodging/confirmed.html", {"ok": False}, status=400)
    return render(request, "lodging/confirmed.html", {"ok": True, "lodging": lodging})


@lodging_required
@require_GET
def lodging_home(request, lodging):
    today = clock.today()
    current = selectors.stays_for_lodging(lodging).filter(checked_out_at__isnull=True)
    query = request.GET.get("q", "").strip()[:100]
    if request.htmx and request.htmx.target == "current-guests-table":
        # The name search typed above the current guests: only their table again.
        shown = list(selectors.stays_matching(current, query).select_related("lodging")[:500])
        guests_shown(request, lodging, shown, "lodging_home")
        return render(request, "lodging/_current_guests.html",
                      {"stays": shown, "today": today, "q": query})
    stays = list(current.select_related("lodging")[:500])
    shown = list(selectors.stays_matching(current, query).select_related("lodging")[:500]) \
        if query else stays
    recent = list(selectors.stays_for_lodging(lodging).filter(checked_out_at__isnull=False)
                  [:20])
    guests_shown(request, lodging, [*shown, *recent], "lodging_home")
    return render(request, "lodging/home.html", {
        "lodging": lodging, "stays": stays, "shown": shown, "recent": recent, "today": today,
        "q": query, "overdue": sum(1 for s in stays if s.is_overdue(today)),
        "is_manager": selectors.is_manager(request.user, lodging),
    })


def _guest_from_form(data) -> Guest:
    try:
        year, month, day = partial_date(data["birth_date"])
    except ValueError as exc:
        raise ReportRejected.one("birth_date", "invalid_birth_date",
                                 "Tanggal lahir tidak valid (TTTT-BB-HH).",
                                 "The birth date is not valid (YYYY-MM-DD).") from exc
    return Guest(surname=data["surname"], given_names=data["given_names"],
                 nationality=data["nationality"], document_number=data["document_number"],
                 issuing_state=data["issuing_state"], sex=data["sex"] or "X",
                 birth_year=year, birth_month=month, birth_day=day,
                 document_expiry=data["document_expiry"])


def _mrz_preview(text: str):
    """(parsed MRZ, error) for the confirmation panel."""
    if not text.strip():
        return None, None
    try:
        return parse_mrz(text, today=clock.today()), None
    except MRZError as exc:
        return None, exc


def _preview_context(preview, error, checked_in_at: str) -> dict:
    """The confirmation panel's context: whether the passport had expired by the check-in
    day typed in the form (today while there is none): the guest is reported all the same
    (Pasal 72), but the front desk is told before saving."""
    day = clock.today()
    try:
        moment = CheckInForm.base_fields["checked_in_at"].clean(checked_in_at)
    except ValidationError:
        moment = None
    if moment is not None:
        day = timezone.localtime(local_datetime(moment)).date()
    expiry = getattr(preview, "expiry_date", None)
    return {"preview": preview, "preview_error": error,
            "passport_expired": expiry is not None and expiry < day}


@lodging_required
@require_http_methods(["GET", "POST"])
def check_in_view(request, lodging):
    form = CheckInForm(request.POST or None,
                       initial={"mode": request.GET.get("mode", MODE.MRZ)})
    from pora.lodging import ocr

    context = {"lodging": lodging, "form": form, "photo_form": PhotoForm(),
               "ocr_available": ocr.ocr_installed()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["mode"] == MODE.MRZ:
                mrz, error = _mrz_preview(data["mrz"])
                if error is not None:
                    raise ReportRejected.one("mrz", f"mrz_{error.field}", error.message_id,
                                             error.message_en)
                if mrz is None:
                    raise ReportRejected.one("mrz", "mrz_required",
                                             "Tempelkan zona baca mesin (MRZ) paspor.",
                                             "Paste the passport's machine readable zone.")
                guest = guest_from_mrz(mrz)
                source = Source.PHOTO if request.POST.get("from_photo") else Source.MRZ
            else:
                guest, source = _guest_from_form(data), Source.TYPED
            stay, created = check_in(
                lodging=lodging, guest=guest, source=source, actor=request.user,
                details=StayDetails(
                    checked_in_at=local_datetime(data["checked_in_at"]), room=data["room"],
                    expected_checkout=data["expected_checkout"], purpose=data["purpose"],
                    arrival_date=data["arrival_date"], permit_number=data["permit_number"]))
        except ReportRejected as exc:
            for problem in exc.problems:
                field = problem.field if problem.field in form.fields else None
                if field is None and problem.field.startswith("mrz"):
                    field = "mrz"
                form.add_error(field, problem.message)
        else:
            if created:
                messages.success(request, _("Check-in recorded. Receipt %(number)s.") % {
                    "number": stay.receipt_number})
                for warning in stay_warnings(stay):
                    messages.warning(request, warning.message)
            else:
                messages.info(request, _("This check-in was already reported (receipt "
                                         "%(number)s).") % {"number": stay.receipt_number})
            return redirect("lodging:stay", stay.pk)
    if form.is_bound and form.data.get("mode") == MODE.MRZ:
        context.update(_preview_context(*_mrz_preview(form.data.get("mrz", "")),
                                        form.data.get("checked_in_at", "")))
    return render(request, "lodging/check_in.html", context)


@lodging_required
@require_POST
def mrz_preview(request, lodging):
    """htmx: what the pasted MRZ says, or which field fails, before saving."""
    return render(request, "lodging/_mrz_preview.html", _preview_context(
        *_mrz_preview(request.POST.get("mrz", "")), request.POST.get("checked_in_at", "")))


@lodging_required
@require_POST
def check_in_photo(request, lodging):
    """Read the MRZ from a photo and show it back in the check-in form for confirmation."""
    from pora.lodging import ocr

    photo_form = PhotoForm(request.POST, request.FILES)
    form = CheckInForm(initial={"mode": MODE.MRZ})
    context = {"lodging": lodging, "form": form, "photo_form": photo_form,
               "ocr_available": ocr.ocr_installed()}
    if photo_form.is_valid():
        try:
            reading = ocr.read_mrz(photo_form.cleaned_data["photo"].read(),
                                   today=clock.today())
        except ocr.ImageRejected as exc:
            english = (get_language() or "id").startswith("en")
            photo_form.add_error("photo", exc.message_en if english else exc.message_id)
        except ocr.OcrUnavailable:
            photo_form.add_error("photo", _("Reading photos is not available on this server. "
                                            "Paste or type the passport data instead."))
        else:
            if not reading.text:
                photo_form.add_error("photo", _("No machine readable zone found in the photo. "
                                                "Take a sharper photo of the whole data page, "
                                                "or type the data."))
            else:
                form = CheckInForm(initial={"mode": MODE.MRZ, "mrz": reading.text})
                context.update(form=form, from_photo=True,
                               **_preview_context(reading.mrz, reading.error, ""))
                messages.info(request, _("Check what was read against the passport, correct "
                                         "it if needed, then save."))
    return render(request, "lodging/check_in.html", context,
                  status=200 if not photo_form.errors else 422)


@lodging_required
@require_GET
def stay_view(request, lodging, pk):
    stay = selectors.get_stay_for_user(request.user, pk)
    guests_shown(request, lodging, [stay], "lodging_stay")
    return render(request, "lodging/stay.html", {
        "lodging": lodging, "stay": stay, "today": clock.today(),
        "form": CheckOutForm()})


@lodging_required
@require_GET
def receipt_pdf(request, lodging, pk):
    stay = selectors.get_stay_for_user(request.user, pk)
    guests_shown(request, lodging, [stay], "lodging_receipt")
    return receipt_for(request, stay)


@lodging_required
@require_http_methods(["GET", "POST"])
def check_out_view(request, lodging, pk=None):
    """Choose among current guests, confirm the time, check out."""
    current = selectors.stays_for_lodging(lodging).filter(checked_out_at__isnull=True)
    stay = None
    if pk is not None:
        stay = selectors.get_stay_for_user(request.user, pk)
    elif request.GET.get("stay"):
        try:
            stay = current.get(pk=int(request.GET["stay"]))
        except (ValueError, Stay.DoesNotExist):
            raise Http404 from None
    form = CheckOutForm(request.POST or None)
    if request.method == "POST" and stay is not None and form.is_valid():
        try:
            check_out(stay=stay, at=local_datetime(form.cleaned_data["checked_out_at"]),
                      actor=request.user)
        except ReportRejected as exc:
            for problem in exc.problems:
                form.add_error("checked_out_at" if problem.field == "checked_out_at" else None,
                               problem.message)
        else:
            messages.success(request, _("%(name)s checked out.") % {"name": stay.guest_name})
            return redirect("lodging:home")
    current = list(current[:500]) if stay is None else []
    guests_shown(request, lodging, [stay] if stay is not None else current, "lodging_check_out")
    return render(request, "lodging/check_out.html", {
        "lodging": lodging, "stay": stay, "form": form, "today": clock.today(),
        "current": current})


@manager_required
@require_http_methods(["GET", "POST"])
def token_list(request, lodging):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, raw = reporters.token_create(actor=request.user, lodging=lodging,
                                             label=form.cleaned_data["label"])
        # Shown once, on the page the redirect opens (a reload must not make another
        # token); it stays in this user's session only until that page is shown.
        request.session[NEW_TOKEN] = raw
        return redirect("lodging:tokens")
    raw = request.session.pop(NEW_TOKEN, None) if request.method == "GET" else None
    return render(request, "lodging/tokens.html", {
        "lodging": lodging, "tokens": lodging.tokens.all(), "form": form, "raw": raw})


@manager_required
@require_POST
def token_revoke(request, lodging, pk):
    token = selectors.get_token_of_lodging(lodging, pk)
    reporters.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("lodging:tokens")


@manager_required
@require_http_methods(["GET", "POST"])
def staff_list(request, lodging):
    form = StaffForm(request.POST or None, lodging=lodging)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reporters.staff_add(actor=request.user, lodging=lodging, username=data["username"],
                            email=data["email"], password=data["password"],
                            full_name=data["full_name"])
        messages.success(request, _("%(name)s can now report for %(lodging)s.") % {
            "name": data["username"], "lodging": lodging.name})
        return redirect("lodging:staff")
    staff = selectors.staff_of(lodging)
    return render(request, "lodging/staff.html", {"lodging": lodging, "staff": staff,
                                                  "form": form})


@require_GET
def verify_receipt(request, number):
    """Public: is this receipt genuine, and when was it issued? Nothing personal."""
    stay = selectors.receipt_to_verify(number)
    return render(request, "lodging/verify.html", {"stay": stay, "number": number},
                  status=200 if stay else 404)


# ------------------------------------------------------------------------- officers


def _today():
    return clock.today()


def _now():
    return clock.now()


@personal_data_required
@require_GET
def guest_list(request):
    office = get_office_for_user(request.user)
    today = _today()
    form = GuestFilterForm(request.GET or None, office=office)
    stays = selectors.current_stays(office.pk).select_related(
        "lodging", "lodging__kelurahan", "person")
    lodging = None
    if form.is_valid():
        data = form.cleaned_data
        if data["kelurahan"]:
            stays = stays.filter(lodging__kelurahan=data["kelurahan"])
        if data["lodging"]:
            lodging = selectors.lodgings_for_officer(request.user).filter(
                pk=data["lodging"]).first()
            stays = stays.filter(lodging_id=data["lodging"])
        if data["overdue"]:
            stays = stays.filter(expected_checkout__lt=today)
        if data["q"]:
            stays = selectors.stays_matching(stays, data["q"])
    page = Paginator(stays.order_by("lodging__name", "-checked_in_at"), 50).get_page(
        request.GET.get("page"))
    access_record(request=request, persons=[s.person for s in page], view="lodging_guests")
    context = {"form": form, "page": page, "today": today, "lodging": lodging,
               "office": office, "htmx_target": "#guest-results"}
    if request.htmx:
        return render(request, "lodging/_officer_guest_results.html", context)
    context["kelurahan"], context["lodgings"] = selectors.guests_by_place(office.pk, today)
    return render(request, "lodging/officer_guests.html", context)


@aggregates_required
@require_GET
def guest_map(request):
    from django.conf import settings

    office = get_office_for_user(request.user)
    kelurahan, lodgings = selectors.guests_by_place(office.pk, _today())
    guests_url = reverse("lodging:officer_guests")
    personal = request.user.can_see_personal_data
    markers = [{"lat": p.latitude, "lng": p.longitude, "label": p.name, "count": p.guests,
                "kind": "kelurahan",
                "url": f"{guests_url}?kelurahan={p.id}" if personal else ""}
               for p in kelurahan if p.latitude is not None]
    markers += [{"lat": p.latitude, "lng": p.longitude, "label": p.name, "count": p.guests,
                 "kind": "lodging", "url": f"{guests_url}?lodging={p.id}" if personal else ""}
                for p in lodgings if p.latitude is not None]
    return render(request, "lodging/officer_map.html", {
        "markers": markers, "kelurahan": kelurahan, "office": office,
        "tile_url": settings.PORA_MAP_TILE_URL,
        "tile_attribution": settings.PORA_MAP_TILE_ATTRIBUTION,
        "total": sum(p.guests for p in kelurahan)})


@aggregates_required
@require_GET
def compliance_view(request):
    from pora.lodging.detection import Thresholds

    office = get_office_for_user(request.user)
    limits = Thresholds.from_settings()
    now = _now()
    months, rows = selectors.compliance(office.pk, now=now,
                                        late_hours=limits.report_within_hours)
    rows.sort(key=lambda r: (r.lodging.status != ReporterStatus.VERIFIED,
                             -(r.silent_days(now) or 0), r.lodging.name))
    return render(request, "lodging/officer_compliance.html", {
        "months": months, "rows": [(r, r.silent_days(now)) for r in rows],
        "limits": limits, "office": office})


@personal_data_required
@require_GET
def alert_list(request):
    form = AlertFilterForm(request.GET or None)
    alerts = alert_selectors.alert_queue(request.user).select_related("person", "lodging")
    rule = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["rule"]:
            rule = data["rule"]
            alerts = alerts.filter(rule=rule)
        if data["status"]:
            alerts = alerts.filter(status=data["status"])
        if data["lodging"]:
            alerts = alerts.filter(lodging_id=data["lodging"])
        if data["since"]:
            alerts = alerts.filter(last_seen__date__gte=data["since"])
    else:
        alerts = alerts.filter(status="open")
    if not request.GET:
        alerts = alerts.filter(~Q(status="closed"))
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    access_record(request=request, persons=[a.person for a in page if a.person],
                  view="lodging_alerts")
    if not rule:
        title = _("Alerts: lodging reports and watchlist hits")
    elif getattr(alert_rules.get(rule), "area", "") == "screening":
        title = _("Alerts from confirmed watchlist hits")
    else:
        title = _("Alerts from lodging reports")
    return render(request, "lodging/officer_alerts.html", {
        "form": form, "page": page, "title": title,
        "counts": [(alert_rules.label(rule), n) for rule, n in
                   sorted(alert_services.alert_counts(request.user.office_id).items())]})


@personal_data_required
@require_http_methods(["GET", "POST"])
def alert_detail(request, pk):
    alert, may_handle = alert_selectors.get_alert_for_user(request.user, pk)
    form = AlertUpdateForm(request.POST or None, initial={"status": alert.status})
    if request.method == "POST":
        if not may_handle:
            raise PermissionDenied
        if form.is_valid():
            alert_services.alert_update(actor=request.user, alert=alert,
                                        status=form.cleaned_data["status"],
                                        note=form.cleaned_data["note"])
            messages.success(request, _("Alert updated."))
            return redirect("lodging:officer_alert", alert.pk)
    if alert.person:
        access_record(request=request, persons=[alert.person], view="lodging_alert")
    return render(request, "lodging/officer_alert.html", {"alert": alert, "form": form,
                                                          "may_handle": may_handle})


@personal_data_required
@require_http_methods(["GET", "POST"])
def officer_stay(request, pk):
    stay = selectors.get_stay_for_user(request.user, pk)
    form = RelinkForm(request.POST or None)
    if request.method == "POST":
        if not request.user.can_write_registry:
            raise PermissionDenied
        if form.is_valid():
            person = None
            if form.cleaned_data["person"] and not form.cleaned_data["new_person"]:
                try:
                    person = get_person_for_user(request.user, form.cleaned_data["person"])
                except Http404:
                    form.add_error("person", _("No foreigner with this number in your "
                                               "office."))
            if not form.errors:
                stay = stay_relink(actor=request.user, stay=stay, person=person)
                messages.success(request, _("The guest is now linked to %(name)s.") % {
                    "name": stay.person.full_name})
                return redirect("lodging:officer_stay", stay.pk)
    access_record(request=request, persons=[stay.person], view="lodging_stay_officer")
    return render(request, "lodging/officer_stay.html", {
        "stay": stay, "form": form, "today": _today(),
        "alerts": stay.alerts.all()})


@aggregates_required
@require_GET
def lodging_list(request):
    lodgings = selectors.lodgings_for_officer(request.user).select_related("kelurahan")
    status = request.GET.get("status", "")
    if status in ReporterStatus.values:
        lodgings = lodgings.filter(status=status)
    page = Paginator(lodgings.order_by("status", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "lodging/officer_lodgings.html", {
        "page": page, "status": status, "statuses": ReporterStatus.choices})


@aggregates_required
@require_GET
def lodging_detail(request, pk):
    lodging = selectors.get_lodging_for_officer(request.user, pk)
    return render(request, "lodging/officer_lodging.html", {
        "lodging": lodging,
        "staff": selectors.staff_of(lodging),
        "tokens": lodging.tokens.all(),
        "current": selectors.current_stays(lodging.office_id).filter(lodging=lodging).count(),
        "can_decide": request.user.can_write_registry
        and request.user.office_id == lodging.office_id})


@registry_write_required
@require_POST
def lodging_decide(request, pk):
    lodging = selectors.get_lodging_for_officer(request.user, pk)
    decision = request.POST.get("status")
    if decision not in {ReporterStatus.VERIFIED, ReporterStatus.SUSPENDED}:
        raise Http404
    if decision == ReporterStatus.VERIFIED and lodging.status == ReporterStatus.EMAIL_PENDING:
        messages.error(request, _("The reporter has not confirmed the email address yet."))
        return redirect("lodging:officer_lodging", lodging.pk)
    reporters.lodging_set_status(actor=request.user, lodging=lodging, status=decision,
                                 note=request.POST.get("note", "")[:300])
    messages.success(request, _("%(name)s: %(status)s.") % {
        "name": lodging.name, "status": ReporterStatus(decision).label})
    return redirect("lodging:officer_lodging", lodging.pk)
