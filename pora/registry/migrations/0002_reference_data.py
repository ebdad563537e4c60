"""First rule set, a starting visa index table, and pg_trgm on PostgreSQL."""

import datetime as dt

from django.db import migrations

VISA_INDEX = [
    # (code, scheme, description, permit kind, valid_from)
    ("B211A", "pre-2025", "Visa kunjungan satu kali perjalanan (wisata, bisnis, keluarga)", "ITK",
     dt.date(2011, 5, 5)),
    ("D212", "pre-2025", "Visa kunjungan beberapa kali perjalanan (bisnis)", "ITK",
     dt.date(2011, 5, 5)),
    ("C312", "pre-2025", "Visa tinggal terbatas untuk bekerja", "ITAS", dt.date(2011, 5, 5)),
    ("C313", "pre-2025", "Visa tinggal terbatas investasi (1 tahun)", "ITAS", dt.date(2011, 5, 5)),
    ("C314", "pre-2025", "Visa tinggal terbatas investasi (2 tahun)", "ITAS", dt.date(2011, 5, 5)),
    ("C316", "pre-2025", "Visa tinggal terbatas untuk belajar", "ITAS", dt.date(2011, 5, 5)),
    ("C317", "pre-2025", "Visa tinggal terbatas penyatuan keluarga", "ITAS", dt.date(2011, 5, 5)),
    ("A1", "2025", "Bebas visa kunjungan singkat", "ITK", dt.date(2025, 1, 1)),
    ("B1", "2025", "Visa on arrival 30 hari, dapat diperpanjang satu kali", "ITK",
     dt.date(2025, 1, 1)),
    ("E23", "2025", "Visa tinggal terbatas untuk bekerja", "ITAS", dt.date(2025, 1, 1)),
    ("E28F", "2025", "Visa tinggal terbatas investor", "ITAS", dt.date(2025, 1, 1)),
]


def load(apps, schema_editor):
    RuleSet = apps.get_model("registry", "RuleSet")
    VisaIndex = apps.get_model("registry", "VisaIndex")
    RuleSet.objects.get_or_create(
        valid_from=dt.date(2011, 5, 5),
        defaults={
            "legal_basis": "UU 6/2011 Pasal 71, 78; tarif PNBP PP 28/2019 (PP 45/2024)",
            "expiring_within_days": 30,
            "overstay_fee_per_day": 1_000_000,
            "overstay_deportation_days": 60,
            "change_report_days": 60,
        },
    )
    for code, scheme, description, kind, valid_from in VISA_INDEX:
        VisaIndex.objects.get_or_create(
            code=code, scheme=scheme,
            defaults={"description": description, "permit_kind": kind, "valid_from": valid_from},
        )


def trigram_on(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Name search matches misspelt words against the vocabulary of name words (0003).
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(trigram_on, migrations.RunPython.noop),
    ]
