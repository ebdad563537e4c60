"""The receipt PDF of a stay, as the lodging downloads it."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from pora.core.countries import country_name
from pora.lodging.models import Stay
from pora.lodging.receipt_pdf import ReceiptData, receipt_pdf


def receipt_data(request, stay: Stay) -> ReceiptData:
    lodging = stay.lodging
    return ReceiptData(
        receipt_number=stay.receipt_number,
        issued_at=timezone.localtime(stay.reported_at),
        office_name=stay.office.name,
        lodging_name=lodging.name,
        lodging_address=f"{lodging.street}, {lodging.kelurahan.name}",
        guest_name=stay.guest_name,
        nationality=f"{country_name(stay.nationality)} ({stay.nationality})",
        document_number=stay.document_number,
        birth_date=stay.birth_date_display,
        room=stay.room,
        checked_in_at=timezone.localtime(stay.checked_in_at),
        expected_checkout=stay.expected_checkout,
        verify_url=request.build_absolute_uri(
            reverse("lodging:verify_receipt", args=[stay.receipt_number])),
        verified_reporter=lodging.is_verified,
    )


def receipt_for(request, stay: Stay) -> HttpResponse:
    response = HttpResponse(receipt_pdf(receipt_data(request, stay)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{stay.receipt_number}.pdf"'
    return response
