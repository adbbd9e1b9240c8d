from django.core.management.base import BaseCommand, CommandError

from sigap.demo.data import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the South Kalimantan demo (Tanah Laut and Hulu Sungai Utara, 2020). Safe to re-run."

    def handle(self, *args, **options):
        try:
            logins = load_demo()
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (password for all: %s):" % DEMO_PASSWORD))
        for username, role, organisation in logins:
            self.stdout.write(f"  {username:<12} {role:<22} {organisation}")
