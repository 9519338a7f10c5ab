"""Quality: failure rates of sold units, measured honestly, and what they steer.

- `stats`: the statistics alone (Beta-prior shrinkage toward the parent cell, a 95 % interval,
  the minimum sample), pure functions tested on exact small cases;
- `rates`: the daily recomputation (`flask worker`): one set-based SQL aggregate over every sold
  unit whose cohort has matured, then the cuts (seller, model, grade, model × grade, seller × model
  × grade) stored in `quality_rate`;
- `models`: the stored rates and the per-market weights of reliability in the best offer
  (`app.offers.best` reads both in its one SQL ordering).

It reads after-sales' tables (deliveries, units, claims, returns, withdrawals) and never writes them.
"""


def init_app(app) -> None:
    """The quality pages, and the template filter that writes a rate kept in parts per million."""
    from decimal import Decimal

    from babel.numbers import format_percent
    from flask_babel import get_locale

    def failure_rate(value_ppm: int) -> str:
        """2 140 ppm → "2.1%" / "2,1 %": one decimal, as the locale writes a percentage."""
        return format_percent(Decimal(value_ppm).scaleb(-6), "#,##0.0%", locale=get_locale())

    app.jinja_env.filters["failure_rate"] = failure_rate
    from .views import seller, shop
    app.register_blueprint(shop)
    app.register_blueprint(seller)
