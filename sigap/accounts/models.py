from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="partner_users_have_a_partner",
                condition=~models.Q(role="partner") | models.Q(partner__isnull=False),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

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
    def can_see_nik(self) -> bool:
        """National identity numbers are personal data (UU PDP 27/2022): only office staff who register people."""
        return self.is_officer

    @property
    def can_see_phone(self) -> bool:
        return self.is_officer or self.role in {Role.INSTRUCTOR, Role.HEALTH_EXPERT}
