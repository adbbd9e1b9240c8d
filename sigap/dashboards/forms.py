import datetime
import re

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item
from sigap.lib.dates import LATEST_FILTER_DATE, earliest_date

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (what <input type=month> sends); cleans to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2020-06"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        month = datetime.date(int(match[1]), int(match[2]), 1)
        # From the month of SIGAP's earliest date to 2100, as a list's date filter.
        if not earliest_date().replace(day=1) <= month <= LATEST_FILTER_DATE:
            raise forms.ValidationError(_("Give a month between %(first)s and %(last)s.") % {
                "first": date_format(earliest_date(), "YEAR_MONTH_FORMAT"),
                "last": date_format(LATEST_FILTER_DATE, "YEAR_MONTH_FORMAT")})
        return month


class DashboardFilterForm(forms.Form):
    region = forms.CharField(label=_("Area"), required=False, max_length=5)
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)
    product = forms.ModelChoiceField(label=_("Product"), required=False, empty_label=_("All products"),
                                     queryset=Item.objects.filter(kind="product").order_by("name"))

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if code and not re.fullmatch(r"\d{2}(\.\d{2})?", code):
            raise forms.ValidationError(_("Choose an area from the list."))
        return code or None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The last month comes before the first."))
        return cleaned

    def valid_value(self, name):
        """A filter's value when it was understood, else None: a nonsense filter is dropped, not fatal."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name)
