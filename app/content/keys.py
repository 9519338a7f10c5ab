"""The pages and home-page blocks a country site has. Keys are stable codes, used in URLs and files."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    key: str
    label: object
    is_page: bool
    has_image: bool = False
    items_hint: object | None = None


PAGES = (
    Kind("about", _l("About us"), True),
    Kind("faq", _l("Frequently asked questions"), True),
    Kind("delivery-returns", _l("Delivery and returns"), True),
    Kind("warranty", _l("Warranty terms"), True),
    Kind("legal-notice", _l("Legal notice"), True),
    Kind("grades", _l("How grades work"), True),
)
BLOCKS = (
    Kind("home-hero", _l("Home: hero"), False, has_image=True),
    Kind("home-categories", _l("Home: featured categories"), False,
         items_hint=_l("Category codes, one per line (empty: the main categories).")),
    Kind("home-products", _l("Home: featured products"), False,
         items_hint=_l("Product codes, one per line (empty: the most offered products).")),
    Kind("home-reassurance", _l("Home: reassurance strip"), False),
    Kind("home-promotion-1", _l("Home: promotion banner 1"), False, has_image=True,
         items_hint=_l("Where the banner leads: a category code, or an address such as /fr-fr/info/warranty (optional).")),
    Kind("home-promotion-2", _l("Home: promotion banner 2"), False, has_image=True,
         items_hint=_l("Where the banner leads: a category code, or an address such as /fr-fr/info/warranty (optional).")),
)
ALL = {kind.key: kind for kind in PAGES + BLOCKS}
PAGE_KEYS = tuple(kind.key for kind in PAGES)
BLOCK_KEYS = tuple(kind.key for kind in BLOCKS)
