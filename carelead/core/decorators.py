"""Every view says who may use it. A test walks every URL and fails on one that says nothing."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render

from carelead.core.permissions import Perm

PASSWORD_ONLY = "password-only"  # signed in with a password, second factor not yet given
PUBLIC = "public"


def names_a_record(url_kwargs: dict) -> bool:
    """Whether a URL names someone's record (`public_id`, `record_id`, ...), as opposed to naming a
    tool or a tab. Such a URL answers 404 to anyone who may not reach it, never 403, so carelead
    never confirms that the record exists."""
    return any(name == "public_id" or name.endswith("_id") for name in url_kwargs)


def _mark(view, required):
    view.required_perm = required
    return view


def public(view):
    """Anyone, signed in or not: sign-in pages, invitation links, the health check."""
    return _mark(view, PUBLIC)


def password_only(view):
    """Signed in with a password but not yet through MFA: enrolling or giving the code."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return view(request, *args, **kwargs)

    return _mark(wrapped, PASSWORD_ONLY)


def requires(perm: Perm):
    """Deny unless the user has passed MFA and holds `perm` at some location or organisation.

    Which record the user may reach is decided again by the selector (`<thing>_for(user, ...)`),
    so holding a permission somewhere never opens a person elsewhere.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not user.is_verified():
                return redirect("accounts:second-factor")
            if perm != Perm.OWN_ACCOUNT:
                from carelead.organisations.selectors import holds_anywhere

                if not holds_anywhere(user, perm):
                    if names_a_record(kwargs):
                        raise Http404
                    return render(request, "core/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return _mark(wrapped, perm)

    return decorator
