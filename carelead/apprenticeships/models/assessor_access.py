"""Time-limited access for an independent end-point assessor (issue 6 "End-point assessment", DESIGN.md
roles: "EPA assessor | read-only access to one apprentice's gateway portfolio, for a limited period").

A grant names ONE apprenticeship and ONE assessor (a user holding a current End-point assessor
membership, see assessor_services.grant_assessor_access), from a start date to an end date, both
inclusive; it can be revoked at any time. It is the only thing that opens anything to an assessor:
the role itself carries no permission, and `selectors.apprenticeships_for` never includes a grant.
Reads go through `assessor_selectors.grant_for` alone.
"""

from django.conf import settings
from django.db import models

from carelead.core.models import PublicModel


class AssessorAccess(PublicModel):
    apprenticeship = models.ForeignKey("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                       related_name="assessor_grants")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="epa_grants")
    starts_on = models.DateField("From")
    ends_on = models.DateField("Until")  # inclusive: the grant works on this day, not the day after
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoke_reason = models.TextField("Why access was stopped", blank=True)

    class Meta:
        ordering = ["apprenticeship", "-starts_on", "-id"]
        verbose_name_plural = "assessor access grants"
        indexes = [models.Index(fields=["assessor", "ends_on"], name="assessor_access_assessor_end"),
                   models.Index(fields=["apprenticeship", "ends_on"], name="assessor_access_app_end")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="assessor_access_ends_after_start"),
            models.CheckConstraint(condition=models.Q(revoked_at__isnull=True) | models.Q(revoked_by__isnull=False),
                                   name="assessor_access_revoked_by_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.apprenticeship_id} {self.starts_on} to {self.ends_on}"

    def is_active_on(self, today) -> bool:
        return self.revoked_at is None and self.starts_on <= today <= self.ends_on
