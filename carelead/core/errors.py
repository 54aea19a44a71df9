"""Errors services raise that pages and the API turn into messages."""

from django.core.exceptions import PermissionDenied


class StaleEdit(Exception):
    """Someone else saved the record after this editor opened it."""

    def __init__(self, message: str = "Someone else changed this record while you were editing it. "
                 "Check their changes, then make yours again."):
        super().__init__(message)
        self.message = message


class NotAllowed(PermissionDenied):
    """The actor lacks the permission at the record's location (services check again)."""
