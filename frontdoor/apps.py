from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "frontdoor"
    verbose_name = "The front door: concerns raised online"
