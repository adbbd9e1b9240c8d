"""Logins: an office's staff give the people of their region a login by invitation, change what it may do, end
and restore it. Every change is kept in the user's history with who made it. The rules:

- Who manages whom: ``User.objects.manageable_by`` (an administrator everyone; a provincial officer the offices,
  partners and agencies of the province; a district officer their own office and the partners and agencies of
  their regency). A login outside that is not found.
- What may be given: ``roles_assignable`` and ``organisations_assignable``/``partners_assignable``. Nobody gives a
  role above their own (only an administrator makes administrators) or outside their region.
- A role fits its organisation (``User.clean``, and the database).
"""

import datetime
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.formats import date_format
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from sigap.accounts.links import invitation_tokens, reset_link_tokens
from sigap.accounts.models import Role, User
from sigap.api.models import RevokedReason
from sigap.api.services import tokens_revoke_for_user
from sigap.lib.errors import DomainError
from sigap.lib.phone import whatsapp_link

OFFICE_STAFF = [Role.DISTRICT_OFFICER, Role.INSTRUCTOR, Role.HEALTH_EXPERT]
UPDATABLE = ["role", "organisation", "partner", "first_name", "last_name", "email", "phone", "position"]


def roles_assignable(by) -> list[str]:
    """The roles ``by`` may give, highest first: an administrator all; a provincial officer their own and those
    below it; a district officer those below a provincial officer."""
    if by.is_admin:
        return list(Role.values)
    if by.role == Role.PROVINCIAL_OFFICER and by.organisation_id:
        return [Role.PROVINCIAL_OFFICER, *OFFICE_STAFF, Role.PARTNER, Role.AGENCY]
    if by.role == Role.DISTRICT_OFFICER and by.organisation_id:
        return [*OFFICE_STAFF, Role.PARTNER, Role.AGENCY]
    return []


def organisations_assignable(*, by, role: str):
    """The organisations ``by`` may give a login of this role in: their own office for the office's staff (a
    provincial officer also the district offices of the province), the agencies of their region."""
    from sigap.organisations.models import INDUSTRY_OFFICE_KINDS, Kind, Organisation
    from sigap.regions.models import in_region

    organisations = Organisation.objects.all()
    if role not in roles_assignable(by) or role in {Role.PARTNER, Role.ADMIN}:
        return organisations.none()
    if role == Role.AGENCY:
        organisations = organisations.exclude(kind__in=INDUSTRY_OFFICE_KINDS)
    elif role == Role.PROVINCIAL_OFFICER:
        organisations = organisations.filter(kind=Kind.PROVINCIAL_INDUSTRY_OFFICE)
    elif role == Role.DISTRICT_OFFICER:
        organisations = organisations.filter(kind=Kind.DISTRICT_INDUSTRY_OFFICE)
    else:
        organisations = organisations.filter(kind__in=INDUSTRY_OFFICE_KINDS)
    if by.is_admin:
        return organisations
    if role in {Role.AGENCY, *OFFICE_STAFF} and by.role == Role.PROVINCIAL_OFFICER:
        return organisations.filter(in_region(by.organisation.region_id))
    if role == Role.AGENCY:
        return organisations.filter(in_region(by.organisation.region_id))
    return organisations.filter(pk=by.organisation_id)


def partners_assignable(*, by):
    """The partners ``by`` may give a partner user's login for: those they register (their region)."""
    from sigap.partners.models import Partner

    if Role.PARTNER not in roles_assignable(by):
        return Partner.objects.none()
    return Partner.objects.editable_by(by)


