"""Which office supervises a kelurahan: the office whose jurisdiction names the kelurahan
or any area it lies in, the first by name when two do."""

from __future__ import annotations

from pora.conftest import kelurahan
from pora.core.models import AdministrativeArea, Office
from pora.core.selectors import office_for_kelurahan


def test_an_office_covers_the_kelurahan_of_a_city_in_its_jurisdiction(jakut, jakpus):
    assert office_for_kelurahan(kelurahan("Pluit")) == jakut
    gambir = AdministrativeArea.objects.get(code="31.71.01.1001")
    found = office_for_kelurahan(gambir)
    assert found == jakpus
    # The office is read whole, as the ORM reads it.
    assert (found.code, found.name) == ("jakarta-pusat", "Kantor Imigrasi Jakarta Pusat")


def test_two_offices_covering_a_kelurahan_give_the_first_by_name(jakut):
    pluit = kelurahan("Pluit")
    penjaringan = pluit.parent
    # An office named before Jakarta Utara whose jurisdiction is the kecamatan only.
    seaport = Office.objects.create(code="pelabuhan", name="Kantor Imigrasi A Pelabuhan")
    seaport.jurisdiction.add(penjaringan)
    assert office_for_kelurahan(pluit) == seaport
    seaport.jurisdiction.clear()
    # A jurisdiction naming the kelurahan itself counts too.
    seaport.jurisdiction.add(pluit)
    assert office_for_kelurahan(pluit) == seaport


def test_no_office_for_an_area_outside_every_jurisdiction_or_not_a_kelurahan(jakut):
    province = AdministrativeArea.objects.get(code="31")
    city = AdministrativeArea.objects.create(code="31.73", name="Jakarta Barat", level="city",
                                             parent=province)
    kecamatan = AdministrativeArea.objects.create(code="31.73.01", name="Cengkareng",
                                                  level="kecamatan", parent=city)
    outside = AdministrativeArea.objects.create(code="31.73.01.1001", name="Duri Kosambi",
                                                level="kelurahan", parent=kecamatan)
    assert office_for_kelurahan(outside) is None
    assert office_for_kelurahan(kelurahan("Pluit").parent) is None
    assert office_for_kelurahan(None) is None
