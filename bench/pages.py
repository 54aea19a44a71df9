"""The pages the benchmark times, who it times them as, and how one page is measured.

Each request runs in-process through django.test.Client, so the time is the server's time
(middleware, views, queries, templates) without a network or a browser in the way.
"""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from carelead.core.permissions import Perm
from carelead.organisations.selectors import holds_anywhere, locations_granting
from carelead.people.selectors import visible_people

WARM_UPS = 3
# Name fragments of common British surnames (Smith, Jones, Williams, Brown, Taylor, Davies).
SEARCHES = ("smi", "jon", "wil", "bro", "tay", "dav")


@dataclass
class Viewer:
    """A signed-in member of staff and the people they may see (for varying the URLs)."""

    label: str
    user: object
    client: Client
    people: list[tuple[str, str]]  # (public_id, nhs_number), spread over everyone they see
    locations: list[str] = field(default_factory=list)  # public ids of the locations they see people at
    apprenticeships: list[str] = field(default_factory=list)  # public ids of the apprenticeships they coach

    def person(self, index: int) -> tuple[str, str]:
        return self.people[index % len(self.people)]

    def location(self, index: int) -> str:
        return self.locations[index % len(self.locations)]

    def apprenticeship(self, index: int) -> str:
        return self.apprenticeships[index % len(self.apprenticeships)]


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    shown_as: str
    url: Callable[[Viewer, int], str]
    needs: Perm = Perm.PERSON_VIEW
    viewers: tuple[str, ...] = ("manager", "carer")  # keys of run.VIEWERS


def _list(name: str, **query) -> Callable[[Viewer, int], str]:
    return lambda viewer, index: reverse(name) + (f"?{urlencode(query)}" if query else "")


def _programme(name: str, **query) -> Callable[[Viewer, int], str]:
    """A page of one of the viewer's apprentices, a different one each request."""
    return lambda viewer, index: (reverse(name, args=[viewer.apprenticeship(index)])
                                  + (f"?{urlencode(query)}" if query else ""))


