"""``{% if user|may:"sell" %}``: a menu or a button asks the same predicate as the view it links to."""

from django import template

from sigap.accounts.access import MAY

register = template.Library()


@register.filter
def may(user, what: str) -> bool:
    """Whether the signed-in user may do ``what`` (a key of ``sigap.accounts.access.MAY``); never for a visitor."""
    return bool(user.is_authenticated and MAY[what](user))
