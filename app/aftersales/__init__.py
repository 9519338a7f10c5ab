"""After-sales: delivery of seller orders, the units sold (IMEI or serial), legal withdrawal and the
refunds it owes, goodwill returns (label, receipt, inspection, relisting in the grade received), with
the e-mails that go with them.

It owns its tables (deliveries, carrier events, units, withdrawals, refunds, per-market rules) and
asks others for the rest: `app.orders` for orders and their status, `app.checkout.payments` for the
provider that took the payment, `app.mail.outbox` for e-mails, `app.accounts.permissions` for who
may see what. Warranty claims per unit (cover, photos, the seller's answer, the
ledger, escalation) are in `claims`; the messages of a return's or a claim's thread in `threads`;
replacements are not built yet (see README "After-sales").
"""

def init_app(app) -> None:
    """Register the blueprints and what the order pages' templates read."""
    from flask_babel import get_locale

    from . import queries
    from .admin_views import platform
    from .buyer_views import buyer
    from .carrier_views import carriers
    from .delivery import SOURCE_LABELS
    from .models import DeliverySource
    from .seller_views import seller
    from .withdrawal import received_text

    for blueprint in (buyer, carriers, seller, platform):
        app.register_blueprint(blueprint)
    app.add_template_global(queries.aftersales_view, "aftersales_view")
    app.add_template_global(queries.delivery_of, "delivery_of")

    def delivery_source_label(source, seller=False):
        from flask_babel import gettext as _
        if seller and source == DeliverySource.BUYER:
            return _("confirmed by the buyer")
        return str(SOURCE_LABELS.get(source, source or ""))

    app.add_template_global(delivery_source_label, "delivery_source_label")
    from .returns import status_label as return_status_label
    app.add_template_global(return_status_label, "return_status_label")
    from .claims import status_label as claim_status_label
    app.add_template_global(claim_status_label, "claim_status_label")
    from .threads import author_label
    app.add_template_global(author_label, "case_author_label")
    from app.orders.fulfilment import carrier_name
    app.add_template_global(carrier_name, "carrier_label")
    app.add_template_filter(lambda moment, timezone: received_text(moment, timezone, str(get_locale())),
                            "market_datetime")
