"""Bulk CSV export and import of a seller's listings (format in the README, "Listing CSV files").

One line per listing: the variant's SKU, grade and battery option name it; stock, warranty, VAT
scheme, state and one price column per market the seller ships to follow. The import checks the
whole file first (encoding, columns, every value, unknown SKUs, duplicate lines) and applies nothing
when anything is wrong; otherwise it applies every line in one transaction with bulk statements.
Listings absent from the file are left as they are.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from app.catalog.models import Product, Variant
from app.models_base import utcnow
from app.offers.grades import Grade
from app.offers.history import open_first_periods, record_price_changes
from app.offers.models import Listing, ListingPrice, VatScheme

from .models import Seller
from .money import PriceError, format_plain, parse_price

BASE_COLUMNS = ("sku", "grade", "new_battery", "battery_health_min", "quantity", "warranty_months",
                "vat_scheme", "active")
YES, NO = "yes", "no"
MAX_REPORTED_ERRORS = 200
PRICE_ERRORS = {
    "negative": _l("the price in %(column)s is negative"),
    "zero": _l("the price in %(column)s must be more than zero"),
    "format": _l("the price in %(column)s is not a number like 349.90"),
    "decimals": _l("the price in %(column)s has too many decimals"),
    "too_high": _l("the price in %(column)s is too high"),
}


def columns_for(seller: Seller) -> list[str]:
    return [*BASE_COLUMNS, *(f"price_{m.code.lower()}" for m in seller.markets)]


def export_rows(session: Session, seller: Seller) -> Iterator[list[str]]:
    """The header, then one line per listing of the seller (two queries)."""
    markets = list(seller.markets)
    yield columns_for(seller)
    prices: dict[int, dict[int, int]] = {}
    for listing_id, market_id, amount in session.execute(
            select(ListingPrice.listing_id, ListingPrice.market_id, ListingPrice.amount)
            .join(Listing, Listing.id == ListingPrice.listing_id).where(Listing.seller_id == seller.id)):
        prices.setdefault(listing_id, {})[market_id] = amount
    for row in session.execute(
            select(Listing.id, Variant.sku, Listing.grade, Listing.has_new_battery, Listing.battery_health_min,
                   Listing.quantity, Listing.warranty_months, Listing.vat_scheme, Listing.is_active)
            .join(Variant, Variant.id == Listing.variant_id)
            .where(Listing.seller_id == seller.id).order_by(Variant.sku, Listing.grade, Listing.has_new_battery)):
        own = prices.get(row.id, {})
        yield [row.sku, row.grade, YES if row.has_new_battery else NO,
               "" if row.battery_health_min is None else str(row.battery_health_min), str(row.quantity),
               str(row.warranty_months), row.vat_scheme, YES if row.is_active else NO,
               *(format_plain(own[m.id], m.currency) if m.id in own else "" for m in markets)]


def export_csv(session: Session, seller: Seller) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(export_rows(session, seller))
    return out.getvalue()


@dataclass(frozen=True)
class LineError:
    line: int           # 1 is the header line
    message: str


@dataclass
class ImportResult:
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    lines: int = 0
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def fail(self, line: int, message) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(LineError(line, str(message)))


@dataclass(frozen=True)
class Row:
    line: int
    variant_id: int
    grade: str
    new_battery: bool
    battery_health_min: int | None
    quantity: int
    warranty_months: int
    vat_scheme: str
    active: bool
    prices: dict[int, int | None]       # market id → amount (None: not sold there)


Progress = Callable[[int, int], None]


def read_file(data: bytes, seller: Seller, *, max_rows: int, result: ImportResult) -> list[list[str]] | None:
    """Decode and split the file, checking encoding, size and columns. None when it cannot go on."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        result.fail(line, _l("The file is not UTF-8 text (first problem on this line). Save it as "
                             "\"CSV UTF-8\" and send it again."))
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [r for r in reader if any(cell.strip() for cell in r)]
    except csv.Error:        # a field longer than the csv module's limit (128 KiB), a NUL, a broken quote
        result.fail(reader.line_num or 1, _l("This line cannot be read as CSV (a cell is far too long, or a "
                                             "quote is not closed). Correct it and send the file again."))
        return None
    if not rows:
        result.fail(1, _l("The file is empty."))
        return None
    result.lines = len(rows) - 1
    if result.lines > max_rows:
        result.fail(1, _l("The file has %(count)s lines; at most %(max)s can be imported at once. "
                          "Split it into several files.", count=result.lines, max=max_rows))
        return None
    header = [cell.strip().lower() for cell in rows[0]]
    expected = columns_for(seller)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing:
        result.fail(1, _l("Missing columns: %(columns)s.", columns=", ".join(missing)))
    if extra:
        result.fail(1, _l("Unexpected columns: %(columns)s. The columns are: %(expected)s.",
                          columns=", ".join(extra), expected=", ".join(expected)))
    if len(set(header)) != len(header):
        result.fail(1, _l("A column appears twice in the first line."))
    if not result.ok:
        return None
    return [header, *rows[1:]]


