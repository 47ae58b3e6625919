from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Hearing from the person: MSP Outcomes Framework feedback"

    def ready(self):
        from outcomes.signals import summary_rendering

        from .signals import summary_invitation

        summary_rendering.connect(summary_invitation, dispatch_uid="feedback.summary_invitation")
