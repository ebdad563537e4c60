"""Who may do what. Views call these instead of checking roles themselves."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def _guard(predicate, *, deny_with_404: bool = False):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(user):
                # Personal-data pages answer 404 so that an outsider learns nothing.
                if deny_with_404:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


personal_data_required = _guard(lambda u: u.can_see_personal_data, deny_with_404=True)
# Pages for officers and heads that do not reveal whether a given person exists (queues,
# list indexes): 403 for other roles.
officer_required = _guard(lambda u: u.can_see_personal_data)
aggregates_required = _guard(lambda u: u.can_see_aggregates)
registry_write_required = _guard(lambda u: u.can_write_registry)
head_required = _guard(lambda u: u.is_head)
authenticated_required = _guard(lambda u: u.is_active)
admin_required = _guard(lambda u: u.is_active and u.role == "admin")
