"""Markets (country storefronts) and editions (a market in one language)."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data_versions import EVERY_PAGE
from app.extensions import db


class Market(db.Model):
    """A country storefront: currency, tax rule, legal guarantee and the editions it is offered in.

    Adding a country is adding a row here (and its editions), not code. `prices_include_tax` is true
    in Europe (shelf prices are VAT-inclusive) and false in the US (sales tax is added at checkout).
    """
    __tablename__ = "market"
    __table_args__ = {"info": EVERY_PAGE}

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)        # ISO 3166-1 alpha-2: FR, GB, US
    currency: Mapped[str] = mapped_column(String(3))                  # ISO 4217
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, default=True)
    standard_vat_rate_bp: Mapped[int] = mapped_column(Integer, default=0)     # basis points: 2000 = 20 %
    legal_guarantee_months: Mapped[int] = mapped_column(Integer, default=24)
    min_warranty_months: Mapped[int] = mapped_column(Integer, default=12)     # commercial, offered by sellers
    transit_days_min: Mapped[int] = mapped_column(Integer, default=1)
    transit_days_max: Mapped[int] = mapped_column(Integer, default=3)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    express_shipping_amount: Mapped[int] = mapped_column(Integer, default=0)   # minor units
    express_transit_days: Mapped[int] = mapped_column(Integer, default=1)
    # {"pay_in_3": [min, max]}: instalment plans offered, with the order totals they accept
    instalment_bounds: Mapped[dict] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    editions: Mapped[list[Edition]] = relationship(back_populates="market", order_by="Edition.position")

    def __repr__(self) -> str:
        return f"<Market {self.code}>"


class Edition(db.Model):
    """One market in one language, addressed by a URL prefix such as ``/de-be/``.

    `language` names the gettext catalog and the content translation rows (``de``);
    `locale` is what Babel formats money, numbers and dates with (``de_BE``).
    """
    __tablename__ = "edition"
    __table_args__ = (UniqueConstraint("market_id", "language"), {"info": EVERY_PAGE})

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)         # "fr-be"
    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(2))                  # "fr"
    is_market_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # The edition a bare language ("de" in Accept-Language) goes to when several markets speak it.
    is_language_default: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    market: Mapped[Market] = relationship(back_populates="editions", lazy="joined")

    @property
    def locale(self) -> str:
        return f"{self.language}_{self.market.code}"

    @property
    def html_lang(self) -> str:
        return f"{self.language}-{self.market.code}"

    def __repr__(self) -> str:
        return f"<Edition {self.code}>"
