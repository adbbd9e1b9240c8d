from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "sigap.market"
    verbose_name = _("Market")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from sigap.items.models import Item
        from sigap.lib.files import delete_files_with_rows
        from sigap.market import catalogue_cache
        from sigap.market.models import Listing
        from sigap.partners.models import Partner

        for model in (Listing, Partner, Item):
            for signal in (post_save, post_delete):
                signal.connect(catalogue_cache.changed, sender=model, dispatch_uid=f"catalogue-{model.__name__}")
        delete_files_with_rows(Listing, *Listing.FILE_FIELDS)
