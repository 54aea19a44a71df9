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
