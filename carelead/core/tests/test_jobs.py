"""Background jobs (core.jobs) and their page: run inline in tests, progress recorded, failures kept
with a plain-English message, and the page and result only for the person who asked."""

import logging
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from carelead.core import jobs
from carelead.core.actor import Actor
from carelead.core.job_models import GIVEN_UP_AFTER, Job, JobStatus
from carelead.core.models import Action, AuditEvent
from carelead.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SEEN_INSIDE: list[tuple[int, int, str]] = []


def _echo(job, *, actor, progress, words: str, steps: int = 3):
    for step in range(1, steps + 1):
        progress(step, steps, f"Step {step}")
        SEEN_INSIDE.append(Job.objects.filter(pk=job.pk).values_list("done", "total", "status").get())
    return ContentFile(f"{words} for {actor.user.full_name}".encode(), name="echo.txt")


def _broken(job, *, actor, progress):
    progress(1, 2, "Half way")
    raise ValueError("the disk is full")


def _refused(job, *, actor, progress, reason: str):
    raise jobs.JobFailed(reason) if reason else Http404("gone")


jobs.register("tests.echo", _echo)
jobs.register("tests.broken", _broken)
jobs.register("tests.refused", _refused)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def every_step(monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)
    SEEN_INSIDE.clear()


def _start(kind="tests.echo", user=None, **params) -> Job:
    user = user or MembershipFactory().user
    return jobs.start(kind, actor=Actor(user=user, ip_address="10.0.0.9"), label="An echo", link="/", **params)


# --- the facility ---


def test_an_unknown_kind_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="No background job is registered"):
        _start("tests.nothing")
    assert not Job.objects.exists()


def test_a_kind_cannot_be_registered_twice_for_another_function():
    with pytest.raises(ValueError, match="already registered"):
        jobs.register("tests.echo", _broken)


def test_an_inline_job_runs_to_the_end_and_stores_its_result(media, every_step):
    job = _start(words="Hello")
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (JobStatus.DONE, 3, 3, "Ready")
    assert job.started_at and job.finished_at and job.percent == 100
    assert job.result.name == f"jobs/{job.public_id}/echo.txt"
    assert job.result.read() == f"Hello for {job.requested_by.full_name}".encode()
    assert job.params == {"words": "Hello"}


def test_each_progress_call_updates_the_row_while_the_job_runs(media, every_step):
    _start(words="Hi")
    assert SEEN_INSIDE == [(1, 3, JobStatus.RUNNING), (2, 3, JobStatus.RUNNING), (3, 3, JobStatus.RUNNING)]


def test_progress_is_written_at_most_every_half_second_but_always_the_first_and_last(media, monkeypatch):
    clock = iter([0.0, 0.1, 0.2, 0.7, 0.8])
    monkeypatch.setattr(jobs.time, "monotonic", lambda: next(clock))
    SEEN_INSIDE.clear()
    _start(words="Hi", steps=5)
    # steps 2 and 3 come within 0.5 s of step 1; step 4 after; step 5 is the last, always written.
    assert [done for done, _, _ in SEEN_INSIDE] == [1, 1, 1, 4, 5]


def test_a_failing_job_is_kept_as_failed_with_a_plain_message_and_logged(media, caplog):
    with caplog.at_level(logging.ERROR, logger="carelead.core.jobs"):
        job = _start("tests.broken")
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.FAILED, 1, 2)
    assert job.message == jobs.FAILED_MESSAGE.format(reference=job.public_id)
    assert "disk" not in job.message and job.error == "ValueError: the disk is full"
    assert not job.result and job.finished_at
    assert f"Background job {job.public_id} (tests.broken) failed" in caplog.text


