"""A deployment check (``manage.py check --deploy``) for the address the sign-in throttle and the rate limits count."""

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
