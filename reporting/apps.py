from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "SAB reporting"

    def ready(self):
        from cases import bulk

        from . import facts

        bulk.cases_loaded.connect(facts.cases_loaded, dispatch_uid="reporting.facts.cases_loaded")
