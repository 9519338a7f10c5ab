"""CSV export and import of a seller's bid grid (format in the README, "Trade-in").

One line per configuration and condition: `sku`, `condition`, then one `bid_<market>` column per
market the seller serves, in that market's currency (349.90). An empty cell removes the bid in that
market. As with listings, the whole file is checked first and nothing is applied when any line is
wrong; lines absent from the file leave their bids as they are.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Variant
from app.sellers.csv_io import PRICE_ERRORS, ImportResult
from app.sellers.models import Seller
from app.sellers.money import PriceError, format_plain, parse_price

from .models import Condition, TradeInBid

BASE_COLUMNS = ("sku", "condition")
MAX_LINES = 20000
MAX_BYTES = 4 * 1024 * 1024


def columns_for(seller: Seller) -> list[str]:
    return [*BASE_COLUMNS, *(f"bid_{m.code.lower()}" for m in seller.markets)]


def export_rows(session: Session, seller: Seller) -> Iterator[list[str]]:
    markets = list(seller.markets)
    yield columns_for(seller)
    grid: dict[tuple[str, str], dict[int, int]] = {}
    for sku, condition, market_id, amount in session.execute(
            select(Variant.sku, TradeInBid.condition, TradeInBid.market_id, TradeInBid.amount)
            .join(Variant, Variant.id == TradeInBid.variant_id).where(TradeInBid.seller_id == seller.id)):
        grid.setdefault((sku, condition), {})[market_id] = amount
    order = {c.value: c.rank for c in Condition}
    for (sku, condition), amounts in sorted(grid.items(), key=lambda item: (item[0][0], order[item[0][1]])):
        yield [sku, condition, *(format_plain(amounts[m.id], m.currency) if m.id in amounts else ""
                                 for m in markets)]


def export_csv(session: Session, seller: Seller) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(export_rows(session, seller))
    return out.getvalue()


@dataclass(frozen=True)
class Line:
    variant_id: int
    condition: str
    amounts: dict[int, int | None]      # market id → amount, None: no bid there


def import_csv(session: Session, seller: Seller, data: bytes) -> ImportResult:
    """Check the whole file, then apply it only if every line is right. Flushes; the caller commits."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.fail(1, _l("The file is larger than %(size)s MB.", size=MAX_BYTES // (1024 * 1024)))
        return result
    lines = _check(session, seller, data, result)
    if not result.ok:
        return result
    existing = {(b.variant_id, b.condition, b.market_id): b for b in session.scalars(
        select(TradeInBid).where(TradeInBid.seller_id == seller.id))}
    markets = {m.id: m for m in seller.markets}
    for line in lines:
        for market_id, amount in line.amounts.items():
            bid = existing.get((line.variant_id, line.condition, market_id))
            if amount is None:
                if bid is not None:
                    session.delete(bid)
                    result.updated += 1
            elif bid is None:
                session.add(TradeInBid(seller_id=seller.id, variant_id=line.variant_id, condition=line.condition,
                                       market_id=market_id, amount=amount, currency=markets[market_id].currency))
                result.created += 1
            elif bid.amount != amount:
                bid.amount = amount
                result.updated += 1
    session.flush()
    return result


def _check(session: Session, seller: Seller, data: bytes, result: ImportResult) -> list[Line]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.fail(data[:exc.start].count(b"\n") + 1,
                    _l("The file is not UTF-8 text (first problem on this line). Save it as "
                       "\"CSV UTF-8\" and send it again."))
        return []
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in r)]
    if not rows:
        result.fail(1, _l("The file is empty."))
        return []
    result.lines = len(rows) - 1
    if result.lines > MAX_LINES:
        result.fail(1, _l("The file has %(count)s lines; at most %(max)s can be imported at once. "
                          "Split it into several files.", count=result.lines, max=MAX_LINES))
        return []
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
        return []
    skus = {row[header.index("sku")].strip() for row in rows[1:] if len(row) == len(header)}
    variants = {sku: id_ for sku, id_ in session.execute(select(Variant.sku, Variant.id).where(Variant.sku.in_(skus)))}
    markets = list(seller.markets)
    seen: dict[tuple[int, str], int] = {}
    lines = []
    for number, cells in enumerate(rows[1:], start=2):
        if len(cells) != len(header):
            result.fail(number, _l("%(found)s values instead of %(expected)s.", found=len(cells),
                                   expected=len(header)))
            continue
        value = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        problems = []
        variant_id = variants.get(value["sku"])
        if variant_id is None:
            problems.append(_l("unknown product SKU \"%(sku)s\"", sku=value["sku"][:60]))
        condition = value["condition"].lower()
        if condition not in set(Condition):
            problems.append(_l("the condition must be one of %(conditions)s", conditions=", ".join(Condition)))
        amounts: dict[int, int | None] = {}
        for market in markets:
            column = f"bid_{market.code.lower()}"
            if not value[column]:
                amounts[market.id] = None
                continue
            try:
                amounts[market.id] = parse_price(value[column], market.currency)
            except PriceError as exc:
                problems.append(PRICE_ERRORS[exc.code] % {"column": column})
        if problems:
            result.fail(number, "; ".join(str(p) for p in problems))
            continue
        key = (variant_id, condition)
        if key in seen:
            result.fail(number, _l("Same configuration and condition as line %(line)s.", line=seen[key]))
            continue
        seen[key] = number
        lines.append(Line(variant_id, condition, amounts))
    return lines