def _check_assignment(*, by, user: User) -> None:
    """Refuse a role above ``by``'s own or outside their region, then any role that does not fit its organisation."""
    allowed = roles_assignable(by)
    if not allowed:
        raise DomainError(_("Only the staff of an industry office manage logins."))
    if user.role == Role.ADMIN and not by.is_admin:
        raise DomainError(_("Only an administrator gives the administrator role."), field="role")
    if user.role not in allowed:
        raise DomainError(_("You may not give this role."), field="role")
    if user.role == Role.PARTNER:
        if user.partner_id is None:
            raise DomainError(_("Choose the IKM partner this user works for."), field="partner")
        if not partners_assignable(by=by).filter(pk=user.partner_id).exists():
            raise DomainError(_("This IKM partner is outside your region."), field="partner")
        user.organisation = None
    elif user.role != Role.ADMIN:
        user.partner = None
        if user.organisation_id is None:
            raise DomainError(_("Choose the organisation this user works for."), field="organisation")
        if not organisations_assignable(by=by, role=user.role).filter(pk=user.organisation_id).exists():
            raise DomainError(_("You may not give this role in this organisation: it is outside your office or "
                                "region, or of another kind."), field="organisation")
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from None


def _manageable(*, user: User, by) -> User:
    """The user, locked, if ``by`` manages them; refused otherwise (pages answer 404 before this)."""
    if not roles_assignable(by):
        raise DomainError(_("Only the staff of an industry office manage logins."))
    locked = User.objects.manageable_by(by).select_for_update(of=("self",)).filter(pk=user.pk).first()
    if locked is None:
        raise DomainError(_("You do not manage this login."))
    return locked


def _save(user: User, *, by) -> User:
    user._history_user = by
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two officers choosing one username at once: the second is refused by the unique index.
        if User.objects.exclude(pk=user.pk).filter(username__iexact=user.username).exists():
            raise DomainError(_("This username is taken: choose another."), field="username") from None
        raise
    return user


@transaction.atomic
def user_invite(*, by, username: str, role: str, organisation=None, partner=None, first_name: str = "",
                last_name: str = "", email: str = "", phone: str = "", position: str = "") -> User:
    """A new login, by invitation: it has no password (nobody can sign in with it) until its owner opens the link
    (``invitation_link``) and sets one. Only roles and organisations ``by`` may give."""
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken: choose another."), field="username")
    user = User(username=username, role=role, organisation=organisation, partner=partner,
                first_name=first_name.strip(), last_name=last_name.strip(), email=(email or "").strip(),
                phone=phone or "", position=position.strip(), invited_by=by, is_active=True)
    user.set_unusable_password()
    _check_assignment(by=by, user=user)
    return _save(user, by=by)


@transaction.atomic
def user_update(*, user: User, by, **fields) -> User:
    """Change a login's role, organisation or partner (within what ``by`` may give), name, e-mail, phone or
    position. Nobody changes their own role or organisation."""
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"user_update() got unexpected fields: {', '.join(sorted(unknown))}")
    user = _manageable(user=user, by=by)
    changes_access = any(name in fields and fields[name] != getattr(user, name)
                         for name in ["role", "organisation", "partner"])
    if changes_access and user.pk == by.pk:
        raise DomainError(_("You cannot change your own role or organisation: ask another officer."), field="role")
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    _check_assignment(by=by, user=user)
    return _save(user, by=by)


