"""One JSON shape for every error: ``{"detail": "…", "errors": {"field": ["message", …]}}``."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sigap.api.forms import FormInvalid, django_errors
from sigap.api.parser import LoneSurrogate
from sigap.lib.errors import DomainError
from sigap.stock.ledger import InsufficientStock


class HttpErrorWithMessage(HttpError):
    """An HttpError whose message is already SIGAP's own (translated)."""


def error_body(detail: str, errors: dict | None = None, **extra) -> dict:
    return {"detail": str(detail), "errors": errors or {}, **extra}


def _plain(quantity) -> str:
    return format(quantity.normalize(), "f")


def _field(location) -> str:
    """A field name from pydantic's location ("body", "payload", "lines", 0, "quantity") → "lines.0.quantity"."""
    parts = [str(p) for p in location if p not in ("body", "query", "path", "payload", "form", "file", "filters")]
    return ".".join(parts) or "__all__"


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = {}
        malformed = False
        for error in exc.errors:
            if error.get("type") == "json_invalid" or error.get("msg") == "Cannot parse request body":
                malformed = True
            message = error.get("msg", "")
            if error.get("type") == "extra_forbidden":
                message = _("Unknown field.")
            elif error.get("type") == "missing":
                message = _("This field is required.")
            errors.setdefault(_field(error.get("loc", ())), []).append(message)
        if malformed:
            return api.create_response(request, error_body(_("The request body is not valid JSON.")), status=400)
        return api.create_response(request, error_body(_("Some fields are not valid."), errors), status=422)

    @api.exception_handler(FormInvalid)
    def form_invalid(request, exc):
        return api.create_response(request, error_body(_("Some fields are not valid."), exc.errors), status=422)

    @api.exception_handler(DjangoValidationError)
    def model_invalid(request, exc):
        return api.create_response(request, error_body(_("Some fields are not valid."), django_errors(exc)),
                                   status=422)

    @api.exception_handler(OperationalError)
    def database_down(request, exc):
        return api.create_response(request, error_body(_("The database is not answering. Try again in a moment.")),
                                   status=503)

    @api.exception_handler(InsufficientStock)
    def short(request, exc):
        shortfalls = [{"item": s.item.code, "location": s.location.name, "available": _plain(s.available),
                       "requested": _plain(s.requested), "missing": _plain(s.missing)} for s in exc.shortfalls]
        return api.create_response(request, error_body(exc.message, shortfall=shortfalls), status=409)

    @api.exception_handler(DomainError)
    def refused(request, exc):
        errors = {exc.field: [exc.message]} if exc.field else {}
        return api.create_response(request, error_body(exc.message, errors), status=400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        detail = exc.message if isinstance(exc.message, str) and exc.message != "Unauthorized" else _(
            "Sign in or send a valid token.")
        return api.create_response(request, error_body(detail), status=401)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        detail = exc.message
        if exc.status_code == 400 and isinstance(exc.__cause__, LoneSurrogate):
            detail = _("Text may not contain lone surrogate characters (\\ud800 to \\udfff).")
        elif exc.status_code == 400 and str(detail).startswith("Cannot parse request body"):
            detail = _("The request body is not valid JSON.")
        elif exc.status_code == 429 and not isinstance(exc, HttpErrorWithMessage):
            detail = _("Too many requests. Try again later.")
        return api.create_response(request, error_body(detail), status=exc.status_code)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, error_body(_("Your role may not do this.")), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body(_("Not found.")), status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request, exc):
        return api.create_response(request, error_body(_("Not found.")), status=404)
