"""``{% load twofactor %}{% two_factor_status person %}`` on a user's page: whether that user signs in with two-factor
and, for an administrator looking at someone who does, the link to reset it (a lost phone)."""

from django import template

from sigap.twofactor.services import has_two_factor

register = template.Library()


@register.inclusion_tag("twofactor/_status.html", takes_context=True)
def two_factor_status(context, person):
    viewer = context["request"].user
    return {"person": person, "on": has_two_factor(person), "may_reset": viewer.is_admin}
