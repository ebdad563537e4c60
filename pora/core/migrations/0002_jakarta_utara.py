"""Jakarta Utara (Kemendagri 31.72): 6 kecamatan, 31 kelurahan, and its immigration office.

Kecamatan codes are the Kemendagri ones. The four-digit kelurahan suffixes are assigned
here in alphabetical order within each kecamatan; check them against the Kemendagri
table before exchanging data keyed by kelurahan code with another system (the codes are
data and can be corrected without a code change).
"""

from django.db import migrations

JAKARTA_UTARA = {
    ("31.72.01", "Penjaringan"): ["Kamal Muara", "Kapuk Muara", "Pejagalan", "Penjaringan", "Pluit"],
    ("31.72.02", "Tanjung Priok"): ["Kebon Bawang", "Papanggo", "Sungai Bambu", "Sunter Agung",
                                    "Sunter Jaya", "Tanjung Priok", "Warakas"],
    ("31.72.03", "Koja"): ["Koja", "Lagoa", "Rawa Badak Selatan", "Rawa Badak Utara",
                           "Tugu Selatan", "Tugu Utara"],
    ("31.72.04", "Cilincing"): ["Cilincing", "Kalibaru", "Marunda", "Rorotan", "Semper Barat",
                                "Semper Timur", "Sukapura"],
    ("31.72.05", "Pademangan"): ["Ancol", "Pademangan Barat", "Pademangan Timur"],
    ("31.72.06", "Kelapa Gading"): ["Kelapa Gading Barat", "Kelapa Gading Timur",
                                    "Pegangsaan Dua"],
}


def load(apps, schema_editor):
    Area = apps.get_model("core", "AdministrativeArea")
    Office = apps.get_model("core", "Office")
    province, _ = Area.objects.get_or_create(
        code="31", defaults={"name": "DKI Jakarta", "level": "province"})
    city, _ = Area.objects.get_or_create(
        code="31.72", defaults={"name": "Jakarta Utara", "level": "city", "parent": province})
    for (code, name), kelurahan in JAKARTA_UTARA.items():
        kecamatan, _ = Area.objects.get_or_create(
            code=code, defaults={"name": name, "level": "kecamatan", "parent": city})
        for index, village in enumerate(sorted(kelurahan), start=1):
            Area.objects.get_or_create(
                code=f"{code}.{1000 + index}",
                defaults={"name": village, "level": "kelurahan", "parent": kecamatan})
    office, _ = Office.objects.get_or_create(
        code="jakarta-utara",
        defaults={"name": "Kantor Imigrasi Kelas I Khusus TPI Jakarta Utara"})
    office.jurisdiction.add(city)


def unload(apps, schema_editor):
    Area = apps.get_model("core", "AdministrativeArea")
    Office = apps.get_model("core", "Office")
    Office.objects.filter(code="jakarta-utara").delete()
    for level in ("kelurahan", "kecamatan", "city"):
        Area.objects.filter(code__startswith="31.72", level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
