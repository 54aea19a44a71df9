"""Gateway readiness (issue 6 "Gateway", reference/apprenticeship-standard.md §2.1): one record per
apprenticeship holding the evidence for each checklist item that is not read live from elsewhere.

What is read live instead: English and maths as enrolled (Apprenticeship.english_maths and its
recorded decision), approved off-the-job hours against the minimum, the portfolio's statuses and
the EPAO named on the enrolment. The readiness decision is signed by the provider, the apprentice
and the employer (Signature.gateway). Once the coach confirms the gateway date
(Apprenticeship.gateway_date) this record is locked, and so is off-the-job logging after that date.
"""

from django.conf import settings
from django.db import models

from carelead.core.models import VersionedModel


def gateway_path(readiness: "GatewayReadiness", filename: str) -> str:
    # A random directory per record: names never collide and are never guessable from the apprenticeship.
    return f"gateway/{readiness.public_id}/{filename}"


class GatewayReadiness(VersionedModel):
    apprenticeship = models.OneToOneField("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                          related_name="gateway_readiness")
    # The Level 4 Diploma (§2.1), recorded by the coach with its certificate.
    diploma_achieved_on = models.DateField("Date the Diploma was achieved", null=True, blank=True)
    diploma_certificate = models.FileField(upload_to=gateway_path, blank=True, max_length=300)
    diploma_certificate_name = models.CharField(max_length=200, blank=True)  # as uploaded, shown to people
    # English and maths achieved during the programme (enrolled as "working towards"), with certificates.
    english_achieved_on = models.DateField("Date English was achieved", null=True, blank=True)
    english_certificate = models.FileField(upload_to=gateway_path, blank=True, max_length=300)
    english_certificate_name = models.CharField(max_length=200, blank=True)
    maths_achieved_on = models.DateField("Date maths was achieved", null=True, blank=True)
    maths_certificate = models.FileField(upload_to=gateway_path, blank=True, max_length=300)
    maths_certificate_name = models.CharField(max_length=200, blank=True)
    # Only to work out the age at the start (§2.1: English and maths mandatory for 16 to 18 at start).
    apprentice_date_of_birth = models.DateField("Apprentice's date of birth", null=True, blank=True)
    # The apprentice declares the portfolio complete (gateway_rules.portfolio_item states the rule).
    portfolio_declared_at = models.DateTimeField(null=True, blank=True)
    portfolio_declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    # The leadership activity to be observed at EPA (§2.2 method 1), agreed before gateway.
    observation_scope = models.TextField("The leadership activity to be observed", blank=True)
    observation_scope_agreed_on = models.DateField("Date agreed", null=True, blank=True)
    observation_scope_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                      on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The checklist as it stood when the gateway date was confirmed (items, reasons, OTJ figures, portfolio
    # counts): what the gateway was decided on, shown from then on instead of the live figures.
    confirmed_checklist = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "gateway readiness records"
        constraints = [
            models.CheckConstraint(condition=(models.Q(diploma_certificate="")
                                              | models.Q(diploma_achieved_on__isnull=False)),
                                   name="gateway_diploma_certificate_has_date"),
            models.CheckConstraint(condition=models.Q(observation_scope="")
                                   | models.Q(observation_scope_agreed_on__isnull=False),
                                   name="gateway_observation_scope_has_date"),
        ]

    def __str__(self) -> str:
        return f"Gateway readiness of {self.apprenticeship_id}"
