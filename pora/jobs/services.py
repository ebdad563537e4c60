"""A job's life: claimed by one worker, signs of life, and the end of a job whose worker
ended (imports, guest lists, watchlist imports, rescreens)."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from pora.core.audit import audit_record
from pora.core.models import AuditEvent
from pora.jobs.models import JobStatus, WorkerJob

log = logging.getLogger(__name__)


def job_claim(model: type[WorkerJob], job_id: int) -> bool:
    """Move the queued job to running for this worker; False if another worker has it.

    The queue may deliver a task twice (a worker restarted before acknowledging it, a job
    queued again): only the worker whose conditional update moved the row runs the job.
    """
    now = timezone.now()
    return bool(model.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, progress_at=now, error=""))


def fail_if_stalled(job: WorkerJob) -> bool:
    """Mark ``job`` failed when it has lost its worker (:attr:`WorkerJob.is_stalled`: a
    worker killed or restarted mid-job leaves it running for ever); True if it did.

    What the job did before stays done, as when it stops on an error; its
    ``STALLED_ERROR`` says so. Run where the job is looked at, and by the worker's sweep
    for jobs that cannot be queued again.
    """
    if not job.is_stalled:
        return False
    with transaction.atomic():
        # Only if no worker has moved it meanwhile.
        failed = type(job).objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, progress_at=job.progress_at,
        ).update(status=JobStatus.FAILED, finished_at=timezone.now(),
                 error=str(job.STALLED_ERROR))
        if failed:
            audit_record(actor=None, event=AuditEvent.UPDATE, obj=job,
                         office=job.owning_office_id(),
                         changes={"status": [JobStatus.RUNNING, JobStatus.FAILED]},
                         note="no sign of life from its worker")
            job.after_stalled()
    job.refresh_from_db()
    return bool(failed)


def job_models() -> list[type[WorkerJob]]:
    """Every kind of job of every area."""
    return [model for model in apps.get_models() if issubclass(model, WorkerJob)]


def stalled_requeue() -> dict[str, int]:
    """The worker's sweep: each stalled job is queued again, or failed when it cannot be.

    A job is queued again when its kind names the task that runs it (``RUN_TASK``, for
    jobs whose applying is idempotent: a file applied again changes what it had not yet
    changed) and it has been queued again fewer than ``REQUEUE_LIMIT`` times; otherwise
    it is marked failed as :func:`fail_if_stalled` does. Returns the counts.
    """
    counts = {"requeued": 0, "failed": 0}
    for model in job_models():
        cutoff = timezone.now() - model.STALLED_AFTER
        stalled = model.objects.filter(status=JobStatus.RUNNING).filter(
            Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, started_at__lt=cutoff))
        for job in stalled:
            if model.RUN_TASK and job.requeued < model.REQUEUE_LIMIT:
                if _requeue(job):
                    counts["requeued"] += 1
            elif fail_if_stalled(job):
                counts["failed"] += 1
    return counts


def _requeue(job: WorkerJob) -> bool:
    model = type(job)
    with transaction.atomic():
        moved = model.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, progress_at=job.progress_at,
        ).update(status=JobStatus.QUEUED, requeued=F("requeued") + 1)
        if not moved:
            return False
        job.before_requeue()
        audit_record(actor=None, event=AuditEvent.UPDATE, obj=job,
                     office=job.owning_office_id(),
                     changes={"status": [JobStatus.RUNNING, JobStatus.QUEUED]},
                     note="no sign of life from its worker: queued again")
        task = import_string(model.RUN_TASK)
        transaction.on_commit(lambda: task.enqueue(job_id=job.pk))
    log.warning("%s %s had no sign of life from its worker: queued again", model.__name__,
                job.pk)
    return True
