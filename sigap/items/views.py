from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sigap.accounts.access import require_master_data_keeper, require_region_scope
from sigap.items.forms import ComponentFormSet, ItemForm
from sigap.items.models import Item
from sigap.items.services import bom_replace, item_save
from sigap.lib.errors import DomainError


@login_required
def item_list(request):
    require_region_scope(request.user)
    items = Item.objects.prefetch_related("components__material")
    return render(request, "items/item_list.html", {"items": items,
                                                    "can_edit": request.user.can_keep_master_data})


@login_required
def item_detail(request, pk):
    require_region_scope(request.user)
    item = get_object_or_404(Item, pk=pk)
    return render(request, "items/item_detail.html", {
        "item": item, "components": item.components.select_related("material"),
        "criteria": item.criteria.filter(is_active=True), "can_edit": request.user.can_keep_master_data,
    })


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk=None):
    require_master_data_keeper(request.user)
    item = get_object_or_404(Item, pk=pk) if pk else None
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = item_save(by=request.user, item=item, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("items:detail", pk=saved.pk)
    return render(request, "items/item_form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def bom_edit(request, pk):
    require_master_data_keeper(request.user)
    product = get_object_or_404(Item.objects.products(), pk=pk)
    initial = [{"material": c.material_id, "quantity": c.quantity} for c in product.components.all()]
    formset = ComponentFormSet(request.POST or None, initial=initial, prefix="bom")
    if request.method == "POST" and formset.is_valid():
        lines = [(f.cleaned_data["material"], f.cleaned_data["quantity"]) for f in formset.forms if f.cleaned_data]
        try:
            bom_replace(product=product, lines=lines, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Bill of materials for %(product)s saved.") % {"product": product.name})
            return redirect("items:detail", pk=product.pk)
    return render(request, "items/bom_form.html", {"formset": formset, "product": product})
