"""Writes through the API validate exactly as the pages do: the payload fills the page's own form."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _


class FormInvalid(Exception):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def cleaned(form, names: dict[str, str] | None = None) -> dict:
    """The form's cleaned data, or FormInvalid with its messages per field ("__all__" for the form's own),
    under the API's names for the form's fields (``names``: form field → API field)."""
    if not form.is_valid():
        errors: dict[str, list[str]] = {}
        for field, messages in form.errors.items():
            errors.setdefault((names or {}).get(field, field), []).extend(str(m) for m in messages)
        raise FormInvalid(errors)
    return form.cleaned_data


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def refusal_detail() -> str:
    return _("Some fields are not valid.")
