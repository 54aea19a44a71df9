"""The only place that turns a user's roles into the locations and organisations they reach."""

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carelead.core.permissions import GRANTABLE, Perm, roles_granting
from carelead.organisations.models import Invitation, Location, Membership, Organisation
from carelead.organisations.rules import hash_invitation_token


def memberships_granting(user, perm: Perm) -> QuerySet[Membership]:
    """The user's current memberships whose role (or a grant on it) allows `perm`."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    allowed = Q(role__in=roles_granting(perm))
    grant_field = GRANTABLE.get(perm)
    if grant_field:
        allowed |= Q(**{grant_field: True})
    return Membership.objects.filter(allowed, user=user, ended_at__isnull=True)


def locations_granting(user, perm: Perm) -> QuerySet[Location]:
    """Locations where the user holds a current role granting `perm`. Used as a subquery.

    A membership covers the locations it names, or every location of its organisation when it
    is organisation-wide (org admins, registered managers of a whole service).
    """
    memberships = memberships_granting(user, perm)
    named = memberships.filter(all_locations=False).values("locations")
    whole = memberships.filter(all_locations=True).values("organisation")
    return Location.objects.filter(Q(pk__in=named) | Q(organisation__in=whole))


# Up to this many locations, a filter names them; past it, it stays a subquery (see location_scope).
SHORT_SCOPE = 50


def location_scope(user, perm: Perm) -> list[int] | QuerySet[Location]:
    """What a list filters `location__in` by: the ids themselves for a narrow scope, the subquery
    for a wide one.

    With the ids written out, PostgreSQL plans for exactly those locations and uses the
    (location, …) indexes; behind a subquery it cannot see how narrow the scope is and plans for
    an average one. For a wide scope (a manager of 200 locations) the subquery plans better. Either
    way it costs one query, so a page's query count does not depend on the user's reach.
    """
    locations = locations_granting(user, perm)
    ids = list(locations.values_list("pk", flat=True)[: SHORT_SCOPE + 1])
    return ids if len(ids) <= SHORT_SCOPE else locations


def organisations_granting(user, perm: Perm) -> QuerySet[Organisation]:
    """Organisations in which the user holds a current role granting `perm`."""
    return Organisation.objects.filter(pk__in=memberships_granting(user, perm).values("organisation"))


def holds_anywhere(user, perm: Perm) -> bool:
    """Whether the user holds `perm` at any location or organisation: the gate every view passes."""
    return memberships_granting(user, perm).exists()


def visible_locations(user, *, perm: Perm = Perm.LOCATION_VIEW) -> QuerySet[Location]:
    return Location.objects.filter(pk__in=locations_granting(user, perm)).select_related("organisation")


def location_for(user, public_id, *, perm: Perm = Perm.LOCATION_VIEW) -> Location:
    """404 whether the location does not exist or is not this user's to see."""
    return get_object_or_404(visible_locations(user, perm=perm), public_id=public_id)


# --- The organisation admin's pages and API --------------------------------------------------


def administered_organisations(user) -> QuerySet[Organisation]:
    """Organisations where the user manages locations or staff (an organisation admin's)."""
    return Organisation.objects.filter(
        Q(pk__in=organisations_granting(user, Perm.LOCATION_MANAGE).values("pk"))
        | Q(pk__in=organisations_granting(user, Perm.STAFF_MANAGE).values("pk"))
    ).order_by("name", "pk")


def organisation_summaries(user) -> QuerySet[Organisation]:
    """The admin's organisations with counts of open locations, current staff and open invitations.

    Counted by correlated subqueries, so the cost does not multiply across the three tables.
    """
    today, now = timezone.localdate(), timezone.now()

    def count(queryset):
        counted = queryset.filter(organisation=OuterRef("pk")).order_by().values("organisation")
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)

    return administered_organisations(user).annotate(
        open_locations=count(Location.objects.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))),
        current_staff=count(Membership.objects.current()),
        open_invitations=count(
            Invitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=now)
        ),
    )


