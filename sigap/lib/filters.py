from django import forms


class ListFilterForm(forms.Form):
    """A list page's filters: each field of the form, when filled, narrows the list by the field of the same
    name. A filter that does not validate is left out rather than emptying the list."""

    def apply(self, rows):
        if not self.is_valid():
            return rows
        for name, value in self.cleaned_data.items():
            if value:
                rows = rows.filter(**{name: value})
        return rows
