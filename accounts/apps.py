from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People, teams, access and audit"

    def ready(self):
        from . import signals  # noqa: F401
