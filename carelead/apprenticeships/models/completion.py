"""The outcome of an apprenticeship after end-point assessment (issue 6 "Completion"): the achievement
date and the certificate. Recording it sets the apprenticeship COMPLETED, after which
`parties.require_open` locks every programme record. Withdrawal is a ProgrammeChange (change_services).
"""

from django.conf import settings
from django.db import models

from carelead.core.models import PublicModel


def completion_path(completion: "ApprenticeshipCompletion", filename: str) -> str:
    # A random directory per record: names never collide and are never guessable from the apprenticeship.
    return f"completion/{completion.public_id}/{filename}"


class ApprenticeshipCompletion(PublicModel):
    apprenticeship = models.OneToOneField("apprenticeships.Apprenticeship", on_delete=models.PROTECT,
                                          related_name="completion")
    achieved_on = models.DateField("Achievement date")
    certificate = models.FileField(upload_to=completion_path, max_length=300)
    certificate_name = models.CharField(max_length=200)  # as uploaded, shown to people
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Achieved on {self.achieved_on}"
