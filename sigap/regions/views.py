from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from sigap.regions.models import Region


@login_required
def village_options(request):
    """<option>s of the villages in a kecamatan, for the address form (htmx swaps them in)."""
    # The address field may carry a form prefix ("new-district" when a participant is registered on the fly).
    code = next((value for key, value in request.GET.items() if key == "district" or key.endswith("-district")), "")
    villages = Region.objects.villages().filter(parent_id=code) if code else Region.objects.none()
    return render(request, "regions/_village_options.html", {"villages": villages})
