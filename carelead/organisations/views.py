"""The organisation admin's pages: locations, staff, invitations; and accepting an invitation."""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from carelead.core.actor import Actor
from carelead.core.decorators import public, requires
from carelead.core.forms import add_service_errors, save_through
from carelead.core.permissions import Perm
from carelead.organisations import selectors, services
from carelead.organisations.forms import (
    AcceptInvitationForm, CarePlanSettingsForm, ConfirmForm, InvitationForm, LocationForm, MembershipForm, StaffFilterForm,
)
from carelead.organisations.models import Organisation, SettingType

PAGE_SIZE = 25
MEMBERSHIP_FIELDS = ["role", "locations", "all_locations", "audit_access", "job_title"]
INVITATION_FIELDS = ["email", "full_name", "role", "locations", "all_locations", "audit_access"]


def _chosen_organisation(request: HttpRequest, perm: Perm) -> tuple[Organisation, list[Organisation]]:
    """The organisation named by `?organisation=<public_id>`, else the user's first; 404 for any other.

    Returns it with every organisation the user may choose, for the switcher shown to people who
    administer more than one.
    """
    choices = list(selectors.organisations_granting(request.user, perm).order_by("name", "pk"))
    wanted = request.GET.get("organisation", "")
    if not wanted:
        if not choices:
            raise Http404
        return choices[0], choices
    try:
        wanted_id = uuid.UUID(wanted)
    except ValueError:
        raise Http404 from None
    chosen = next((organisation for organisation in choices if organisation.public_id == wanted_id), None)
    if chosen is None:
        raise Http404
    return chosen, choices


def _posted(request: HttpRequest):
    """The submitted form data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _with_organisation(name: str, organisation: Organisation) -> str:
    return f"{reverse(name)}?{urlencode({'organisation': organisation.public_id})}"


@require_GET
@requires(Perm.STAFF_MANAGE)
def admin_home(request: HttpRequest) -> HttpResponse:
    """Each organisation the user administers, with its counts and the pages that manage it."""
    organisations = selectors.organisation_summaries(request.user)
    return render(request, "organisations/admin_home.html", {"organisations": organisations})


# --- Locations -------------------------------------------------------------------------------


@require_GET
@requires(Perm.LOCATION_MANAGE)
@vary_on_headers("HX-Request")
def location_list(request: HttpRequest) -> HttpResponse:
    organisation, choices = _chosen_organisation(request, Perm.LOCATION_MANAGE)
    locations = selectors.managed_locations(request.user, organisation=organisation)
    page = Paginator(locations, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "organisations/location_list.html#results" if request.htmx else "organisations/location_list.html"
    return render(request, template, {
        "organisation": organisation, "choices": choices, "page": page,
        "query": urlencode({"organisation": organisation.public_id}),
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.LOCATION_MANAGE)
def location_new(request: HttpRequest) -> HttpResponse:
    organisation, _ = _chosen_organisation(request, Perm.LOCATION_MANAGE)
    initial = {"setting_type": SettingType.OWN_HOME} if organisation.supports_one_person else {}
    form = LocationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            location = services.create_location(
                actor=Actor.from_request(request), organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{location.name} has been added")
            return redirect(_with_organisation("organisations:location-list", organisation))
    return render(request, "organisations/location_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
@requires(Perm.LOCATION_MANAGE)
def location_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    location = selectors.managed_location_for(request.user, public_id)
    initial = {name: getattr(location, name) for name in services.LOCATION_FIELDS}
    form = LocationForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_location(actor=Actor.from_request(request), location=location, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{location.name} has been updated")
            return redirect(_with_organisation("organisations:location-list", location.organisation))
    return render(request, "organisations/location_form.html", {
        "form": form, "organisation": location.organisation, "location": location,
    })


# --- Care plan settings ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(Perm.LOCATION_MANAGE)
def care_plan_settings(request: HttpRequest) -> HttpResponse:
    organisation, choices = _chosen_organisation(request, Perm.LOCATION_MANAGE)
    form = CarePlanSettingsForm(_posted(request),
                                initial={"plan_review_interval_days": organisation.plan_review_interval_days})
    if request.method == "POST" and form.is_valid() and save_through(
        form, services.update_care_plan_settings, actor=Actor.from_request(request), organisation=organisation,
        **form.cleaned_data,
    ):
        messages.success(request, f"Care plans at {organisation.name} are now reviewed every "
                                  f"{organisation.plan_review_interval_days} days")
        return redirect("organisations:admin-home")
    return render(request, "organisations/care_plan_settings.html",
                  {"form": form, "organisation": organisation, "choices": choices})


# --- Staff -----------------------------------------------------------------------------------


@require_GET
@requires(Perm.STAFF_MANAGE)
@vary_on_headers("HX-Request")
def staff_list(request: HttpRequest) -> HttpResponse:
    organisation, choices = _chosen_organisation(request, Perm.STAFF_MANAGE)
    form = StaffFilterForm(request.GET, locations=organisation.locations.order_by("name", "pk"))
    filters = form.cleaned_data if form.is_valid() else {}
    memberships = selectors.staff_memberships(
        request.user, organisation=organisation, location=filters.get("location"), role=filters.get("role", "")
    )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"organisation": organisation.public_id}
    if filters.get("location"):
        query["location"] = filters["location"].public_id
    if filters.get("role"):
        query["role"] = filters["role"]
    context = {"organisation": organisation, "choices": choices, "form": form, "page": page, "query": urlencode(query)}
    if request.htmx:
        return render(request, "organisations/staff_list.html#results", context)
    invitations = selectors.open_invitations(request.user, organisation=organisation)
    context["invitations"] = list(invitations[:PAGE_SIZE])
    context["more_invitations"] = len(context["invitations"]) == PAGE_SIZE and invitations.count() > PAGE_SIZE
    return render(request, "organisations/staff_list.html", context)


@require_http_methods(["GET", "POST"])
@requires(Perm.STAFF_MANAGE)
def staff_invite(request: HttpRequest) -> HttpResponse:
    organisation, _ = _chosen_organisation(request, Perm.STAFF_MANAGE)
    form = InvitationForm(
        _posted(request),
        role_choices=services.roles_offered(organisation),
        locations=selectors.open_locations_of(organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invite_staff(
                actor=Actor.from_request(request), organisation=organisation,
                **{name: form.cleaned_data[name] for name in INVITATION_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"We have sent an invitation to {invitation.email}")
            return redirect(_with_organisation("organisations:staff-list", organisation))
    return render(request, "organisations/staff_invite.html", {
        "form": form, "organisation": organisation, "valid_days": settings.INVITATION_VALID_DAYS,
    })


@require_http_methods(["GET", "POST"])
@requires(Perm.STAFF_MANAGE)
def membership_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    membership = selectors.membership_for(request.user, public_id)
    initial = {name: getattr(membership, name) for name in MEMBERSHIP_FIELDS if name != "locations"}
    initial["locations"] = [location.public_id for location in membership.locations.all()]
    form = MembershipForm(
        _posted(request), initial=initial,
        role_choices=services.roles_offered(membership.organisation),
        locations=selectors.assignable_locations(membership),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_membership(
                actor=Actor.from_request(request), membership=membership,
                **{name: form.cleaned_data[name] for name in MEMBERSHIP_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.full_name}'s role has been updated")
            return redirect(_with_organisation("organisations:staff-list", membership.organisation))
    return render(request, "organisations/membership_form.html", {"form": form, "membership": membership})


@require_http_methods(["GET", "POST"])
@requires(Perm.STAFF_MANAGE)
def membership_end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Confirm, then end someone's role: their access stops from their next request."""
    membership = selectors.membership_for(request.user, public_id)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(actor=Actor.from_request(request), membership=membership)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.full_name}'s role as "
                             f"{membership.get_role_display().lower()} has ended")
            if membership.user_id == request.user.pk:
                return redirect("core:home")
            return redirect(_with_organisation("organisations:staff-list", membership.organisation))
    return render(request, "organisations/membership_end.html", {"form": form, "membership": membership})


