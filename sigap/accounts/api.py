"""Logins in the API: the same scope, choices and services as the login pages (sigap.accounts.services)."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_user_manager
from sigap.accounts.models import User
from sigap.accounts.services import (
    invitation_link,
    invitation_send,
    reset_link,
    user_deactivate,
    user_invite,
    user_reactivate,
    user_update,
)
from sigap.accounts.user_forms import UserForm, UserInviteForm
from sigap.api.forms import cleaned, field_names
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, TEXT, Input

router = Router(tags=["users"])

FIELD_NAMES = {"organisation": "organisation_id", "partner": "partner_id"}
FIELDS = ["first_name", "last_name", "role", "organisation", "partner", "position", "phone", "email"]


class UserOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    role: str
    organisation_id: int | None
    partner_id: int | None
    position: str
    phone: str
    email: str
    is_active: bool
    invited: bool = Field(..., alias="is_invited", description="No password set yet: the invitation is not taken.")
    last_login: datetime.datetime | None = Field(..., description="The last sign-in.")
    invited_by: str | None = Field(None, alias="invited_by.username")


class LinkOut(Schema):
    url: str = Field(..., description="The one-time link: share it with the person only.")
    whatsapp: str = Field(..., description="A wa.me link with the message prefilled; empty without a mobile number.")
    message: str
    expires_at: datetime.datetime
    emailed: bool = False


class InvitationOut(Schema):
    user: UserOut
    invitation: LinkOut


class UserFilters(Schema):
    q: str = Field("", max_length=100, pattern=TEXT, description="A part of the username, name, organisation or "
                                                                 "partner.")
    role: str = Field("", max_length=24, pattern=TEXT)
    status: str = Field("", pattern=r"^(|active|invited|inactive)$")


class UserIn(Input):
    username: str = Field(..., max_length=150)
    role: str
    organisation_id: int | None = None
    partner_id: int | None = None
    first_name: str
    last_name: str = ""
    position: str = ""
    phone: str = ""
    email: str = ""


class UserPatch(Input):
    role: str | None = None
    organisation_id: int | None = None
    partner_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    position: str | None = None
    phone: str | None = None
    email: str | None = None


def _managed(request, user_id: int) -> User:
    require_user_manager(request.user)
    return get_object_or_404(User.objects.manageable_by(request.user).select_related("invited_by"), pk=user_id)


def _form_data(body: dict) -> dict:
    data = {name: value for name, value in body.items() if value is not None}
    for form_name, api_name in FIELD_NAMES.items():
        if api_name in data:
            data[form_name] = data.pop(api_name)
    return data


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _link_out(link, *, emailed=False) -> dict:
    return {"url": link.url, "whatsapp": link.whatsapp, "message": link.message, "expires_at": link.expires_at,
            "emailed": emailed}


@router.get("", response={200: list[UserOut], **ERRORS})
@paginate(Page)
def user_list(request, filters: UserFilters = Query(...)):
    """The logins the caller manages (an office's officers: their office, and the partners and agencies of their
    region; an administrator: everyone)."""
    require_user_manager(request.user)
    users = User.objects.manageable_by(request.user).select_related("invited_by")
    text = filters.q.strip()
    if text:
        users = users.filter(Q(username__icontains=text) | Q(first_name__icontains=text)
                             | Q(last_name__icontains=text) | Q(organisation__name__icontains=text)
                             | Q(partner__name__icontains=text))
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.status == "active":
        users = users.filter(is_active=True).exclude(pk__in=User.objects.invited())
    elif filters.status == "invited":
        users = users.filter(is_active=True, pk__in=User.objects.invited())
    elif filters.status == "inactive":
        users = users.filter(is_active=False)
    return users.order_by("username", "pk")


@router.get("/{user_id}", response={200: UserOut, **ERRORS})
def user_detail(request, user_id: int):
    return _managed(request, user_id)


@router.post("", response={201: InvitationOut, **ERRORS})
def user_invite_op(request, payload: UserIn):
    """Invite someone: a login without a password and a one-time link (7 days) to set one, e-mailed when the
    person has an address, with a wa.me link to send it by WhatsApp. The role and organisation must be ones the
    caller may give."""
    require_user_manager(request.user)
    form = UserInviteForm(_form_data(payload.dict()), by=request.user)
    with field_names(FIELD_NAMES):
        user = user_invite(by=request.user, **cleaned(form, FIELD_NAMES))
    link = invitation_link(user=user, by=request.user, base_url=_base_url(request))
    emailed = invitation_send(user=user, link=link, by=request.user)
    return Status(201, {"user": User.objects.get(pk=user.pk), "invitation": _link_out(link, emailed=emailed)})


@router.patch("/{user_id}", response={200: UserOut, **ERRORS})
def user_update_op(request, user_id: int, payload: UserPatch):
    """Change a login's role, organisation or partner (as the caller may give), name, position, phone or e-mail;
    the fields not sent keep their values."""
    user = _managed(request, user_id)
    data = {name: getattr(user, f"{name}_id" if name in FIELD_NAMES else name) for name in FIELDS}
    data.update(_form_data(payload.dict(exclude_unset=True)))
    form = UserForm(data, by=request.user)
    with field_names(FIELD_NAMES):
        user_update(user=user, by=request.user, **cleaned(form, FIELD_NAMES))
    return User.objects.select_related("invited_by").get(pk=user.pk)


@router.post("/{user_id}/deactivate", response={200: UserOut, **ERRORS})
def user_deactivate_op(request, user_id: int):
    """End a login: its sessions end and its API tokens are revoked."""
    return user_deactivate(user=_managed(request, user_id), by=request.user)


@router.post("/{user_id}/reactivate", response={200: UserOut, **ERRORS})
def user_reactivate_op(request, user_id: int):
    return user_reactivate(user=_managed(request, user_id), by=request.user)


@router.post("/{user_id}/invitation", response={201: LinkOut, **ERRORS})
def user_invitation_op(request, user_id: int):
    """A new invitation link for a login whose owner has not set a password yet (the earlier link stops working)."""
    user = _managed(request, user_id)
    link = invitation_link(user=user, by=request.user, base_url=_base_url(request))
    return Status(201, _link_out(link, emailed=invitation_send(user=user, link=link, by=request.user)))


@router.post("/{user_id}/reset-link", response={201: LinkOut, **ERRORS})
def user_reset_link_op(request, user_id: int):
    """A one-time link (2 days) for someone without e-mail to set a new password, to share by WhatsApp."""
    link = reset_link(user=_managed(request, user_id), by=request.user, base_url=_base_url(request))
    return Status(201, _link_out(link))
