from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "sigap.trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from sigap.lib.files import delete_files_with_rows
        from sigap.trainings.models import LearningMaterial

        delete_files_with_rows(LearningMaterial, "file")
