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
