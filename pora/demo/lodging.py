"""Synthetic lodging reports for the demo: hotels across Jakarta Utara and their guests.

Stays are dated in the weeks before the demo's reference date (1 February 2024) and go
through the same check-in service as real reports, so links, receipts and alerts are
what the system would have made. A few guests are made to break the rules on purpose.
Everything happened before that day began: the demo's clock (pora.core.clock) then runs
through the reference day, so no report lies in the demo's future and the guests still
in house are those a hotel would have on that day.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from pora.alerts.services import raise_alerts
from pora.core.models import AdministrativeArea, Office, User
from pora.lodging.linking import Guest
from pora.lodging.models import Lodging, LodgingStaff, LodgingType, ReporterStatus, Source
from pora.lodging.services.alerts import lodging_findings
from pora.lodging.services.stays import StayDetails, check_in, check_out
from pora.registry.models import PermitKind, Person, StayPermit

LODGINGS = [
    ("Hotel Pluit Bay", LodgingType.HOTEL, "Pluit", "Jl. Pluit Karang Ayu 12"),
    ("Ancol Seaside Hotel", LodgingType.HOTEL, "Ancol", "Jl. Lodan Timur 7"),
    ("Kelapa Gading Residence", LodgingType.APARTMENT, "Kelapa Gading Barat",
     "Jl. Boulevard Raya 21"),
    ("Sunter Business Hotel", LodgingType.HOTEL, "Sunter Jaya", "Jl. Danau Sunter Utara 5"),
    ("Wisma Priok", LodgingType.GUESTHOUSE, "Tanjung Priok", "Jl. Enggano 33"),
    ("Kos Melati Koja", LodgingType.KOS, "Koja", "Jl. Plumpang Semper 9"),
    ("Mess PT Samudra Marunda", LodgingType.COMPANY_MESS, "Marunda", "Kawasan Marunda Center"),
    ("Penjaringan Harbour Inn", LodgingType.HOTEL, "Penjaringan", "Jl. Pakin 2"),
]


def _jitter(value, rng: random.Random) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value) + Decimal(rng.uniform(-0.004, 0.004))).quantize(Decimal("0.00001"))


def _guest(person: Person, *, renewed_passport: bool = False) -> Guest:
    """The guest as the passport shows them; a renewed passport has a new number."""
    document = person.documents.first()
    number = document.number if document else f"X{person.pk:08d}"
    if renewed_passport:
        number = f"R{number[1:]}"[:9] if number[0] != "R" else f"S{number[1:]}"
    return Guest(surname=person.surname, given_names=person.given_names,
                 nationality=person.nationality, sex=person.sex,
                 document_number=number,
                 issuing_state=document.issuing_state if document else person.nationality,
                 birth_year=person.birth_year, birth_month=person.birth_month,
                 birth_day=person.birth_day)


def generate(*, office: Office, reference: dt.date, hotel_user: User | None,
             seed: int = 72, stays: int = 400) -> dict[str, int]:
    rng = random.Random(seed)
    # The night before the reference day: the last moment anything generated happens.
    snapshot = timezone.make_aware(dt.datetime.combine(reference, dt.time(0, 0)))
    signed_up = snapshot - dt.timedelta(days=400)
    lodgings = []
    for index, (name, kind, village, street) in enumerate(LODGINGS):
        area = AdministrativeArea.objects.get(level="kelurahan", name=village)
        verified = index < len(LODGINGS) - 1  # the last one still awaits verification
        lodgings.append(Lodging.objects.create(
            name=name, lodging_type=kind, licence_number=f"91200{rng.randrange(10**8):08d}",
            kelurahan=area, street=street, latitude=_jitter(area.latitude, rng),
            longitude=_jitter(area.longitude, rng), person_in_charge="Manajer Front Office",
            phone="021-6600000", email=f"fo{index}@example.test", office=office,
            status=ReporterStatus.VERIFIED if verified else ReporterStatus.PENDING,
            email_confirmed_at=signed_up,
            verified_at=signed_up + dt.timedelta(days=2) if verified else None,
        ))
    if hotel_user is not None:
        LodgingStaff.objects.create(user=hotel_user, lodging=lodgings[0], is_manager=True)

    # Visitors (ITK) are the usual hotel guests; some ITAS holders travel within the city.
    visitors = list(Person.objects.filter(
        office=office, permits__kind=PermitKind.ITK,
        permits__valid_from__lte=reference, permits__valid_until__gte=reference)
        .distinct().order_by("id")[: stays * 2])
    residents = list(Person.objects.filter(office=office, permits__kind=PermitKind.ITAS)
                     .distinct().order_by("id")[:100])
    pool = visitors + residents
    rng.shuffle(pool)
    noon = dt.time(14, 0)
    created = 0
    # Mostly well-behaved guests: one stay each, reported within hours.
    for person in pool[:stays]:
        lodging = rng.choice(lodgings[:-1]) if rng.random() < 0.9 else lodgings[-1]
        # The kos stopped reporting ten days ago: the silent-lodging rule notices.
        quiet = lodging == lodgings[5]
        day = reference - dt.timedelta(days=rng.randrange(10 if quiet else 1, 41))
        checked_in = timezone.make_aware(dt.datetime.combine(day, noon)) + dt.timedelta(
            minutes=rng.randrange(0, 600))
        checked_in = min(checked_in, snapshot - dt.timedelta(hours=2))
        nights = rng.choice([1, 2, 3, 3, 4, 5, 7, 14])
        late = rng.random() < 0.06
        reported = checked_in + (dt.timedelta(hours=rng.randrange(30, 80)) if late
                                 else dt.timedelta(minutes=rng.randrange(5, 240)))
        reported = min(reported, snapshot)
        stay, _ = check_in(
            lodging=lodging, guest=_guest(person, renewed_passport=rng.random() < 0.06),
            source=rng.choice(
                [Source.MRZ, Source.MRZ, Source.PHOTO, Source.TYPED, Source.API]),
            details=StayDetails(checked_in_at=checked_in, room=f"{rng.randrange(1, 12)}"
                                f"{rng.randrange(1, 40):02d}",
                                expected_checkout=day + dt.timedelta(days=nights),
                                purpose=rng.choice(["Wisata", "Bisnis", "Konferensi",
                                                    "Kunjungan keluarga"])),
            actor=hotel_user if lodging == lodgings[0] else None, now=reported,
            evaluate=True)
        created += 1
        leave = checked_in + dt.timedelta(days=nights, hours=-2)
        # Guests whose stay ended before the reference date left, except a few forgotten.
        if leave < snapshot and rng.random() < 0.93:
            check_out(stay=stay, at=leave, now=snapshot)
    # Two guests who move around: three hotels in ten days, one overlap.
    for person in pool[stays:stays + 2]:
        start = reference - dt.timedelta(days=9)
        for hop, lodging in enumerate(lodgings[1:4]):
            checked_in = timezone.make_aware(dt.datetime.combine(
                start + dt.timedelta(days=3 * hop), noon))
            stay, _ = check_in(lodging=lodging, guest=_guest(person), source=Source.MRZ,
                               details=StayDetails(checked_in_at=checked_in, room="7"),
                               now=checked_in + dt.timedelta(hours=1))
            created += 1
            if hop < 2:
                check_out(stay=stay, at=checked_in + dt.timedelta(days=4 if hop else 2),
                          now=snapshot)
    # Guests whose permit ran out and who never left (Pasal 78).
    overstayers = Person.objects.filter(
        office=office, permits__valid_until__lt=reference - dt.timedelta(days=5),
        permits__departed_on__isnull=True).exclude(
        permits__valid_until__gte=reference).distinct().order_by("id")[:3]
    for person in overstayers:
        checked_in = timezone.make_aware(dt.datetime.combine(reference - dt.timedelta(days=2),
                                                             noon))
        check_in(lodging=lodgings[4], guest=_guest(person), source=Source.TYPED,
                 details=StayDetails(checked_in_at=checked_in, room="3",
                                     expected_checkout=reference + dt.timedelta(days=5)),
                 now=checked_in + dt.timedelta(hours=3))
        created += 1
    # Lodgings that stopped reporting raise their alert once.
    for office_id, finding in lodging_findings(now=snapshot):
        raise_alerts([finding], office_id=office_id, now=snapshot)
    return {"lodgings": len(lodgings), "stays": created,
            "present_permits": StayPermit.objects.filter(person__in=pool[:stays]).count()}
