from django.urls import path

from pora.screening import views

app_name = "screening"

urlpatterns = [
    # The review queue is where an officer starts.
    path("", views.hit_list, name="hit_list"),
    path("temuan/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("temuan/<int:pk>/keputusan/", views.hit_decision, name="hit_decision"),
    path("daftar/", views.watchlist_list, name="watchlist_list"),
    path("daftar/baru/", views.watchlist_create, name="watchlist_create"),
    path("daftar/templat/", views.watchlist_template_download, name="watchlist_template"),
    path("daftar/<int:pk>/", views.watchlist_detail, name="watchlist_detail"),
    path("daftar/<int:pk>/ubah/", views.watchlist_edit, name="watchlist_edit"),
    path("daftar/<int:pk>/unggah/", views.watchlist_upload, name="watchlist_upload"),
    path("daftar/<int:pk>/entri-baru/", views.entry_create, name="entry_create"),
    path("daftar/<int:pk>/saring-ulang/", views.rescreen_create, name="rescreen_create"),
    path("entri/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entri/<int:pk>/foto/", views.entry_photo, name="entry_photo"),
    path("entri/<int:pk>/ubah/", views.entry_edit, name="entry_edit"),
    path("entri/<int:pk>/perpanjang/", views.entry_extend, name="entry_extend"),
    path("entri/<int:pk>/cabut/", views.entry_withdraw, name="entry_withdraw"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/ditolak/", views.import_rejected, name="import_rejected"),
    path("saring-ulang/<int:pk>/", views.rescreen_detail, name="rescreen_detail"),
]
