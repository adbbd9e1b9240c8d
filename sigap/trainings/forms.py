from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sigap.items.models import Item
from sigap.lib.filters import ListFilterForm
from sigap.lib.widgets import date_input
from sigap.organisations.models import Organisation
from sigap.people.models import Kind as PersonKind, Person
from sigap.trainings.models import AttendanceMode, Mode, Programme, Training


class TrainingForm(forms.ModelForm):
    meeting_link = forms.URLField(label=_("Meeting link"), required=False, assume_scheme="https")

    class Meta:
        model = Training
        fields = ["title", "programme", "office", "mode", "starts_on", "ends_on", "place", "meeting_link", "product",
                  "target", "quota", "instructors", "health_expert", "min_attendance_percent", "description"]
        widgets = {"starts_on": date_input(), "ends_on": date_input(), "description": forms.Textarea(attrs={"rows": 3}),
                   "instructors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = Organisation.objects.editable_by(user).industry_offices()
        self.fields["office"].queryset = offices
        self.fields["programme"].queryset = Programme.objects.filter(office__in=Organisation.objects.visible_to(user))
        self.fields["product"].queryset = Item.objects.products().active()
        people = Person.objects.visible_to(user)
        self.fields["instructors"].queryset = people.filter(kind=PersonKind.INSTRUCTOR)
        self.fields["health_expert"].queryset = people.filter(kind=PersonKind.HEALTH_EXPERT)
        self.fields["meeting_link"].widget.attrs["placeholder"] = "https://"
        if not self.instance.pk and user.organisation_id:
            self.fields["office"].initial = user.organisation_id

    def clean_meeting_link(self):
        link = self.cleaned_data["meeting_link"]
        if link and not link.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("A link must start with http:// or https://."))
        return link

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The last day comes before the first."))
        return cleaned


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "year", "office", "partner_offices", "budget_source", "starts_on", "ends_on"]
        widgets = {"starts_on": date_input(), "ends_on": date_input(), "partner_offices": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Organisation.objects.editable_by(user).industry_offices()
        self.fields["partner_offices"].queryset = Organisation.objects.visible_to(user).industry_offices()


class ProgrammeTargetForm(forms.Form):
    product = forms.ModelChoiceField(Item.objects.products().active(), label=_("Product"))
    quantity = forms.IntegerField(label=_("Target"), min_value=1, max_value=10_000_000)


ProgrammeTargetFormSet = forms.formset_factory(ProgrammeTargetForm, extra=3, max_num=20)


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), label=_("A registered participant"), required=False)

    def __init__(self, *args, user, training, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(
            kind=PersonKind.PARTICIPANT).exclude(enrolments__training=training)


class AttendanceForm(forms.Form):
    """One radio group per participant for one training day."""

    day = forms.DateField(label=_("Day"), widget=date_input())

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        for enrolment in self.enrolments:
            self.fields[f"p{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.person.name, choices=AttendanceMode.choices, widget=forms.RadioSelect,
                initial=AttendanceMode.ONLINE,
            )

    def marks(self):
        return {e: self.cleaned_data[f"p{e.pk}"] for e in self.enrolments}

    def participant_fields(self):
        return [self[f"p{e.pk}"] for e in self.enrolments]


class TrainingDayForm(forms.Form):
    """A training day for the whole class: a row per participant with their attendance, the reason when absent
    and the units they made. A day already recorded opens with its entries; a new day opens with everyone present
    (as the training runs) and nothing made, and nothing is kept until it is saved."""

    def __init__(self, *args, training, enrolments, modes, marks, output, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolments = list(enrolments)
        labels = dict(AttendanceMode.choices)
        for enrolment in self.enrolments:
            mark = marks.get(enrolment.pk)
            choices = [(mode, labels[mode]) for mode in modes]
            if mark is not None and mark.mode == AttendanceMode.HOME_VISIT:
                choices.append((mark.mode, labels[mark.mode]))
            choices.append((AttendanceMode.ABSENT, labels[AttendanceMode.ABSENT]))
            initial_mode = mark.mode if mark is not None else (modes[0] if len(modes) == 1 else None)
            self.fields[f"p{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.person.name, choices=choices, widget=forms.RadioSelect, initial=initial_mode,
                error_messages={"required": _("Choose present or absent.")})
            self.fields[f"r{enrolment.pk}"] = forms.CharField(
                label=_("Reason if absent"), max_length=120, required=False,
                initial=mark.absence_reason if mark is not None else "")
            self.fields[f"q{enrolment.pk}"] = forms.IntegerField(
                label=_("Output"), min_value=0, required=False, initial=output.get(enrolment.person_id, 0),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off",
                                              "class": "qty"}),
                error_messages={"invalid": _("Enter a whole number.")})

    def rows(self):
        """Each participant with their row's fields."""
        return [(e, self[f"p{e.pk}"], self[f"r{e.pk}"], self[f"q{e.pk}"]) for e in self.enrolments]

    def day_rows(self):
        from sigap.trainings.services import DayRow

        return [DayRow(enrolment=e, mode=self.cleaned_data[f"p{e.pk}"], reason=self.cleaned_data[f"r{e.pk}"],
                       quantity=self.cleaned_data[f"q{e.pk}"] or 0) for e in self.enrolments]

    def show_row_errors(self, errors: dict[int, list[str]]) -> None:
        for pk, messages in errors.items():
            for message in messages:
                self.add_error(f"p{pk}", message)


class HomeVisitForm(forms.Form):
    enrolment = forms.ModelChoiceField(None, label=_("Participant"))
    instructor = forms.ModelChoiceField(Person.objects.none(), label=_("Instructor"))
    visited_on = forms.DateField(label=_("Date"), widget=date_input())
    problem = forms.CharField(label=_("Problem"), max_length=255)
    action = forms.CharField(label=_("What was done"), max_length=255)

    def __init__(self, *args, training, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = training.enrolments.select_related("person")
        self.fields["enrolment"].label_from_instance = lambda e: e.person.name
        self.fields["instructor"].queryset = training.instructors.all()
        if user.person_id and training.instructors.filter(pk=user.person_id).exists():
            self.fields["instructor"].initial = user.person_id
        self.fields["visited_on"].initial = timezone.localdate()


class OutputForm(forms.Form):
    enrolment = forms.ModelChoiceField(None, label=_("Participant"))
    quantity = forms.IntegerField(label=_("Quantity made"), min_value=1, max_value=100_000)
    produced_on = forms.DateField(label=_("Date"), widget=date_input())

    def __init__(self, *args, training, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = training.enrolments.select_related("person")
        self.fields["enrolment"].label_from_instance = lambda e: e.person.name
        self.fields["produced_on"].initial = min(timezone.localdate(), training.ends_on)


class KitForm(forms.Form):
    office = forms.ModelChoiceField(Organisation.objects.none(), label=_("From the store of"))
    date = forms.DateField(label=_("Date"), widget=date_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Organisation.objects.editable_by(user).industry_offices()
        self.fields["date"].initial = timezone.localdate()


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Video or web link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("Or a file"), required=False)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("A link must start with http:// or https://."))
        return url


class TrainingFilterForm(ListFilterForm):
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", _("All"))] + Mode.choices, required=False)
    product = forms.ModelChoiceField(Item.objects.products(), label=_("Product"), required=False)

