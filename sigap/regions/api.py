"""Regions in the API: Kemendagri's administrative regions, read-only reference data for every signed-in caller
(as the address form's village list is)."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sigap.api.pagination import Page
from sigap.api.schemas import ERRORS
from sigap.regions.models import Level, Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int = Field(..., description="1 province, 2 regency or city, 3 district (kecamatan), 4 village")
    kind: str
    parent_code: str | None = Field(None, alias="parent_id")
    postal_code: str


class RegionFilters(Schema):
    q: str = Field("", max_length=100, description="Part of the name")
    parent: str | None = Field(None, max_length=13, description="The parent region's code: its direct children")
    within: str | None = Field(None, max_length=13, description="A region's code: it and everything below it")
    level: Level | None = None


@router.get("", response={200: list[RegionOut], **ERRORS})
@paginate(Page)
def region_list(request, filters: RegionFilters = Query(...)):
    """Regions by code; filter by parent, by an enclosing region, by level, and search by name."""
    regions = Region.objects.within(filters.within or None)
    if filters.parent:
        regions = regions.filter(parent_id=filters.parent)
    if filters.level:
        regions = regions.filter(level=filters.level)
    if filters.q.strip():
        regions = regions.filter(name__icontains=filters.q.strip())
    return regions.order_by("code")


@router.get("/{code}", response={200: RegionOut, **ERRORS})
def region_detail(request, code: str):
    """One region by its dotted code (e.g. 63.01.03.1004)."""
    return get_object_or_404(Region, code=code)


@router.get("/{code}/children", response={200: list[RegionOut], **ERRORS})
@paginate(Page)
def region_children(request, code: str):
    """The regions directly below one: a province's regencies, a regency's districts, a district's villages."""
    region = get_object_or_404(Region, code=code)
    return region.children.order_by("code")
