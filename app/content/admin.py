"""The content editor of country managers (`/manage/content/…`), in the manager's language.

Every route is guarded by `permissions.protect_admin` (admins and country managers) and then checks
the market in the URL with `permissions.require_content_scope`: a manager of another country gets a
403, an unknown market or a language the market does not speak a 404.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from sqlalchemy import or_, select

from app.accounts import permissions
from app.catalog.errors import ImageRejected
from app.catalog.views import navigation_categories
from app.extensions import db
from app.models_base import utcnow
from app.sites.models import Market
from app.sites.routing import use_edition
from app.web.htmx import render

from . import keys, queries, services
from .errors import EditConflict
from .forms import ContentForm, RestoreForm
from .home import home_content, valid_promotion_target
from .images import discard_banner, store_banner
from .markup import html_diff, render_markdown
from .models import SHARED, ContentAudit, ContentRevision
from .views import home_blocks

bp = Blueprint("content_admin", __name__, template_folder="templates", url_prefix="/manage/content")
EDITOR_ENDPOINTS = {"index", "market", "edit", "preview", "draft", "history", "restore", "audit"}
TRANSLATION_ENDPOINTS = {"translations", "translate_category", "translate_product", "translate_grade",
                         "export", "import_texts"}
permissions.protect_admin(bp, open_to_managers=EDITOR_ENDPOINTS | TRANSLATION_ENDPOINTS)
AUDIT_ROWS = 200
AUDIT_ACTIONS = {"saved": _l("draft saved"), "published": _l("published"), "scheduled": _l("scheduled"),
                 "restored": _l("revision restored"), "image": _l("picture uploaded"),
                 "translated": _l("translation saved"), "imported": _l("translations imported")}


def _scope(code: str, language: str, scope: str, key: str):
    if key not in keys.ALL:
        abort(404)
    market, edition = permissions.require_content_scope(db.session, code, language, shared=scope == "shared")
    return market, edition, (SHARED if scope == "shared" else market.code)


def _subject_url(endpoint: str, market, language: str, scope: str, key: str, **kw) -> str:
    return url_for(f".{endpoint}", code=market.code.lower(), language=language, scope=scope, key=key, **kw)


@bp.get("/")
def index():
    return render("content_admin/index.html", markets=permissions.managed_markets(db.session, current_user))


@bp.get("/<code>")
def market(code: str):
    market = permissions.require_market(db.session, code)
    rows = []
    for edition in market.editions:
        if not edition.is_active:
            continue
        languages = _edition_languages(market, edition)
        shown = queries.public_texts(db.session, list(keys.ALL), market=market.code, languages=languages)
        own = {t.key: queries.text_state(db.session, t) for t in _texts(edition.language, market.code)}
        shared = {t.key: queries.text_state(db.session, t) for t in _texts(edition.language, SHARED)}
        rows.append((edition, [(kind, shown.get(kind.key), own.get(kind.key), shared.get(kind.key))
                               for kind in keys.ALL.values()],
                     current_user.is_admin or edition.is_language_default))
    return render("content_admin/market.html", market=market, rows=rows)


def _texts(language: str, market: str):
    from .models import ContentText
    return db.session.scalars(select(ContentText).where(ContentText.language == language,
                                                        ContentText.market == market)).all()


def _edition_languages(market: Market, edition) -> tuple[str, ...]:
    from app.i18n import fallback_chain
    main = next((e.language for e in market.editions if e.is_market_default), None)
    return fallback_chain(edition.language, main)


def _starting_point(market: Market, edition, language: str, market_code: str, key: str):
    """What the editor opens with: the text's latest revision, else what the edition shows now."""
    state = queries.text_state(db.session, queries.find_text(db.session, key, language=language,
                                                            market=market_code))
    if state.latest is not None:
        return state, state.latest
    shown = queries.public_text(db.session, key, market=market.code, languages=_edition_languages(market, edition))
    return state, shown.revision if shown else None


