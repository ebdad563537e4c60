"""The administrator manages accounts: create, change, unlock; nobody else can."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from pora.conftest import PASSWORD, login, make_user
from pora.core.models import AuditEvent, AuditLog, Role, User


@pytest.fixture
def administrator(db):
    return make_user("admin_pusat", Role.ADMIN)


def test_admin_creates_an_officer_of_jakarta_utara_and_it_is_audited(administrator, jakut):
    client = login(administrator)
    response = client.post(reverse("core:user_list"), {
        "username": "petugas_baru", "first_name": "Siti", "email": "siti@example.go.id",
        "role": Role.OFFICER, "office": jakut.pk, "password": "Kereta-Senja-Melaju-88",
        "is_active": "on",
    })
    assert response.status_code == 302
    created = User.objects.get(username="petugas_baru")
    assert (created.role, created.office, created.agency) == (Role.OFFICER, jakut, None)
    assert created.check_password("Kereta-Senja-Melaju-88")
    audit = AuditLog.objects.get(event=AuditEvent.CREATE, object_type="core.User",
                                 object_id=str(created.pk))
    assert audit.actor == administrator
    assert audit.changes["role"] == [None, "officer"]


def test_office_staff_without_an_office_is_refused_with_a_message(administrator):
    client = login(administrator)
    response = client.post(reverse("core:user_list"), {
        "username": "tanpa_kantor", "role": Role.OFFICER, "password": "Kereta-Senja-Melaju-88",
    })
    assert response.status_code == 200
    assert not User.objects.filter(username="tanpa_kantor").exists()
    assert response.context["form"].errors["office"]


def test_a_weak_password_is_refused(administrator, jakut):
    response = login(administrator).post(reverse("core:user_list"), {
        "username": "lemah", "role": Role.ANALYST, "office": jakut.pk, "password": "123",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="lemah").exists()


def test_admin_changes_a_role_and_deactivates_and_the_change_is_audited(administrator,
                                                                      officer, jakut):
    client = login(administrator)
    response = client.post(reverse("core:user_detail", args=[officer.pk]), {
        "username": officer.username, "role": Role.ANALYST, "office": jakut.pk,
        "first_name": "", "email": "",
    })
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.role == Role.ANALYST
    assert officer.is_active is False
    audit = AuditLog.objects.filter(event=AuditEvent.UPDATE, object_type="core.User",
                                    object_id=str(officer.pk)).latest("id")
    assert audit.changes["role"] == ["officer", "analyst"]
    assert audit.changes["is_active"] == [True, False]
    # The deactivated officer can no longer reach personal data.
    assert login(officer).get(reverse("registry:person_list")).status_code in {302, 404}


def test_admin_cannot_remove_own_admin_access(administrator):
    response = login(administrator).post(reverse("core:user_detail", args=[administrator.pk]), {
        "username": administrator.username, "role": Role.OFFICER, "is_active": "on",
    })
    assert response.status_code == 200
    administrator.refresh_from_db()
    assert administrator.role == Role.ADMIN


def test_admin_lifts_a_login_lockout(administrator, officer, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:login"), {"username": officer.username, "password": "salah"})
    assert AccessAttempt.objects.filter(username=officer.username).exists()
    response = login(administrator).post(reverse("core:user_detail", args=[officer.pk]),
                                         {"action": "unlock"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    after = client.post(reverse("core:login"), {"username": officer.username,
                                                "password": PASSWORD})
    assert after.status_code == 302


def test_user_list_exports_to_excel(administrator, officer):
    response = login(administrator).get(reverse("core:user_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("persona", ["officer", "head", "analyst", "police_partner",
                                     "hotel_operator"])
def test_nobody_but_the_administrator_manages_users(persona, request, officer):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("core:user_list")).status_code == 403
    assert client.post(reverse("core:user_detail", args=[officer.pk]),
                       {"action": "unlock"}).status_code == 403
