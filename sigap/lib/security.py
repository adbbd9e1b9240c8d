"""A Content-Security-Policy for every page: SIGAP's pages load only SIGAP's own files and run no inline code."""

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Django's admin uses inline scripts of its own; it is for administrators only.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


class RefuseNulCharactersMiddleware:
    """A NUL character in a URL, a query or a form is refused with a 400: no one types one, and PostgreSQL cannot
    compare or store text that holds it (it would otherwise surface as a server error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                return JsonResponse({"detail": _("Text may not contain NUL characters."), "errors": {}}, status=400)
            from django.core.exceptions import BadRequest

            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path or _has_nul(request.GET):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            if request.content_type == "application/json":
                return b"\x00" in request.body or b"\\u0000" in request.body
            if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return _has_nul(request.POST)
        return False
