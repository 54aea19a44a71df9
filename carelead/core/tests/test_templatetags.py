import pytest
from django import forms

from carelead.core.templatetags.nhsuk import select_options


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), ("active", "Active"), ("died", "Died <b>")])


def test_select_options_marks_the_chosen_value_and_escapes_labels():
    html = select_options(StatusForm({"status": "active"})["status"])
    assert '<option value="active" selected>Active</option>' in html
    assert '<option value="" >' not in html and '<option value="">Any status</option>' in html
    assert "Died &lt;b&gt;" in html


def test_select_options_with_nothing_chosen_selects_the_blank_choice():
    assert '<option value="" selected>Any status</option>' in select_options(StatusForm()["status"])


class LocationForm(forms.Form):
    location = forms.ModelChoiceField(queryset=None, to_field_name="public_id", empty_label="All your locations")


@pytest.mark.django_db
def test_select_options_lists_a_model_choice_field_in_one_query(django_assert_num_queries):
    from carelead.organisations.models import Location
    from carelead.organisations.tests.factories import LocationFactory

    rose, willow = LocationFactory(name="Rose & Crown House"), LocationFactory(name="Willow Court")
    form = LocationForm({"location": str(willow.public_id)})
    form.fields["location"].queryset = Location.objects.order_by("name")
    with django_assert_num_queries(1):
        html = select_options(form["location"])
    assert html.startswith('<option value="">All your locations</option>')
    assert f'<option value="{rose.public_id}">Rose &amp; Crown House</option>' in html
    assert f'<option value="{willow.public_id}" selected>Willow Court</option>' in html
