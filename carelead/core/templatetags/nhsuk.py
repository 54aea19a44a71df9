"""Template tags for NHS.UK design-system markup, loaded everywhere (TEMPLATES builtins)."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from carelead.core.forms import NHSDateWidget

register = template.Library()

_TEMPLATES = [
    (NHSDateWidget, "core/fields/date.html"),
    (forms.CheckboxSelectMultiple, "core/fields/checkboxes.html"),
    (forms.RadioSelect, "core/fields/radios.html"),
    (forms.CheckboxInput, "core/fields/checkbox.html"),
    (forms.Select, "core/fields/select.html"),
    (forms.Textarea, "core/fields/textarea.html"),
]


@register.simple_tag
def nhs_field(field, width: str = "", hint: str = "", autocomplete: str = "", input_type: str = ""):
    """One form field as an NHS.UK form group: label, hint, error message beside the field."""
    widget = field.field.widget
    name = next((name for kind, name in _TEMPLATES if isinstance(widget, kind)), "core/fields/input.html")
    date_parts = None
    if isinstance(widget, NHSDateWidget):
        value = field.value()
        parts = value if isinstance(value, (list, tuple)) else widget.decompress(value)
        date_parts = [("day", "Day", parts[0], "2"), ("month", "Month", parts[1], "2"), ("year", "Year", parts[2], "4")]
    context = {
        "field": field,
        "width": width,
        "hint": hint or field.help_text,
        "autocomplete": autocomplete,
        "input_type": input_type or getattr(widget, "input_type", "text"),
        "date_parts": date_parts,
        "value": field.value(),
    }
    return render_to_string(name, context)


@register.inclusion_tag("core/_error_summary.html")
def error_summary(*forms_):
    """The NHS.UK error summary: every error, linking to its field, in the order of the form."""
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append(("", message))
        for field in form:
            anchor = field.auto_id + ("_0" if isinstance(field.field.widget, forms.MultiWidget) else "")
            if isinstance(field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                anchor = f"{field.auto_id}_0"
            for message in field.errors:
                errors.append((anchor, message))
    return {"errors": errors}


@register.simple_tag
def status_tag(text: str, colour: str = ""):
    """An NHS.UK tag: colour is one of grey, green, aqua-green, blue, purple, pink, red, orange, yellow."""
    css = f"nhsuk-tag nhsuk-tag--{colour}" if colour else "nhsuk-tag"
    return format_html('<strong class="{}">{}</strong>', css, text)


@register.simple_tag
def select_options(field):
    """A select's options in one pass: a manager's location filter has 200 of them, and a
    template per option (Django's default) costs more than the rest of the page."""
    value = field.value()
    chosen = {str(v) for v in value} if isinstance(value, (list, tuple)) else {"" if value is None else str(value)}
    options = "".join(
        f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>{escape(label)}</option>'
        for key, label in _choices(field.field)
    )
    return mark_safe(options)  # every part escaped above


def _choices(field):
    """A model choice field's options from one plain query: Django's own iterator opens a
    server-side cursor on PostgreSQL, three round trips for a list of locations."""
    if not isinstance(field, forms.ModelChoiceField):
        return field.choices
    key = field.to_field_name or "pk"
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [(getattr(obj, key), field.label_from_instance(obj)) for obj in field.queryset.all()]