def _end_sessions(user: User) -> int:
    """Signs the user out everywhere (a database session store; an inactive user's other sessions are refused
    by the authentication backend in any case)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0
    model = store.get_model_class()
    ended = [session.pk for session in model.objects.filter(expire_date__gt=timezone.now()).iterator()
             if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)]
    model.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def user_deactivate(*, user: User, by) -> User:
    """End a login: its owner can no longer sign in, their sessions end and their API tokens are revoked (with
    ``by`` recorded). Nobody deactivates themselves."""
    user = _manageable(user=user, by=by)
    if user.pk == by.pk:
        raise DomainError(_("You cannot deactivate your own login."))
    if not user.is_active:
        raise DomainError(_("This login is deactivated already."))
    user.is_active = False
    _save(user, by=by)
    tokens_revoke_for_user(user=user, by=by, reason=RevokedReason.DEACTIVATED)
    _end_sessions(user)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by) -> User:
    """Restore a deactivated login, if ``by`` may still give its role in its organisation. Its old API tokens
    stay revoked; an invitation not taken needs a new link."""
    user = _manageable(user=user, by=by)
    if user.is_active:
        raise DomainError(_("This login is active already."))
    user.is_active = True
    _check_assignment(by=by, user=user)
    return _save(user, by=by)


@dataclass
class Link:
    """A one-time link to set a password, with what the officer shares it by."""

    url: str
    expires_at: datetime.datetime
    whatsapp: str  # a wa.me link with the message prefilled, or "" without a mobile number
    message: str


def _link(*, user: User, by, base_url: str, route: str, tokens, text) -> Link:
    token = tokens.make_token(user)
    path = reverse(route, kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token})
    url = base_url.rstrip("/") + path
    expires_at = timezone.now() + tokens.lifetime
    with translation.override(settings.LANGUAGE_CODE):  # for the person who receives it
        message = text % {
            "name": user.get_full_name() or user.username, "username": user.username, "url": url,
            "office": _office_name(by), "expires": date_format(timezone.localtime(expires_at),
                                                                             "j F Y H:i"),
        }
    return Link(url=url, expires_at=expires_at, whatsapp=whatsapp_link(user.phone, message), message=message)


def _office_name(by) -> str:
    office = by.organisation if by.organisation_id else None
    return str(office) if office else "SIGAP"


@transaction.atomic
def invitation_link(*, user: User, by, base_url: str) -> Link:
    """A new invitation link (valid ``INVITATION_DAYS``) for a login whose owner has not set a password yet; any
    earlier link stops working. ``base_url`` is SIGAP's address (https://sigap.example.id/)."""
    user = _manageable(user=user, by=by)
    if not user.is_active:
        raise DomainError(_("This login is deactivated: reactivate it first."))
    if not user.is_invited:
        raise DomainError(_("This person has set a password already: make a reset link instead."))
    user.set_unusable_password()  # a new unusable password: the earlier links no longer match
    user.save(update_fields=["password"])
    return _link(user=user, by=by, base_url=base_url, route="invitation", tokens=invitation_tokens, text=_(
        "Hello %(name)s, %(office)s has made you a SIGAP login (username: %(username)s). Open this link to set "
        "your password; it works once, until %(expires)s: %(url)s"))


def reset_link(*, user: User, by, base_url: str) -> Link:
    """A one-time link (valid ``RESET_LINK_DAYS``) for someone without e-mail to set a new password; their
    present password keeps working until the link is used. Nobody makes one for themselves."""
    with transaction.atomic():
        user = _manageable(user=user, by=by)
    if user.pk == by.pk:
        raise DomainError(_("Change your own password on your account page."))
    if not user.is_active:
        raise DomainError(_("This login is deactivated: reactivate it first."))
    if user.is_invited:
        raise DomainError(_("This person has not accepted the invitation yet: send a new invitation instead."))
    return _link(user=user, by=by, base_url=base_url, route="reset-link", tokens=reset_link_tokens, text=_(
        "Hello %(name)s, %(office)s has made you a link to set a new SIGAP password (username: %(username)s). "
        "It works once, until %(expires)s: %(url)s"))


def invitation_send(*, user: User, link: Link, by) -> bool:
    """E-mail the invitation to the person's address (text and HTML, in SIGAP's language). False when they have
    no address."""
    if not user.email:
        return False
    context = {"user": user, "link": link, "office": _office_name(by), "by": by}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your SIGAP login")
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(subject=settings.EMAIL_SUBJECT_PREFIX + subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


@transaction.atomic
def link_password_set(*, user: User, password: str, reason: RevokedReason = RevokedReason.PASSWORD_CHANGED) -> User:
    """Save the password chosen through a one-time link (checked by Django's validators in SetPasswordForm). The
    new hash ends the link, the user's sessions and their API tokens; the revocation is recorded."""
    user.set_password(password)
    user._history_user = user
    user.save()
    tokens_revoke_for_user(user=user, by=user, reason=reason)
    return user


def contact_for(user) -> dict:
    """Whom a person asks for a new link: who invited them and that person's office."""
    inviter = user.invited_by if user is not None else None
    office = None
    if inviter is not None and inviter.organisation_id:
        office = inviter.organisation
    elif user is not None:
        office = user.organisation or (user.partner.assisting_office if user.partner_id else None)
    return {"inviter": inviter, "office": office,
            "phone": (inviter.phone if inviter is not None else "") or getattr(office, "phone", "")}

