import pytest

from sigap.accounts.checks import check_email_sent, check_proxies_counted


def test_check_deploy_warns_when_sigap_trusts_a_tls_proxy_but_counts_no_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # SIGAP_HTTPS=1
    settings.NINJA_NUM_PROXIES = 0
    [warning] = check_proxies_counted(None)
    assert warning.id == "sigap.W001" and "SIGAP_NUM_PROXIES" in warning.msg


def test_check_deploy_is_quiet_with_the_proxy_counted_or_without_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.NINJA_NUM_PROXIES = 1
    assert check_proxies_counted(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.NINJA_NUM_PROXIES = 0
    assert check_proxies_counted(None) == []


@pytest.mark.security
def test_check_deploy_warns_when_mail_with_reset_links_would_go_to_the_servers_log(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # no SIGAP_EMAIL_HOST
    [warning] = check_email_sent(None)
    assert warning.id == "sigap.W002" and "SIGAP_EMAIL_HOST" in warning.msg
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert check_email_sent(None) == []
