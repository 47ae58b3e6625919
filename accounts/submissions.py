"""One-time submission keys: a record-creating form posted twice saves one record.

Every record-creating form renders `{% submission_key %}` (a hidden random key; the same key
again when the form is shown back with errors). Its view is wrapped in `@once_per_key`: the
first POST with a key claims it, inside the same transaction as the record it creates, and
stores where it redirected. A second POST with that key, sequential or at the same moment
(PostgreSQL makes it wait on the unique index until the first commits), is redirected to the
same place and saves nothing. A POST that does not redirect (a form shown again with errors,
a conflict) gives the key back. A POST without a well-formed key is handled as before.
"""

import datetime
import functools
import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

FIELD = "submission_key"
KEEP_FOR = datetime.timedelta(days=1)  # long enough for any retry; a form older than that is a new record
_WELL_FORMED = re.compile(r"[0-9a-f]{32}")


class FormSubmission(models.Model):
    """A claimed submission key of one user, and where its first POST led."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = "accounts"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_form_submission_key")]

    def __str__(self):
        return f"Form submission {self.key} of user {self.user_id}"


def key_for(request):
    """The key to render into a form: the posted one when the form is shown again, else a new one."""
    posted = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return posted if _WELL_FORMED.fullmatch(posted) else uuid.uuid4().hex


def once_per_key(view):
    """Wrap a record-creating view so a POST repeated with the same submission key returns the first's result."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not (_WELL_FORMED.fullmatch(key) and request.user.is_authenticated):
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(user=request.user, key=key)
            except IntegrityError:
                first = FormSubmission.objects.get(user=request.user, key=key)
                messages.info(request, "This was already saved when you first submitted it: it was not saved twice.")
                return HttpResponseRedirect(first.result_url or "/")
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseRedirect):
                claim.result_url = response["Location"]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()  # nothing was created: the same form may be submitted again
        FormSubmission.objects.filter(user=request.user, created_at__lt=timezone.now() - KEEP_FOR).delete()
        return response

    wrapper.once_per_key = True
    return wrapper
