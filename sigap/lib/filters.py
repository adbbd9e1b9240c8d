from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

DASHES = BLANK_CHOICE_DASH[0][1]


def empty_choice_says_all(form) -> None:
    """A filter left empty lists everything, so its empty choice says "All" rather than Django's dashes."""
    for field in form.fields.values():
        if getattr(field, "empty_label", None) == DASHES:
            field.empty_label = _("All")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            field.choices = [("", _("All")) if (value, label) == ("", DASHES) else (value, label)
                             for value, label in field.choices]


class ListFilterForm(forms.Form):
    """A list page's filters: each field of the form, when filled, narrows the list by the field of the same
    name. A filter that does not validate is left out rather than emptying the list."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        empty_choice_says_all(self)

    def apply(self, rows):
        if not self.is_valid():
            return rows
        for name, value in self.cleaned_data.items():
            if value:
                rows = rows.filter(**{name: value})
        return rows
