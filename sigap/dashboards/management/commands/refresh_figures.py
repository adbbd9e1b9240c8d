from django.core.management.base import BaseCommand

from sigap.dashboards.services import figures_rebuild


class Command(BaseCommand):
    help = "Rebuild the dashboards' summary figures from the documents and the stock ledger."

    def handle(self, *args, **options):
        daily, monthly, stock = figures_rebuild()
        self.stdout.write(f"{daily} daily, {monthly} monthly and {stock} stock figures rebuilt.")
