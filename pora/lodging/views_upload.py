# placeholder until the guest-list upload views land
from django.http import HttpResponse


def upload_list(request):
    return HttpResponse("")


upload_template = upload_detail = upload_rejected = upload_list
