"""Rescreening everyone present in an office's jurisdiction after a list changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pora.conftest import login, make_permit, make_person
from pora.core.models import AuditEvent, AuditLog
from pora.jobs.models import JobStatus
from pora.lodging.linking import Guest
from pora.lodging.models import Source
from pora.lodging.services.stays import StayDetails, check_in
from pora.registry.selectors import present_persons
from pora.registry.services import permit_record_departure
from pora.screening.models import Hit, RescreenJob, Trigger
from pora.screening.services import rescreen_run, rescreen_start, screening
from pora.screening.tests.screening_fixtures import TODAY, add_entry, local_list, present_permit

D = dt.timedelta(days=1)


@pytest.fixture
def residents(officer, hotel):
    """WANG XIAOMING with a valid permit, IVAN PETROV as a hotel guest, a WANG XIAOMING who
    has left, and JOHN SMITH with a valid permit."""
    with_permit = make_person(actor=officer, passport="EA0000001")
    present_permit(with_permit, number="P-1")
    stay, _new = check_in(
        lodging=hotel, source=Source.TYPED,
        guest=Guest(surname="PETROV", given_names="IVAN", nationality="RUS",
                    document_number="750000002", issuing_state="RUS", sex="M",
                    birth_year=1979, birth_month=2, birth_day=2),
        details=StayDetails(checked_in_at=timezone.now() - dt.timedelta(hours=2), room="12"))
    gone = make_person(actor=officer, passport="EA0000003")
    permit = make_permit(gone, number="P-3", valid_from=TODAY - 300 * D,
                         valid_until=TODAY + 60 * D)
    permit_record_departure(actor=officer, permit=permit, departed_on=TODAY - 10 * D)
    other = make_person(actor=officer, surname="SMITH", given_names="JOHN", nationality="GBR",
                        passport="123456789", birth=(1960, 1, 1))
    present_permit(other, number="P-4")
    return {"with_permit": with_permit, "guest": stay.person, "gone": gone, "other": other}


def add_entries(watchlist, actor):
    add_entry(watchlist, actor)
    add_entry(watchlist, actor, names=["Ivan PETROV", "Иван Петров"], nationalities=["RUS"],
              birth_dates=["1979-02-02"])


def test_present_means_a_running_permit_or_a_current_stay(officer, residents):
    assert set(present_persons(officer.office, TODAY)) == {
        residents["with_permit"], residents["guest"], residents["other"]}


def test_rescreen_screens_the_present_and_counts_its_progress(officer, wanted_list, residents,
                                                              monkeypatch):
    add_entries(wanted_list, officer)
    seen = []
    chunk = screening._screen_chunk

    def recording_chunk(ids, *args, **kwargs):
        seen.append(RescreenJob.objects.values_list("processed", flat=True).get())
        return chunk(ids, *args, **kwargs)

    monkeypatch.setattr(screening, "CHUNK_SIZE", 1)
    monkeypatch.setattr(screening, "_screen_chunk", recording_chunk)
    job = rescreen_start(office=officer.office, watchlist=wanted_list, actor=officer,
                         reason="DPO baru")
    job = rescreen_run(job_id=job.pk)

    assert (job.status, job.total, job.processed, job.hits_raised) == (
        JobStatus.DONE, 3, 3, 2)
    assert job.percent == 100 and job.started_at and job.finished_at
    assert seen == [0, 1, 2]  # progress saved after every chunk
    hits = Hit.objects.filter(trigger=Trigger.RESCREEN)
    assert {hit.person for hit in hits} == {residents["with_permit"], residents["guest"]}
    assert all(hit.context == {"job": job.pk} for hit in hits)


def test_rescreen_counts_only_new_or_reopened_hits(officer, wanted_list, residents):
    add_entries(wanted_list, officer)
    first = rescreen_run(job_id=rescreen_start(office=officer.office).pk)
    second = rescreen_run(job_id=rescreen_start(office=officer.office).pk)
    assert (first.hits_raised, second.hits_raised) == (2, 0)
    assert set(Hit.objects.values_list("times_seen", flat=True)) == {2}


def test_a_job_still_queued_covers_the_next_change(officer):
    first = rescreen_start(office=officer.office, reason="a")
    assert rescreen_start(office=officer.office, reason="b") == first
    rescreen_run(job_id=first.pk)
    assert rescreen_start(office=officer.office, reason="c") != first


def test_a_job_runs_once(officer, wanted_list, residents):
    add_entries(wanted_list, officer)
    job = rescreen_start(office=officer.office)
    rescreen_run(job_id=job.pk)
    again = rescreen_run(job_id=job.pk)
    assert again.status == JobStatus.DONE
    assert set(Hit.objects.values_list("times_seen", flat=True)) == {1}


def test_failed_rescreen_says_so(officer, wanted_list, residents, monkeypatch):
    add_entries(wanted_list, officer)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(screening, "_screen_chunk", broken)
    job = rescreen_run(job_id=rescreen_start(office=officer.office).pk)
    assert job.status == JobStatus.FAILED
    assert job.error and job.finished_at


def test_a_rescreen_whose_worker_ended_is_shown_as_failed(officer, wanted_list, residents):
    add_entries(wanted_list, officer)
    job = rescreen_run(job_id=rescreen_start(office=officer.office, watchlist=wanted_list).pk)
    url = reverse("screening:rescreen_detail", args=[job.pk])
    recent = timezone.now() - dt.timedelta(minutes=5)
    RescreenJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING,
                                                 progress_at=recent, finished_at=None)
    client = login(officer)
    client.get(url)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING

    long_ago = timezone.now() - RescreenJob.STALLED_AFTER - dt.timedelta(minutes=1)
    RescreenJob.objects.filter(pk=job.pk).update(progress_at=long_ago)
    # The list's page, which shows its last rescreen, finds it as well.
    client.get(reverse("screening:watchlist_detail", args=[wanted_list.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert job.error.startswith("Penyaringan ulang berhenti sebelum selesai")
    assert AuditLog.objects.filter(object_type="screening.RescreenJob",
                                   object_id=str(job.pk), event=AuditEvent.UPDATE).exists()


def test_changing_a_shared_list_rescreens_every_office_with_foreigners(
        officer, other_officer, jakpus, wanted_list, residents, django_capture_on_commit_callbacks):
    make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir",
                passport="EA0000009")
    with django_capture_on_commit_callbacks(execute=True):
        add_entries(wanted_list, officer)
    jobs = RescreenJob.objects.all()
    assert {job.office_id for job in jobs} == {officer.office_id, jakpus.pk}
    assert all(job.status == JobStatus.DONE for job in jobs)
    assert Hit.objects.filter(trigger=Trigger.RESCREEN).count() == 2


def test_changing_a_local_list_rescreens_its_own_office_only(
        officer, other_officer, jakpus, residents, django_capture_on_commit_callbacks):
    make_person(actor=other_officer, office=jakpus, kelurahan_name="Gambir",
                passport="EA0000009")
    with django_capture_on_commit_callbacks(execute=True):
        add_entries(local_list(officer.office, officer), officer)
    assert [job.office_id for job in RescreenJob.objects.all()] == [officer.office_id]


def test_rescreen_with_no_entries_finishes_at_once(officer, residents):
    job = rescreen_run(job_id=rescreen_start(office=officer.office).pk)
    assert (job.status, job.total, job.processed, job.hits_raised) == (
        JobStatus.DONE, 3, 3, 0)
