"""The forms of the login pages: the choices are what the officer may give (sigap.accounts.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sigap.accounts.models import Role
from sigap.accounts.services import organisations_assignable, partners_assignable, roles_assignable
from sigap.lib.phone import PhoneNumberField
from sigap.organisations.models import Organisation
from sigap.partners.models import Partner


class UserForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False,
        help_text=_("For office staff and agency users."))
    partner = forms.ModelChoiceField(label=_("IKM partner"), queryset=Partner.objects.none(), required=False,
                                     help_text=_("For IKM partner users."))
    position = forms.CharField(label=_("Position"), max_length=120, required=False)
    phone = PhoneNumberField(label=_("Mobile phone"), required=False, mobile_only=True,
                             help_text=_("The invitation can be sent by WhatsApp to this number."))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("The invitation is sent to this address, when there is one."))

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        roles = roles_assignable(by)
        # Any role passes the field, so that one that may not be given is refused by the service, saying why; the
        # list offers only those that may be.
        self.fields["role"].choices = [("", "---------"), *Role.choices]
        self.fields["role"].widget.choices = [("", "---------")] + [(role, Role(role).label) for role in roles]
        organisations = Organisation.objects.none()
        for role in roles:
            organisations = organisations | organisations_assignable(by=by, role=role)
        self.fields["organisation"].queryset = organisations.distinct().order_by("region_id", "name")
        self.fields["partner"].queryset = partners_assignable(by=by).order_by("name")


class UserInviteForm(UserForm):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+\Z",
        help_text=_("What the person types to sign in: letters, digits and @ . + - _ only."))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    field_order = ["username", "first_name"]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("active", _("Active")), ("invited", _("Invited")), ("inactive", _("Deactivated"))])