def test_a_job_can_fail_with_its_own_message_or_as_no_longer_allowed(media):
    own = _start("tests.refused", reason="There is nothing in the portfolio yet.")
    gone = _start("tests.refused", reason="")
    own.refresh_from_db()
    gone.refresh_from_db()
    assert own.message == "There is nothing in the portfolio yet."
    assert gone.message == jobs.NOT_ALLOWED_MESSAGE


def test_outside_tests_a_job_waits_for_the_commit_then_runs_in_a_thread(settings, django_capture_on_commit_callbacks):
    settings.JOBS_RUN_INLINE = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = _start(words="Later")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and len(callbacks) == 1


# --- the page and the download ---


def test_the_requester_sees_progress_with_an_accessible_bar_and_a_fallback(sign_in, media, every_step, monkeypatch):
    user = MembershipFactory().user
    job = Job.objects.create(kind="tests.echo", requested_by=user, label="An echo", done=2, total=5,
                             status=JobStatus.RUNNING, message="Step 2")
    page = sign_in(user).get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()
    assert '<progress id="job-bar" max="100" value="40"' in page and "40% done (2 of 5 steps): Step 2" in page
    assert 'aria-live="polite"' in page and 'hx-trigger="every 1s"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page and "Refresh this page" in page
    assert "Download" not in page


def test_a_poll_gets_the_partial_and_nothing_when_nothing_changed(sign_in):
    user = MembershipFactory().user
    job = Job.objects.create(kind="tests.echo", requested_by=user, label="An echo", done=1, total=4,
                             status=JobStatus.RUNNING)
    client, url = sign_in(user), reverse("jobs:job-detail", args=[job.public_id])
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<h1" not in partial.content and b"25% done" in partial.content
    assert client.get(url, {"seen": "running-1-4"}, headers={"HX-Request": "true"}).status_code == 204
    assert client.get(url, {"seen": "running-0-4"}, headers={"HX-Request": "true"}).status_code == 200


def test_a_finished_job_stops_polling_and_offers_its_download(sign_in, media):
    job = _start(words="Hi")
    page = sign_in(job.requested_by).get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()
    assert "hx-trigger" not in page and "http-equiv" not in page
    assert "Download echo.txt" in page and "100% done" in page


