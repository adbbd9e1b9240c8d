from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from sigap.lib.regions_field import PICKER_LEVELS, regions_in_reach
from sigap.regions.models import Level, Region


@login_required
def village_options(request):
    """<option>s of the villages in a kecamatan, for the address form (htmx swaps them in)."""
    # The address field may carry a form prefix ("new-district" when a participant is registered on the fly).
    code = next((value for key, value in request.GET.items() if key == "district" or key.endswith("-district")), "")
    villages = Region.objects.villages().filter(parent_id=code) if code else Region.objects.none()
    return render(request, "regions/_village_options.html", {"villages": villages})


@login_required
def region_options(request):
    """<option>s of the level below the one just chosen in a region picker, within the caller's region (htmx swaps
    them into the next select, and empties the selects below it). A region outside the caller's reach is a 404."""
    names = {name: level for level, name in PICKER_LEVELS.items() if level < Level.VILLAGE}
    found = [(key, value) for key, value in request.GET.items() if key.rsplit("-", 1)[-1] in names]
    if len(found) != 1:
        raise Http404
    key, code = found[0]
    name = key.rsplit("-", 1)[-1]
    prefix = key[: -len(name)]
    level = names[name]
    reach = regions_in_reach(request.user.region_code if request.user.has_region_scope else "")
    if code and not reach.filter(code=code, level=level).exists():
        raise Http404
    children = reach.filter(parent_id=code, level=level + 1) if code else Region.objects.none()
    emptied = [f"id_{prefix}{PICKER_LEVELS[deeper]}" for deeper in range(level + 2, Level.VILLAGE + 1)]
    return render(request, "regions/_region_options.html", {"regions": children, "emptied": emptied})
