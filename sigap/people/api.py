"""The people registry in the API: participants, instructors and health experts, scoped and masked as the pages
show them (NIK and the full birth date for the roles that may see the NIK, phone numbers for those that may see
them)."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sigap.accounts.access import require_officer, require_region_scope
from sigap.api.forms import cleaned, field_names
from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS, REGION_CODE, TEXT, Input
from sigap.people.forms import PersonForm
from sigap.people.models import Kind, Person
from sigap.people.services import person_create, person_update
from sigap.people.templatetags.personal_data import nik_for, phone_for
from sigap.regions.models import in_region

router = Router(tags=["people"])

# The form's and the service's field names → the API's
FIELD_NAMES = {"district": "region_code", "village": "region_code", "region": "region_code"}
KindCode = Literal[tuple(Kind.values)]
# Codes and search text are checked before they reach a query (PostgreSQL refuses NUL characters, for one).


class PersonOut(Schema):
    id: int
    name: str
    nik: str = Field(..., description="Masked (6301••••••••0001) unless the caller may see NIKs.")
    sex: str
    birth_date: datetime.date | None = Field(..., description="Only for the roles that may see the NIK.")
    birth_year: int
    kind: str
    address: str
    region_code: str = Field(..., alias="region_id")
    phone: str = Field(..., description="Masked (0812-••••-•890) unless the caller may see phone numbers.")
    partner_id: int | None

    @staticmethod
    def resolve_nik(person, context):
        return nik_for(person.nik, context["request"].user)

    @staticmethod
    def resolve_birth_date(person, context):
        return person.birth_date if context["request"].user.can_see_nik else None

    @staticmethod
    def resolve_birth_year(person):
        return person.birth_date.year

    @staticmethod
    def resolve_phone(person, context):
        return phone_for(person.phone, context["request"].user)


class PersonFilters(Schema):
    q: str = Field("", max_length=200, pattern=TEXT,
                   description="A part of the name, or a whole NIK for the roles that see NIKs whole.")
    region: str | None = Field(None, pattern=REGION_CODE,
                               description="A Kemendagri region code; people living in it or below it.")
    kind: KindCode | None = None


class PersonIn(Input):
    name: str
    nik: str
    sex: str
    birth_date: datetime.date
    kind: str = Kind.PARTICIPANT.value
    address: str
    region_code: str = Field(..., pattern=REGION_CODE,
                             description="The village, or the district (kecamatan), the person lives in.")
    phone: str = ""


class PersonPatch(Input):
    name: str | None = None
    nik: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
    kind: str | None = None
    address: str | None = None
    region_code: str | None = Field(None, pattern=REGION_CODE)
    phone: str | None = None


def _form_data(payload: dict, person: Person | None) -> dict:
    """The person form's fields from a payload, starting from the person's current values on a change; a field
    sent as null is emptied."""
    data = {}
    if person is not None:
        data = {"name": person.name, "nik": person.nik, "sex": person.sex, "birth_date": person.birth_date,
                "kind": person.kind, "address": person.address, "phone": person.phone,
                "region_code": person.region_id}
    data.update({name: "" if value is None else value for name, value in payload.items()})
    region = data.pop("region_code", "") or ""
    level = region.count(".")
    data["district"] = region.rsplit(".", 1)[0] if level == 3 else region
    data["village"] = region if level == 3 else ""
    return data


def _fields(form) -> dict:
    return {name: value for name, value in cleaned(form, FIELD_NAMES).items() if name not in {"district", "village"}}


@router.get("", response={200: list[PersonOut], **ERRORS})
@paginate(Page)
def person_list(request, filters: PersonFilters = Query(...)):
    """People registered in the caller's region (an office's staff), by name; filter by region code (prefix),
    role, a part of the name or, for the roles that see NIKs whole, a whole NIK."""
    require_region_scope(request.user)
    people = Person.objects.visible_to(request.user).search(filters.q, user=request.user)
    if filters.region:
        people = people.filter(in_region(filters.region))
    if filters.kind:
        people = people.filter(kind=filters.kind)
    return people.order_by("name", "pk")


@router.get("/{person_id}", response={200: PersonOut, **ERRORS})
def person_detail(request, person_id: int):
    return get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)


@router.post("", response={201: PersonOut, **ERRORS})
def person_create_op(request, payload: PersonIn):
    """Register a person: the same checks as the registration page (officers; an address in their region; a
    well-formed NIK that matches the birth date and sex and is not registered yet)."""
    require_officer(request.user)
    form = PersonForm(_form_data(payload.dict(), None), user=request.user)
    with field_names(FIELD_NAMES):
        person = person_create(by=request.user, **_fields(form))
    return Status(201, person)


@router.patch("/{person_id}", response={200: PersonOut, **ERRORS})
def person_update_op(request, person_id: int, payload: PersonPatch):
    """Change a person; only the fields sent change. Officers of the person's region, as on the edit page."""
    person = get_object_or_404(Person.objects.editable_by(request.user), pk=person_id)
    form = PersonForm(_form_data(payload.dict(exclude_unset=True), person), instance=person, user=request.user)
    with field_names(FIELD_NAMES):
        saved = person_update(person=Person.objects.get(pk=person.pk), by=request.user, **_fields(form))
    return saved