def test_the_download_streams_the_result_and_is_audited_as_an_export(sign_in, media):
    job = _start(words="Hi")
    response = sign_in(job.requested_by).get(reverse("jobs:job-download", args=[job.public_id]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"Hi for")
    assert response["Content-Disposition"] == 'attachment; filename="echo.txt"'
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == job.requested_by and event.subject == f"core.Job:{job.public_id}"
    assert event.details == {"kind": "tests.echo", "file": "echo.txt", "words": "Hi"}


def test_someone_else_gets_404_for_the_page_and_the_download(sign_in, media):
    job = _start(words="Hi")
    client = sign_in(MembershipFactory().user)
    assert client.get(reverse("jobs:job-detail", args=[job.public_id])).status_code == 404
    assert client.get(reverse("jobs:job-download", args=[job.public_id])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_failed_job_shows_why_and_has_nothing_to_download(sign_in, media):
    job = _start("tests.broken")
    client = sign_in(job.requested_by)
    page = client.get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()
    assert "This did not work" in page and str(job.public_id) in page and "hx-trigger" not in page
    assert client.get(reverse("jobs:job-download", args=[job.public_id])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, media):
    job = _start(words="Hi")
    assert client.get(reverse("jobs:job-detail", args=[job.public_id])).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_threaded_job_runs_after_the_commit_in_its_own_connection(settings, media, every_step):
    settings.JOBS_RUN_INLINE = False
    job = _start(words="Threaded")  # autocommit: the commit has happened, so the thread is started
    thread = next((thread for thread in jobs.threading.enumerate() if thread.name == f"job-{job.public_id}"), None)
    if thread is not None:  # else it has already finished
        thread.join(timeout=20)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.result.read().startswith(b"Threaded for")


def test_a_forced_progress_call_is_written_within_the_interval(media, monkeypatch):
    job = Job.objects.create(kind="tests.echo", requested_by=MembershipFactory().user, label="An echo")
    clock = iter([0.0, 0.1, 0.2])
    monkeypatch.setattr(jobs.time, "monotonic", lambda: next(clock))
    progress = jobs.Progress(job.pk)
    progress(1, 10, "One")
    progress(2, 10, "Two")
    assert Job.objects.values_list("done", "message").get(pk=job.pk) == (1, "One")
    progress(9, 10, "Making the summary", force=True)
    assert Job.objects.values_list("done", "message").get(pk=job.pk) == (9, "Making the summary")


def test_a_job_unfinished_long_after_it_was_asked_for_is_shown_as_stopped(sign_in):
    user = MembershipFactory().user
    job = Job.objects.create(kind="tests.echo", requested_by=user, label="An echo", status=JobStatus.RUNNING,
                             done=1, total=4, link="/apprenticeships/",
                             created_at=timezone.now() - GIVEN_UP_AFTER - timedelta(minutes=1))
    page = sign_in(user).get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()
    assert "This has stopped" in page and 'href="/apprenticeships/"' in page
    assert "hx-trigger" not in page and "http-equiv" not in page
    job.created_at = timezone.now() - GIVEN_UP_AFTER + timedelta(minutes=1)
    job.save()
    page = sign_in(user).get(reverse("jobs:job-detail", args=[job.public_id])).content.decode()
    assert "This has stopped" not in page and "hx-trigger" in page


@pytest.mark.django_db(transaction=True)
def test_a_thread_whose_connection_broke_still_records_the_failure(media, monkeypatch, caplog):
    # A job that loses its database connection cannot record its failure on it: the thread records it on a new
    # one, rather than leave the page saying "In progress" until it gives up half an hour later.
    from django.db import OperationalError
    job = Job.objects.create(kind="tests.broken", requested_by=MembershipFactory().user, label="An echo")

    def connection_gone(job, error):
        raise OperationalError("server closed the connection unexpectedly")
    monkeypatch.setattr(jobs, "_fail", connection_gone)
    with caplog.at_level(logging.ERROR, logger="carelead.core.jobs"):
        jobs._run_in_thread(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at
    assert job.message == jobs.FAILED_MESSAGE.format(reference=job.public_id)
    assert "OperationalError: server closed the connection unexpectedly" in job.error


def test_a_screen_reader_hears_each_quarter_and_the_end_not_every_poll(sign_in, media):
    # The visible block is swapped every second while the job runs; announcing it each time would read the whole
    # block out every second. Only a short line in a separate status region is announced, at 25, 50 and 75%,
    # and when the job is ready or fails.
    user = MembershipFactory().user
    job = Job.objects.create(kind="tests.echo", requested_by=user, label="An echo", done=26, total=100,
                             status=JobStatus.RUNNING, message="Step 26")
    client, url = sign_in(user), reverse("jobs:job-detail", args=[job.public_id])
    page = client.get(url).content.decode()
    region = page.index('role="status"')
    assert page.index('<span id="job-announce"></span>', region) < page.index('id="job-progress"')
    assert page.count("aria-live") == 1 and "</p>" in page[region:page.index('id="job-progress"')]
    crossed = client.get(url, {"seen": "running-24-100"}, headers={"HX-Request": "true"}).content.decode()
    assert '<span id="job-announce" hx-swap-oob="true">26% done</span>' in crossed
    same_quarter = client.get(url, {"seen": "running-25-100"}, headers={"HX-Request": "true"}).content.decode()
    assert "26% done" in same_quarter and "hx-swap-oob" not in same_quarter
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="There is nothing to pack.")
    failed = client.get(url, {"seen": "running-26-100"}, headers={"HX-Request": "true"}).content.decode()
    assert '<span id="job-announce" hx-swap-oob="true">This did not work: There is nothing to pack.</span>' in failed
