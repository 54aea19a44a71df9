"""The care plan API under /api/v1/people/<public_id>/care-plan/: the same services as the pages
(careplans.plan_services), so the same people may do the same things (STYLE.md §8).

- `POST` builds the plan from the person's completed needs assessment, a section for each area
  with needs (or each area named); `GET` the current plan with its sections, support actions,
  linked risk ids, approval and review states; `PATCH` the plan's own details (building and
  changing: lead practitioners and managers).
- `POST sections/`, `PATCH/DELETE sections/<id>/` (lead practitioners and managers).
- `POST approve/` approves exactly the version named in If-Match (lead practitioners and managers).
- `GET/POST reviews/`: reviews of the plan or of one section (recorded by senior carers and up).
- `GET versions/` and `GET versions/compare/?from=&to=`: what changed between any two versions.

Optimistic locking uses HTTP preconditions (RFC 9110 §8.8.3 ETag, §13.1.1 If-Match; RFC 6585 §3):
every answer about the plan carries `ETag: "<version>"`; every write must send `If-Match:
"<version>"` with the version last read. Without it the answer is 428 Precondition Required; if
someone has saved since, 412 Precondition Failed with the current version and the changes since
the version sent (careplans.diff), so the client can show them and decide; nothing is written.

A person the user may not reach, a person with no current plan, or a section of another plan is a
404, whatever the method; so is a write by a role that may not make it at the person's location.

The package: `locking.py` (ETag out, If-Match in: 428, 412 with the changes since), `serializers.py`
(the bodies in and out), `views.py` (the endpoints and their URLs).
"""

from carelead.careplans.plan_api.locking import IF_MATCH_INVALID, IF_MATCH_MISSING
from carelead.careplans.plan_api.views import NO_SUCH_SECTION, NO_SUCH_VERSION, urlpatterns

__all__ = ["IF_MATCH_INVALID", "IF_MATCH_MISSING", "NO_SUCH_SECTION", "NO_SUCH_VERSION", "urlpatterns"]
