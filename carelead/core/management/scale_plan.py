"""The shape of a scale data set: which organisation owns each location, and who works where.

Plain values only (indexes into the lists the builder creates), so the plan is cheap to make
for 15,000 staff and the same for the same seed.
"""

import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from carelead.core.permissions import Role

# Roles spread as in a large provider group: mostly care workers at one or two locations,
# a registered manager per location, a safeguarding lead per ten locations, a few org admins.
LEAD_SHARE = 0.05
SENIOR_SHARE = 0.15
SECOND_LOCATION_SHARE = 0.2
LEAVER_SHARE = 0.02
SAFEGUARDING_LEAD_SPAN = 10
STAFF_PER_ADMIN = 3000

JOB_TITLES = {
    Role.CARE_WORKER: "Care worker",
    Role.SENIOR_CARER: "Senior carer",
    Role.LEAD_PRACTITIONER: "Lead practitioner",
    Role.REGISTERED_MANAGER: "Registered manager",
    Role.SAFEGUARDING_LEAD: "Safeguarding lead",
    Role.ORG_ADMIN: "Organisation admin",
}


@dataclass(frozen=True)
class ScaleOptions:
    people: int
    locations: int
    staff: int
    audit_events: int
    organisations: int = 1
    prefix: str = "Scale Care Group"
    seed: int = 1

    def organisation_names(self) -> list[str]:
        if self.organisations == 1:
            return [self.prefix]
        return [f"{self.prefix} {number}" for number in range(1, self.organisations + 1)]

    @property
    def domain(self) -> str:
        return scale_domain(self.prefix)


def scale_domain(prefix: str) -> str:
    """Every scale account's email ends with this, so a reset finds exactly its own accounts."""
    return f"{slugify(prefix)}.scale.carelead.test"


def bench_manager_email(prefix: str) -> str:
    """A registered manager named at every location of the first organisation: the widest scope."""
    return f"manager@{scale_domain(prefix)}"


def bench_carer_email(prefix: str) -> str:
    """A care worker at the first location only: the narrowest scope."""
    return f"carer@{scale_domain(prefix)}"


def bench_lead_email(prefix: str) -> str:
    """A lead practitioner at the first location only: a narrow scope that may build care plans."""
    return f"lead@{scale_domain(prefix)}"


@dataclass
class PlannedMembership:
    email: str
    organisation: int
    role: str
    locations: list[int] = field(default_factory=list)
    all_locations: bool = False
    audit_access: bool = False
    ended: bool = False


def location_owners(options: ScaleOptions) -> list[int]:
    """The organisation of each location: contiguous blocks, one per organisation."""
    per_org, extra = divmod(options.locations, options.organisations)
    owners = []
    for org in range(options.organisations):
        owners += [org] * (per_org + (1 if org < extra else 0))
    return owners


def plan_staff(options: ScaleOptions, rng: random.Random) -> list[PlannedMembership]:
    """One membership per member of staff, fixed roles first, then the care team."""
    owners = location_owners(options)
    blocks = [[i for i, owner in enumerate(owners) if owner == org] for org in range(options.organisations)]
    domain = options.domain
    plans = [
        PlannedMembership(bench_manager_email(options.prefix), 0, Role.REGISTERED_MANAGER, list(blocks[0])),
        PlannedMembership(bench_carer_email(options.prefix), 0, Role.CARE_WORKER, blocks[0][:1]),
        PlannedMembership(bench_lead_email(options.prefix), 0, Role.LEAD_PRACTITIONER, blocks[0][:1]),
    ]
    for number in range(max(options.organisations, options.staff // STAFF_PER_ADMIN)):
        org = number % options.organisations
        plans.append(PlannedMembership("", org, Role.ORG_ADMIN, all_locations=True, audit_access=True))
    plans += [PlannedMembership("", owners[loc], Role.REGISTERED_MANAGER, [loc]) for loc in range(options.locations)]
    for block in blocks:
        for start in range(0, len(block), SAFEGUARDING_LEAD_SPAN):
            span = block[start:start + SAFEGUARDING_LEAD_SPAN]
            plans.append(PlannedMembership("", owners[span[0]], Role.SAFEGUARDING_LEAD, span))
    plans = plans[:options.staff]
    care_team = options.staff - len(plans)
    for number in range(care_team):
        plans.append(_care_team_member(number / max(care_team, 1), owners, blocks, rng))
    for number, plan in enumerate(plans):
        if not plan.email:
            plan.email = f"staff{number:05d}@{domain}"
    return plans


def _care_team_member(share: float, owners: list[int], blocks: list[list[int]], rng: random.Random) -> PlannedMembership:
    if share < LEAD_SHARE:
        role = Role.LEAD_PRACTITIONER
    elif share < LEAD_SHARE + SENIOR_SHARE:
        role = Role.SENIOR_CARER
    else:
        role = Role.CARE_WORKER
    first = rng.randrange(len(owners))
    locations = [first]
    block = blocks[owners[first]]
    if len(block) > 1 and rng.random() < SECOND_LOCATION_SHARE:
        locations.append(rng.choice([loc for loc in (first - 1, first + 1) if loc in block] or block))
    ended = role == Role.CARE_WORKER and rng.random() < LEAVER_SHARE
    return PlannedMembership("", owners[first], role, sorted(set(locations)), ended=ended)
