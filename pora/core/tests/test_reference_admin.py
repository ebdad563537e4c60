"""The administrator keeps offices and partner agencies, and finds every reference table
from one page; nobody else may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pora.conftest import login, make_user
from pora.core.models import Agency, AgencyKind, AuditEvent, AuditLog, Office, Role


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


def test_the_admin_menu_leads_to_every_reference_table(administrator):
    client = login(administrator)
    home = client.get(reverse("core:user_list"))
    assert reverse("core:reference_index") in dict(home.context["nav_items"])
    page = client.get(reverse("core:reference_index"))
    assert page.status_code == 200
    urls = [url for url, _label, _help in page.context["sections"]]
    assert urls == [reverse("registry:visa_index_list"), reverse("registry:rule_set_list"),
                    reverse("core:office_list"), reverse("core:agency_list"),
                    reverse("core:working_days")]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_pages_are_in_bahasa_indonesia_and_fit_a_phone(administrator):
    content = login(administrator).get(reverse("core:reference_index")).content.decode()
    assert 'lang="id"' in content and "Data referensi" in content
    assert 'name="viewport" content="width=device-width' in content


def test_admin_adds_an_office_with_its_jurisdiction_and_it_is_audited(administrator):
    response = login(administrator).post(reverse("core:office_list"), {
        "code": "jakarta-utara-2", "name": "Kantor Imigrasi Uji", "jurisdiction": "31.72.01 31.72.02"})
    assert response.status_code == 302
    office = Office.objects.get(code="jakarta-utara-2")
    assert sorted(office.jurisdiction.values_list("code", flat=True)) == ["31.72.01", "31.72.02"]
    audit = AuditLog.objects.get(object_type="core.Office", object_id=str(office.pk))
    assert (audit.event, audit.actor) == (AuditEvent.CREATE, administrator)
    assert audit.changes["jurisdiction"] == [None, ["31.72.01", "31.72.02"]]


def test_an_office_with_an_unknown_area_or_a_taken_name_is_refused(administrator, jakut):
    client = login(administrator)
    response = client.post(reverse("core:office_list"), {
        "code": "uji", "name": "Uji", "jurisdiction": "31.72 99.99"})
    assert "99.99" in str(response.context["form"].errors["jurisdiction"])
    response = client.post(reverse("core:office_list"), {
        "code": "uji", "name": jakut.name, "jurisdiction": "31.72"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Office.objects.filter(code="uji").exists()


def test_admin_changes_an_offices_name_and_jurisdiction(administrator, jakpus):
    response = login(administrator).post(reverse("core:office_detail", args=[jakpus.pk]), {
        "code": "ignored", "name": "Kantor Imigrasi Kelas I Jakarta Pusat",
        "jurisdiction": "31.71.01"})
    assert response.status_code == 302
    jakpus.refresh_from_db()
    assert (jakpus.code, jakpus.name) == ("jakarta-pusat", "Kantor Imigrasi Kelas I Jakarta Pusat")
    audit = AuditLog.objects.get(object_type="core.Office", event=AuditEvent.UPDATE)
    assert audit.changes["jurisdiction"] == [["31.71"], ["31.71.01"]]


def test_admin_adds_and_changes_a_partner_agency(administrator, jakut):
    client = login(administrator)
    response = client.post(reverse("core:agency_list"), {
        "name": "Polsek Penjaringan", "kind": AgencyKind.POLICE, "office": jakut.pk,
        "area": "31.72.01"})
    assert response.status_code == 302
    agency = Agency.objects.get(name="Polsek Penjaringan")
    assert agency.area.code == "31.72.01"
    response = client.post(reverse("core:agency_detail", args=[agency.pk]), {
        "name": "Polsek Metro Penjaringan", "kind": AgencyKind.POLICE, "office": jakut.pk,
        "area": ""})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.name, agency.area) == ("Polsek Metro Penjaringan", None)
    events = list(AuditLog.objects.filter(object_type="core.Agency").order_by("id")
                  .values_list("event", flat=True))
    assert events == [AuditEvent.CREATE, AuditEvent.UPDATE]
    found = client.get(reverse("core:agency_list"), {"q": "penjaringan", "office": jakut.pk})
    assert [a.pk for a in found.context["page"]] == [agency.pk]


def test_a_duplicate_agency_or_unknown_area_is_refused(administrator, police_partner, jakut):
    client = login(administrator)
    response = client.post(reverse("core:agency_list"), {
        "name": police_partner.agency.name, "kind": AgencyKind.POLICE, "office": jakut.pk})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(reverse("core:agency_list"), {
        "name": "Koramil Uji", "kind": AgencyKind.MILITARY, "office": jakut.pk, "area": "xx"})
    assert response.context["form"].errors["area"]
    assert Agency.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "head", "police_partner", "hotel_operator"])
def test_reference_pages_are_refused_to_everyone_but_the_administrator(request, persona, jakut):
    client = login(request.getfixturevalue(persona))
    agency = Agency.objects.create(name="Kesbangpol Uji", kind=AgencyKind.KESBANGPOL,
                                   office=jakut)
    urls = [reverse("core:reference_index"), reverse("core:office_list"),
            reverse("core:office_detail", args=[jakut.pk]), reverse("core:agency_list"),
            reverse("core:agency_detail", args=[agency.pk])]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X", "code": "x", "jurisdiction": "31.72",
                                 "kind": AgencyKind.OTHER, "office": jakut.pk}).status_code == 403
    assert Office.objects.count() == 1
    assert Agency.objects.filter(name="X").count() == 0
