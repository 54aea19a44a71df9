"""Practice records of the people app that can become apprenticeship evidence (DESIGN.md "Practice
becomes evidence", registry `core.evidence`): About Me records a user supported a person to write.

The summary says which of the seven PRSB About Me sections are filled, by their headings, and never
a word the person wrote: the sections are the person's own words, and "Supported to write this by"
is a free-text name. Dated by the About Me's "Date last updated", else the day it was last saved.
`items_led_by` is one query, newest first; `item` is None for a record the user did not support or an
unknown id.
"""

from __future__ import annotations

from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate

from carelead.core.evidence import EvidenceItem, date_bounds, declare
from carelead.people.models import AboutMe

ABOUT_ME = "people.about_me"


def _about_me_items(user, *, since=None, until=None, public_id=None) -> list[EvidenceItem]:
    """About Me records whose last update the user supported: one query."""
    records = (AboutMe.objects.filter(supported_by_user=user, **({"public_id": public_id} if public_id else {}))
               .annotate(dated=Coalesce("last_updated_on", TruncDate("updated_at"), output_field=DateField()))
               .filter(**date_bounds("dated", since, until))
               .order_by("-dated", "-id").values_list("public_id", "dated", *AboutMe.SECTIONS))
    return [_about_me_item(user, public_id, dated, sections) for public_id, dated, *sections in records]


def _about_me_item(user, public_id, dated, sections) -> EvidenceItem:
    filled = [str(AboutMe._meta.get_field(name).verbose_name)
              for name, text in zip(AboutMe.SECTIONS, sections, strict=True) if text.strip()]
    total = len(AboutMe.SECTIONS)
    which = f": {'; '.join(filled)}" if filled else ""
    summary = (f"Supported a person to write their About Me (PRSB About Me) in their own words. "
               f"{len(filled)} of its {total} sections filled{which}.")
    return EvidenceItem(source=ABOUT_ME, record_id=str(public_id), led_by_id=user.pk, occurred_on=dated,
                        title="Supported a person to write their About Me", summary=summary,
                        themes=("Communication", "Dignity and human rights"))


about_me_source = declare(ABOUT_ME, "About Me", "About Me records you supported a person to write", _about_me_items)