PAGES = (
    Page("people", "People list", "/people/", _list("people:person-list")),
    Page("people-search", "People list with a search", "/people/?text=smi (and jon, wil, bro, tay, dav)",
         lambda viewer, i: reverse("people:person-list") + "?" + urlencode({"text": SEARCHES[i % len(SEARCHES)]})),
    Page("person", "Person page (profile tab)", "/people/<uuid>/",
         lambda viewer, i: reverse("people:person-detail", args=[viewer.person(i)[0]])),
    Page("audit", "Audit search", "/people/audit/", _list("people:audit-search"), needs=Perm.AUDIT_VIEW),
    Page("audit-person", "Audit search filtered by person", "/people/audit/?person=<NHS number>",
         lambda viewer, i: reverse("people:audit-search") + "?" + urlencode({"person": viewer.person(i)[1]}),
         needs=Perm.AUDIT_VIEW),
    Page("person-audit", "Who has seen this record", "/people/<uuid>/audit/",
         lambda viewer, i: reverse("people:person-audit", args=[viewer.person(i)[0]]), needs=Perm.AUDIT_VIEW),
    Page("api-people", "API people list", "/api/v1/people/", lambda viewer, i: "/api/v1/people/"),
    Page("status", "Location status", "/status/", _list("reports:status"), viewers=("manager", "lead")),
    Page("location-status", "One location's status", "/status/<location uuid>/",
         lambda viewer, i: reverse("reports:location-status", args=[viewer.location(i)]), viewers=("manager", "lead")),
    Page("plan", "Care plan (plan tab)", "/people/<uuid>/plan/",
         lambda viewer, i: reverse("careplans:plan", kwargs={"public_id": viewer.person(i)[0]}),
         viewers=("manager", "lead")),
    # The coach's caseload (issue 5): 20 apprentices at both scales, 200 entries each, in a database of
    # 4,000 or 400,000 entries.
    Page("caseload", "Caseload", "/apprenticeships/caseload/", _list("apprenticeships:caseload"),
         needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("caseload-rag", "Caseload sorted by status", "/apprenticeships/caseload/?sort=rag",
         _list("apprenticeships:caseload", sort="rag"), needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("api-caseload", "API caseload", "/api/v1/caseload/", lambda viewer, i: "/api/v1/caseload/",
         needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    # The portfolio (issue 6): 100 items of evidence an apprentice at both scales, in a database of
    # 2,000 or 200,000 items; the coach's queue reads across their 20 apprentices.
    Page("coverage", "KSB coverage matrix", "/apprenticeships/<uuid>/coverage/", _programme("apprenticeships:coverage"),
         needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("coverage-gaps", "KSB coverage, gaps only", "/apprenticeships/<uuid>/coverage/?show=gaps",
         _programme("apprenticeships:coverage", show="gaps"), needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("evidence-queue", "Coach's assessment queue", "/apprenticeships/portfolio/queue/",
         _list("apprenticeships:evidence-queue"), needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("portfolio", "Portfolio (evidence list)", "/apprenticeships/<uuid>/portfolio/",
         _programme("apprenticeships:evidence-list"), needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
    Page("timeline", "Apprentice's timeline", "/apprenticeships/<uuid>/timeline/", _programme("apprenticeships:timeline"),
         needs=Perm.APPRENTICESHIP_VIEW, viewers=("coach",)),
)


@dataclass
class Timing:
    """One page as one viewer: server times in milliseconds and the queries each request made."""

    status: str = "ok"  # ok, missing (no such URL yet), not allowed (the role may not), failed
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)  # time spent waiting on the database, per request
    queries: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[-1]

    @property
    def sql_p50(self) -> float:
        return statistics.median(self.sql_ms)


class DatabaseClock:
    """An execute wrapper adding up the time each query takes, from the app's side."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def signed_in(label: str, user) -> Viewer:
    """A client signed in as `user` and past MFA, as the root conftest's sign_in does."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    seen = list(visible_people(user).order_by("pk").values_list("public_id", "nhs_number"))
    step = max(1, len(seen) // 40)
    people = [(str(public_id), nhs) for public_id, nhs in seen[::step]]
    locations = [str(public_id) for public_id in locations_granting(user, Perm.PERSON_VIEW)
                 .order_by("name", "pk").values_list("public_id", flat=True)]
    from carelead.apprenticeships.selectors import apprenticeships_for

    apprenticeships = [str(public_id) for public_id in apprenticeships_for(user).filter(coach=user)
                       .order_by("pk").values_list("public_id", flat=True)]
    return Viewer(label, user, client, people, locations, apprenticeships)


def measure(page: Page, viewer: Viewer, requests: int) -> Timing:
    """Warm up, then time `requests` requests (each with a different person or search where the
    page has one), then count the queries of a few requests."""
    try:
        urls = [page.url(viewer, index) for index in range(WARM_UPS + requests)]
        resolve(urls[0].split("?")[0])
    except (NoReverseMatch, Resolver404):
        return Timing(status="missing", note="the page does not exist yet")
    if not holds_anywhere(viewer.user, page.needs):
        return Timing(status="not allowed", note=f"the role does not hold {page.needs}")
    for url in urls[:WARM_UPS]:
        failure = _failure(viewer.client.get(url), url)
        if failure:
            return Timing(status="failed", note=failure)
    timing = Timing()
    gc.collect()
    for url in urls[WARM_UPS:]:
        clock = DatabaseClock()
        with connection.execute_wrapper(clock):
            started = time.perf_counter()
            response = viewer.client.get(url)
            timing.times_ms.append((time.perf_counter() - started) * 1000)
        timing.sql_ms.append(clock.seconds * 1000)
        failure = _failure(response, url)
        if failure:
            return Timing(status="failed", note=failure)
    for url in urls[WARM_UPS:WARM_UPS + 3]:
        with CaptureQueriesContext(connection) as captured:
            viewer.client.get(url)
        timing.queries.append(len(captured.captured_queries))
    return timing


def _failure(response, url: str) -> str:
    if response.status_code == 200:
        return ""
    return f"GET {url} answered {response.status_code}"
