from django.urls import path

from pora.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orang-asing/", views.person_list, name="person_list"),
    path("orang-asing/<int:pk>/", views.person_detail, name="person_detail"),
    path("orang-asing/<int:pk>/foto/", views.person_photo, name="person_photo"),
    path("orang-asing/<int:pk>/foto/unggah/", views.person_photo_upload,
         name="person_photo_upload"),
    path("orang-asing/<int:pk>/laporan-perubahan/", views.change_report_create,
         name="change_report_create"),
    path("izin-tinggal/<int:pk>/keluar/", views.permit_departure, name="permit_departure"),
    path("penjamin/", views.sponsor_list, name="sponsor_list"),
    path("penjamin/<int:pk>/", views.sponsor_detail, name="sponsor_detail"),
    path("impor/", views.import_list, name="import_list"),
    path("impor/templat/", views.import_template, name="import_template"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/ditolak/", views.import_rejected, name="import_rejected"),
    path("referensi/indeks-visa/", views.visa_index_list, name="visa_index_list"),
    path("referensi/indeks-visa/<int:pk>/", views.visa_index_detail, name="visa_index_detail"),
    path("referensi/aturan/", views.rule_set_list, name="rule_set_list"),
]
