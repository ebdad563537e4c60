"""Load the synthetic Jakarta Utara demo: foreigners, sponsors, partner agencies, users."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pora.core import clock
from pora.core.audit import audit_record
from pora.core.models import Agency, AgencyKind, AuditEvent, DemoDataset, Office, Role, User
from pora.core.services import user_create
from pora.demo import lodging as lodging_demo
from pora.demo import screening as screening_demo
from pora.demo.registry import PUBLISHED_1_FEB_2024, REFERENCE_DATE, generate
from pora.registry.models import Person

DEMO_PASSWORD = "uji-coba-pora-2024"
AGENCIES = [
    ("Polres Metro Jakarta Utara", AgencyKind.POLICE),
    ("Kodim 0502/Jakarta Utara", AgencyKind.MILITARY),
    ("Kesbangpol Kota Administrasi Jakarta Utara", AgencyKind.KESBANGPOL),
    ("Satpol PP Kota Administrasi Jakarta Utara", AgencyKind.SATPOL_PP),
    ("Suku Dinas Tenaga Kerja Jakarta Utara", AgencyKind.MANPOWER),
    ("Suku Dinas Dukcapil Jakarta Utara", AgencyKind.CIVIL_REGISTRY),
    ("Kejaksaan Negeri Jakarta Utara", AgencyKind.PROSECUTOR),
]
USERS = [
    ("petugas", Role.OFFICER, "Petugas Inteldakim"),
    ("kepala", Role.HEAD, "Kepala Kantor"),
    ("analis", Role.ANALYST, "Analis Data"),
    ("mitra", Role.PARTNER, "Polres Metro Jakarta Utara"),
    ("hotel", Role.LODGING, "Operator Hotel"),
    ("admin", Role.ADMIN, "Administrator"),
]


def demo_loaded() -> bool:
    return DemoDataset.objects.exists()


class Command(BaseCommand):
    help = "Load the Jakarta Utara demo data (refuses a database that holds real data)."

    def handle(self, *args, **options):
        if demo_loaded():
            self.stdout.write("Demo data already loaded.")
            return
        if Person.objects.exists() or User.objects.exists():
            raise CommandError(
                "This database already holds data that is not the demo's; the demo is only "
                "loaded into an empty database. Point DATABASE_URL or PORA_VAR_DIR elsewhere."
            )
        office = Office.objects.get(code="jakarta-utara")
        started = time.perf_counter()
        # Everything generated happened by the start of the reference day, on the demo's
        # calendar: the server then runs with PORA_DEMO_TODAY set to that day (pora demo).
        with clock.pinned(REFERENCE_DATE, moment=dt.time(0, 0)), transaction.atomic():
            agencies = {
                name: Agency.objects.create(name=name, kind=kind, office=office)
                for name, kind in AGENCIES
            }
            for username, role, first_name in USERS:
                user_create(
                    actor=None, username=username, password=DEMO_PASSWORD, role=role,
                    first_name=first_name,
                    office=office if role in {Role.OFFICER, Role.HEAD, Role.ANALYST} else None,
                    agency=agencies["Polres Metro Jakarta Utara"] if role == Role.PARTNER
                    else None,
                )
            stats = generate(office=office, reference=REFERENCE_DATE,
                             holders=PUBLISHED_1_FEB_2024)
            DemoDataset.objects.create(reference_date=REFERENCE_DATE, persons=stats.persons,
                                       permits=stats.permits)
            lodging_stats = lodging_demo.generate(
                office=office, reference=REFERENCE_DATE,
                hotel_user=User.objects.get(username="hotel"))
            screening_stats = screening_demo.generate(
                office=office, officer=User.objects.get(username="petugas"),
                reference=REFERENCE_DATE)
            audit_record(
                actor=None, event=AuditEvent.DEMO_LOAD, object_type="demo",
                object_label="Jakarta Utara demo", office=office.pk,
                changes={"reference_date": [None, REFERENCE_DATE.isoformat()],
                         "persons": [None, stats.persons], "permits": [None, stats.permits]},
                note="synthetic data; not individually audited",
            )
        self.stdout.write(self.style.SUCCESS(
            f"Demo loaded in {time.perf_counter() - started:.1f} s: {stats.persons:,} foreigners, "
            f"{stats.permits:,} permits, {stats.sponsors:,} sponsors; on "
            f"{REFERENCE_DATE:%d-%m-%Y}: {stats.by_kind_valid}, {stats.overstay} overstaying, "
            f"{stats.departed} departed; {lodging_stats['lodgings']} lodgings reported "
            f"{lodging_stats['stays']:,} stays; {screening_stats['lists']} watchlists with "
            f"{screening_stats['hits']} hits to review."
        ))
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}): "
                          + ", ".join(f"{u} ({r.label})" for u, r, _n in USERS))
