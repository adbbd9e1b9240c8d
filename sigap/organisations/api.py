"""Offices and agencies in the API: the registry as the organisation pages show it, scoped the same way."""

from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer, require_region_scope
from sigap.api.forms import cleaned, field_names
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, REGION_CODE, TEXT, Input
from sigap.organisations.forms import OrganisationForm, picker_data
from sigap.organisations.models import Kind, Organisation
from sigap.organisations.services import organisation_create, organisation_update
from sigap.regions.models import in_region

router = Router(tags=["organisations"])

# The form's and the service's field names → the API's
FIELD_NAMES = {"region": "region_code", "province": "region_code", "regency": "region_code",
               "district": "region_code", "village": "region_code"}
KindCode = Literal[tuple(Kind.values)]
# Codes and search text are checked before they reach a query (PostgreSQL refuses NUL characters, for one).


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    region_code: str = Field(..., alias="region_id")
    address: str
    head_name: str
    head_title: str


class OrganisationFilters(Schema):
    q: str = Field("", max_length=200, pattern=TEXT, description="A part of the name or the code.")
    region: str | None = Field(None, pattern=REGION_CODE,
                               description="A Kemendagri region code; organisations in it or below it.")
    kind: KindCode | None = None


class OrganisationIn(Input):
    name: str
    short_name: str = ""
    code: str
    kind: str
    region_code: str = Field(..., pattern=REGION_CODE)
    address: str = ""
    head_name: str = ""
    head_title: str = ""


class OrganisationPatch(Input):
    name: str | None = None
    short_name: str | None = None
    code: str | None = None
    kind: str | None = None
    region_code: str | None = Field(None, pattern=REGION_CODE)
    address: str | None = None
    head_name: str | None = None
    head_title: str | None = None


def _form_data(body: dict, organisation: Organisation | None = None) -> dict:
    """The page's form fields from an API body (on a change, the fields not sent keep their values)."""
    data = {} if organisation is None else {
        name: getattr(organisation, name) for name in ["name", "short_name", "code", "kind", "address",
                                                       "head_name", "head_title"]}
    region_code = body.pop("region_code", None) or (organisation.region_id if organisation else None)
    data.update({name: value for name, value in body.items() if value is not None})
    data.update(picker_data(region_code))
    return data


def _saved(request, form, organisation=None):
    with field_names(FIELD_NAMES):
        fields = cleaned(form, FIELD_NAMES)
        if organisation is None:
            return organisation_create(by=request.user, **fields)
        return organisation_update(organisation=organisation, by=request.user, **fields)


@router.get("", response={200: list[OrganisationOut], **ERRORS})
@paginate(Page)
def organisation_list(request, filters: OrganisationFilters = Query(...)):
    """Offices and agencies the caller may see (an office's staff), by region and name; filter by region code
    (prefix), kind, or a part of the name or code."""
    require_region_scope(request.user)
    organisations = Organisation.objects.visible_to(request.user)
    text = filters.q.strip()
    if text:
        organisations = organisations.filter(Q(name__icontains=text) | Q(short_name__icontains=text)
                                             | Q(code__icontains=text))
    if filters.region:
        organisations = organisations.filter(in_region(filters.region))
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    return organisations.order_by("region_id", "name", "pk")


@router.get("/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_detail(request, organisation_id: int):
    return get_object_or_404(Organisation.objects.visible_to(request.user), pk=organisation_id)


@router.post("", response={201: OrganisationOut, **ERRORS})
def organisation_create_op(request, payload: OrganisationIn):
    """Register an office or agency: the same checks as the registration page (officers; kinds not above their own
    office's; inside their region, at the kind's level of region)."""
    require_officer(request.user)
    form = OrganisationForm(_form_data(payload.dict()), user=request.user)
    return Status(201, _saved(request, form))


@router.patch("/{organisation_id}", response={200: OrganisationOut, **ERRORS})
def organisation_update_op(request, organisation_id: int, payload: OrganisationPatch):
    """Change an office or agency the caller manages (the same rules as the edit page); only the fields sent
    change. Another region's organisation, or one above the caller's own kind, answers 404."""
    require_officer(request.user)
    organisation = get_object_or_404(Organisation.objects.manageable_by(request.user), pk=organisation_id)
    body = payload.dict(exclude_unset=True)
    form = OrganisationForm(_form_data(body, organisation), instance=organisation, user=request.user)
    return _saved(request, form, Organisation.objects.get(pk=organisation.pk))
