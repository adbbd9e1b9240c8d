from django.core.management.base import BaseCommand, CommandError

from sigap.stock.ledger import audit
from sigap.stock.models import Balance


class Command(BaseCommand):
    help = "Check that every stock balance equals the sum of its ledger movements."

    def handle(self, *args, **options):
        mismatches = audit()
        for m in mismatches:
            self.stderr.write(
                f"item {m.item_id} at location {m.location_id}: balance {m.balance}, movements add up to {m.movements}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} balances disagree with the ledger")
        self.stdout.write(self.style.SUCCESS(f"{Balance.objects.count()} balances agree with the ledger"))
