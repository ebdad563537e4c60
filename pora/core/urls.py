from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from pora.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("masuk/kode/", views.otp_verify, name="otp"),
    path("masuk/lupa/", views.password_reset, name="password_reset"),
    path("masuk/lupa/terkirim/", views.password_reset_sent, name="password_reset_sent"),
    path("masuk/atur-ulang/selesai/", views.password_reset_complete,
         name="password_reset_complete"),
    path("masuk/atur-ulang/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/kata-sandi/", views.password_change, name="password_change"),
    path("bahasa/", set_language, name="set_language"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/akses/", views.access_log, name="access_log"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/<int:pk>/", views.user_detail, name="user_detail"),
    path("referensi/", views.reference_index, name="reference_index"),
    path("referensi/kantor/", views.office_list, name="office_list"),
    path("referensi/kantor/<int:pk>/", views.office_detail, name="office_detail"),
    path("referensi/instansi/", views.agency_list, name="agency_list"),
    path("referensi/instansi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("hari-kerja/", views.working_days, name="working_days"),
    path("hari-kerja/<int:pk>/", views.working_day_override_detail,
         name="working_day_override"),
]
