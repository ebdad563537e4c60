from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from pora.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.otp_verify, name="otp"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("bahasa/", set_language, name="set_language"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/akses/", views.access_log, name="access_log"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("hari-kerja/", views.working_days, name="working_days"),
    path("hari-kerja/<int:pk>/", views.working_day_override_detail,
         name="working_day_override"),
]
