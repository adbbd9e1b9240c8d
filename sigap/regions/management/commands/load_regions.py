import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sigap.regions.models import Region
from sigap.regions.services import regions_expected_count, regions_load


class Command(BaseCommand):
    help = "Load Indonesia's provinces, regencies, districts and villages (Kepmendagri codes). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", action="append", dest="provinces", metavar="CODE",
            help="Load only this province (e.g. 63 for Kalimantan Selatan); repeat for more.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when regions are already loaded.")

    def handle(self, *args, provinces=None, no_progress=False, if_empty=False, **options):
        if if_empty and Region.objects.exists():
            self.stdout.write(f"{Region.objects.count()} regions already loaded.")
            return
        if provinces:
            unknown = [p for p in provinces if not (len(p) == 2 and p.isdigit())]
            if unknown:
                raise CommandError(f"Province codes are two digits, e.g. 63; not {', '.join(unknown)}")
        started = time.perf_counter()
        total = regions_expected_count(province_codes=provinces)
        if total == 0:
            raise CommandError("No regions match those province codes.")
        with tqdm(total=total, unit=" regions", disable=no_progress, file=self.stderr._out) as bar:
            written = regions_load(province_codes=provinces, progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{written} regions loaded in {elapsed:.1f} s"))