@bp.route("/<code>/<language>/<any(market, shared):scope>/<key>", methods=["GET", "POST"])
def edit(code: str, language: str, scope: str, key: str):
    market, edition, market_code = _scope(code, language, scope, key)
    kind = keys.ALL[key]
    state, start = _starting_point(market, edition, language, market_code, key)
    if request.method == "GET":
        form = ContentForm(data={"title": start.title if start else "", "body": start.body if start else "",
                                 "items": start.items if start else "", "version": state.version})
    else:
        form = ContentForm()
    context = {"market": market, "edition": edition, "scope": scope, "kind": kind, "state": state,
               "language": language, "market_code": market_code, "conflict": None,
               "image_key": start.image_key if start else None}
    if request.method == "GET":
        return render("content_admin/edit.html", form=form, **context)

    action = request.form.get("action", "save")
    if not form.validate():
        return render("content_admin/edit.html", form=form, **context), 422
    if key.startswith("home-promotion") and not valid_promotion_target(form.items.data):
        form.items.errors.append(_("The banner can lead to a category code, an address on this site starting "
                                   "with / or an address starting with https://."))
        return render("content_admin/edit.html", form=form, **context), 422
    if action == "preview":
        return render("content_admin/edit.html", form=form, preview=render_markdown(form.body.data), **context)

    publish_at = None
    if action == "publish":
        publish_at = utcnow()
    elif action == "schedule":
        if form.publish_at.data is None:
            form.publish_at.errors.append(_("Choose the date and time to publish at."))
            return render("content_admin/edit.html", form=form, **context), 422
        publish_at = form.publish_at.data.replace(tzinfo=ZoneInfo(market.timezone))
        if publish_at <= utcnow():
            form.publish_at.errors.append(_("Choose a time in the future, or publish now."))
            return render("content_admin/edit.html", form=form, **context), 422

    image_key = context["image_key"]
    upload = form.banner.data
    if kind.has_image and upload and getattr(upload, "filename", ""):
        try:
            image_key = store_banner(upload.stream, content_type=upload.mimetype)
        except ImageRejected as exc:
            form.banner.errors.append(str(exc.message))
            return render("content_admin/edit.html", form=form, **context), 422
        services.record(db.session, user=current_user, market=market_code, language=language,
                        subject=f"page:{key}", action="image", detail=upload.filename or "")
    if form.remove_banner.data:
        image_key = None

    try:
        revision = services.save_text(db.session, key=key, language=language, market=market_code,
                                      expected_version=form.version.data, title=form.title.data,
                                      body=form.body.data or "", items=form.items.data or "",
                                      image_key=image_key if kind.has_image else None, author=current_user,
                                      publish_at=publish_at)
    except EditConflict as exc:
        db.session.rollback()
        if image_key and image_key != context["image_key"]:
            discard_banner(image_key)      # uploaded with a save that did not happen
        state = queries.text_state(db.session, queries.find_text(db.session, key, language=language,
                                                                market=market_code))
        theirs = exc.current or state.latest
        form.version.data = state.version
        form.version.raw_data = [str(state.version)]
        context.update(state=state, conflict=theirs,
                       conflict_diff=html_diff(f"{theirs.title}\n\n{theirs.body}" if theirs else "",
                                               f"{form.title.data}\n\n{form.body.data or ''}"))
        return render("content_admin/edit.html", form=form, **context), 409
    db.session.commit()
    if action == "publish":
        flash(_("Published: the public sees this text now."))
    elif action == "schedule":
        flash(_("Scheduled: the public sees this text from the time you chose."))
    else:
        flash(_("Draft saved (revision %(number)s). The public still sees the published text.",
                number=revision.number))
    return redirect(_subject_url("edit", market, language, scope, key), code=303)


@bp.post("/<code>/<language>/<any(market, shared):scope>/<key>/preview")
def preview(code: str, language: str, scope: str, key: str):
    # htmx: the editor's live preview (#preview) while typing; the form's own Preview button without JS.
    _scope(code, language, scope, key)
    body = request.form.get("body", "")[:50000]
    return render("content_admin/_preview.html", preview=render_markdown(body))


