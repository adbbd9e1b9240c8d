from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sigap.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from sigap.accounts import checks  # noqa: F401  (registers the deployment check)
        from sigap.accounts import middleware  # noqa: F401  (connects the sign-in receiver)
