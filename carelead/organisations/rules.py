"""Rules about organisations, invitations and admins, as pure functions (no Django imports)."""

import hashlib
import secrets
from datetime import datetime, timedelta


def new_invitation_token() -> str:
    """A one-time invitation token: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def hash_invitation_token(token: str) -> str:
    """Only the SHA-256 of an invitation token is stored, so a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expires_at(*, sent_at: datetime, valid_days: int) -> datetime:
    """An invitation link works for `valid_days` whole days after it is sent."""
    return sent_at + timedelta(days=valid_days)


def leaves_organisation_without_admin(*, current_admins: int, losing: int) -> bool:
    """An organisation must keep at least one current organisation admin, or nobody can manage it."""
    return current_admins - losing < 1


def exceeds_one_location(*, supports_one_person: bool, existing_locations: int) -> bool:
    """A Lead PA's employer supports one person at that person's home: one location at most."""
    return supports_one_person and existing_locations >= 1
