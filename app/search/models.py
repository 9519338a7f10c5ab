"""What the listing engine reads instead of the live catalog: summaries kept in step with it.

Three portable tables, the same on SQLite and PostgreSQL:

- `SearchProduct`: one row per product and market where the product can be bought, with its
  "from" prices (overall and per grade), how many offers it has, and bit masks of the grades,
  storage sizes, colour families and battery options on offer. Category and brand are copied in so
  a category page or a facet count reads one covering index and nothing else.
- `SearchFacetCount`: per market and leaf category, how many products have each facet value. It
  answers an unfiltered category page (the most common page of the shop) without scanning it, and
  is kept exact by applying each product's old and new contribution when its summary changes.
- `SearchDocument`: the text a product is found by, per language (name, category words and
  synonyms, specs and colours), already normalised (see `app.search.text`). Each backend indexes it
  in its own structures (SQLite FTS5 tables, PostgreSQL tsvector tables); `SearchTerm` is the
  vocabulary of those documents, used for spelling correction.

None of these is a source of truth: `flask search reindex` rebuilds them all from the catalog.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.data_versions import BY_PRODUCT
from app.extensions import db


class SearchProduct(db.Model):
    """A product that can be bought in a market, summarised for listing pages.

    Prices are integers in minor units of the market's currency. A grade's price is NULL when the
    product has no purchasable offer in that grade. `release_year` is 0 when unknown, so that
    "newest first" sorts the same on both databases without NULLS LAST.
    """
    __tablename__ = "search_product"
    __table_args__ = (
        # Category pages: every filter and facet of a category reads this index alone.
        Index("ix_search_product_browse", "market_id", "category_id", "brand_id", "offers_count", "from_amount",
              "release_year", "grade_mask", "storage_mask", "color_mask", "has_new_battery", "from_fair", "from_good",
              "from_excellent", "from_premium"),
        # Home page and "all products": the most offered first.
        Index("ix_search_product_popular", "market_id", "offers_count", "release_year", "product_id"),
        {"sqlite_with_rowid": False, "info": BY_PRODUCT},
    )

    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(Integer)
    brand_id: Mapped[int] = mapped_column(Integer)
    release_year: Mapped[int] = mapped_column(Integer, default=0)
    from_amount: Mapped[int] = mapped_column(Integer)
    from_fair: Mapped[int | None] = mapped_column(Integer)
    from_good: Mapped[int | None] = mapped_column(Integer)
    from_excellent: Mapped[int | None] = mapped_column(Integer)
    from_premium: Mapped[int | None] = mapped_column(Integer)
    offers_count: Mapped[int] = mapped_column(Integer)
    grade_mask: Mapped[int] = mapped_column(Integer)       # bit per grade, see app.search.facets.GRADE_BITS
    storage_mask: Mapped[int] = mapped_column(Integer)     # bit per storage size, see STORAGE_SIZES
    color_mask: Mapped[int] = mapped_column(Integer)       # bit per colour family, see app.search.colors
    has_new_battery: Mapped[bool] = mapped_column(Boolean)
    # Words in the product's shortest name: among matches, the model ranks before its longer-named variants.
    name_words: Mapped[int] = mapped_column(Integer, default=0)


class SearchFacetCount(db.Model):
    """How many products of a category and brand, in a market, have a facet value.

    `facet` is an offer-level facet code (``grade``, ``storage``, ``color``, ``battery``) or ``price``
    (band of the "from" price), or ``all`` for the number of products; `value` is the value's code
    (``excellent``, ``256``, ``blue``, ``new``, a band index; empty for ``all``). Category and brand
    being keys, a page filtered by category or brand only is answered from here too.
    """
    __tablename__ = "search_facet_count"
    __table_args__ = {"info": BY_PRODUCT}

    market_id: Mapped[int] = mapped_column(ForeignKey("market.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"), primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brand.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(32), primary_key=True)
    products: Mapped[int] = mapped_column(Integer, default=0)


class SearchDocument(db.Model):
    """The searchable text of a product in one language, in three weighted fields.

    `name` is brand and model name (with joined model numbers such as ``iphone13``), `keywords` the
    category names and their synonyms, `details` specs and colour names. The backends index these
    rows; keeping the indexed text here lets them remove an entry exactly as it was written.
    """
    __tablename__ = "search_document"
    __table_args__ = {"info": BY_PRODUCT}

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)


class SearchTerm(db.Model):
    """A word of the search documents of one language and how many documents hold it.

    Spelling correction picks the closest known word ("samsng" → "samsung"); suggestions complete
    the word being typed. Counts are exact after a rebuild and only grow in between.
    """
    __tablename__ = "search_term"
    __table_args__ = {"info": BY_PRODUCT}

    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    documents: Mapped[int] = mapped_column(Integer, default=0)


class SearchChange(db.Model):
    """Which products' offers a committed transaction changed, under its change sequence.

    Processes that keep the summaries in memory (`app.search.memory`) read the products changed
    since the version they last saw and reload just those. Product 0 means "everything" (a
    rebuild). The page cache keys a product's page on the last version logged for it. Old versions
    are pruned (`app.search.summary.LOG_VERSIONS`).
    """
    __tablename__ = "search_change"
    # A product's own version (`app.data_versions.product_version`): its last change, from the index.
    __table_args__ = (Index("ix_search_change_product", "product_id", "version"), {"info": BY_PRODUCT})

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True)