def organisation_for(user, public_id, *, perm: Perm) -> Organisation:
    """One organisation where the user holds `perm`; 404 for any other."""
    return get_object_or_404(organisations_granting(user, perm), public_id=public_id)


def managed_locations(user, *, organisation: Organisation | None = None) -> QuerySet[Location]:
    """Locations of the organisations the user administers, for the location pages."""
    locations = Location.objects.filter(organisation__in=organisations_granting(user, Perm.LOCATION_MANAGE))
    if organisation is not None:
        locations = locations.filter(organisation=organisation)
    return locations.select_related("organisation").order_by("name", "pk")


def managed_location_for(user, public_id) -> Location:
    """404 whether the location does not exist or belongs to an organisation the user does not run."""
    return get_object_or_404(managed_locations(user), public_id=public_id)


def open_locations_of(organisation: Organisation) -> QuerySet[Location]:
    """Locations still open today (not closed, or closing in future), for choosing where staff work."""

    return organisation.locations.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=timezone.localdate())
    ).order_by("name", "pk")


def api_visible_locations(user) -> QuerySet[Location]:
    """Locations the user works at, plus every location of the organisations they administer."""
    return (
        Location.objects.filter(
            Q(pk__in=locations_granting(user, Perm.LOCATION_VIEW).values("pk"))
            | Q(organisation__in=organisations_granting(user, Perm.LOCATION_MANAGE).values("pk"))
        )
        .select_related("organisation")
        .order_by("name", "pk")
    )


def api_location_for(user, public_id) -> Location:
    return get_object_or_404(api_visible_locations(user), public_id=public_id)


def staff_memberships(user, *, organisation: Organisation | None = None, location: Location | None = None,
                      role: str = "") -> QuerySet[Membership]:
    """Current memberships of the organisations where the user manages staff, with what a list shows.

    Filtering by location keeps organisation-wide memberships, which cover every location.
    """
    memberships = Membership.objects.current().filter(
        organisation__in=organisations_granting(user, Perm.STAFF_MANAGE)
    )
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if location is not None:
        at_location = Membership.locations.through.objects.filter(location=location).values("membership_id")
        memberships = memberships.filter(Q(all_locations=True) | Q(pk__in=at_location))
    if role:
        memberships = memberships.filter(role=role)
    return (
        memberships.select_related("user", "organisation")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name", "pk")))
        .order_by("user__full_name", "pk")
    )


def membership_for(user, public_id) -> Membership:
    """A current membership in an organisation where the user manages staff; 404 for any other."""
    return get_object_or_404(staff_memberships(user), public_id=public_id)


def open_invitations(user, *, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not yet accepted, cancelled or expired, in an organisation the user manages staff for."""
    return (
        Invitation.objects.filter(
            organisation__in=organisations_granting(user, Perm.STAFF_MANAGE),
            organisation=organisation,
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .prefetch_related(Prefetch("locations", queryset=Location.objects.order_by("name", "pk")))
        .order_by("-created_at", "-pk")
    )


def invitation_for(user, public_id) -> Invitation:
    """An invitation of an organisation where the user manages staff; 404 for any other."""
    return get_object_or_404(
        Invitation.objects.filter(organisation__in=organisations_granting(user, Perm.STAFF_MANAGE))
        .select_related("organisation"),
        public_id=public_id,
    )


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens (looked up by its hash), whether or not it is still usable."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )


def invitee_has_account(invitation: Invitation) -> bool:
    """Whether someone already signs in with the invited email (they sign in, then accept)."""
    return get_user_model().objects.filter(email__iexact=invitation.email).exists()


def assignable_locations(membership: Membership) -> QuerySet[Location]:
    """Open locations of the membership's organisation, plus any closed ones it still names."""
    return Location.objects.filter(
        Q(pk__in=open_locations_of(membership.organisation).values("pk"))
        | Q(pk__in=membership.locations.values("pk"))
    ).order_by("name", "pk")
