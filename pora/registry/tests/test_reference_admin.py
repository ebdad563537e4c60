"""The administrator keeps visa index codes and rule sets; nobody else may."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pora.conftest import login, make_permit, make_user
from pora.core.models import AuditEvent, AuditLog, Role
from pora.registry.models import RuleSet, StayPermit, VisaIndex
from pora.registry.selectors import rules_on


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


NEW_CODE = {"code": " e99z ", "scheme": "2025", "permit_kind": "ITAS",
            "description": "Visa tinggal terbatas uji coba", "description_en": "Trial limited stay",
            "valid_from": "2025-06-13", "valid_until": "", "replaces": "c312, E23",
            "source": "Kepmen uji"}


def test_admin_lists_and_searches_codes(administrator):
    client = login(administrator)
    response = client.get(reverse("registry:visa_index_list"), {"q": "E28", "scheme": "2025"})
    assert response.status_code == 200
    codes = {v.code for v in response.context["page"]}
    assert {"E28F", "E28G"} <= codes
    assert all(v.scheme == "2025" for v in response.context["page"])
    assert "E28F" in response.content.decode()


def test_admin_adds_a_code_and_it_is_audited(administrator):
    response = login(administrator).post(reverse("registry:visa_index_list"), NEW_CODE)
    assert response.status_code == 302
    visa = VisaIndex.objects.get(code="E99Z", scheme="2025")
    assert (visa.permit_kind, visa.replaces, visa.valid_until) == ("ITAS", "C312 E23", None)
    audit = AuditLog.objects.get(object_type="registry.VisaIndex", object_id=str(visa.pk))
    assert (audit.event, audit.actor) == (AuditEvent.CREATE, administrator)
    assert audit.changes["code"] == [None, "E99Z"]
    assert audit.note


def test_a_code_twice_in_one_scheme_is_refused_with_a_message(administrator):
    response = login(administrator).post(reverse("registry:visa_index_list"),
                                         {**NEW_CODE, "code": "E23"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert VisaIndex.objects.filter(code="E23", scheme="2025").count() == 1


def test_hostile_code_and_dates_are_refused(administrator):
    client = login(administrator)
    count = VisaIndex.objects.count()
    for changes in ({"code": "E2<script>"}, {"valid_from": "2025-13-01"},
                    {"valid_until": "2020-01-01"}, {"description": "x" * 201},
                    {"permit_kind": "KITAS"}):
        response = client.post(reverse("registry:visa_index_list"), {**NEW_CODE, **changes})
        assert response.status_code == 200, changes
        assert response.context["form"].errors, changes
    assert VisaIndex.objects.count() == count


def test_admin_edits_a_code_but_not_its_identity(administrator):
    visa = VisaIndex.objects.get(code="E31A", scheme="2023")
    response = login(administrator).post(
        reverse("registry:visa_index_detail", args=[visa.pk]),
        {"action": "save", "code": "HACK", "scheme": "x", "permit_kind": "ITAS",
         "description": "Suami/istri WNI", "description_en": "", "valid_from": "2023-09-01",
         "valid_until": "", "replaces": "", "source": "dicek"})
    assert response.status_code == 302
    visa.refresh_from_db()
    assert (visa.code, visa.scheme, visa.description, visa.source) == (
        "E31A", "2023", "Suami/istri WNI", "dicek")
    audit = AuditLog.objects.get(event=AuditEvent.UPDATE, object_type="registry.VisaIndex")
    assert set(audit.changes) == {"description", "description_en", "source"}


def test_a_code_permits_carry_is_deactivated_not_deleted(administrator, wang):
    visa = VisaIndex.objects.get(code="C312")
    permit = make_permit(wang, visa_index=visa)
    client = login(administrator)
    url = reverse("registry:visa_index_detail", args=[visa.pk])

    response = client.post(url, {"action": "delete"})
    assert response.status_code == 302
    assert VisaIndex.objects.filter(pk=visa.pk).exists()
    assert not AuditLog.objects.filter(event=AuditEvent.DELETE).exists()

    assert client.get(url).context["in_use"] is True
    client.post(url, {"action": "deactivate"})
    visa.refresh_from_db()
    assert visa.is_active is False
    audit = AuditLog.objects.get(event=AuditEvent.UPDATE, object_id=str(visa.pk))
    assert audit.changes == {"is_active": [True, False]}
    StayPermit.objects.get(pk=permit.pk, visa_index=visa)

    client.post(url, {"action": "activate"})
    visa.refresh_from_db()
    assert visa.is_active is True


def test_an_unused_code_can_be_deleted_and_it_is_audited(administrator):
    visa = VisaIndex.objects.create(code="TYPO1", scheme="2025", description="salah ketik",
                                    valid_from=dt.date(2025, 6, 13))
    response = login(administrator).post(reverse("registry:visa_index_detail", args=[visa.pk]),
                                         {"action": "delete"})
    assert response.status_code == 302
    assert not VisaIndex.objects.filter(pk=visa.pk).exists()
    assert AuditLog.objects.get(event=AuditEvent.DELETE).changes["code"] == ["TYPO1", None]


RULES = {"valid_from": "2030-01-01", "legal_basis": "PP uji 2029", "expiring_within_days": 45,
         "overstay_fee_per_day": 1500000, "overstay_deportation_days": 60,
         "change_report_days": 30}


def test_admin_adds_a_rule_set_that_takes_force_from_its_date(administrator):
    before = rules_on(dt.date(2029, 12, 31))
    response = login(administrator).post(reverse("registry:rule_set_list"), RULES)
    assert response.status_code == 302
    assert rules_on(dt.date(2029, 12, 31)) == before
    new = rules_on(dt.date(2030, 1, 1))
    assert (new.overstay_fee_per_day, new.expiring_within_days) == (1_500_000, 45)
    audit = AuditLog.objects.get(object_type="registry.RuleSet", object_id=str(new.pk))
    assert (audit.event, audit.actor) == (AuditEvent.CREATE, administrator)


def test_a_rule_set_before_the_latest_is_refused_history_is_not_rewritten(administrator):
    latest = RuleSet.objects.order_by("-valid_from").first()
    response = login(administrator).post(
        reverse("registry:rule_set_list"),
        {**RULES, "valid_from": latest.valid_from.isoformat()})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert RuleSet.objects.count() == 1
    response = login(administrator).post(reverse("registry:rule_set_list"),
                                         {**RULES, "overstay_fee_per_day": -5})
    assert response.context["form"].errors["overstay_fee_per_day"]


@pytest.mark.parametrize("persona", ["officer", "head", "police_partner", "hotel_operator"])
def test_reference_pages_are_refused_to_everyone_but_the_administrator(request, db, persona):
    user = request.getfixturevalue(persona)
    client = login(user)
    visa = VisaIndex.objects.get(code="E23", scheme="2025")
    urls = [reverse("registry:visa_index_list"), reverse("registry:rule_set_list"),
            reverse("registry:visa_index_detail", args=[visa.pk])]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {**NEW_CODE, **RULES, "action": "deactivate"}).status_code == 403
    visa.refresh_from_db()
    assert visa.is_active
    assert not VisaIndex.objects.filter(code="E99Z").exists()
    assert RuleSet.objects.count() == 1


def test_reference_pages_send_anonymous_visitors_to_log_in(anonymous):
    response = anonymous.get(reverse("registry:visa_index_list"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_the_code_list_downloads_as_excel(administrator):
    response = login(administrator).get(reverse("registry:visa_index_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
