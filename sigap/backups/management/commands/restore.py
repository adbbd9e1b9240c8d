import time

from django.core.management.base import BaseCommand, CommandError

from sigap.backups.services import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore an archive written by `manage.py backup` into a freshly migrated database, checking every "
            "table's row count and checksum; --yes to delete what the database holds first.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by manage.py backup")
        parser.add_argument("--yes", action="store_true",
                            help="the database may hold data: delete all of it, then restore")

    def handle(self, *args, **options):
        started = time.monotonic()
        progress = (lambda text: self.stderr.write(text)) if options["verbosity"] > 1 else None
        try:
            summary = backup_restore(archive=options["path"], replace=options["yes"], progress=progress)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = summary.manifest
        self.stdout.write(self.style.SUCCESS(
            f"Restored {summary.path} (taken {manifest['created_at']} from {manifest['database']['vendor']}): "
            f"{len(summary.tables)} tables, {summary.rows:,} rows, checksums verified; {summary.media_files} media "
            f"files ({summary.media_bytes / 1e6:.1f} MB), in {time.monotonic() - started:.1f} s."))
