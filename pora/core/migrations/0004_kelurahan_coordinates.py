"""Approximate centres of Jakarta Utara's kelurahan, for the guest map's markers.

Rounded to about 100 m; they place a marker in the right neighbourhood, not a boundary.
Replace them with the official figures (BIG / Kemendagri) when those are loaded.
"""

from django.db import migrations

CENTRES = {
    "Kamal Muara": (-6.1010, 106.7420), "Kapuk Muara": (-6.1190, 106.7620),
    "Pejagalan": (-6.1350, 106.7860), "Penjaringan": (-6.1250, 106.8030),
    "Pluit": (-6.1160, 106.7900),
    "Kebon Bawang": (-6.1180, 106.8920), "Papanggo": (-6.1370, 106.8710),
    "Sungai Bambu": (-6.1280, 106.8810), "Sunter Agung": (-6.1450, 106.8580),
    "Sunter Jaya": (-6.1520, 106.8700), "Tanjung Priok": (-6.1080, 106.8800),
    "Warakas": (-6.1250, 106.8760),
    "Koja": (-6.1170, 106.9050), "Lagoa": (-6.1130, 106.9150),
    "Rawa Badak Selatan": (-6.1280, 106.9010), "Rawa Badak Utara": (-6.1210, 106.8970),
    "Tugu Selatan": (-6.1300, 106.9180), "Tugu Utara": (-6.1180, 106.9250),
    "Cilincing": (-6.1050, 106.9450), "Kalibaru": (-6.1030, 106.9250),
    "Marunda": (-6.1000, 106.9600), "Rorotan": (-6.1400, 106.9600),
    "Semper Barat": (-6.1250, 106.9350), "Semper Timur": (-6.1270, 106.9470),
    "Sukapura": (-6.1400, 106.9250),
    "Ancol": (-6.1250, 106.8300), "Pademangan Barat": (-6.1320, 106.8350),
    "Pademangan Timur": (-6.1370, 106.8450),
    "Kelapa Gading Barat": (-6.1580, 106.9000), "Kelapa Gading Timur": (-6.1650, 106.9100),
    "Pegangsaan Dua": (-6.1520, 106.9150),
}


def load(apps, schema_editor):
    Area = apps.get_model("core", "AdministrativeArea")
    for area in Area.objects.filter(code__startswith="31.72.", level="kelurahan"):
        if area.name in CENTRES and area.latitude is None:
            area.latitude, area.longitude = CENTRES[area.name]
            area.save(update_fields=["latitude", "longitude"])


def unload(apps, schema_editor):
    Area = apps.get_model("core", "AdministrativeArea")
    Area.objects.filter(code__startswith="31.72.", level="kelurahan",
                        name__in=list(CENTRES)).update(latitude=None, longitude=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_logs_append_only")]
    operations = [migrations.RunPython(load, unload)]
