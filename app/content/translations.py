"""Catalog texts per language: completeness, editing, and the translators' files (CSV, XLIFF 1.2).

A catalog text is one field of a category, product or grade description in one language
(`category_translation`, `product_translation`, `grade_description_translation`). Catalog texts
are per language, not per market: German product descriptions serve Germany and German Belgium.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.etree import (
    ElementTree as ET,  # writing only: files from outside are read with defusedxml
)

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import (
    Category,
    CategoryTranslation,
    Product,
    ProductTranslation,
)
from app.offers.models import GradeDescription, GradeDescriptionTranslation
from app.sites.models import Market

from . import keys
from .models import TranslationSource
from .queries import public_texts
from .services import record

FIELDS = {
    "category": {"name": 120, "description": 5000},
    "product": {"name": 200, "description": 10000},
    "grade": {"summary": 2000, "screen": 2000, "body": 2000, "functions": 2000, "battery": 2000},
}
REQUIRED = {"category": "name", "product": "name", "grade": "summary"}
CSV_COLUMNS = ("kind", "key", "field", "status", "source_language", "source", "text")
MAX_IMPORT_BYTES = 8 * 1024 * 1024
XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"


@dataclass(frozen=True)
class Share:
    done: int
    total: int
    missing: list[str]

    @property
    def ratio(self) -> float:       # for display only (a percentage), never stored
        return self.done / self.total if self.total else 1.0


@dataclass(frozen=True)
class Completeness:
    language: str
    products: Share
    categories: Share
    grades: Share
    pages: Share


def live_products(session: Session, market: Market) -> list[Product]:
    """Active products on sale in the market (read from the search summaries)."""
    from app.search.models import SearchProduct
    return list(session.scalars(
        select(Product).join(SearchProduct, SearchProduct.product_id == Product.id)
        .where(SearchProduct.market_id == market.id, Product.is_active).order_by(Product.key)))


def completeness(session: Session, market: Market, language: str, *, market_languages: Sequence[str],
                 missing_limit: int = 100) -> Completeness:
    """Share of live products (with a description), active categories (with a name), grade
    descriptions and pages/blocks (published in this very language, not through a fallback)."""
    def share(pairs: Iterable[tuple[str, bool]]) -> Share:
        pairs = list(pairs)
        missing = [label for label, ok in pairs if not ok]
        return Share(len(pairs) - len(missing), len(pairs), missing[:missing_limit])

    products = live_products(session, market)
    product_texts = {t.product_id: t for t in session.scalars(
        select(ProductTranslation).where(ProductTranslation.language == language))}
    categories = session.scalars(select(Category).where(Category.is_active).order_by(Category.position)).all()
    grades = session.scalars(select(GradeDescription).order_by(GradeDescription.id)).all()
    shown = public_texts(session, list(keys.ALL), market=market.code, languages=[language])
    return Completeness(
        language,
        share((p.key, bool(product_texts.get(p.id) and (product_texts[p.id].description or "").strip()))
              for p in products),
        share((c.key, any(t.language == language and t.name.strip() for t in c.translations)) for c in categories),
        share((grade_key(g), any(t.language == language and t.summary.strip() for t in g.translations))
              for g in grades),
        share((k, k in shown) for k in keys.ALL),
    )


def grade_key(grade: GradeDescription) -> str:
    return f"{grade.category.key if grade.category else '*'}:{grade.grade}"


@dataclass(frozen=True)
class TextRow:
    kind: str
    key: str
    field: str
    source: str
    text: str
    status: str = "missing"          # missing, changed (its source changed since), current


def source_language(language: str) -> str:
    """The language translators translate from: English, or French into English."""
    return "en" if language != "en" else "fr"


def digest(text: str | None) -> str:
    return hashlib.sha256((text or "").strip().encode()).hexdigest()


def _marks(session: Session, language: str) -> dict[tuple[str, str, str], str]:
    return {(m.kind, m.key, m.field): m.source_digest for m in session.scalars(
        select(TranslationSource).where(TranslationSource.language == language))}


def _mark(session: Session, kind: str, key: str, language: str, fields: Iterable[str], source_row) -> None:
    """Remember which source text the translation of `fields` was written from."""
    existing = {m.field: m for m in session.scalars(select(TranslationSource).where(
        TranslationSource.kind == kind, TranslationSource.key == key, TranslationSource.language == language))}
    for name in fields:
        value = digest(getattr(source_row, name, None) if source_row else "")
        if name in existing:
            existing[name].source_digest = value
        else:
            session.add(TranslationSource(kind=kind, key=key, field=name, language=language, source_digest=value))


def export_rows(session: Session, market: Market, language: str, source_language: str, *,
                everything: bool = False) -> list[TextRow]:
    """The texts a translator should write for `language`: the missing ones and those whose source
    changed since they were translated (or all of them), each with its text in `source_language` to
    translate from. Products are those on sale in `market`."""
    rows: list[TextRow] = []
    marks = _marks(session, language)

    def add(kind: str, key: str, translations, names: Iterable[str]) -> None:
        by_language = {t.language: t for t in translations}
        source, target = by_language.get(source_language), by_language.get(language)
        for name in names:
            src = (getattr(source, name, None) or "") if source else ""
            tgt = (getattr(target, name, None) or "") if target else ""
            if not src.strip() and not tgt.strip():
                continue
            mark = marks.get((kind, key, name))
            if not tgt.strip():
                status = "missing"
            elif mark is not None and mark != digest(src):
                status = "changed"
            else:
                status = "current"
            if everything or status != "current":
                rows.append(TextRow(kind, key, name, src, tgt, status))

    for category in session.scalars(select(Category).where(Category.is_active).order_by(Category.position)):
        add("category", category.key, category.translations, FIELDS["category"])
    for product in live_products(session, market):
        add("product", product.key, product.translations, FIELDS["product"])
    for grade in session.scalars(select(GradeDescription).order_by(GradeDescription.id)):
        add("grade", grade_key(grade), grade.translations, FIELDS["grade"])
    return rows


def to_csv(rows: list[TextRow], source_language: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([row.kind, row.key, row.field, row.status, source_language, _defuse(row.source),
                         _defuse(row.text)])
    return "\ufeff" + out.getvalue()


def _defuse(value: str) -> str:
    # A cell starting with =, +, - or @ is a formula to spreadsheet programs (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def to_xliff(rows: list[TextRow], source_language: str, language: str) -> bytes:
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", version="1.2")
    file_ = ET.SubElement(root, f"{{{XLIFF_NS}}}file", {"source-language": source_language,
                                                          "target-language": language,
                                                          "datatype": "plaintext", "original": "refurb-catalog"})
    body = ET.SubElement(file_, f"{{{XLIFF_NS}}}body")
    for row in rows:
        unit = ET.SubElement(body, f"{{{XLIFF_NS}}}trans-unit", id=f"{row.kind}/{row.key}/{row.field}")
        ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = row.source
        target = ET.SubElement(unit, f"{{{XLIFF_NS}}}target")
        target.text = row.text
        if row.status != "current":
            target.set("state", "needs-translation" if row.status == "missing" else "needs-review-translation")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class LineReport:
    line: str
    subject: str
    outcome: str          # "updated", "unchanged", "skipped", "error"
    message: str = ""


@dataclass
class ImportReport:
    lines: list[LineReport] = field(default_factory=list)
    fatal: str = ""

    @property
    def errors(self) -> int:
        return sum(1 for line in self.lines if line.outcome == "error") + (1 if self.fatal else 0)

    @property
    def updated(self) -> int:
        return sum(1 for line in self.lines if line.outcome == "updated")


class ImportFileError(Exception):
    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


def parse_upload(data: bytes, filename: str) -> list[tuple[str, str, str, str, str]]:
    """(line, kind, key, field, text) of a CSV or XLIFF file; ImportFileError when it cannot be read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(_l("This file is too large: at most %(mb)d MB.", mb=MAX_IMPORT_BYTES // 1024 // 1024))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_l("This file is not UTF-8 text.")) from None
    if text.lstrip().startswith("<"):
        return _parse_xliff(text)
    return _parse_csv(text)


def _parse_csv(text: str):
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise ImportFileError(_l("This file is empty.")) from None
    missing = [c for c in ("kind", "key", "field", "text") if c not in header]
    if missing:
        raise ImportFileError(_l("Columns missing: %(columns)s.", columns=", ".join(missing)))
    index = {name: header.index(name) for name in ("kind", "key", "field", "text")}
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            values = {name: cells[at] if at < len(cells) else "" for name, at in index.items()}
            rows.append((str(number), values["kind"].strip(), values["key"].strip(), values["field"].strip(),
                         _undefuse(values["text"])))
    except csv.Error:
        raise ImportFileError(_l("This file is not a CSV file we can read.")) from None
    return rows


def _undefuse(value: str) -> str:
    return value[1:] if value[:2] in ("'=", "'+", "'-", "'@") else value


def _parse_xliff(text: str):
    try:
        # No document type, no entities, nothing fetched: an uploaded file cannot expand or reach out.
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ImportFileError(_l("This XLIFF file declares a document type; remove it and try again.")) from None
    except ParseError:
        raise ImportFileError(_l("This file is not an XLIFF file we can read.")) from None
    rows = []
    for unit in root.iter(f"{{{XLIFF_NS}}}trans-unit"):
        unit_id = unit.get("id", "")
        parts = unit_id.split("/")
        target = unit.find(f"{{{XLIFF_NS}}}target")
        value = "".join(target.itertext()) if target is not None else ""
        kind, key, name = (parts + ["", "", ""])[:3] if len(parts) == 3 else ("", unit_id, "")
        rows.append((unit_id, kind, key, name, value))
    if not rows:
        raise ImportFileError(_l("This XLIFF file holds no translation unit."))
    return rows


def import_rows(session: Session, rows, *, language: str, fallback_languages: Sequence[str], user,
                market: str) -> ImportReport:
    """Check every line, then write them all, or nothing when a line is wrong. Empty texts are skipped
    (an export's untranslated lines come back empty). Flushes; the caller commits."""
    report = ImportReport()
    categories = {c.key: c for c in session.scalars(select(Category))}
    products: dict[str, Product] = {}
    wanted_products = [key for _, kind, key, _, _ in rows if kind == "product"]
    for chunk in range(0, len(wanted_products), 500):
        for p in session.scalars(select(Product).where(Product.key.in_(wanted_products[chunk:chunk + 500]))):
            products[p.key] = p
    grades = {grade_key(g): g for g in session.scalars(select(GradeDescription))}
    owners = {"category": categories, "product": products, "grade": grades}
    planned = []
    seen = set()
    for line, kind, key, name, value in rows:
        subject = f"{kind}/{key}/{name}"
        if kind not in FIELDS:
            report.lines.append(LineReport(line, subject, "error", str(_l("Unknown kind: use category, product or grade."))))
            continue
        owner = owners[kind].get(key)
        if owner is None:
            report.lines.append(LineReport(line, subject, "error", str(_l("Unknown code."))))
            continue
        if name not in FIELDS[kind]:
            report.lines.append(LineReport(line, subject, "error", str(_l("Unknown field."))))
            continue
        if (kind, key, name) in seen:
            report.lines.append(LineReport(line, subject, "error", str(_l("This text appears twice in the file."))))
            continue
        seen.add((kind, key, name))
        value = value.strip()
        if len(value) > FIELDS[kind][name]:
            report.lines.append(LineReport(line, subject, "error", str(_l("This text is too long (at most %(n)d characters).", n=FIELDS[kind][name]))))
            continue
        if not value:
            report.lines.append(LineReport(line, subject, "skipped", str(_l("Empty: nothing to import."))))
            continue
        current = next((t for t in owner.translations if t.language == language), None)
        if current is not None and (getattr(current, name) or "") == value:
            report.lines.append(LineReport(line, subject, "unchanged"))
            continue
        report.lines.append(LineReport(line, subject, "updated"))
        planned.append((kind, owner, name, value))
    if report.errors:
        return report
    for kind, owner, name, value in planned:
        set_text(session, kind, owner, language, {name: value}, fallback_languages=fallback_languages)
    if planned:
        record(session, user=user, market=market, language=language, subject="catalog", action="imported",
               detail=f"{len(planned)}")
    session.flush()
    return report


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:200] or "item"


def _free_slug(session: Session, model, language: str, base: str) -> str:
    slug, n = base, 1
    while session.scalar(select(model.id).where(model.language == language, model.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def set_text(session: Session, kind: str, owner, language: str, values: dict[str, str], *,
             fallback_languages: Sequence[str]):
    """Write fields of one catalog text in `language`, creating its row when missing (its name then
    starts from the fallback language's, its slug from its name). Existing slugs are kept: links
    that shoppers shared keep working. The source text each field was translated from is remembered
    (`TranslationSource`), so a later change of the source brings it back into the export."""
    row = next((t for t in owner.translations if t.language == language), None)
    if row is None:
        fallback = next((t for lang in fallback_languages for t in owner.translations if t.language == lang), None)
        if kind == "grade":
            row = GradeDescriptionTranslation(language=language, summary=values.get("summary") or
                                              (fallback.summary if fallback else ""))
        else:
            model = CategoryTranslation if kind == "category" else ProductTranslation
            name = values.get("name") or (fallback.name if fallback else owner.key)
            row = model(language=language, name=name, slug=_free_slug(session, model, language, slugify(name)))
        owner.translations.append(row)
    for name, value in values.items():
        setattr(row, name, value if value or name in REQUIRED.values() else None)
    source = next((t for t in owner.translations if t.language == source_language(language)), None)
    _mark(session, kind, grade_key(owner) if kind == "grade" else owner.key, language, values, source)
    session.flush()
    return row
