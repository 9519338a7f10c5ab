"""The PDF invoice of one seller order, in the buyer's language, with the VAT or margin-scheme mention.

The seller issues it (the platform is the intermediary): its name and address head the invoice.
Drawn with ReportLab's built-in Helvetica, whose WinAnsi encoding covers the five languages and €.
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.checkout.taxes import divide_half_up, margin_scheme_mention
from app.offers.grades import grade_label
from app.web.jinja import country_name, money, rate

from .models import Order, SellerOrder


def invoice_number(seller_order: SellerOrder) -> str:
    return f"{seller_order.order.number}-{seller_order.id}"


def seller_identity(seller, locale: str) -> list[str]:
    """The seller as an invoice must name it (VAT directive art. 226(5) and (3)): registered name, full
    address and VAT number; the shop name too when it trades under another one."""
    lines = [seller.registered_name]
    if seller.legal_name and seller.legal_name != seller.name:
        lines.append(_("Trading as %(name)s", name=seller.name))
    lines += seller.registered_address[:-1]
    lines.append(f"{seller.registered_address[-1]}, {country_name(seller.country_code, locale)}")
    if seller.vat_number:
        label = _("EIN: %(number)s", number=seller.vat_number) if seller.country_code == "US" \
            else _("VAT number: %(number)s", number=seller.vat_number)
        lines.append(label)
    return lines


def render_invoice(order: Order, seller_order: SellerOrder) -> bytes:
    with force_locale(order.locale):
        return _draw(order, seller_order)


def _draw(order: Order, seller_order: SellerOrder) -> bytes:
    buffer = BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=True, pageCompression=0)   # text stays searchable in tests
    pdf.setTitle(_("Invoice %(number)s", number=invoice_number(seller_order)))
    width, height = A4
    left, y = 20 * mm, height - 25 * mm
    seller = seller_order.seller

    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(left, y, _("Invoice %(number)s", number=invoice_number(seller_order)))
    pdf.setFont("Helvetica", 10)
    y -= 7 * mm
    pdf.drawString(left, y, _("Date: %(date)s", date=format_date(order.created_at, "long")))
    y -= 5 * mm
    pdf.drawString(left, y, _("Order number: %(number)s", number=order.number))

    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(left, y, _("Seller"))
    pdf.drawString(width / 2, y, _("Customer"))
    pdf.setFont("Helvetica", 10)
    address = order.address
    seller_lines = seller_identity(seller, order.locale)
    buyer_lines = [f"{address.get('first_name', '')} {address.get('last_name', '')}", address.get("line1", ""),
                   address.get("line2", ""), f"{address.get('postcode', '')} {address.get('city', '')} "
                   f"{address.get('region', '')}".strip(), country_name(order.market.code, order.locale)]
    for n, line in enumerate(seller_lines):
        pdf.drawString(left, y - (n + 1) * 5 * mm, line)
    for n, line in enumerate(l for l in buyer_lines if l):
        pdf.drawString(width / 2, y - (n + 1) * 5 * mm, line)

    y -= max(35, (len(seller_lines) + 2) * 5) * mm
    pdf.setFont("Helvetica-Bold", 9)
    columns = (left, left + 100 * mm, left + 115 * mm, left + 145 * mm)
    for x, title in zip(columns, (_("Item"), _("Quantity"), _("Unit price"), _("Amount")), strict=True):
        pdf.drawString(x, y, title)
    pdf.setFont("Helvetica", 9)
    margin_scheme = False
    mention = margin_scheme_mention(order.market)
    for line in seller_order.lines:
        y -= 6 * mm
        pdf.drawString(columns[0], y, f"{line.title}"[:60])
        pdf.drawString(columns[1], y, str(line.quantity))
        pdf.drawString(columns[2], y, money(line.unit_amount, order.currency))
        pdf.drawString(columns[3], y, money(line.amount, order.currency))
        y -= 4.5 * mm
        detail = f"{line.options} · {grade_label(line.grade)}"
        if line.vat_scheme == "margin" and mention:
            margin_scheme = True
            detail += " · " + str(mention)
        elif line.vat_amount:
            detail += " · " + _("incl. %(rate)s VAT: %(amount)s", rate=rate(line.vat_rate_bp, 4),
                                 amount=money(line.vat_amount, order.currency))
        pdf.setFont("Helvetica", 8)
        pdf.drawString(columns[0] + 3 * mm, y, detail[:120])
        pdf.setFont("Helvetica", 9)

    y -= 10 * mm
    sales_tax = divide_half_up(seller_order.goods_amount * order.sales_tax_rate, 100000)
    totals = [(_("Items"), seller_order.goods_amount), (_("Delivery"), seller_order.shipping_amount)]
    if order.sales_tax_rate:
        totals.append((_("Sales tax"), sales_tax))
    totals.append((_("Total"), seller_order.goods_amount + seller_order.shipping_amount + sales_tax))
    for n, (label, amount) in enumerate(totals):
        pdf.setFont("Helvetica-Bold" if n == len(totals) - 1 else "Helvetica", 10)
        pdf.drawString(columns[2], y, label)
        pdf.drawRightString(width - 20 * mm, y, money(amount, order.currency))
        y -= 6 * mm
    if margin_scheme:
        y -= 4 * mm
        pdf.setFont("Helvetica", 8)
        pdf.drawString(left, y, str(mention))
    pdf.setFont("Helvetica", 8)
    pdf.drawString(left, 15 * mm, _("Sold by %(seller)s through the Refurb marketplace.", seller=seller.name))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
