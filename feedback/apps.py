from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Hearing from the person: MSP Outcomes Framework feedback"
