"""Every import's rejected rows share one model base and one download view; each area
keeps its own access check and its own foreign key to its job."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import RequestFactory

from pora.core.models import AccessLog
from pora.jobs.models import JobStatus, RejectedRowBase
from pora.jobs.rejected import rejected_rows_download, shown_rejected_rows
from pora.lodging.models import GuestListImport, GuestListRejectedRow
from pora.registry.models import PermitImport, RejectedRow
from pora.screening.models import Watchlist, WatchlistImport, WatchlistRejectedRow

pytestmark = pytest.mark.django_db

MODELS = [(RejectedRow, "permit_import"), (GuestListRejectedRow, "guest_import"),
          (WatchlistRejectedRow, "job")]


@pytest.mark.parametrize(("model", "job_field"), MODELS, ids=lambda m: getattr(m, "__name__", m))
def test_each_areas_rejected_row_is_the_one_base_with_its_jobs_key(model, job_field):
    assert issubclass(model, RejectedRowBase)
    fields = {f.name for f in model._meta.get_fields()}
    assert fields == {"id", "row_number", "values", "errors", job_field}
    assert model._meta.ordering == ["row_number"]
    assert model._meta.get_field(job_field).remote_field.related_name == "rejected_rows"


def _jobs(officer, hotel, jakut):
    common = {"created_by": officer, "filename": "daftar.csv", "sha256": "0" * 64,
              "status": JobStatus.DONE, "rejected_count": 2}
    permits = PermitImport.objects.create(office=jakut, **common)
    guests = GuestListImport.objects.create(lodging=hotel, **common)
    watchlist = Watchlist.objects.create(office=jakut, name="DPO", kind="wanted")
    listed = WatchlistImport.objects.create(watchlist=watchlist, format="csv", **common)
    for model, field, job in [(RejectedRow, "permit_import", permits),
                              (GuestListRejectedRow, "guest_import", guests),
                              (WatchlistRejectedRow, "job", listed)]:
        # Written out of order: the base's ordering lists them by row.
        for number in (7, 3):
            model.objects.create(**{field: job}, row_number=number,
                                 values={"nama": f"WANG {number}", "=cmd": "=1+1"},
                                 errors=[{"field": "nama", "message": "salah"}])
    return [permits, guests, listed]


def test_one_download_view_serves_every_areas_job(officer, hotel, jakut):
    for job in _jobs(officer, hotel, jakut):
        request = RequestFactory().get("/unduh/")
        request.user = officer
        response = rejected_rows_download(request, job, position=["nama", "=cmd"].index,
                                          view=f"{job._meta.model_name}_rejected")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows == [["nama", "'=cmd", "alasan_penolakan"],
                        ["WANG 3", "'=1+1", "nama: salah"],
                        ["WANG 7", "'=1+1", "nama: salah"]]
        assert AccessLog.objects.filter(view=f"{job._meta.model_name}_rejected").exists()
        assert shown_rejected_rows(job) == [(3, [("nama", "salah")]), (7, [("nama", "salah")])]
