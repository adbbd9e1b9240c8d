from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    INSTRUCTOR = "instructor", _("Instructor")
    HEALTH_EXPERT = "health_expert", _("Health expert")
    PARTNER = "partner", _("IKM partner user")
    AGENCY = "agency", _("Agency user")


OFFICER_ROLES = {Role.ADMIN, Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER}
# Roles that work across a region (rather than inside one partner's business).
REGIONAL_ROLES = {Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER, Role.INSTRUCTOR, Role.HEALTH_EXPERT}

# The organisation kinds each role belongs to (``organisations.Kind`` values: that app builds on this one). A
# partner user belongs to a partner and no organisation; an administrator to no organisation or any.
PROVINCIAL_OFFICE, DISTRICT_OFFICE = "provincial_industry_office", "district_industry_office"
ROLE_ORGANISATION_KINDS = {
    Role.PROVINCIAL_OFFICER: {PROVINCIAL_OFFICE},
    Role.DISTRICT_OFFICER: {DISTRICT_OFFICE},
    Role.INSTRUCTOR: {PROVINCIAL_OFFICE, DISTRICT_OFFICE},
    Role.HEALTH_EXPERT: {PROVINCIAL_OFFICE, DISTRICT_OFFICE},
}
# Roles that need an organisation; an agency user's is any organisation that is not an industry office.
ORGANISATION_ROLES = {*ROLE_ORGANISATION_KINDS, Role.AGENCY}


def role_fits_organisation_kind(role: str, kind: str) -> bool:
    """The rule the database keeps too (a trigger, migration 0006): a role and its organisation's kind."""
    if role == Role.AGENCY:
        return kind not in {PROVINCIAL_OFFICE, DISTRICT_OFFICE}
    if role in ROLE_ORGANISATION_KINDS:
        return kind in ROLE_ORGANISATION_KINDS[role]
    return role in {Role.ADMIN, ""}


ROLE_MISFIT_MESSAGES = {
    Role.PROVINCIAL_OFFICER: _("A provincial officer belongs to a provincial industry office."),
    Role.DISTRICT_OFFICER: _("A district officer belongs to a district industry office."),
    Role.INSTRUCTOR: _("An instructor belongs to an industry office."),
    Role.HEALTH_EXPERT: _("A health expert belongs to an industry office."),
    Role.AGENCY: _("An agency user belongs to an agency, not to an industry office."),
}


class UserQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """The logins an office's staff look after (never an administrator's, unless by an administrator):

        - an administrator: everyone;
        - a provincial officer: the officers, instructors and health experts of the industry offices of the
          province, the provincial officers of their own office, and the partner and agency users of the province;
        - a district officer: the officers, instructors and health experts of their own office and the partner
          and agency users of their regency;
        - anyone else: nobody.
        """
        from sigap.regions.models import in_region  # regions build on accounts

        if not user.is_authenticated or not user.is_officer:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.organisation_id is None or user.role not in {Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER}:
            return self.none()
        code = user.organisation.region_id
        own_office = models.Q(organisation_id=user.organisation_id)
        staff = {Role.DISTRICT_OFFICER, Role.INSTRUCTOR, Role.HEALTH_EXPERT}
        if user.role == Role.PROVINCIAL_OFFICER:
            offices = (models.Q(role__in=staff, organisation__kind__in=[PROVINCIAL_OFFICE, DISTRICT_OFFICE])
                       & in_region(code, "organisation__region"))
            office_staff = offices | (own_office & models.Q(role__in=[*staff, Role.PROVINCIAL_OFFICER]))
        else:
            office_staff = own_office & models.Q(role__in=staff)
        agencies = models.Q(role=Role.AGENCY) & in_region(code, "organisation__region")
        partners = models.Q(role=Role.PARTNER) & in_region(code, "partner__region")
        return self.filter(office_staff | agencies | partners).exclude(is_superuser=True).exclude(role=Role.ADMIN)

    def invited(self):
        """Logins whose owner has not set a password yet."""
        return self.filter(password__startswith="!", last_login__isnull=True)


class SigapUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. The role says what they may do; the organisation (and so its region) or, for a
    partner user, the partner, says which records they may see."""

    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    partner = models.ForeignKey(
        "partners.Partner", verbose_name=_("IKM partner"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    position = models.CharField(_("position"), max_length=120, blank=True)
    person = models.OneToOneField(
        "people.Person", verbose_name=_("person record"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="user", help_text=_("For instructors and health experts: their entry in the people registry."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("A mobile number reaches WhatsApp."))
    invited_by = models.ForeignKey(
        "self", verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    # The password hash and the time of the last sign-in are no history: one is secret, the other changes daily.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = SigapUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A partner user belongs to a partner and no organisation; the roles of an office or agency to an
            # organisation and no partner; an administrator (or a superuser made by createsuperuser) to no partner.
            # Which kinds of organisation fit a role is kept by a trigger (migration 0006): a check cannot see
            # the organisation's row.
            models.CheckConstraint(
                name="user_role_fits_partner_and_organisation",
                condition=(
                    models.Q(role="partner", partner__isnull=False, organisation__isnull=True)
                    | models.Q(role__in=sorted(ORGANISATION_ROLES), organisation__isnull=False, partner__isnull=True)
                    | models.Q(role__in=["admin", ""], partner__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        """A role must fit its organisation: a district officer belongs to a district industry office, a provincial
        officer to a provincial one, an instructor or health expert to an industry office, an agency user to an
        agency, a partner user to a partner and no organisation. Otherwise an account attached to a task force
        could work as an office's officer in that task force's region."""
        super().clean()
        errors = {}
        role = self.role
        if role == Role.PARTNER:
            if self.partner_id is None:
                errors["partner"] = _("An IKM partner user belongs to an IKM partner.")
            if self.organisation_id is not None:
                errors["organisation"] = _("An IKM partner user belongs to a partner, not to an organisation.")
        elif role in ORGANISATION_ROLES:
            if self.partner_id is not None:
                errors["partner"] = _("Only an IKM partner user belongs to an IKM partner.")
            if self.organisation_id is None:
                errors["organisation"] = _("Choose the organisation this user works for.")
            elif not role_fits_organisation_kind(role, self.organisation.kind):
                errors["organisation"] = ROLE_MISFIT_MESSAGES[role]
        elif self.partner_id is not None:
            errors["partner"] = _("Only an IKM partner user belongs to an IKM partner.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Django records each sign-in by saving ``last_login`` alone: that is no change to the login, so it is
        left out of the history (which would otherwise grow by a row a day per user)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    def check_password(self, raw_password):
        """Django's check, which stores a new hash of a right password when the hasher grew stronger (after a
        Django upgrade). API tokens are bound to the stored hash so that a new password ends them, by any path;
        an unchanged password re-hashed must not, so the owner's tokens follow the new hash."""
        hash_before = self.password
        right = super().check_password(raw_password)
        if right and self.password != hash_before:
            from sigap.api.services import tokens_rebind  # the API app builds on accounts, not the reverse

            tokens_rebind(user=self, old_password_hash=hash_before)
        return right

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_invited(self) -> bool:
        """Invited, and the invitation not taken yet: no password of their own and never signed in."""
        return not self.has_usable_password() and self.last_login is None

    @property
    def is_officer(self) -> bool:
        return self.is_superuser or self.role in OFFICER_ROLES

    @property
    def region_code(self) -> str | None:
        """The Kemendagri code of the region this user works in, or None when it is all of Indonesia.

        Meaningful only for administrators and the regional roles; see ``has_region_scope``.
        """
        if self.is_admin:
            return None
        if self.organisation_id is None:
            return ""
        return self.organisation.region_id

    @property
    def has_region_scope(self) -> bool:
        """Whether this user sees the records of a region (an office's staff), as opposed to nothing or a
        single partner's records."""
        if self.is_admin:
            return True
        return self.role in REGIONAL_ROLES and self.organisation_id is not None

    @property
    def can_keep_master_data(self) -> bool:
        """Items, bills of materials and inspection checklists are shared by every district: only administrators
        and provincial officers change them; district officers read them like every other office's staff."""
        return self.is_admin or (self.role == Role.PROVINCIAL_OFFICER and self.organisation_id is not None)

    @property
    def can_manage_users(self) -> bool:
        """Administrators, and the officers of an office: they give the people of their region a login."""
        return self.is_admin or (
            self.role in {Role.PROVINCIAL_OFFICER, Role.DISTRICT_OFFICER} and self.organisation_id is not None)

    @property
    def can_see_nik(self) -> bool:
        """National identity numbers are personal data (UU PDP 27/2022): only office staff who register people."""
        return self.is_officer

    @property
    def can_see_phone(self) -> bool:
        return self.is_officer or self.role in {Role.INSTRUCTOR, Role.HEALTH_EXPERT}
