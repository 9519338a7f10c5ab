"""What the order will cost: delivery per seller shipment, sales tax, total. Shared by the review page
and the order placement, so the shopper pays exactly what they were shown."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from app.cart.services import CartView, Shipment
from app.offers.delivery import add_working_days, delivery_window
from app.offers.models import VatScheme
from app.sites.models import Market

from .taxes import line_vat, sales_tax


class DeliveryMethod(enum.StrEnum):
    STANDARD = "standard"      # included in the price
    EXPRESS = "express"


@dataclass(frozen=True)
class DeliveryOption:
    method: DeliveryMethod
    amount: int
    window: tuple[date, date]


@dataclass(frozen=True)
class PlannedShipment:
    shipment: Shipment
    options: list[DeliveryOption]
    chosen: DeliveryOption


@dataclass(frozen=True)
class Summary:
    shipments: list[PlannedShipment]
    goods_amount: int
    shipping_amount: int
    sales_tax_rate: int          # thousandths of a percent (US)
    sales_tax_amount: int
    currency: str
    vat_amount: int = 0          # included in the goods (EU, UK): the lines' VAT, as the invoice gives it
    margin_scheme: bool = False  # some goods sold under the margin scheme: their VAT is not shown


    @property
    def total_amount(self) -> int:
        return self.goods_amount + self.shipping_amount + self.sales_tax_amount


def delivery_options(market: Market, shipment: Shipment, today: date) -> list[DeliveryOption]:
    standard = DeliveryOption(DeliveryMethod.STANDARD, 0, delivery_window(market, shipment.dispatch_days, today=today))
    shipped = add_working_days(today, shipment.dispatch_days)
    express_day = add_working_days(shipped, market.express_transit_days)
    express = DeliveryOption(DeliveryMethod.EXPRESS, market.express_shipping_amount, (express_day, express_day))
    return [standard, express] if market.express_shipping_amount else [standard]


def summarise(view: CartView, market: Market, choices: dict | None, region: str | None, today: date) -> Summary:
    """The order as it stands: `choices` maps a seller id (as text) to a delivery method."""
    planned = []
    for shipment in view.shipments:
        options = delivery_options(market, shipment, today)
        wanted = (choices or {}).get(str(shipment.seller_id), DeliveryMethod.STANDARD)
        chosen = next((o for o in options if o.method == wanted), options[0])
        planned.append(PlannedShipment(shipment, options, chosen))
    goods = view.goods_amount
    shipping = sum(p.chosen.amount for p in planned)
    rate, tax = sales_tax(goods, market, region)
    vat = sum(line_vat(line.amount, line.offer.vat_scheme, market)[1] for line in view.lines)
    margin = market.prices_include_tax and any(line.offer.vat_scheme == VatScheme.MARGIN for line in view.lines)
    return Summary(planned, goods, shipping, rate, tax, market.currency, vat_amount=vat, margin_scheme=margin)
