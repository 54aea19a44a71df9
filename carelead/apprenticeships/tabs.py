"""The tabs of one apprenticeship's pages: each tab is its own page (works without JavaScript)."""

from django.urls import reverse

TABS = [  # in the order the programme runs: learning, the evidence of it, then gateway and assessment
    ("overview", "Overview", "apprenticeships:apprenticeship-detail"),
    ("plan", "Training plan", "apprenticeships:training-plan"),
    ("sessions", "Sessions", "apprenticeships:apprenticeship-sessions"),
    ("otj", "Off-the-job hours", "apprenticeships:otj-list"),
    ("reviews", "Progress reviews", "apprenticeships:review-list"),
    ("portfolio", "Portfolio", "apprenticeships:evidence-list"),
    ("coverage", "KSB coverage", "apprenticeships:coverage"),
    ("timeline", "Timeline", "apprenticeships:timeline"),
    ("gateway", "Gateway", "apprenticeships:gateway"),
    ("epa", "End-point assessment", "apprenticeships:epa"),
]


def programme_tabs(apprenticeship, current: str) -> list[dict]:
    return [{"label": label, "url": reverse(name, args=[apprenticeship.public_id]), "current": key == current}
            for key, label, name in TABS]
