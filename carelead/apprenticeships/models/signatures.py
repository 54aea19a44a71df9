"""Signatures of the three parties on a training plan version, a progress review or the gateway readiness decision.

Signed online by the person themselves, or recorded as obtained offline (a wet signature on paper,
an email) with who signed, when and how, by the person who records it. One signature per party per
document; the order (provider, apprentice, employer for a plan; coach, apprentice, employer for a
review) is enforced by the services.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Party(models.TextChoices):
    PROVIDER = "provider", "Training provider"  # the skills coach signs for the provider
    APPRENTICE = "apprentice", "Apprentice"
    EMPLOYER = "employer", "Employer"


class SignatureMethod(models.TextChoices):
    ONLINE = "online", "Signed in carelead"
    OFFLINE = "offline", "Obtained offline"


class Signature(models.Model):
    plan_version = models.ForeignKey("apprenticeships.TrainingPlanVersion", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="signatures")
    review = models.ForeignKey("apprenticeships.ProgressReview", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="signatures")
    # The readiness decision for gateway (issue 6, §2.1), signed by the same three parties in the same order.
    gateway = models.ForeignKey("apprenticeships.GatewayReadiness", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="signatures")
    party = models.CharField(max_length=12, choices=Party.choices)
    method = models.CharField(max_length=8, choices=SignatureMethod.choices, default=SignatureMethod.ONLINE)
    # Online: who signed. Offline: who recorded the signature obtained outside carelead.
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    signatory_name = models.CharField("Who signed", max_length=200, blank=True)  # offline only
    obtained_on = models.DateField("When they signed", null=True, blank=True)  # offline only
    obtained_how = models.CharField("How it was obtained", max_length=200, blank=True)  # offline only

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(plan_version__isnull=False, review__isnull=True, gateway__isnull=True)
                           | models.Q(plan_version__isnull=True, review__isnull=False, gateway__isnull=True)
                           | models.Q(plan_version__isnull=True, review__isnull=True, gateway__isnull=False)),
                name="signature_on_exactly_one_document"),
            models.UniqueConstraint(fields=["plan_version", "party"], condition=models.Q(plan_version__isnull=False),
                                    name="signature_one_per_party_per_plan"),
            models.UniqueConstraint(fields=["review", "party"], condition=models.Q(review__isnull=False),
                                    name="signature_one_per_party_per_review"),
            models.UniqueConstraint(fields=["gateway", "party"], condition=models.Q(gateway__isnull=False),
                                    name="signature_one_per_party_per_gateway"),
            models.CheckConstraint(
                condition=models.Q(method="online") | (~models.Q(signatory_name="") & models.Q(obtained_on__isnull=False)
                                                       & ~models.Q(obtained_how="")),
                name="signature_offline_says_who_when_how"),
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} signature"
