"""The tabs of one apprenticeship's pages: each tab is its own page (works without JavaScript)."""

from django.urls import reverse

TABS = [
    ("overview", "Overview", "apprenticeships:apprenticeship-detail"),
    ("plan", "Training plan", "apprenticeships:training-plan"),
    ("sessions", "Sessions", "apprenticeships:apprenticeship-sessions"),
    ("otj", "Off-the-job hours", "apprenticeships:otj-list"),
    ("reviews", "Progress reviews", "apprenticeships:review-list"),
    ("gateway", "Gateway", "apprenticeships:gateway"),
    ("epa", "End-point assessment", "apprenticeships:epa"),
    ("portfolio", "Portfolio", "apprenticeships:evidence-list"),
    ("coverage", "KSB coverage", "apprenticeships:coverage"),
    ("timeline", "Timeline", "apprenticeships:timeline"),
]


def programme_tabs(apprenticeship, current: str) -> list[dict]:
    return [{"label": label, "url": reverse(name, args=[apprenticeship.public_id]), "current": key == current}
            for key, label, name in TABS]
