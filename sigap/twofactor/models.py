from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TURNED_ON = "turned_on", _("Two-factor sign-in turned on")
    CODES_RENEWED = "codes_renewed", _("New recovery codes")
    TURNED_OFF = "turned_off", _("Two-factor sign-in turned off")
    RESET = "reset", _("Two-factor sign-in reset by an administrator")


class TwoFactorEvent(models.Model):
    """What happened to a user's two-factor sign-in, and who did it (the user, or an administrator resetting it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="two_factor_events")
    kind = models.CharField(_("what"), max_length=16, choices=EventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}"
