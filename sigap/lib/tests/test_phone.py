import pytest
from django import forms

from sigap.lib.phone import PhoneNumberField, display_phone, mask_phone, whatsapp_link


@pytest.mark.parametrize("raw", ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "812 3456 7890"])
def test_it_normalises_mobile_numbers_to_plus62(raw):
    assert PhoneNumberField().clean(raw) == "+6281234567890"


def test_it_keeps_landlines_with_area_code():
    assert PhoneNumberField().clean("(0511) 3354 123") == "+625113354123"


@pytest.mark.parametrize("raw", ["12345", "0812-abc", "+1 415 555 0100", "0812345"])
def test_it_refuses_what_is_not_an_indonesian_number(raw):
    with pytest.raises(forms.ValidationError) as err:
        PhoneNumberField().clean(raw)
    assert err.value.code == "invalid"


def test_it_refuses_a_landline_where_whatsapp_is_needed():
    with pytest.raises(forms.ValidationError) as err:
        PhoneNumberField(mobile_only=True).clean("(0511) 3354 123")
    assert err.value.code == "not_mobile"


def test_empty_is_allowed_when_not_required():
    assert PhoneNumberField(required=False).clean("") == ""


def test_display_whatsapp_and_mask():
    assert display_phone("+6281234567890") == "0812-3456-7890"
    assert whatsapp_link("+6281234567890", "Halo Bu") == "https://wa.me/6281234567890?text=Halo%20Bu"
    assert whatsapp_link("+625113354123") == ""
    assert mask_phone("+6281234567890") == "0812-••••-•890"
