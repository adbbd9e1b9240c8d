from django import forms


def date_input() -> forms.DateInput:
    """The browser's date picker; it reads and writes ISO dates (2020-06-15) whatever the page's language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