@bp.get("/<code>/<language>/<any(market, shared):scope>/<key>/draft")
def draft(code: str, language: str, scope: str, key: str):
    """The latest revision (draft or not) exactly as the edition's public page would show it."""
    market, edition, market_code = _scope(code, language, scope, key)
    _state, start = _starting_point(market, edition, language, market_code, key)
    if start is None:
        abort(404)
    use_edition(edition)
    g.ui_language = None
    refresh()
    shown = queries.ShownText(start, language, market_code)
    if keys.ALL[key].is_page:
        return render("content/page.html", shown=shown, revision=start, key=key, fallback=False, badge=False)
    blocks = dict(home_blocks())
    blocks[key] = shown
    home = home_content(db.session, blocks, navigation_categories(), market, g.languages,
                        limit=current_app.config["FEATURED_PRODUCTS_ON_HOME"])
    return render("catalog/home.html", tree=home.categories, featured=home.products, blocks=home.blocks,
                  links=home.links, badge=False)


@bp.get("/<code>/<language>/<any(market, shared):scope>/<key>/history")
def history(code: str, language: str, scope: str, key: str):
    market, edition, market_code = _scope(code, language, scope, key)
    text = queries.find_text(db.session, key, language=language, market=market_code)
    revisions = services.revisions_of(db.session, text) if text else []
    diffs = {}
    for newer, older in zip(revisions, revisions[1:] + [None], strict=True):
        diffs[newer.number] = html_diff(f"{older.title}\n\n{older.body}" if older else "",
                                        f"{newer.title}\n\n{newer.body}")
    return render("content_admin/history.html", market=market, edition=edition, scope=scope, language=language,
                  kind=keys.ALL[key], revisions=revisions, diffs=diffs,
                  state=queries.text_state(db.session, text), form=RestoreForm())


@bp.post("/<code>/<language>/<any(market, shared):scope>/<key>/revisions/<int:number>/restore")
def restore(code: str, language: str, scope: str, key: str, number: int):
    market, _edition, market_code = _scope(code, language, scope, key)
    text = queries.find_text(db.session, key, language=language, market=market_code)
    revision = db.session.scalar(select(ContentRevision).where(
        ContentRevision.text_id == (text.id if text else -1), ContentRevision.number == number)) or abort(404)
    form = RestoreForm()
    if not form.validate():
        flash(_("This page was out of date: please try again."))
        return redirect(_subject_url("history", market, language, scope, key), code=303)
    try:
        restored = services.restore_revision(db.session, revision, expected_version=form.version.data,
                                             author=current_user)
    except EditConflict:
        db.session.rollback()
        flash(_("Someone else saved this text in the meantime: look at the history again before restoring."))
        return redirect(_subject_url("history", market, language, scope, key), code=303)
    db.session.commit()
    flash(_("Revision %(old)s is back as draft %(new)s. Publish it from the editor.",
            old=number, new=restored.number))
    return redirect(_subject_url("edit", market, language, scope, key), code=303)


@bp.get("/<code>/audit")
def audit(code: str):
    market = permissions.require_market(db.session, code)
    languages = [e.language for e in market.editions]
    entries = db.session.scalars(
        select(ContentAudit)
        .where(or_(ContentAudit.market == market.code,
                   (ContentAudit.market == SHARED) & ContentAudit.language.in_(languages)))
        .order_by(ContentAudit.at.desc(), ContentAudit.id.desc()).limit(AUDIT_ROWS)).all()
    return render("content_admin/audit.html", market=market, entries=entries, audit_actions=AUDIT_ACTIONS)


def local_time(moment: datetime | None, market: Market) -> datetime | None:
    moment = queries.aware(moment)
    return moment.astimezone(ZoneInfo(market.timezone)) if moment else None


bp.add_app_template_global(local_time, "content_local_time")

from . import translate_views as _translate_views  # noqa: E402, F401  (routes on the same blueprint, which must exist first)
