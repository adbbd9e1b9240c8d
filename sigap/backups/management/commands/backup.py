import time

from django.core.management.base import BaseCommand, CommandError

from sigap.backups.services import BackupError, backup_write


class Command(BaseCommand):
    help = ("Write one consistent archive (.tar.gz) of the database and the uploaded files, with a manifest of "
            "row counts and checksums. Default: var/backups/sigap-<date>-<time>.tar.gz")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="where to write the archive")

    def handle(self, *args, **options):
        started = time.monotonic()
        progress = (lambda text: self.stderr.write(text)) if options["verbosity"] > 1 else None
        try:
            summary = backup_write(output=options["output"], progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = summary.path.stat().st_size
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {summary.path} ({size / 1e6:.1f} MB): {len(summary.tables)} tables, "
            f"{summary.rows:,} rows, {summary.media_files} media files ({summary.media_bytes / 1e6:.1f} MB), "
            f"in {time.monotonic() - started:.1f} s."))
