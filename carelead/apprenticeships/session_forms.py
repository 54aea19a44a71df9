"""Input for the session pages: a session's details and invitations, and an attendance report
upload. Field-level parsing and messages only; the services check everything that needs the
database (who may be invited, the join link, the file's contents)."""

import re
from datetime import time

from django import forms
from django.utils import timezone

from carelead.apprenticeships import attendance_services
from carelead.apprenticeships.models import AttendanceSource, SessionKind
from carelead.apprenticeships.session_services import LONDON, in_london
from carelead.core.forms import NHSDateField, NHSFormMixin
from carelead.organisations.models import Organisation

TIME_MESSAGE = "Enter {label} as a time of day, like 10:00 or 2:30pm"
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """A time of day as people type it: 10:00, 14:30, 9.15, 2:30pm, 10am."""
    match = _TIME.match(text.strip().replace(" ", "")) if text else None
    if not match:
        return None
    hour, minute, meridiem = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif match[2] is None:
        return None  # "10" alone could be morning or evening
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class TimeOfDayField(forms.Field):
    widget = forms.TextInput

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise forms.ValidationError(TIME_MESSAGE.format(label=str(self.label).lower()), code="invalid")
        return parsed


class SessionForm(NHSFormMixin, forms.Form):
    """A session's details (times in London) and the apprentices invited."""

    service_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    kind = forms.ChoiceField(label="Kind of session", choices=SessionKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200)
    day = NHSDateField(label="Date")
    start_time = TimeOfDayField(label="Start time")
    end_time = TimeOfDayField(label="End time")
    join_url = forms.CharField(label="Join link (Teams or Zoom)", max_length=1000, required=False)
    venue = forms.CharField(label="Where, if in person", max_length=200, required=False)
    description = forms.CharField(label="What the session covers", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    attendees = forms.ModelMultipleChoiceField(label="Apprentices invited", queryset=None, required=False,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, apprenticeships, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is not None and len(providers) > 1:  # a coach working for two training providers
            self.fields["provider"] = forms.ModelChoiceField(
                label="Training provider", queryset=Organisation.objects.filter(
                    pk__in=[provider.pk for provider in providers]).order_by("name"), widget=forms.RadioSelect,
                error_messages={"required": "Select which training provider runs this session"})
            self.order_fields(["provider"])
        self.fields["attendees"].queryset = apprenticeships
        self.fields["attendees"].label_from_instance = (
            lambda a: f"{a.apprentice.full_name} ({a.employer.name})")
        self.fields["day"].error_messages["required"] = "Enter the date of the session"

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"], data["ends_at"] = in_london(day, start), in_london(day, end)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "title": data["title"], "starts_at": data["starts_at"],
                "ends_at": data["ends_at"], "join_url": data["join_url"], "venue": data["venue"],
                "description": data["description"], "attendees": list(data["attendees"]),
                **({"provider": data["provider"]} if "provider" in data else {})}


def session_initial(session) -> dict:
    """The form's values for an existing session (times in London)."""
    starts, ends = timezone.localtime(session.starts_at, LONDON), timezone.localtime(session.ends_at, LONDON)
    return {"kind": session.kind, "title": session.title, "day": starts.date(),
            "start_time": starts.strftime("%H:%M"), "end_time": ends.strftime("%H:%M"),
            "join_url": session.join_url, "venue": session.venue, "description": session.description,
            "attendees": [attendee.apprenticeship_id for attendee in session.attendees.all()]}


class AttendanceUploadForm(NHSFormMixin, forms.Form):
    """A Teams attendance report or a Zoom participants report, as a CSV file of at most 2 MB."""

    source = forms.ChoiceField(label="Which report is it?", choices=AttendanceSource.choices,
                               widget=forms.RadioSelect)
    file = forms.FileField(label="Attendance report (CSV)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages.update({
            "required": "Choose the attendance report file", "empty": "The file is empty",
            "invalid": "Choose the attendance report file"})
        self.fields["source"].error_messages["required"] = "Select whether it is a Teams or a Zoom report"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        errors = attendance_services.check_upload(filename=upload.name, size=upload.size,
                                                  source=AttendanceSource.TEAMS)
        if "file" in errors:
            raise forms.ValidationError(errors["file"])
        return upload
