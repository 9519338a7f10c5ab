"""What the shop's and the seller office's trade-in pages share: device labels, form choices, photos."""
from __future__ import annotations

from flask import Response, abort, g
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import select

from app.catalog.options import option_label
from app.extensions import db
from app.i18n import pick_translation

from . import inspection
from .models import Condition, CounterReason, TradeInPhoto

REASON_LABELS = {
    CounterReason.SCREEN: _l("The screen is cracked or more marked than declared"),
    CounterReason.BODY: _l("The body is more worn, dented or cracked than declared"),
    CounterReason.BATTERY: _l("The battery is more worn than declared"),
    CounterReason.FUNCTIONS: _l("A camera, button, speaker, sensor or port does not work"),
    CounterReason.POWER: _l("It does not switch on or charge"),
    CounterReason.PARTS: _l("Parts are missing or not original"),
    CounterReason.MODEL: _l("It is another model or configuration than declared"),
}


def variant_label(variant) -> str:
    label = option_label(variant.storage_gb, variant.ram_gb, variant.connectivity, variant.size)
    return f"{label} · {variant.color.name(g.languages)}" if variant.color else label


def product_name(product) -> str:
    text = pick_translation(product.translations, g.get("languages") or ("en",))
    return text.name if text else product.key


def condition_choices() -> list[tuple[str, str]]:
    labels = {Condition.EXCELLENT: pgettext("trade-in condition", "Excellent"),
              Condition.GOOD: pgettext("trade-in condition", "Good"),
              Condition.FAIR: pgettext("trade-in condition", "Fair"),
              Condition.DAMAGED: pgettext("trade-in condition", "Damaged"),
              Condition.BROKEN: pgettext("trade-in condition", "Does not work")}
    return [(c.value, labels[c]) for c in Condition]


def reason_choices() -> list[tuple[str, str]]:
    return [(reason.value, str(label)) for reason, label in REASON_LABELS.items()]


def photo_response(trade_in, photo_id: int) -> Response:
    """One inspection photo of `trade_in` (the caller has authorized the trade-in), never cached publicly."""
    found = db.session.scalar(select(TradeInPhoto).where(TradeInPhoto.id == photo_id,
                                                         TradeInPhoto.trade_in_id == trade_in.id))
    data = inspection.photo_bytes(found) if found else None
    if data is None:
        abort(404)
    response = Response(data, mimetype="image/webp")
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
