"""A document's lines as a formset of as many lines as the document needs, up to MAX_LINES.

The page shows a few empty lines and a "Tambah baris" button. With JavaScript (static/sigap/lines.js) the button
copies the formset's empty line into the page; without it, the button posts the form, and the view renders it
again with everything typed plus one empty line, saving nothing (`bound_lines`). A blank line is ignored; a
ticked "remove" box drops its line, whatever it holds.
"""

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _, ngettext_lazy

MAX_LINES = 200
ADD_LINE = "add_line"  # the name of the "Tambah baris" submit button


class DocumentLinesFormSet(forms.BaseFormSet):
    """Lines of a document: blank lines ignored, ticked lines removed, at most MAX_LINES."""

    adds_lines = True  # _lines.html shows the "Tambah baris" button and the empty line it copies
    adding = False  # posted with "Tambah baris": shown again with one more line, never valid, never saved
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "A document takes at most %(num)d line; split the rest into another document.",
            "A document takes at most %(num)d lines; split the rest into another document.",
            "num",
        ),
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if self.can_delete:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = _("Remove this line")

    def full_clean(self):
        super().full_clean()
        # A removed line is dropped whatever it holds, so its half-typed fields are not held against it.
        for form in self.forms:
            if self.can_delete and form.is_bound and self._should_delete_form(form):
                form._errors = ErrorDict()

    def is_valid(self):
        return not self.adding and super().is_valid()

    def too_many_message(self) -> str:
        return self.error_messages["too_many_forms"] % {"num": self.max_num}

    def kept_forms(self) -> list:
        """The lines that were filled in and not removed, in the order they were typed."""
        return [form for form in self.forms
                if form.cleaned_data and not (self.can_delete and self._should_delete_form(form))]


def lines_formset(form, formset=DocumentLinesFormSet, extra: int = 3):
    return forms.formset_factory(form, formset=formset, extra=extra, can_delete=True, max_num=MAX_LINES,
                                 absolute_max=MAX_LINES, validate_max=True)


def wants_another_line(request) -> bool:
    """Whether the form was posted with "Tambah baris" rather than to be saved."""
    return request.method == "POST" and ADD_LINE in request.POST


def bound_lines(formset_class, request, *others, prefix: str = "lines", **kwargs):
    """The page's lines bound to what was posted (or unbound on GET). After "Tambah baris" they hold one more
    empty line (none past MAX_LINES, with the reason), they and the page's other forms show no errors yet, and
    the lines are not valid, so the view saves nothing."""
    if not wants_another_line(request):
        return formset_class(request.POST or None, prefix=prefix, **kwargs)
    data = request.POST.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = max(int(data.get(key, "")), 0)
    except ValueError:
        total = 0
    full = total >= MAX_LINES
    data[key] = str(min(total + 1, MAX_LINES))
    formset = formset_class(data, prefix=prefix, **kwargs)
    formset.adding = True
    unchecked(formset, *others)
    if full:
        formset._non_form_errors = formset.error_class(
            [formset.too_many_message()], error_class="nonform")
    return formset


def unchecked(*forms_or_formsets) -> None:
    """Show bound forms (and formsets) as typed, without checking them: the person is still typing."""
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseFormSet):
            item._errors = []
            item._non_form_errors = item.error_class(error_class="nonform")
            unchecked(*item.forms)
        else:
            item._errors = ErrorDict()
