"""Choosing a region within the regions a user may work in: a village inside a district (addresses), or a region
level by level from the province down (offices and agencies)."""

from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sigap.regions.models import Level, Region


class DistrictChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}"


PICKER_LEVELS = {Level.PROVINCE: "province", Level.REGENCY: "regency", Level.DISTRICT: "district",
                 Level.VILLAGE: "village"}
PICKER_LABELS = {Level.PROVINCE: _("Province"), Level.REGENCY: _("Regency/city"),
                 Level.DISTRICT: _("District (kecamatan)"), Level.VILLAGE: _("Village")}


def regions_in_reach(scope: str | None):
    """The regions a user working in ``scope`` may pick: those inside it and those on the way down to it (a
    district officer picks their province and their regency, and nothing beside them). None is all of Indonesia;
    "" (no office) is nothing."""
    if scope is None:
        return Region.objects.all()
    if not scope:
        return Region.objects.none()
    parts = scope.split(".")
    above = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return Region.objects.filter(Q(code__in=above) | Q(code__startswith=f"{scope}."))


def region_path(code: str | None) -> dict[int, str]:
    """Level → code of a region and the regions above it: "63.10.01" → {1: "63", 2: "63.10", 3: "63.10.01"}."""
    if not code:
        return {}
    parts = code.split(".")
    return {n: ".".join(parts[:n]) for n in range(1, len(parts) + 1)}


class RegionLabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label()


class RegionPickerMixin(forms.Form):
    """Province → regency → district → village selects, each holding only the regions below the one chosen above
    it and inside the form's scope, so a page carries a few dozen options instead of a province's thousands.

    With JavaScript, htmx refills the next select as one changes (``regions:options``); without it, the form's
    "pick_region" button submits the form and the page comes back with the next level filled and what was typed
    kept. ``picked_region()`` is the deepest region chosen.
    """

    province = RegionLabelChoiceField(queryset=Region.objects.none(), label=PICKER_LABELS[Level.PROVINCE])
    regency = RegionLabelChoiceField(queryset=Region.objects.none(), label=PICKER_LABELS[Level.REGENCY],
                                     required=False)
    district = RegionLabelChoiceField(queryset=Region.objects.none(), label=PICKER_LABELS[Level.DISTRICT],
                                      required=False)
    village = RegionLabelChoiceField(queryset=Region.objects.none(), label=PICKER_LABELS[Level.VILLAGE],
                                     required=False)

    PICK_BUTTON = "pick_region"

    def setup_region_picker(self, *, scope: str | None, current: Region | None, top: int = Level.PROVINCE,
                            url: str = "regions:options"):
        """Fill the selects from ``top`` down (a form that has no province or regency select starts lower)."""
        reach = regions_in_reach(scope)
        if self.is_bound:
            chosen = {level: self.data.get(self.add_prefix(name)) or "" for level, name in PICKER_LEVELS.items()}
        elif any(self.initial.get(name) for name in PICKER_LEVELS.values()):
            chosen = {level: self.initial.get(name) or "" for level, name in PICKER_LEVELS.items()}
        else:
            chosen = region_path(current.code if current is not None else None)
        above = None
        for level, name in PICKER_LEVELS.items():
            if level < top:
                continue
            field = self.fields[name]
            if level == top:
                options = reach.filter(level=level)
            elif above:
                options = reach.filter(level=level, parent_id=above)
            else:
                options = Region.objects.none()
            field.queryset = options
            code = chosen.get(level) or ""
            if not code and level <= Level.REGENCY:
                # Only one province or regency within reach (a district officer's): chosen already.
                only = list(options.values_list("code", flat=True)[:2])
                if len(only) == 1 and (not self.is_bound or level == Level.PROVINCE):
                    code = only[0]
                    field.empty_label = None
            if not self.is_bound:
                self.initial[name] = code or None
            if level < Level.VILLAGE:
                below = PICKER_LEVELS[level + 1]
                field.widget.attrs.update({"hx-get": reverse(url),
                                           "hx-target": f"#{self[below].auto_id}", "hx-trigger": "change"})
            above = code if code and (above or level == top) else None

    def picked_region(self):
        """The deepest region chosen (its parents were checked by the selects' own choices)."""
        for name in reversed(PICKER_LEVELS.values()):
            if name in self.fields and self.cleaned_data.get(name):
                return self.cleaned_data[name]
        return None


class AddressRegionMixin(RegionPickerMixin):
    """An address's kecamatan select and village select (filled by htmx when the kecamatan changes): the picker
    from the district down, the kecamatan required.

    The form's ``region_scope`` (a Kemendagri code, or None for all) limits both. ``cleaned_data["region"]``
    is the village when one is chosen, otherwise the kecamatan (the form's clean() sets it from
    ``chosen_region()``).
    """

    province = None
    regency = None
    district = DistrictChoiceField(queryset=Region.objects.none(), label=_("District (kecamatan)"))
    village = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Village"), required=False, empty_label=_("— whole district —"),
        error_messages={"invalid_choice": _("This village is not in the chosen district.")})

    def setup_region_fields(self, *, region_scope: str | None, current: Region | None):
        self.setup_region_picker(scope=region_scope, current=current, top=Level.DISTRICT, url="regions:villages")
        self.fields["district"].queryset = self.fields["district"].queryset.select_related("parent")

    def chosen_region(self):
        return self.picked_region()
