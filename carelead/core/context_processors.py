"""What the header needs on every page: the navigation this user's roles open."""

from django.urls import reverse

from carelead.core.permissions import Perm, Role, perms_of


def navigation(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and getattr(user, "is_verified", lambda: False)()):
        return {"nav_items": []}
    # One query per page, cached on the request for any later use.
    if not hasattr(request, "_carelead_perms"):
        perms: set[Perm] = set()
        roles: set[str] = set()
        for role, audit_access in user.memberships.filter(ended_at__isnull=True).values_list("role", "audit_access"):
            perms |= perms_of(role, grants=frozenset({"audit_access"} if audit_access else ()))
            roles.add(role)
        request._carelead_perms, request._carelead_roles = frozenset(perms), frozenset(roles)
    perms, roles = request._carelead_perms, getattr(request, "_carelead_roles", frozenset())
    items = [("Home", reverse("core:home"))]
    if Perm.PERSON_VIEW in perms:
        items.append(("People", reverse("people:person-list")))
        items.append(("Location status", reverse("reports:status")))
    if Perm.AUDIT_VIEW in perms:
        items.append(("Audit trail", reverse("people:audit-search")))
    if Perm.LOCATION_MANAGE in perms or Perm.STAFF_MANAGE in perms:
        items.append(("Organisation", reverse("organisations:admin-home")))
    # Every staff member may be an apprentice: the list shows whatever is theirs to see (issue 5);
    # it links the standards' reference data.
    items.append(("Apprenticeships", reverse("apprenticeships:apprenticeship-list")))
    if Perm.APPRENTICESHIP_MANAGE in perms:  # a skills coach's own apprentices, with their status
        items.append(("Caseload", reverse("apprenticeships:caseload")))
    if Perm.IQA_MANAGE in perms:  # the internal quality assurer's policies, plans and samples (issue 6)
        items.append(("Quality assurance", reverse("apprenticeships:iqa-policy-list")))
    if Role.EPA_ASSESSOR in roles:  # the role holds no permission: each grant opens one portfolio for a time
        items.append(("End-point assessments", reverse("apprenticeships:assessor-home")))
    items.append(("Your account", reverse("accounts:account")))
    path = request.path
    # The item whose URL is the longest start of the path is current (Caseload within Apprenticeships).
    matching = [url for _, url in items if path == url or (url != "/" and path.startswith(url))]
    current = max(matching, key=len, default=None)
    return {
        "nav_items": [{"label": label, "url": url, "current": url == current} for label, url in items],
        "user_perms": perms,
    }
