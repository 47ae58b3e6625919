from django.apps import AppConfig


class OrganisationalConfig(AppConfig):
    name = "organisational"
    verbose_name = "Organisational (large-scale) enquiries"
