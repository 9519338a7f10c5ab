"""The platform's after-sales routes, under `/manage/aftersales` (blueprint `aftersales_admin`, admins
only): the escalated claims and the platform's decision (refund or the denial upheld), overriding
the seller."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.accounts import permissions
from app.extensions import db
from app.web.htmx import render

from . import claims, refunds, returns
from .errors import AftersalesError, RefundFailed
from .models import ClaimStatus, ReturnRequest, WarrantyClaim
from .pages import THREAD, attachment_response, claim_context, is_swap, photo_response, post_message, thread_context

platform = Blueprint("aftersales_admin", __name__, template_folder="templates", url_prefix="/manage/aftersales")
permissions.protect_admin(platform)


@platform.get("/claims")
def claims_list():
    rows = list(db.session.scalars(claims.escalated_claims().options(joinedload(WarrantyClaim.unit))
                                   .order_by(WarrantyClaim.escalated_at, WarrantyClaim.id).limit(200)))
    return render("aftersales/admin_claims.html", rows=rows, status_label=claims.status_label,
                  kind_label=claims.kind_label)


def _admin_claim(claim_id: int) -> WarrantyClaim:
    claim = db.session.get(WarrantyClaim, claim_id)
    if claim is None:
        abort(404)
    return claim


def _platform_thread(kind: str, case, **state) -> dict:
    def attachment_url(attachment):
        return url_for("aftersales_admin.case_attachment", kind=kind, case_id=case.id, attachment_id=attachment.id)
    url = url_for("aftersales_admin.case_message", kind=kind, case_id=case.id)
    return thread_context(case, "platform", url=url, attachment_url=attachment_url, **state)


def _admin_claim_page(claim: WarrantyClaim, *, error=None, errors=None, status=200, message=None, thread=None):
    def photo_url(photo):
        return url_for("aftersales_admin.claim_photo", claim_id=claim.id, photo_id=photo.id)
    return render("aftersales/admin_claim.html", fragments={"claim-panel": "claim_panel", **THREAD},
                  **claim_context(claim=claim, order=claim.order, photo_url=photo_url,
                                  decisions=claims.PLATFORM_DECISIONS, error=error, errors=errors or {},
                                  message=message, form=request.form if status != 200 and not thread else {},
                                  **_platform_thread("claims", claim, **(thread or {})))), status


@platform.get("/claims/<int:claim_id>")
def claim(claim_id: int):
    return _admin_claim_page(_admin_claim(claim_id))


@platform.get("/claims/<int:claim_id>/photos/<int:photo_id>")
def claim_photo(claim_id: int, photo_id: int):
    return photo_response(_admin_claim(claim_id), photo_id)


@platform.post("/claims/<int:claim_id>/decide")
def decide_claim(claim_id: int):
    claim = _admin_claim(claim_id)
    try:
        claims.platform_decide(db.session, claim, decision=request.form.get("decision", "")[:10],
                               note=request.form.get("platform_note", "")[:4000])
        db.session.commit()
    except AftersalesError as exc:
        db.session.rollback()
        return _admin_claim_page(_admin_claim(claim_id), error=exc.message, errors=getattr(exc, "errors", {}),
                                 status=exc.status)
    message = _("The decision is recorded; the buyer is told by e-mail.")
    if claim.refund_id and claim.status == ClaimStatus.REFUNDING:
        try:     # a network call: made once the decision is committed
            refunds.pay(db.session, claim.refund)
            db.session.commit()
            message = _("The decision is recorded and the buyer is refunded.")
        except RefundFailed:
            db.session.commit()
    if is_swap():
        db.session.expire_all()
        return _admin_claim_page(_admin_claim(claim_id), message=message)
    flash(message)
    return redirect(url_for(".claim", claim_id=claim_id), code=303)


# --- returns and case threads ----------------------------------------------------------------------

def _admin_return(return_id: int) -> ReturnRequest:
    ret = db.session.get(ReturnRequest, return_id)
    if ret is None:
        abort(404)
    return ret


def _admin_return_page(ret: ReturnRequest, *, status=200, thread=None):
    return render("aftersales/admin_return.html", fragments=THREAD, ret=ret, order=ret.order,
                  status_label=returns.status_label, reasons=returns.RETURN_REASONS,
                  **_platform_thread("returns", ret, **(thread or {}))), status


@platform.get("/returns/<int:return_id>")
def return_case(return_id: int):
    return _admin_return_page(_admin_return(return_id))


def _case(kind: str, case_id: int):
    return _admin_return(case_id) if kind == "returns" else _admin_claim(case_id)


def _case_page(kind: str, case, **state):
    return (_admin_return_page if kind == "returns" else _admin_claim_page)(case, **state)


@platform.post("/<any(returns, claims):kind>/<int:case_id>/messages")
def case_message(kind: str, case_id: int):
    case = _case(kind, case_id)
    errors = post_message(case, "platform", internal=request.form.get("internal") in ("1", "on"))
    if errors:
        return _case_page(kind, _case(kind, case_id), status=422, thread={"errors": errors, "form": request.form})
    if is_swap():
        return _case_page(kind, case, thread={"message": _("Your message is sent.")})
    flash(_("Your message is sent."))
    page = ".return_case" if kind == "returns" else ".claim"
    ids: dict[str, Any] = {"return_id" if kind == "returns" else "claim_id": case_id}
    return redirect(url_for(page, **ids, _anchor="case-thread"), code=303)


@platform.get("/<any(returns, claims):kind>/<int:case_id>/attachments/<int:attachment_id>")
def case_attachment(kind: str, case_id: int, attachment_id: int):
    return attachment_response(_case(kind, case_id), "platform", attachment_id)
