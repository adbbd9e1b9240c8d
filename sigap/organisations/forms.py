from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.lib.regions_field import RegionPickerMixin, region_path
from sigap.organisations.models import Kind, Organisation, kinds_registered_by


class OrganisationForm(RegionPickerMixin, forms.ModelForm):
    """An office or agency: only the kinds the user registers, its region picked level by level within theirs."""

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "kind", "address", "head_name", "head_title"]

    field_order = ["name", "short_name", "code", "kind", "province", "regency", "district", "village", "address",
                   "head_name", "head_title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds_registered_by(user)
        self.fields["kind"].choices = [("", "---------")] + [(k, label) for k, label in Kind.choices if k in kinds]
        self.setup_region_picker(scope=user.region_code,
                                 current=self.instance.region if self.instance.region_id else None)
        self.fields["code"].help_text = _("Capitals, digits and hyphens, used in document numbers: DISNAKERIND-TALA.")

    def clean_code(self):
        return self.cleaned_data["code"].upper()

    def clean(self):
        cleaned = super().clean()
        cleaned["region"] = self.picked_region()
        return cleaned


def picker_data(region_code: str | None) -> dict[str, str]:
    """The picker's fields for one region code (the API names the region by its code)."""
    names = ["province", "regency", "district", "village"]
    path = region_path(region_code)
    return {name: path.get(level, "") for level, name in enumerate(names, start=1)}
