"""The seller office's after-sales routes, under `/seller/aftersales` (blueprint `aftersales_seller`):
mark a shipped seller order delivered; the returns queue and each return's dispute, receipt and
inspection forms; the claims queue and the seller's answer (repair, replacement, refund, or a denial
with evidence). htmx gets the `return_panel` / `claim_panel` blocks. Every query is scoped to the
signed-in staff member's seller.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import permissions
from app.extensions import db
from app.offers.grades import Grade
from app.orders.models import Order, SellerOrder
from app.web.htmx import render

from . import claims, delivery, refunds, returns
from .errors import AftersalesError, RefundFailed
from .models import OPEN_CLAIM_STATUSES, OPEN_RETURN_STATUSES, ClaimStatus, ReturnRequest, ReturnStatus, WarrantyClaim
from .pages import (
    THREAD,
    attachment_response,
    claim_context,
    flag,
    is_swap,
    photo_response,
    photos,
    post_message,
    thread_context,
)

seller = Blueprint("aftersales_seller", __name__, template_folder="templates", url_prefix="/seller/aftersales")
permissions.protect_seller_office(seller)


@seller.post("/orders/<int:seller_order_id>/delivered")
def mark_delivered(seller_order_id: int):
    seller_order = permissions.seller_order_for_staff(
        db.session, seller_order_id, joinedload(SellerOrder.order).joinedload(Order.market),
        selectinload(SellerOrder.lines))
    try:
        day = date.fromisoformat(request.form.get("delivered_on", "")[:10])
    except ValueError:
        day = None
    try:
        delivery.seller_marks(db.session, seller_order, day)
    except AftersalesError as exc:
        db.session.rollback()
        return render("aftersales/seller_delivery.html", seller_order=seller_order, order=seller_order.order,
                      error=exc.message, form=request.form), exc.status
    db.session.commit()
    flash(_("The order is marked delivered on the date you gave."))
    return redirect(url_for("seller_sales.order", seller_order_id=seller_order_id), code=303)


# --- returns: seller -------------------------------------------------------------------------------

RETURN_FILTERS = {"open": list(OPEN_RETURN_STATUSES), "all": None,
                  **{status.value: [status] for status in ReturnStatus}}


@seller.get("/returns")
def seller_returns():
    staff = permissions.staff_seller()
    status = request.args.get("status") if request.args.get("status") in RETURN_FILTERS else "open"
    query = returns.seller_returns(staff.id).options(joinedload(ReturnRequest.order), joinedload(ReturnRequest.unit))
    if RETURN_FILTERS[status]:
        query = query.where(ReturnRequest.status.in_(RETURN_FILTERS[status]))
    rows = list(db.session.scalars(query.order_by(ReturnRequest.dispute_by, ReturnRequest.id).limit(200)))
    return render("aftersales/seller_returns.html", fragments={"return-results": "return_results"}, rows=rows,
                  status=status, filters=RETURN_FILTERS, status_label=returns.status_label)


def _seller_return(return_id: int) -> ReturnRequest:
    ret = db.session.scalar(returns.seller_returns(permissions.staff_seller().id).where(ReturnRequest.id == return_id))
    if ret is None:
        abort(404)
    return ret


def _seller_thread(kind: str, case, **state) -> dict:
    def attachment_url(attachment):
        return url_for("aftersales_seller.case_attachment", kind=kind, case_id=case.id, attachment_id=attachment.id)
    url = url_for("aftersales_seller.case_message", kind=kind, case_id=case.id)
    return thread_context(case, "seller", url=url, attachment_url=attachment_url, **state)


def _seller_return_page(ret: ReturnRequest, *, error=None, errors=None, status=200, message=None, thread=None):
    return render("aftersales/seller_return.html", fragments={"return-panel": "return_panel", **THREAD}, ret=ret,
                  order=ret.order, status_label=returns.status_label, reasons=returns.RETURN_REASONS,
                  grades=list(Grade), error=error, errors=errors or {}, message=message,
                  form=request.form if status != 200 and not thread else {},
                  **_seller_thread("returns", ret, **(thread or {}))), status


@seller.get("/returns/<int:return_id>")
def seller_return(return_id: int):
    return _seller_return_page(_seller_return(return_id))


@seller.post("/returns/<int:return_id>/<any(dispute, receive, inspect):action>")
def seller_return_action(return_id: int, action: str):
    ret = _seller_return(return_id)
    try:
        if action == "dispute":
            returns.dispute(db.session, ret, reason=request.form.get("rejected_reason", "")[:2000])
            message = _("The return is disputed; the buyer is told by e-mail.")
        elif action == "receive":
            raw = request.form.get("units_counted", "")
            returns.receive(db.session, ret, units_counted=int(raw) if raw.isdigit() and len(raw) < 3 else None)
            message = _("The parcel is recorded as received. Inspect the unit next.")
        else:
            returns.inspect(db.session, ret, accept=request.form.get("decision") == "accept",
                            grade_received=request.form.get("grade_received", "")[:16], resellable=flag("is_resellable"),
                            data_wiped=flag("is_data_wiped"), activation_lock_off=flag("is_activation_lock_off"),
                            reason=request.form.get("rejected_reason", "")[:2000])
            message = _("The inspection is recorded.")
        db.session.commit()
    except AftersalesError as exc:
        db.session.rollback()
        return _seller_return_page(_seller_return(return_id), error=exc.message, errors=getattr(exc, "errors", {}),
                                   status=exc.status)
    if ret.refund_id and ret.status == ReturnStatus.INSPECTED:
        try:     # a network call: made once the inspection is committed
            refunds.pay(db.session, ret.refund)
            db.session.commit()
            message = _("The inspection is recorded and the buyer is refunded.")
        except RefundFailed:
            db.session.commit()
    if is_swap():
        db.session.expire_all()
        return _seller_return_page(_seller_return(return_id), message=message)
    flash(message)
    return redirect(url_for(".seller_return", return_id=return_id), code=303)


CLAIM_FILTERS = {"open": list(OPEN_CLAIM_STATUSES), "all": None, **{status.value: [status] for status in ClaimStatus}}


@seller.get("/claims")
def seller_claims():
    staff = permissions.staff_seller()
    status = request.args.get("status") if request.args.get("status") in CLAIM_FILTERS else "open"
    query = claims.seller_claims(staff.id).options(joinedload(WarrantyClaim.unit))
    if CLAIM_FILTERS[status]:
        query = query.where(WarrantyClaim.status.in_(CLAIM_FILTERS[status]))
    rows = list(db.session.scalars(query.order_by(WarrantyClaim.reply_by, WarrantyClaim.id).limit(200)))
    return render("aftersales/seller_claims.html", fragments={"claim-results": "claim_results"}, rows=rows,
                  status=status, filters=CLAIM_FILTERS, status_label=claims.status_label, kind_label=claims.kind_label)


def _seller_claim(claim_id: int) -> WarrantyClaim:
    claim = db.session.scalar(claims.seller_claims(permissions.staff_seller().id).where(WarrantyClaim.id == claim_id))
    if claim is None:
        abort(404)
    return claim


def _seller_claim_page(claim: WarrantyClaim, *, error=None, errors=None, status=200, message=None, thread=None):
    def photo_url(photo):
        return url_for("aftersales_seller.seller_claim_photo", claim_id=claim.id, photo_id=photo.id)
    return render("aftersales/seller_claim.html", fragments={"claim-panel": "claim_panel", **THREAD},
                  **claim_context(claim=claim, order=claim.order, photo_url=photo_url,
                                  outcomes=claims.allowed_outcomes(claim), outcome_labels=claims.OUTCOMES,
                                  error=error, errors=errors or {}, message=message,
                                  form=request.form if status != 200 and not thread else {},
                                  **_seller_thread("claims", claim, **(thread or {})))), status


@seller.get("/claims/<int:claim_id>")
def seller_claim(claim_id: int):
    return _seller_claim_page(_seller_claim(claim_id))


@seller.get("/claims/<int:claim_id>/photos/<int:photo_id>")
def seller_claim_photo(claim_id: int, photo_id: int):
    return photo_response(_seller_claim(claim_id), photo_id)


@seller.post("/claims/<int:claim_id>/<any(decide, resolve):action>")
def seller_claim_action(claim_id: int, action: str):
    claim = _seller_claim(claim_id)
    try:
        if action == "decide":
            claims.decide(db.session, claim, outcome=request.form.get("outcome", "")[:20],
                          note=request.form.get("seller_note", "")[:4000],
                          test_report=request.form.get("test_report", "")[:16000], photos=photos())
            message = _("Your answer is recorded; the buyer is told by e-mail.")
        else:
            claims.resolve(db.session, claim)
            message = _("The claim is resolved.")
        db.session.commit()
    except AftersalesError as exc:
        db.session.rollback()
        return _seller_claim_page(_seller_claim(claim_id), error=exc.message, errors=getattr(exc, "errors", {}),
                                  status=exc.status)
    if claim.refund_id and claim.status == ClaimStatus.REFUNDING:
        try:     # a network call: made once the answer is committed
            refunds.pay(db.session, claim.refund)
            db.session.commit()
            message = _("Your answer is recorded and the buyer is refunded.")
        except RefundFailed:
            db.session.commit()
    if is_swap():
        db.session.expire_all()
        return _seller_claim_page(_seller_claim(claim_id), message=message)
    flash(message)
    return redirect(url_for(".seller_claim", claim_id=claim_id), code=303)




# --- case threads ----------------------------------------------------------------------------------

def _case(kind: str, case_id: int):
    return _seller_return(case_id) if kind == "returns" else _seller_claim(case_id)


def _case_page(kind: str, case, **state):
    return (_seller_return_page if kind == "returns" else _seller_claim_page)(case, **state)


@seller.post("/<any(returns, claims):kind>/<int:case_id>/messages")
def case_message(kind: str, case_id: int):
    case = _case(kind, case_id)
    errors = post_message(case, "seller")
    if errors:
        return _case_page(kind, _case(kind, case_id), status=422, thread={"errors": errors, "form": request.form})
    if is_swap():
        return _case_page(kind, case, thread={"message": _("Your message is sent.")})
    flash(_("Your message is sent."))
    page = ".seller_return" if kind == "returns" else ".seller_claim"
    ids: dict[str, Any] = {"return_id" if kind == "returns" else "claim_id": case_id}
    return redirect(url_for(page, **ids, _anchor="case-thread"), code=303)


@seller.get("/<any(returns, claims):kind>/<int:case_id>/attachments/<int:attachment_id>")
def case_attachment(kind: str, case_id: int, attachment_id: int):
    return attachment_response(_case(kind, case_id), "seller", attachment_id)
