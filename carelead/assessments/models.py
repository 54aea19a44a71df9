"""Records of the assessments app: a standard tool's score, saved in a person's record."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from carelead.assessments.tools import TOOLS
from carelead.assessments.tools.guidance import TOOL_INFO, Guidance, ToolInfo, guidance
from carelead.core.models import PublicModel

TOOL_CHOICES = [(tool, TOOL_INFO[tool].name) for tool in TOOLS]


class ToolScoreRecord(PublicModel):
    """One scoring of a standard tool (NEWS2, MUST, Waterlow...) for a person, exactly as scored.

    Never changed once saved: a wrong score is corrected by scoring again, so the record keeps
    what was seen and decided at the time (`assessments.services.record_tool_score`).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tool_scores")
    tool = models.CharField(max_length=30, choices=TOOL_CHOICES)
    inputs = models.JSONField(help_text="The inputs exactly as scored, in the encodings of clinical-tools.md §11.1")
    total = models.DecimalField(max_digits=7, decimal_places=2)
    category = models.CharField(max_length=40, help_text="A category code of clinical-tools.md §11.1")
    tool_version = models.CharField(max_length=20, blank=True, help_text='The card scored against ("2005" for Waterlow)')
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-scored_at", "-id"]
        indexes = [models.Index(fields=["person", "tool", "scored_at"])]

    def __str__(self) -> str:
        return f"{self.info.short_name} {self.total_display} ({self.guidance.label})"

    @property
    def info(self) -> ToolInfo:
        """The tool's names, purpose, source and attribution."""
        return TOOL_INFO[self.tool]

    @property
    def guidance(self) -> Guidance:
        """What the category means and the action its source recommends."""
        return guidance(self.tool, self.category)

    @property
    def total_display(self) -> str:
        """The total as people write it: 7, not 7.00; a fraction keeps only its digits (18.5)."""
        total = Decimal(self.total)
        if total == total.to_integral_value():
            return str(int(total))
        return str(total.normalize())
