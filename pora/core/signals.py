from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from pora.core.audit import audit_record
from pora.core.models import AuditEvent, User


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    with transaction.atomic():
        audit_record(actor=user, event=AuditEvent.LOGIN, action="user.logged_in", obj=user,
                     note=(request.META.get("REMOTE_ADDR") or "") if request else "")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            audit_record(actor=user, event=AuditEvent.LOGOUT, action="user.logged_out",
                         obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    target = User.objects.filter(username=username).first()
    with transaction.atomic():
        # The attempt is not the account holder's act: no actor. The account tried is the
        # object, filed under its office so that office's head sees attacks on it.
        audit_record(
            actor=None,
            event=AuditEvent.LOGIN_FAILED,
            action="user.login_failed",
            object_type="core.User",
            object_id=str(target.pk) if target else "",
            office=target.office_id if target else None,
            object_label=username,
            note=(request.META.get("REMOTE_ADDR") or "") if request else "",
        )