def check_rows(session: Session, seller: Seller, rows: list[list[str]], result: ImportResult,
               progress: Progress) -> list[Row]:
    """Every line checked; errors collected in `result` with their line number."""
    header, body = rows[0], rows[1:]
    index = {name: i for i, name in enumerate(header)}
    markets = {f"price_{m.code.lower()}": m for m in seller.markets}
    variants = _variants_by_sku(session, {r[index["sku"]].strip() for r in body if len(r) == len(header)})
    seen: dict[tuple, int] = {}
    checked: list[Row] = []
    for offset, cells in enumerate(body):
        line = offset + 2
        if offset % 1000 == 0:
            progress(offset, len(body))
        if len(cells) != len(header):
            result.fail(line, _l("%(found)s values instead of %(expected)s.", found=len(cells), expected=len(header)))
            continue
        value = {name: cells[i].strip() for name, i in index.items()}
        problems = []
        variant_id = variants.get(value["sku"])
        if variant_id is None:
            problems.append(_l("unknown product SKU \"%(sku)s\"", sku=value["sku"][:60]))
        if value["grade"].lower() not in set(Grade):
            problems.append(_l("the grade must be one of %(grades)s", grades=", ".join(Grade)))
        flags = {}
        for name in ("new_battery", "active"):
            flags[name] = value[name].lower()
            if flags[name] not in (YES, NO):
                problems.append(_l("%(column)s must be yes or no", column=name))
        numbers = {}
        for name, low, high, optional in (("quantity", 0, 100000, False), ("warranty_months", 0, 60, False),
                                          ("battery_health_min", 50, 100, True)):
            if optional and value[name] == "":
                numbers[name] = None
            elif value[name].isdigit() and low <= int(value[name]) <= high:
                numbers[name] = int(value[name])
            else:
                problems.append(_l("%(column)s must be a whole number from %(min)s to %(max)s",
                                   column=name, min=low, max=high))
        if value["vat_scheme"].lower() not in set(VatScheme):
            problems.append(_l("vat_scheme must be one of %(schemes)s", schemes=", ".join(VatScheme)))
        prices: dict[int, int | None] = {}
        for column, market in markets.items():
            if value[column] == "":
                prices[market.id] = None
                continue
            try:
                prices[market.id] = parse_price(value[column], market.currency)
            except PriceError as exc:
                problems.append(PRICE_ERRORS[exc.code] % {"column": column})
        if problems:
            text = "; ".join(str(p) for p in problems)
            result.fail(line, text[:1].upper() + text[1:] + ".")
            continue
        key = (variant_id, value["grade"].lower(), flags["new_battery"] == YES)
        if key in seen:
            result.fail(line, _l("Same listing (SKU, grade and battery) as line %(line)s.", line=seen[key]))
            continue
        seen[key] = line
        checked.append(Row(line, variant_id, key[1], key[2], numbers["battery_health_min"], numbers["quantity"],
                           numbers["warranty_months"], value["vat_scheme"].lower(), flags["active"] == YES, prices))
    progress(len(body), len(body))
    return checked


