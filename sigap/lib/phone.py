"""Indonesian phone numbers: accepted as people write them, stored as +62…, shown as 0812-3456-7890."""

from urllib.parse import quote

from django import forms
from django.utils.translation import gettext_lazy as _
from lokal import parse_phone


class PhoneNumberField(forms.CharField):
    """Accepts 0812-3456-7890, +62 812 3456 7890, 6281234567890, (0511) 555123; cleans to +62…"""

    default_error_messages = {
        "invalid": _("Enter an Indonesian phone number, e.g. 0812-3456-7890 or +62 812 3456 7890."),
        "not_mobile": _("Enter a mobile number (08…) so WhatsApp can reach it."),
    }

    def __init__(self, *, mobile_only: bool = False, **kwargs):
        kwargs.setdefault("max_length", 20)
        self.mobile_only = mobile_only
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        info = parse_phone(value)
        if not info.valid:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.mobile_only and info.type != "mobile":
            raise forms.ValidationError(self.error_messages["not_mobile"], code="not_mobile")
        return info.e164

    def prepare_value(self, value):
        return display_phone(value) if value else value


def display_phone(e164: str) -> str:
    if not e164:
        return ""
    info = parse_phone(e164)
    return info.national if info.valid else e164


def whatsapp_link(e164: str, message: str = "") -> str:
    """A wa.me link for a mobile number, or "" when the number cannot take WhatsApp."""
    info = parse_phone(e164 or "")
    if not info.valid or not info.whatsapp:
        return ""
    link = f"https://wa.me/{info.whatsapp}"
    return f"{link}?text={quote(message)}" if message else link


def mask_phone(e164: str) -> str:
    """Keeps the first four and last three digits of the national form: 0812-••••-•890."""
    shown = display_phone(e164)
    digits = [i for i, ch in enumerate(shown) if ch.isdigit()]
    hidden = set(digits[4:-3])
    return "".join("•" if i in hidden else ch for i, ch in enumerate(shown))
