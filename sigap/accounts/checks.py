"""Deployment checks (``manage.py check --deploy``): the address the sign-in throttle and the rate limits count;
mail really sent."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_proxies_counted(app_configs, **kwargs):
    # SIGAP_HTTPS=1 trusts a TLS proxy's X-Forwarded-Proto. Without SIGAP_NUM_PROXIES every request then seems to
    # come from that proxy: one stranger's failures would slow everybody's sign-in, one buyer's inquiries everyone's.
    if settings.SECURE_PROXY_SSL_HEADER and not settings.NINJA_NUM_PROXIES:
        return [Warning(
            "SIGAP_HTTPS=1 (behind a TLS proxy) but SIGAP_NUM_PROXIES=0: the sign-in throttle and the rate limits "
            "would count every client as the proxy's address.",
            hint="Behind nginx (one proxy adding X-Forwarded-For), set SIGAP_NUM_PROXIES=1.",
            id="sigap.W001",
        )]
    return []


@register(Tags.security, deploy=True)
def check_email_sent(app_configs, **kwargs):
    # Without an SMTP server Django's console backend writes each message, password reset links included, to the
    # server's log: whoever reads the log could set anyone's password.
    if settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
        return [Warning(
            "No SIGAP_EMAIL_HOST: e-mail, password reset links included, is written to the server's log instead of "
            "being sent.",
            hint="Set SIGAP_EMAIL_HOST, SIGAP_EMAIL_FROM and, if the server asks, SIGAP_EMAIL_USER and "
                 "SIGAP_EMAIL_PASSWORD; then try them with: manage.py sendtestemail you@example.id",
            id="sigap.W002",
        )]
    return []
