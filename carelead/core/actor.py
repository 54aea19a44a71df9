"""Who is acting: passed explicitly to every service, never read from global state."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any
    ip_address: str | None = None
    via: str = "web"  # web, api, command

    @classmethod
    def from_request(cls, request, *, via: str | None = None) -> "Actor":
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR")
        if via is None:
            via = "api" if request.path.startswith("/api/") else "web"
        return cls(user=request.user, ip_address=ip or None, via=via)

    @classmethod
    def command(cls, user) -> "Actor":
        """A management command acting as a named user (imports, seeding)."""
        return cls(user=user, ip_address=None, via="command")
