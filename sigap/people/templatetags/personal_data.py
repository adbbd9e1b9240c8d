"""Showing personal data only to the roles that need it; everyone else sees it masked."""

from django import template

from sigap.lib.phone import display_phone, mask_phone
from sigap.people.models import mask_nik

register = template.Library()


@register.filter
def nik_for(nik: str, user) -> str:
    return nik if getattr(user, "can_see_nik", False) else mask_nik(nik)


@register.filter
def phone_for(phone: str, user) -> str:
    if not phone:
        return ""
    return display_phone(phone) if getattr(user, "can_see_phone", False) else mask_phone(phone)


def birth_date_for(birth_date, user):
    """The whole birth date with the NIK (digits 7 to 12 carry it); only the year for the others."""
    return birth_date if getattr(user, "can_see_nik", False) else birth_date.year


# A person's fields that are personal data, and how each is shown to a user.
PERSONAL_FIELDS = {"nik": nik_for, "birth_date": birth_date_for, "phone": phone_for}


def person_value_for(field: str, value, user):
    """A value of a person's field as ``user`` sees it on the person's page (for the history's old and new
    values)."""
    shown = PERSONAL_FIELDS.get(field)
    return value if shown is None or value is None else shown(value, user)
