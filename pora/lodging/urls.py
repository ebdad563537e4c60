from django.urls import path

from pora.lodging import views, views_upload

app_name = "lodging"

urlpatterns = [
    # Reporters (lodgings, companies, individuals).
    path("daftar/", views.register, name="register"),
    path("konfirmasi/<str:token>/", views.confirm_email, name="confirm_email"),
    path("periksa/<str:number>/", views.verify_receipt, name="verify_receipt"),
    path("", views.lodging_home, name="home"),
    path("check-in/", views.check_in_view, name="check_in"),
    path("check-in/mrz/", views.mrz_preview, name="mrz_preview"),
    path("check-in/foto/", views.check_in_photo, name="check_in_photo"),
    path("check-out/", views.check_out_view, name="check_out"),
    path("tamu/<int:pk>/", views.stay_view, name="stay"),
    path("tamu/<int:pk>/check-out/", views.check_out_view, name="stay_check_out"),
    path("tamu/<int:pk>/tanda-terima.pdf", views.receipt_pdf, name="receipt"),
    path("token/", views.token_list, name="tokens"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
    path("staf/", views.staff_list, name="staff"),
    path("unggah/", views_upload.upload_list, name="upload_list"),
    path("unggah/templat/", views_upload.upload_template, name="upload_template"),
    path("unggah/<int:pk>/", views_upload.upload_detail, name="upload_detail"),
    path("unggah/<int:pk>/ditolak/", views_upload.upload_rejected, name="upload_rejected"),
    # Officers.
    path("petugas/tamu/", views.guest_list, name="officer_guests"),
    path("petugas/tamu/<int:pk>/", views.officer_stay, name="officer_stay"),
    path("petugas/peta/", views.guest_map, name="officer_map"),
    path("petugas/kepatuhan/", views.compliance_view, name="officer_compliance"),
    path("petugas/peringatan/", views.alert_list, name="officer_alerts"),
    path("petugas/peringatan/<int:pk>/", views.alert_detail, name="officer_alert"),
    path("petugas/pelapor/", views.lodging_list, name="officer_lodgings"),
    path("petugas/pelapor/<int:pk>/", views.lodging_detail, name="officer_lodging"),
    path("petugas/pelapor/<int:pk>/keputusan/", views.lodging_decide, name="officer_decide"),
]
