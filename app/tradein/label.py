"""The trade-in shipping label: a PDF with the addresses, the reference and what to do before shipping.

Drawn with ReportLab's built-in Helvetica (its WinAnsi encoding covers the five languages), in the
shopper's language, like the order invoices (app.orders.invoice).
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.web.jinja import country_name

from .accepting import market_date
from .models import TradeIn


def render_label(trade_in: TradeIn) -> bytes:
    locale = f"{trade_in.language}_{trade_in.market.code}"
    with force_locale(locale):
        return _draw(trade_in, locale)


def _draw(trade_in: TradeIn, locale: str) -> bytes:
    buffer = BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=0)   # text stays searchable in tests
    title = _("Trade-in shipping label %(reference)s", reference=trade_in.reference)
    pdf.setTitle(title)
    width, height = A4
    left, y = 20 * mm, height - 25 * mm
    seller = trade_in.seller

    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, y, title)
    # The label itself: cut out and stick on the parcel.
    box_top = y - 8 * mm
    pdf.setDash(4, 3)
    pdf.rect(left - 4 * mm, box_top - 78 * mm, width - 2 * left + 8 * mm, 78 * mm)
    pdf.setDash()
    y = box_top - 10 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, y, _("To"))
    pdf.setFont("Helvetica", 13)
    for line in (seller.name, _("Trade-in department"), f"{seller.city}, {country_name(seller.country_code, locale)}"):
        y -= 6 * mm
        pdf.drawString(left + 4 * mm, y, line)
    y -= 10 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(left, y, _("From"))
    pdf.setFont("Helvetica", 11)
    for line in (trade_in.holder_name, trade_in.address_line1, f"{trade_in.address_postcode} {trade_in.address_city}",
                 country_name(trade_in.address_country, locale)):
        y -= 5 * mm
        pdf.drawString(left + 4 * mm, y, line)
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawRightString(width - left, box_top - 20 * mm, trade_in.reference)
    pdf.setFont("Helvetica", 9)
    pdf.drawRightString(width - left, box_top - 26 * mm, _("Postage paid by the refurbisher"))

    y = box_top - 92 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(left, y, _("Ship by %(date)s", date=market_date(trade_in.market, trade_in.ship_by,
                                                                    trade_in.language)))
    y -= 9 * mm
    pdf.drawString(left, y, _("Before you ship it:"))
    pdf.setFont("Helvetica", 11)
    for step in (_("sign it out of its account (Apple ID, Google, console account) and turn off its location lock;"),
                 _("remove the SIM card and any memory card;"),
                 _("reset it to factory settings;"),
                 _("pack it in a padded box with the printed label on the outside.")):
        y -= 6 * mm
        pdf.drawString(left + 4 * mm, y, f"• {step}")
    y -= 10 * mm
    pdf.setFont("Helvetica", 9)
    pdf.drawString(left, y, _("Keep the parcel's tracking receipt until you are paid."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
