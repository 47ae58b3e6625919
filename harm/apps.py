from django.apps import AppConfig


class HarmConfig(AppConfig):
    name = "harm"
    verbose_name = "People alleged to have caused harm"
