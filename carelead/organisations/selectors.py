"""The only place that turns a user's roles into the locations and organisations they reach."""

from django.db.models import Q, QuerySet

from carelead.core.permissions import GRANTABLE, Perm, roles_granting
from carelead.organisations.models import Location, Membership, Organisation


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
    from django.shortcuts import get_object_or_404

    return get_object_or_404(visible_locations(user, perm=perm), public_id=public_id)
