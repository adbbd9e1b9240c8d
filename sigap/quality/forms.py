from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.lib.images import MAX_BYTES, validate_image
from sigap.lib.widgets import date_input
from sigap.quality.models import Criterion

RESULT_CHOICES = [("pass", _("Meets")), ("fail", _("Does not meet"))]


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Date inspected"), widget=date_input())
    sample_size = forms.IntegerField(label=_("Sample size"), min_value=1)
    accepted = forms.IntegerField(label=_("Accepted"), min_value=0)
    rejected = forms.IntegerField(label=_("Rejected"), min_value=0)
    reject_reason = forms.CharField(label=_("Reason for rejects"), max_length=255, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.ImageField(label=_("Photo"), required=False, validators=[validate_image],
                             help_text=_("JPEG, PNG or WebP, at most %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.fields["inspected_on"].initial = timezone.localdate()
        self.fields["sample_size"].max_value = batch.quantity
        self.fields["accepted"].initial = batch.quantity
        self.fields["rejected"].initial = 0
        self.criteria = list(Criterion.objects.filter(product=batch.product, is_active=True))
        # A class's day batch: whose units were rejected, so each participant's accepted units enter stock at home.
        self.lines = list(batch.lines.select_related("person")) if batch.is_class_batch else []
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = forms.IntegerField(
                label=_("%(name)s: rejected of %(quantity)s") % {"name": line.person.name, "quantity": line.quantity},
                min_value=0, max_value=line.quantity, initial=0, required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*"}))
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text, choices=RESULT_CHOICES, widget=forms.RadioSelect,
                help_text=criterion.reference,
            )
            self.fields[f"criterion_{criterion.pk}_note"] = forms.CharField(
                label=_("Note"), max_length=255, required=False)

    def checklist(self):
        return [(self[f"criterion_{c.pk}"], self[f"criterion_{c.pk}_note"]) for c in self.criteria]

    def base_fields_bound(self):
        return [self[name] for name in ["inspected_on", "sample_size", "accepted", "rejected", "reject_reason",
                                         "notes", "photo"]]

    def line_fields(self):
        return [self[f"line_{line.pk}"] for line in self.lines]

    def line_rejections(self) -> dict[int, int] | None:
        """Each line's rejects for a class's day batch (a blank one is 0); None for a partner's or a participant's
        batch, or when no line was given (the service then accepts a batch without rejects only)."""
        given = {line.pk: self.cleaned_data.get(f"line_{line.pk}") for line in self.lines}
        if all(value is None for value in given.values()):
            return None
        return {pk: value or 0 for pk, value in given.items()}

    def results(self):
        return [
            (c, self.cleaned_data[f"criterion_{c.pk}"] == "pass", self.cleaned_data[f"criterion_{c.pk}_note"])
            for c in self.criteria
        ]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["text", "reference", "position", "is_active"]


CriterionFormSet = forms.inlineformset_factory(
    Criterion._meta.get_field("product").related_model, Criterion, form=CriterionForm, extra=2, can_delete=False,
    max_num=40,
)
