"""The service's local time zone: one constant for every London-day boundary.

A concern's day received, a period's first and last day, an imported date and the demo data's
clock times are all London days. The zone is `settings.TIME_ZONE` (Europe/London), the one
place it is named.
"""

from django.utils import timezone

LONDON = timezone.get_default_timezone()
