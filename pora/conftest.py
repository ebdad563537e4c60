"""Named personas and small builders shared by every test.

The database starts with Jakarta Utara's areas and office (data migration). A second
office, Jakarta Pusat, exists so that "another office" is a real thing to be refused.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from pora.core.models import AdministrativeArea, Agency, AgencyKind, Office, Role, User
from pora.registry import services
from pora.registry.models import Person, StayPermit

PASSWORD = "pora-test-password"


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_log_triggers():
    """Tests that commit (``transactional_db``, ``live_server``) are emptied afterwards
    with TRUNCATE, which the logs' triggers refuse on PostgreSQL (core migration 0007).
    The test database's superuser switches triggers off for that one transaction; the
    application's role could not (README, Database roles)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        sql = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *sql] if sql else sql

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture
def jakut(db) -> Office:
    return Office.objects.get(code="jakarta-utara")


@pytest.fixture
def jakpus(db) -> Office:
    province = AdministrativeArea.objects.get(code="31")
    city = AdministrativeArea.objects.create(code="31.71", name="Jakarta Pusat", level="city",
                                             parent=province)
    kecamatan = AdministrativeArea.objects.create(code="31.71.01", name="Gambir",
                                                  level="kecamatan", parent=city)
    AdministrativeArea.objects.create(code="31.71.01.1001", name="Gambir", level="kelurahan",
                                      parent=kecamatan)
    office = Office.objects.create(code="jakarta-pusat", name="Kantor Imigrasi Jakarta Pusat")
    office.jurisdiction.add(city)
    return office


def kelurahan(name: str) -> AdministrativeArea:
    return AdministrativeArea.objects.get(level="kelurahan", name=name)


def make_user(username: str, role: str, *, office=None, agency=None) -> User:
    user = User(username=username, role=role, office=office, agency=agency)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def officer(jakut) -> User:
    """An immigration officer of Jakarta Utara."""
    return make_user("petugas_jakut", Role.OFFICER, office=jakut)


@pytest.fixture
def head(jakut) -> User:
    return make_user("kepala_jakut", Role.HEAD, office=jakut)


@pytest.fixture
def analyst(jakut) -> User:
    return make_user("analis_jakut", Role.ANALYST, office=jakut)


@pytest.fixture
def other_officer(jakpus) -> User:
    """An immigration officer of another office (Jakarta Pusat)."""
    return make_user("petugas_jakpus", Role.OFFICER, office=jakpus)


@pytest.fixture
def police_partner(jakut) -> User:
    agency = Agency.objects.create(name="Polres Metro Jakarta Utara", kind=AgencyKind.POLICE,
                                   office=jakut)
    return make_user("polres", Role.PARTNER, agency=agency)


def make_lodging(name="Hotel Pluit Bay", *, kelurahan_name="Pluit", status="verified",
                 user: User | None = None, manager=True):
    """A lodging in Jakarta Utara (verified unless said otherwise), with ``user`` as staff."""
    from django.utils import timezone

    from pora.lodging.models import Lodging, LodgingStaff

    area = kelurahan(kelurahan_name)
    lodging = Lodging.objects.create(
        name=name, lodging_type="hotel", licence_number="9120001234567", kelurahan=area,
        street="Jl. Pluit Karang Ayu 1", latitude=area.latitude, longitude=area.longitude,
        person_in_charge="Budi Santoso", email="fo@example.test",
        office=Office.objects.get(code="jakarta-utara"), status=status,
        verified_at=timezone.now() if status == "verified" else None,
    )
    if user is not None:
        LodgingStaff.objects.create(user=user, lodging=lodging, is_manager=manager)
    return lodging


@pytest.fixture
def hotel_operator(db) -> User:
    """The manager of Hotel Pluit Bay, a verified lodging in Pluit."""
    user = make_user("hotel_pluit", Role.LODGING)
    make_lodging(user=user)
    return user


@pytest.fixture
def hotel(hotel_operator):
    return hotel_operator.lodging_staff.lodging


@pytest.fixture
def other_hotel_operator(db) -> User:
    """Front desk of another lodging (Ancol): must never see Hotel Pluit Bay's guests."""
    user = make_user("hotel_ancol", Role.LODGING)
    make_lodging("Ancol Beach Inn", kelurahan_name="Ancol", user=user, manager=False)
    return user


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_officer(officer) -> Client:
    return login(officer)


@pytest.fixture
def anonymous() -> Client:
    """A visitor who is not logged in."""
    return Client()


def make_person(*, actor=None, office=None, surname="WANG", given_names="XIAOMING",
                nationality="CHN", passport="EA1234567", kelurahan_name="Pluit",
                birth=(1985, 3, 21), sex="M") -> Person:
    office = office or Office.objects.get(code="jakarta-utara")
    return services.person_create(
        actor=actor, office=office, surname=surname, given_names=given_names,
        nationality=nationality, sex=sex, birth_year=birth[0], birth_month=birth[1],
        birth_day=birth[2], kelurahan=kelurahan(kelurahan_name) if kelurahan_name else None,
        street="Jl. Pluit Raya 1", document_number=passport,
    )


def make_permit(person: Person, *, number="2C11AA0000001", kind="ITAS", purpose="work",
                valid_from=dt.date(2023, 6, 1), valid_until=dt.date(2024, 5, 31),
                actor=None, **extra) -> StayPermit:
    permit, _created = services.permit_save(
        actor=actor, person=person, number=number, kind=kind, purpose=purpose,
        valid_from=valid_from, valid_until=valid_until, kelurahan=person.kelurahan,
        street=person.street, **extra,
    )
    return permit


@pytest.fixture
def wang(officer) -> Person:
    """WANG XIAOMING, Chinese worker in Pluit with an ITAS valid on 1 Feb 2024."""
    person = make_person(actor=officer)
    make_permit(person, actor=officer)
    return person


@pytest.fixture(autouse=True)
def _fresh_working_day_overrides():
    """Each test reads the working-day overrides of its own database: the process keeps
    them a few seconds, and a test's rows vanish with its rolled-back transaction."""
    from pora.core import deadlines

    deadlines._overrides = None
    yield
    deadlines._overrides = None


@pytest.fixture
def fresh_rate_limit():
    """The API's per-minute counts start from zero (they live in Django's cache, which
    outlives a test's database transaction)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
