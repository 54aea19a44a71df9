"""Form helpers for the NHS.UK design system: the day-month-year date input and error ordering."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

DATE_REAL_MESSAGE = "{label} must be a real date"
DATE_PARTS_MESSAGE = "{label} must include a day, month and year"


class NHSDateWidget(forms.MultiWidget):
    """Three boxes (day, month, year), as the NHS.UK date input pattern asks."""

    template_name = "core/fields/date_widget.html"  # rendered by the nhs_field tag, not by Django

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]


class NHSDateField(forms.MultiValueField):
    widget = NHSDateWidget

    def __init__(self, *, required: bool = True, **kwargs):
        # Parts are optional one by one, so a half-filled date reaches compress() and gets its own message.
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, required=required, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        label = self.label or "Date"
        if not all(data_list):
            raise ValidationError(DATE_PARTS_MESSAGE.format(label=label), code="incomplete")
        try:
            day, month, year = (int(str(part).strip()) for part in data_list)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except (TypeError, ValueError):
            raise ValidationError(DATE_REAL_MESSAGE.format(label=label), code="invalid") from None

    def clean(self, value):
        # The base class reports a blank required part as "required"; NHS.UK wants one message.
        if self.required and (not value or not any(value)):
            raise ValidationError(f"Enter {str(self.label or 'the date').lower()}", code="required")
        return super().clean(value)


class NHSFormMixin:
    """Messages in the NHS.UK voice: "Enter your email address", not "This field is required".

    A form that wants other words sets `error_messages` on its field after calling super().
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, NHSDateField):
                continue
            label = str(field.label or "this").lower()
            verb = "Select" if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) else "Enter"
            field.error_messages["required"] = f"{verb} {label}"


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each broken rule beside its field, or at the
    top when the form has no such field (or the error names none). A form whose inputs are named
    differently from the service's arguments maps them in `service_fields` ({argument: field})."""
    renamed = getattr(form, "service_fields", {})
    pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, field_messages in pairs:
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


def save_through(form, service, **kwargs):
    """Run a service for a page's form and return what it returns (True when that is None); its
    refusals become errors on the form instead and the result is None: a stale version at the top,
    broken rules as add_service_errors shows them."""
    from carelead.core.errors import StaleEdit

    try:
        result = service(**kwargs)
    except StaleEdit as stale:
        form.add_error(None, stale.message)
        return None
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    return True if result is None else result
