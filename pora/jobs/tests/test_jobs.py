"""A job runs once per claim, and a job whose worker ended is queued again by the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pora.core.models import AuditEvent, AuditLog
from pora.jobs.models import JobStatus
from pora.jobs.services import job_models, stalled_requeue
from pora.jobs.sweep import sweep_once
from pora.lodging.models import GuestListImport
from pora.registry.models import PermitImport, StayPermit
from pora.registry.services.imports import permit_import_run, permit_import_start
from pora.registry.tests.test_import_permits import GOOD_ROWS, KIM, WANG, csv_bytes
from pora.screening.models import RescreenJob, WatchlistImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(officer, django_capture_on_commit_callbacks):
    """A permit file uploaded and queued, not yet run by any worker."""

    def upload(rows) -> PermitImport:
        with django_capture_on_commit_callbacks(execute=False):
            job = permit_import_start(actor=officer, filename="izin.csv", data=csv_bytes(rows))
        return job

    return upload


def _stall(job: PermitImport) -> None:
    long_ago = timezone.now() - PermitImport.STALLED_AFTER - dt.timedelta(minutes=1)
    PermitImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                  started_at=long_ago, progress_at=long_ago)


def test_every_area_s_jobs_are_known_to_the_sweep():
    assert {PermitImport, GuestListImport, WatchlistImport, RescreenJob} <= set(job_models())


def test_a_task_delivered_twice_runs_the_job_once(queued):
    job = queued(GOOD_ROWS)
    first = permit_import_run(job_id=job.pk)
    assert (first.status, first.created_count) == (JobStatus.DONE, len(GOOD_ROWS))
    again = permit_import_run(job_id=job.pk)
    assert (again.status, again.created_count, again.finished_at) == (
        JobStatus.DONE, len(GOOD_ROWS), first.finished_at)


def test_a_job_another_worker_is_running_is_left_to_it(queued):
    job = queued(GOOD_ROWS)
    now = timezone.now()
    PermitImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now,
                                                  progress_at=now)
    seen = permit_import_run(job_id=job.pk)
    assert (seen.status, seen.processed_rows) == (JobStatus.RUNNING, 0)
    assert not StayPermit.objects.exists()


def test_the_sweep_queues_a_stalled_import_again_and_it_finishes(queued,
                                                                 django_capture_on_commit_callbacks):
    job = queued([WANG, KIM])
    _stall(job)
    with django_capture_on_commit_callbacks(execute=True):
        counts = stalled_requeue()
    assert counts == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.requeued, job.created_count) == (JobStatus.DONE, 1, 2)
    assert AuditLog.objects.filter(object_type="registry.PermitImport", object_id=str(job.pk),
                                   event=AuditEvent.UPDATE,
                                   changes={"status": ["running", "queued"]}).exists()


def test_a_job_queued_again_too_often_is_failed_with_its_reason(queued):
    job = queued([WANG])
    _stall(job)
    PermitImport.objects.filter(pk=job.pk).update(requeued=PermitImport.REQUEUE_LIMIT)
    assert stalled_requeue() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == str(PermitImport.STALLED_ERROR)


def test_a_job_still_showing_signs_of_life_is_not_touched(queued):
    job = queued([WANG])
    recent = timezone.now() - dt.timedelta(minutes=2)
    PermitImport.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                  started_at=recent, progress_at=recent)
    assert sweep_once() == {"requeued": 0, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.requeued) == (JobStatus.RUNNING, 0)


def test_rejected_rows_of_the_ended_run_are_not_kept_twice(queued,
                                                           django_capture_on_commit_callbacks):
    bad = dict(WANG, kewarganegaraan="XYZ")
    job = queued([bad, KIM])
    permit_import_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.rejected_rows.count() == 1
    _stall(job)
    with django_capture_on_commit_callbacks(execute=True):
        stalled_requeue()
    job.refresh_from_db()
    assert (job.status, job.rejected_rows.count(), job.rejected_count) == (JobStatus.DONE, 1, 1)
