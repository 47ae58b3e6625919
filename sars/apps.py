from django.apps import AppConfig


class SarsConfig(AppConfig):
    name = "sars"
    verbose_name = "Safeguarding Adults Reviews (Care Act s44)"
