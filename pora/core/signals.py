from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from pora.core.audit import audit_record
from pora.core.models import AuditEvent, User


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(actor=user, event=AuditEvent.LOGIN, obj=user,
                     note=(request.META.get("REMOTE_ADDR") or "") if request else "")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_record(actor=user, event=AuditEvent.LOGOUT, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        audit_record(
            actor=User.objects.filter(username=username).first(),
            event=AuditEvent.LOGIN_FAILED,
            object_type="core.User",
            object_label=username,
            note=(request.META.get("REMOTE_ADDR") or "") if request else "",
        )
