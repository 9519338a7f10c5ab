"""Catalog translation screens of the content back office: completeness, editing, files.

Catalog texts are per language and serve every market speaking it, so like shared page texts they
are edited from the language's home market (or by an admin): `require_content_scope(shared=True)`.
Other markets' managers see the dashboard and may export, not change.
"""
from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.accounts import permissions
from app.catalog.models import Category, Product
from app.extensions import db
from app.i18n import fallback_chain
from app.offers.models import GradeDescription
from app.web.htmx import render

from . import translations as tr
from .admin import bp
from .forms import CategoryTextForm, GradeTextForm, ImportForm, ProductTextForm
from .services import record

OUTCOMES = {"updated": _l("updated"), "unchanged": _l("unchanged"), "skipped": _l("skipped"), "error": _l("error")}


@bp.get("/<code>/translations")
def translations(code: str):
    market = permissions.require_market(db.session, code)
    languages = [e.language for e in market.editions if e.is_active]
    reports = [(tr.completeness(db.session, market, language, market_languages=languages),
                current_user.is_admin or any(e.language == language and e.is_language_default for e in market.editions))
               for language in languages]
    return render("content_admin/translations.html", market=market, reports=reports)


def _edit(code: str, language: str, kind: str, owner, form_class, template_fields):
    market, _edition = permissions.require_content_scope(db.session, code, language, shared=True)
    row = next((t for t in owner.translations if t.language == language), None)
    source = next((t for t in owner.translations if t.language == tr.source_language(language)), None)
    if request.method == "GET":
        form = form_class(data={name: getattr(row, name, "") or "" for name in tr.FIELDS[kind]} if row else None)
    else:
        form = form_class()
    if request.method == "POST" and form.validate():
        tr.set_text(db.session, kind, owner, language, {name: (getattr(form, name).data or "").strip()
                                                         for name in tr.FIELDS[kind]},
                    fallback_languages=fallback_chain(tr.source_language(language)))
        subject = tr.grade_key(owner) if kind == "grade" else owner.key
        record(db.session, user=current_user, market=market.code, language=language, subject=f"{kind}:{subject}",
               action="translated")
        db.session.commit()
        flash(_("Translation saved."))
        return redirect(url_for(".translations", code=market.code.lower()), code=303)
    return render("content_admin/translate.html", market=market, language=language, form=form, source=source,
                  kind=kind, fields=template_fields, owner=owner,
                  subject=tr.grade_key(owner) if kind == "grade" else owner.key), 422 if form.errors else 200


@bp.route("/<code>/<language>/categories/<key>", methods=["GET", "POST"])
def translate_category(code: str, language: str, key: str):
    category = db.session.scalar(select(Category).where(Category.key == key)) or abort(404)
    return _edit(code, language, "category", category, CategoryTextForm, ("name", "description"))


@bp.route("/<code>/<language>/products/<key>", methods=["GET", "POST"])
def translate_product(code: str, language: str, key: str):
    product = db.session.scalar(select(Product).where(Product.key == key)) or abort(404)
    return _edit(code, language, "product", product, ProductTextForm, ("name", "description"))


@bp.route("/<code>/<language>/grades/<int:grade_id>", methods=["GET", "POST"])
def translate_grade(code: str, language: str, grade_id: int):
    grade = db.session.get(GradeDescription, grade_id) or abort(404)
    return _edit(code, language, "grade", grade, GradeTextForm, ("summary", "screen", "body", "functions", "battery"))


@bp.get("/<code>/<language>/export.<any(csv, xlf):fmt>")
def export(code: str, language: str, fmt: str):
    market, _edition = permissions.require_content_scope(db.session, code, language)
    source = tr.source_language(language)
    rows = tr.export_rows(db.session, market, language, source, everything=request.args.get("all") == "1")
    name = f"refurb-{market.code.lower()}-{language}-{'all' if request.args.get('all') == '1' else 'missing'}"
    if fmt == "csv":
        response = Response(tr.to_csv(rows, source), mimetype="text/csv")
    else:
        response = Response(tr.to_xliff(rows, source, language), mimetype="application/x-xliff+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@bp.route("/<code>/<language>/import", methods=["GET", "POST"])
def import_texts(code: str, language: str):
    market, _edition = permissions.require_content_scope(db.session, code, language, shared=True)
    form = ImportForm()
    report = None
    status = 200
    if request.method == "POST":
        upload = form.file.data if form.validate() else None
        if not upload or not getattr(upload, "filename", ""):
            form.file.errors = [_("Choose a CSV or XLIFF file.")]
            status = 422
        else:
            try:
                rows = tr.parse_upload(upload.stream.read(tr.MAX_IMPORT_BYTES + 1), upload.filename)
            except tr.ImportFileError as exc:
                form.file.errors = [str(exc.message)]
                status = 422
            else:
                report = tr.import_rows(db.session, rows, language=language, user=current_user,
                                        fallback_languages=fallback_chain(tr.source_language(language)),
                                        market=market.code)
                if report.errors:
                    db.session.rollback()
                    status = 422
                else:
                    db.session.commit()
    return render("content_admin/import.html", market=market, language=language, form=form, report=report,
                  outcomes=OUTCOMES), status


