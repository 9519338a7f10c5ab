"""The return label: a one-page PDF the buyer prints and sticks on the parcel (carrier, tracking
number, valid until, the seller's address, the unit). Drawn like the invoice, with ReportLab's
Helvetica, whose WinAnsi encoding covers the five languages."""
from __future__ import annotations

from io import BytesIO

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A6, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.orders.fulfilment import carrier_name

from .models import ReturnRequest


def render_label(ret: ReturnRequest) -> bytes:
    with force_locale(ret.order.locale):
        buffer = BytesIO()
        size = landscape(A6)
        pdf = Canvas(buffer, pagesize=size, invariant=True, pageCompression=0)
        pdf.setTitle(_("Return label %(reference)s", reference=ret.reference))
        width, height = size
        x, y = 10 * mm, height - 14 * mm
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(x, y, _("Return label %(reference)s", reference=ret.reference))
        pdf.setFont("Helvetica", 10)
        seller = ret.seller_order.seller
        rows = [
            _("Carrier: %(carrier)s", carrier=carrier_name(ret.label_carrier)),
            _("Tracking number: %(tracking)s", tracking=ret.label_tracking),
            _("Valid until %(date)s", date=format_date(ret.label_valid_until, "medium")),
            "",
            _("Send to: %(seller)s", seller=seller.name),
            " ".join(p for p in (seller.city or "", seller.country_code or "") if p),
            "",
            f"{ret.unit.line.title} · {ret.unit.identifier}",
            _("Order number: %(number)s", number=ret.order.number),
        ]
        for row in rows:
            y -= 6 * mm
            pdf.drawString(x, y, row)
        pdf.setFont("Helvetica-Bold", 22)
        pdf.drawString(x, 12 * mm, ret.label_tracking or "")
        pdf.showPage()
        pdf.save()
        return buffer.getvalue()
