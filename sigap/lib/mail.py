"""E-mail: the SMTP settings read from the environment, and sending a message from SIGAP's templates.

Without SIGAP_EMAIL_HOST, messages are written to the console (development, ``make demo``). With it, they go
through that SMTP server: STARTTLS on port 587 unless told otherwise, or implicit TLS (SIGAP_EMAIL_SSL=1, port 465).
"""

import re
from email.utils import parseaddr

from django.core.exceptions import ImproperlyConfigured

from sigap.lib.env import envbool, envint, envstr

DEFAULT_FROM = "SIGAP <sigap@localhost>"
_HOST = re.compile(r"[A-Za-z0-9.:\[\]-]+")  # a name, an IPv4 or a bracketed IPv6 address; no spaces or line breaks
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>.][^@\s<>]*")


def email_settings() -> dict:
    """Django's EMAIL_* settings, DEFAULT_FROM_EMAIL and SERVER_EMAIL from SIGAP_EMAIL_*; a value that makes no
    sense (both kinds of TLS, a port out of range, a sender that is no address…) raises ImproperlyConfigured, so
    SIGAP does not start rather than lose its mail later."""
    sender = envstr("SIGAP_EMAIL_FROM", DEFAULT_FROM).strip() or DEFAULT_FROM
    if not _ADDRESS.fullmatch(parseaddr(sender)[1]) or "\n" in sender or "\r" in sender:
        raise ImproperlyConfigured(f"SIGAP_EMAIL_FROM must be an e-mail address, like 'SIGAP <sigap@example.id>', "
                                   f"not {sender!r}")
    host = envstr("SIGAP_EMAIL_HOST", "").strip()
    if not host:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend", "EMAIL_HOST": "localhost",
                "EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_HOST_USER": "",
                "EMAIL_HOST_PASSWORD": "", "EMAIL_TIMEOUT": None, "DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender}
    if not _HOST.fullmatch(host):
        raise ImproperlyConfigured(f"SIGAP_EMAIL_HOST must be a host name or address, not {host!r}")
    use_ssl = envbool("SIGAP_EMAIL_SSL", False)
    use_tls = envbool("SIGAP_EMAIL_TLS", not use_ssl)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("SIGAP_EMAIL_TLS (STARTTLS) and SIGAP_EMAIL_SSL (implicit TLS) exclude each other: "
                                   "turn one off")
    user, password = envstr("SIGAP_EMAIL_USER", ""), envstr("SIGAP_EMAIL_PASSWORD", "")
    if bool(user) != bool(password):
        raise ImproperlyConfigured("SIGAP_EMAIL_USER and SIGAP_EMAIL_PASSWORD go together: set both or neither")
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": envint("SIGAP_EMAIL_PORT", 465 if use_ssl else 587, minimum=1, maximum=65535),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_TIMEOUT": envint("SIGAP_EMAIL_TIMEOUT", 10, minimum=1),
        "DEFAULT_FROM_EMAIL": sender,
        "SERVER_EMAIL": sender,
    }
