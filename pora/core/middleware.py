from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class SecondFactorMiddleware:
    """A user who set up a TOTP device must pass it before anything else (django-otp)."""

    ALLOWED_NAMES = {"core:otp", "core:logout", "core:set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and self._has_device(user):
            allowed = {reverse(name) for name in self.ALLOWED_NAMES}
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "second_factor_required",
                     "message": "Masukkan kode verifikasi dua langkah / second factor required"},
                    status=401,
                )
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("core:otp")
        return self.get_response(request)

    @staticmethod
    def _has_device(user) -> bool:
        from django_otp import user_has_device

        return user_has_device(user, confirmed=True)