def _variants_by_sku(session: Session, skus: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(s for s in skus if s)
    for chunk in (ordered[i:i + 500] for i in range(0, len(ordered), 500)):
        found.update(session.execute(
            select(Variant.sku, Variant.id).join(Product, Product.id == Variant.product_id)
            .where(Variant.sku.in_(chunk), Product.is_active)).all())
    return found


# Plain executemany statements: the driver batches them (psycopg pipelines them) with one short query
# string, where an INSERT construct would be rewritten into huge multi-row VALUES statements.
INSERT_LISTING = text(
    "INSERT INTO listing (seller_id, variant_id, grade, has_new_battery, battery_health_min, quantity, "
    "warranty_months, vat_scheme, is_active, created_at, updated_at) VALUES (:seller_id, :variant_id, :grade, "
    ":has_new_battery, :battery_health_min, :quantity, :warranty_months, :vat_scheme, :is_active, :now, :now)")
INSERT_PRICE = text("INSERT INTO listing_price (listing_id, market_id, amount, currency) "
                    "VALUES (:listing_id, :market_id, :amount, :currency)")


def _listing_ids(session: Session, seller: Seller) -> dict[tuple, int]:
    return {(v, g, b): i for i, v, g, b in session.execute(
        select(Listing.id, Listing.variant_id, Listing.grade, Listing.has_new_battery)
        .where(Listing.seller_id == seller.id))}


def apply_rows(session: Session, seller: Seller, rows: list[Row], result: ImportResult) -> None:
    """Write every checked line with a handful of bulk statements, then the price history. Flushes only."""
    now = utcnow()
    existing = _listing_ids(session, seller)
    current_prices = {(lid, mid): (pid, amount) for pid, lid, mid, amount in session.execute(
        select(ListingPrice.id, ListingPrice.listing_id, ListingPrice.market_id, ListingPrice.amount)
        .join(Listing, Listing.id == ListingPrice.listing_id).where(Listing.seller_id == seller.id))}

    def values(row: Row) -> dict:
        return {"quantity": row.quantity, "warranty_months": row.warranty_months,
                "battery_health_min": row.battery_health_min, "vat_scheme": row.vat_scheme,
                "is_active": row.active}

    def key(row: Row) -> tuple:
        return row.variant_id, row.grade, row.new_battery

    updates = [{"id": existing[key(r)], **values(r)} for r in rows if key(r) in existing]
    fresh = [r for r in rows if key(r) not in existing]
    if updates:
        session.execute(update(Listing), updates)
    if fresh:
        session.execute(INSERT_LISTING, [{"seller_id": seller.id, "variant_id": r.variant_id, "grade": r.grade,
                                          "has_new_battery": r.new_battery, "now": now, **values(r)} for r in fresh])
        existing = _listing_ids(session, seller)
    currency = {m.id: m.currency for m in seller.markets}
    new_prices, changed, removed = [], [], []
    for row in rows:
        listing_id = existing[key(row)]
        for market_id, amount in row.prices.items():
            current = current_prices.get((listing_id, market_id))
            if amount is None:
                if current:
                    removed.append(current[0])
            elif current is None:
                new_prices.append({"listing_id": listing_id, "market_id": market_id, "amount": amount,
                                   "currency": currency[market_id]})
            elif current[1] != amount:
                changed.append({"id": current[0], "amount": amount})
    for chunk in (removed[i:i + 1000] for i in range(0, len(removed), 1000)):
        session.execute(delete(ListingPrice).where(ListingPrice.id.in_(chunk)))
    if changed:
        session.execute(update(ListingPrice), changed)
    if new_prices:
        session.execute(INSERT_PRICE, new_prices)
        open_first_periods(session, select(ListingPrice.id).join(Listing, Listing.id == ListingPrice.listing_id)
                           .where(Listing.seller_id == seller.id), at=now)
    record_price_changes(session, [c["id"] for c in changed], at=now)
    result.created, result.updated = len(fresh), len(updates)
    session.flush()


def import_csv(session: Session, seller: Seller, data: bytes, *, max_rows: int, max_bytes: int,
               progress: Progress = lambda done, total: None, before_apply: Callable[[], None] = lambda: None
               ) -> ImportResult:
    """Check the whole file, then apply it only if every line is right. Flushes; the caller commits."""
    result = ImportResult()
    if len(data) > max_bytes:
        result.fail(1, _l("The file is larger than %(size)s MB.", size=max_bytes // (1024 * 1024)))
        return result
    rows = read_file(data, seller, max_rows=max_rows, result=result)
    if rows is None:
        return result
    checked = check_rows(session, seller, rows, result, progress)
    if not result.ok:
        return result
    before_apply()
    apply_rows(session, seller, checked, result)
    return result
