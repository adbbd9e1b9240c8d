"""Writes through the API validate exactly as the pages do: the payload fills the page's own form (and formset),
and the messages come back under the API's field names. Also the form of the administrators' page of tokens."""

from contextlib import contextmanager

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sigap.accounts.models import User
from sigap.lib.errors import DomainError
from sigap.lib.filters import ListFilterForm


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


def item_choices(codes) -> dict[str, int]:
    """Item codes → the keys the pages' forms choose by; an unknown code becomes a key no item has, so the form
    refuses it as an invalid choice."""
    from sigap.items.models import Item

    known = dict(Item.objects.filter(code__in=list(codes)).values_list("code", "pk"))
    return {code: known.get(code, 0) for code in codes}


def formset_data(rows: list[dict], prefix: str = "lines") -> dict:
    data = {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{field}": value for field, value in row.items()})
    return data


def formset_errors(formset, prefix: str = "lines", names: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A bound formset's messages as "lines.0.quantity" (a row's field), "lines.0" (a row) and "lines"."""
    if formset.is_valid():
        return {}
    errors: dict[str, list[str]] = {}
    for n, form_errors in enumerate(formset.errors):
        for field, messages in form_errors.items():
            name = f"{prefix}.{n}" if field == "__all__" else f"{prefix}.{n}.{(names or {}).get(field, field)}"
            errors.setdefault(name, []).extend(str(m) for m in messages)
    for message in formset.non_form_errors():
        errors.setdefault(prefix, []).append(str(message))
    return errors


def cleaned_with(form, names: dict[str, str], *others: dict[str, list[str]]) -> dict:
    """The form's cleaned data, or FormInvalid with its messages and the others' (e.g. its formset's) together."""
    errors: dict[str, list[str]] = {}
    try:
        data = cleaned(form, names)
    except FormInvalid as error:
        errors.update(error.errors)
    for more in others:
        for field, messages in more.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise FormInvalid(errors)
    return data


@contextmanager
def field_names(names: dict[str, str]):
    """A service refuses with its own field names ("recipient"); the answer says the API's ("partner_id")."""
    try:
        yield
    except DomainError as error:
        error.field = names.get(error.field, error.field)
        raise


class TokenFilterForm(ListFilterForm):
    """The administrators' page of tokens, narrowed to one user named by username."""

    user = forms.ModelChoiceField(
        User.objects.all(), to_field_name="username", required=False, label=_lazy("User"),
        widget=forms.TextInput(attrs={"placeholder": _lazy("username"), "autocomplete": "off"}),
        error_messages={"invalid_choice": _lazy("No user has this username.")})

    def apply(self, rows):
        """An unknown username shows no token, not everyone's: an administrator about to revoke one must not
        take the whole list for one user's."""
        if self.is_bound and not self.is_valid():
            return rows.none()
        return super().apply(rows)
