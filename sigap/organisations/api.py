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
from sigap.organisations.forms import OrganisationForm
from sigap.organisations.models import Kind, Organisation
from sigap.organisations.services import organisation_create
from sigap.regions.models import in_region

router = Router(tags=["organisations"])

# The form's and the service's field names → the API's
FIELD_NAMES = {"region": "region_code"}
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
    """Register an office or agency: the same checks as the registration page (officers, inside their region)."""
    require_officer(request.user)
    data = payload.dict()
    data["region"] = data.pop("region_code")
    form = OrganisationForm(data, user=request.user)
    with field_names(FIELD_NAMES):
        organisation = organisation_create(by=request.user, **cleaned(form, FIELD_NAMES))
    return Status(201, organisation)
