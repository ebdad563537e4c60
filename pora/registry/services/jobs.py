"""Background jobs (imports, rescreens) whose worker ended without finishing them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pora.core.audit import audit_record
from pora.core.models import AuditEvent
from pora.registry.models import ImportStatus, WorkerJob


def fail_if_stalled(job: WorkerJob) -> bool:
    """Mark ``job`` failed when it has lost its worker (:attr:`WorkerJob.is_stalled`: a
    worker killed or restarted mid-job leaves it running for ever); True if it did.

    What the job did before stays done, as when it stops on an error; its
    ``STALLED_ERROR`` says so. Run where the job is looked at.
    """
    if not job.is_stalled:
        return False
    with transaction.atomic():
        # Only if no worker has moved it meanwhile.
        failed = type(job).objects.filter(
            pk=job.pk, status=ImportStatus.RUNNING, progress_at=job.progress_at,
        ).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                 error=str(job.STALLED_ERROR))
        if failed:
            audit_record(actor=None, event=AuditEvent.UPDATE, obj=job,
                         office=job.owning_office_id(),
                         changes={"status": [ImportStatus.RUNNING, ImportStatus.FAILED]},
                         note="no sign of life from its worker")
            job.after_stalled()
    job.refresh_from_db()
    return bool(failed)