@require_POST
@requires(Perm.STAFF_MANAGE)
def invitation_cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    invitation = selectors.invitation_for(request.user, public_id)
    try:
        services.cancel_invitation(actor=Actor.from_request(request), invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The invitation to {invitation.email} has been cancelled")
    return redirect(_with_organisation("organisations:staff-list", invitation.organisation))


# --- Accepting an invitation (no sign-in needed: the link is the credential) -------------------


@never_cache
@require_http_methods(["GET", "POST"])
@public
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    if invitation is None or not invitation.is_usable():
        return _invitation_unusable(request)
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.email.lower() != invitation.email.lower():
        return _invitation_for_someone_else(request, invitation)
    if user is None and selectors.invitee_has_account(invitation):
        return _invitation_needs_sign_in(request, invitation)
    form = AcceptInvitationForm(_posted(request), initial={"full_name": invitation.full_name})
    if request.method == "POST" and (user is not None or form.is_valid()):
        fields = {} if user is not None else form.cleaned_data
        try:
            membership = services.accept_invitation(
                token=token, user=user, ip_address=Actor.from_request(request).ip_address, **fields
            )
        except services.InvitationUnusable:
            return _invitation_unusable(request)
        except services.InvitationNeedsSignIn:
            return _invitation_needs_sign_in(request, invitation)
        except services.InvitationForSomeoneElse:
            return _invitation_for_someone_else(request, invitation)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _accepted(request, membership, new_account=user is None)
    return render(request, "organisations/invitation_accept.html", {
        "invitation": invitation, "form": form, "signed_in": user is not None,
    })


def _accepted(request: HttpRequest, membership, *, new_account: bool) -> HttpResponse:
    if new_account:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:mfa-enrol")
    messages.success(request, f"You are now {membership.get_role_display().lower()} at {membership.organisation.name}")
    return redirect("core:home")


def _invitation_unusable(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/invitation_unusable.html", status=410)


def _invitation_needs_sign_in(request: HttpRequest, invitation) -> HttpResponse:
    sign_in_url = f"{reverse('accounts:sign-in')}?{urlencode({'next': request.path})}"
    return render(request, "organisations/invitation_sign_in.html",
                  {"invitation": invitation, "sign_in_url": sign_in_url})


def _invitation_for_someone_else(request: HttpRequest, invitation) -> HttpResponse:
    return render(request, "organisations/invitation_other_account.html", {"invitation": invitation}, status=403)
