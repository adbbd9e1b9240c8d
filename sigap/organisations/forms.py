from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.organisations.models import Organisation
from sigap.regions.models import Level, Region


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "code", "kind", "region", "address", "head_name", "head_title"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.within(user.region_code).filter(
            level__lte=Level.DISTRICT
        )
        self.fields["code"].help_text = _("Capitals, digits and hyphens, used in document numbers: DISNAKERIND-TALA.")

    def clean_code(self):
        return self.cleaned_data["code"].upper()
