"""What a committed write changes of the shop's pages, told by two versions and a change log.

Readers that keep something drawn from the database (the page cache, the search columns in memory,
the editions list) key it on versions read from the database, so a commit on any worker is seen by
every other worker on its next request, with nothing to notify. One row, `data_version`, holds:

- **`value`, the change sequence.** Goes up once in every commit that changes anything a shop page
  shows. Commits that change products' offers, prices or stock also log those products in
  `search_change` under the new value (`app.search.summary.log_changes`), so "has product P
  changed since I drew its page?" is one indexed lookup (`product_version`), and the search columns
  in memory reload just the products logged since the value they last saw.
- **`shop`, the shop version.** Goes up only with writes that may change *any* page: catalog texts,
  categories, markets, editions, sellers' names, content. Every cached page is keyed on it.

Which is which is marked on the tables (`Table.info["shown_on_pages"]`), never listed here:

- ``info=EVERY_PAGE`` (`"all"`): any write to the table moves `shop` (and `value`);
- ``info=BY_PRODUCT`` (`"product"`): the table's rows belong to products and every write to it is
  followed, per product, by `app.search.tracking` (listings, prices, price history, the search
  summaries derived from them): `value` moves and the products are logged, `shop` stays;
- no mark: no page shows the table (carts, orders, accounts, mail, imports in progress...):
  writing it changes no version. A new table therefore never empties the cache by accident; a table
  a page does show must be marked, and a `BY_PRODUCT` one must also be followed by the tracking.

Writes through a Session are noticed by the session hooks (`notice_*`, registered with the other
commit steps in `app.derived`); SQL run on a bare connection must call `bump(connection)` itself.
Both versions are 64-bit. The row's lock is taken once per commit, by the last statement before
COMMIT (`commit_step`), so a transaction holds it only for the time of one UPDATE and the change
log's INSERT, never while summaries or documents are recomputed.
"""
from __future__ import annotations

import re

from sqlalchemy import DDL, BigInteger, Connection, Table, TextClause, event, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from app.extensions import db

SHOWN_ON_PAGES = "shown_on_pages"
ALL, PRODUCT = "all", "product"
EVERY_PAGE = {SHOWN_ON_PAGES: ALL}
BY_PRODUCT = {SHOWN_ON_PAGES: PRODUCT}

SHOP_DIRTY = "shop_version_dirty"       # session.info: this transaction wrote a table shown on every page
CHANGED = "changed_products"            # session.info: products whose offers this transaction changed
EVERYTHING = 0                          # the product id logged by a rebuild: every product changed


class DataVersion(db.Model):
    """A single row: the change sequence and the shop version (see the module's docstring)."""
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    shop: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


# The row exists from the start: the migration inserts it, and so does a schema made by create_all.
event.listen(DataVersion.__table__, "after_create",
             DDL("INSERT INTO data_version (id, value, shop) VALUES (1, 0, 0)"))


def shown_on_pages(table) -> str | None:
    """`ALL`, `PRODUCT` or None (no page shows it) for a Table, or a table's name."""
    if isinstance(table, str):
        table = db.metadata.tables.get(table)
    if not isinstance(table, Table):
        return None
    return table.info.get(SHOWN_ON_PAGES)


def bump(connection: Connection | Session) -> None:
    """Make every cached page older than this transaction unreachable, once it commits."""
    connection.execute(update(DataVersion).where(DataVersion.id == 1)
                       .values(value=DataVersion.value + 1, shop=DataVersion.shop + 1))


def current_versions(session: Session) -> tuple[int, int] | None:
    """(change sequence, shop version) as committed; None on a database without the row."""
    # On the session's connection, without the ORM's machinery: this runs on every cached visit.
    row = session.connection().exec_driver_sql("SELECT value, shop FROM data_version WHERE id = 1").first()
    return (row[0], row[1]) if row is not None else None


def current_version(session: Session) -> int | None:
    """The change sequence alone (what the search columns in memory catch up to)."""
    versions = current_versions(session)
    return versions[0] if versions else None


def product_version(session: Session, product_id: int) -> int:
    """The change sequence of the last commit that changed this product's offers (or rebuilt every
    product); -1 when the change log holds none (never changed, or pruned long ago)."""
    from app.search.models import SearchChange
    found = session.execute(select(SearchChange.version).where(
        SearchChange.product_id.in_((product_id, EVERYTHING)))
        .order_by(SearchChange.version.desc()).limit(1)).scalar()
    return -1 if found is None else found


def products_changed(session: Session, product_ids) -> None:
    """Note products whose offers this transaction changed: logged under its version at commit."""
    session.info.setdefault(CHANGED, set()).update(i for i in product_ids if i is not None)


def pending(session: Session) -> bool:
    """Whether this session holds writes whose versions are not committed yet."""
    return bool(session.info.get(SHOP_DIRTY) or session.info.get(CHANGED))


# -- noticing writes -------------------------------------------------------------------------

def _shows_all(instances) -> bool:
    return any(shown_on_pages(getattr(instance, "__table__", None)) == ALL for instance in instances)


def notice_flush(session: Session, _context, _instances) -> None:
    if not session.info.get(SHOP_DIRTY) and (_shows_all(session.new) or _shows_all(session.deleted)
                                             or _shows_all(obj for obj in session.dirty
                                                           if session.is_modified(obj))):
        session.info[SHOP_DIRTY] = True


_TEXT_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
                         re.IGNORECASE)


def notice_statement(state: ORMExecuteState) -> None:
    if state.session.info.get(SHOP_DIRTY):
        return
    statement = state.statement
    if isinstance(statement, TextClause):
        match = _TEXT_WRITE.match(statement.text)
        if match:
            if shown_on_pages(match.group(1)) == ALL:
                state.session.info[SHOP_DIRTY] = True
        elif statement.text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE", "REPLAC", "WITH "):
            state.session.info[SHOP_DIRTY] = True      # a write we cannot read: assume it shows everywhere
    elif state.is_insert or state.is_update or state.is_delete:
        if shown_on_pages(getattr(statement, "table", None)) == ALL:
            state.session.info[SHOP_DIRTY] = True


def commit_step(session: Session) -> None:
    """The last step before COMMIT: move the versions and log the changed products, in one UPDATE
    (which takes the row's lock, held until COMMIT right after) and one INSERT."""
    shop = bool(session.info.pop(SHOP_DIRTY, False))
    changed = session.info.pop(CHANGED, set())
    if not shop and not changed:
        return
    from app.search import summary
    shop = shop or EVERYTHING in changed
    version = session.execute(
        update(DataVersion).where(DataVersion.id == 1)
        .values(value=DataVersion.value + 1, **({"shop": DataVersion.shop + 1} if shop else {}))
        .returning(DataVersion.value)).scalar_one()
    if changed:
        summary.write_change_log(session, version, sorted(changed))


def forget(session: Session, *_args) -> None:
    session.info.pop(SHOP_DIRTY, None)
    session.info.pop(CHANGED, None)
