"""What every background job has, whatever it does (abstract: each area keeps its jobs)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class WorkerJob(models.Model):
    """A job a background worker runs in chunks, with the worker's last sign of life.

    One worker claims a queued job (:func:`pora.jobs.services.job_claim`): a task delivered
    twice runs once. A worker killed or restarted mid-job leaves its job running: once it
    has shown no sign of life for :attr:`STALLED_AFTER`, the worker's sweep queues it again
    (:func:`pora.jobs.services.stalled_requeue`) if the job can be run again
    (:attr:`RUN_TASK`), or marks it failed; a page that shows a stalled job marks it failed
    (:func:`pora.jobs.services.fail_if_stalled`) when no worker is there to sweep.
    """

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the worker started or finished a chunk.
    progress_at = models.DateTimeField(null=True, blank=True)
    # Times the worker's sweep queued the job again after its worker ended.
    requeued = models.PositiveSmallIntegerField(default=0)

    # Chunks take seconds: no sign of life for this long, the worker has ended.
    STALLED_AFTER = dt.timedelta(minutes=15)
    # What the failed job says (what was done before stays done).
    STALLED_ERROR = _("The job stopped without finishing: its worker ended.")
    # The task that runs the job (dotted path; called with job_id=…): a job whose applying
    # is idempotent names it, and a stalled one is queued again instead of failing.
    RUN_TASK: str | None = None
    # How often a stalled job is queued again before it is marked failed.
    REQUEUE_LIMIT = 2

    class Meta:
        abstract = True

    @property
    def is_stalled(self) -> bool:
        last = self.progress_at or self.started_at
        return (self.status == JobStatus.RUNNING and last is not None
                and last < timezone.now() - self.STALLED_AFTER)

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    def before_requeue(self) -> None:
        """Undo what a run that will be repeated recorded about itself."""

    def after_stalled(self) -> None:
        """What else a job left half done needs (a watchlist import: the indexes)."""

    def owning_office_id(self) -> int | None:
        """The office whose audit trail records what happens to the job."""
        return None


class UploadJob(WorkerJob):
    """An uploaded file applied in the background, and what became of each of its rows.

    The permit import, the lodgings' guest lists and the watchlist imports share these
    counts and states.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)

    STALLED_ERROR = _("The import stopped without finishing: its worker ended. Rows already "
                      "counted as processed are saved; upload the file again to finish it.")

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def before_requeue(self) -> None:
        # Applying the file again finds its rejected rows again.
        self.rejected_rows.all().delete()

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, int(self.processed_rows * 100 / self.total_rows))


class RejectedRowBase(models.Model):
    """A row of an uploaded file that was not applied: its cells as uploaded (header →
    value) and what was wrong with it, to download, fix and upload again.

    Each area's concrete model adds the foreign key to its job with
    ``related_name="rejected_rows"`` (what :meth:`UploadJob.before_requeue` and
    :mod:`pora.jobs.rejected` read).
    """

    row_number = models.PositiveIntegerField(_("row"))
    values = models.JSONField(default=dict)
    errors = models.JSONField(default=list)

    class Meta:
        abstract = True
        ordering = ["row_number"]
