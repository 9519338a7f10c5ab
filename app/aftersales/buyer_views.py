"""The buyer's after-sales routes, under `/<edition>/orders/<number>` (blueprint `aftersales`).

Reached like the order page: its signed-in owner, or the guest's secret link (`token`); anyone else
gets a 404. Confirm receipt; withdraw in two steps (step one answers htmx with the `withdrawal_panel`
block); ask for a return (`returns/new`), follow it, print the label, say it is sent, or cancel; claim
under warranty (`claims/new`, with photos), follow and escalate a denial. Claim photos are served only
through these scoped routes.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.orders.models import Order
from app.web.htmx import render

from . import claims, delivery, refunds, returns, withdrawal
from .errors import AftersalesError, RefundFailed, StaleState
from .label import render_label
from .models import ReturnRequest, ReturnStatus, WarrantyClaim
from .pages import (
    PRIVATE,
    THREAD,
    attachment_response,
    claim_context,
    is_swap,
    photo_response,
    photos,
    post_message,
    thread_context,
)
from .queries import find_order, order_aftersales

PANEL = {"withdrawal-panel": "withdrawal_panel"}

buyer = Blueprint("aftersales", __name__, template_folder="templates", url_prefix="/<edition>/orders")


def _token() -> str:
    return (request.values.get("token") or "")[:100]


def _order(number: str) -> Order:
    order = find_order(db.session, number, _token(), current_user)
    if order is None:
        abort(404)
    return order


def _order_page(order: Order):
    return redirect(url_for("orders.detail", number=order.number, token=order.access_token), code=303)


def _problem(order: Order, exc: AftersalesError):
    return render("aftersales/problem.html", order=order, error=exc.message, token=_token()), exc.status, PRIVATE


def _chosen_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("unit")[:200]:
        if not raw.isdigit() or len(raw) > 12:
            abort(400)
        ids.append(int(raw))
    return ids




@buyer.post("/<number>/received/<int:seller_order_id>")
def confirm_receipt(number: str, seller_order_id: int):
    order = _order(number)
    seller_order = next((s for s in order.seller_orders if s.id == seller_order_id), None)
    if seller_order is None:
        abort(404)
    try:
        delivery.buyer_confirms(db.session, seller_order)
    except AftersalesError as exc:
        db.session.rollback()
        return _problem(order, exc)
    db.session.commit()
    flash(_("Thank you: the delivery is recorded. The periods to withdraw and return count from today."))
    return _order_page(order)


def _withdraw_page(order: Order, *, step: str, chosen=None, error=None, status=200):
    view = order_aftersales(db.session, order)
    lines = withdrawal.preview(db.session, order, chosen) if chosen else []
    return render("aftersales/withdraw.html", fragments=PANEL, order=order, aftersales=view, step=step,
                  preview=lines, total=sum(amount for *_, amount in lines), error=error, token=_token()), \
        status, PRIVATE


@buyer.get("/<number>/withdraw")
def withdraw(number: str):
    page = _withdraw_page(_order(number), step="choose")
    db.session.commit()        # the units' rows, created on their first reading: the form names them by id
    return page


@buyer.post("/<number>/withdraw")
def review_withdrawal(number: str):
    order = _order(number)
    try:
        chosen = withdrawal.check_choice(db.session, order, _chosen_ids())
    except AftersalesError as exc:
        db.session.rollback()
        return _withdraw_page(order, step="choose", error=exc.message, status=exc.status)
    db.session.commit()        # the units' rows, if this is the first time they are read
    return _withdraw_page(order, step="confirm", chosen=chosen)


@buyer.post("/<number>/withdraw/confirm")
def confirm_withdrawal(number: str):
    order = _order(number)
    try:
        made = withdrawal.withdraw(db.session, order, _chosen_ids())
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _withdraw_page(order, step="choose", error=StaleState().message, status=409)
    except AftersalesError as exc:
        db.session.rollback()
        return _withdraw_page(order, step="choose", error=exc.message, status=exc.status)
    # The refunds are network calls: made once the withdrawal is safely committed.
    for item in made:
        if item.refund is None:
            continue
        try:
            refunds.pay(db.session, item.refund)
            db.session.commit()
        except RefundFailed:
            db.session.commit()
            current_app.logger.warning("refund of withdrawal %s failed; the worker will retry", item.reference)
    flash(_("Your withdrawal is received. A confirmation is on its way to %(email)s.", email=order.email))
    return _order_page(order)


# --- returns: buyer --------------------------------------------------------------------------------

def _return_of(order: Order, reference: str) -> ReturnRequest:
    ret = db.session.scalar(select(ReturnRequest).where(ReturnRequest.order_id == order.id,
                                                        ReturnRequest.reference == reference[:24]))
    if ret is None:
        abort(404)
    return ret


def _new_return_page(order: Order, *, errors=None, error=None, status=200):
    available = returns.returnable_units(db.session, order)
    page = render("aftersales/return_new.html", order=order, available=available, reasons=returns.RETURN_REASONS,
                  errors=errors or {}, error=error, form=request.form, token=_token())
    db.session.commit()        # the units' rows, created on their first reading: the form names them by id
    return page, status, PRIVATE


@buyer.get("/<number>/returns/new")
def new_return(number: str):
    return _new_return_page(_order(number))


@buyer.post("/<number>/returns/new")
def create_return(number: str):
    order = _order(number)
    raw = request.form.get("unit", "")
    unit_id = int(raw) if raw.isdigit() and len(raw) <= 12 else None
    try:
        ret = returns.request_return(db.session, order, unit_id=unit_id, reason=request.form.get("reason", "")[:80],
                                     note=request.form.get("note", "")[:4000])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _new_return_page(order, error=StaleState().message, status=409)
    except AftersalesError as exc:
        db.session.rollback()
        return _new_return_page(order, errors=getattr(exc, "errors", {}), error=exc.message, status=exc.status)
    flash(_("Your return is approved. Print the label and send the unit back before %(date)s.",
            date=format_date(ret.label_valid_until, "medium")))
    return redirect(url_for(".return_page", number=order.number, reference=ret.reference, token=order.access_token),
                    code=303)


def _buyer_thread(order: Order, kind: str, case, **state) -> dict:
    def attachment_url(attachment):
        return url_for("aftersales.case_attachment", number=order.number, kind=kind, reference=case.reference,
                       attachment_id=attachment.id, token=order.access_token)
    url = url_for("aftersales.case_message", number=order.number, kind=kind, reference=case.reference)
    return thread_context(case, "buyer", url=url, attachment_url=attachment_url, **state)


def _return_page(order: Order, ret: ReturnRequest, *, error=None, status=200, thread=None):
    return render("aftersales/return.html", fragments={"return-panel": "return_panel", **THREAD}, order=order, ret=ret,
                  status_label=returns.status_label, reasons=returns.RETURN_REASONS, error=error,
                  token=order.access_token, **_buyer_thread(order, "returns", ret, **(thread or {}))), status, PRIVATE


@buyer.get("/<number>/returns/<reference>")
def return_page(number: str, reference: str):
    order = _order(number)
    return _return_page(order, _return_of(order, reference))


@buyer.post("/<number>/returns/<reference>/<any(sent, cancel):action>")
def return_action(number: str, reference: str, action: str):
    order = _order(number)
    ret = _return_of(order, reference)
    try:
        (returns.mark_sent if action == "sent" else returns.cancel)(db.session, ret)
    except AftersalesError as exc:
        db.session.rollback()
        return _return_page(order, _return_of(order, reference), error=exc.message, status=exc.status)
    db.session.commit()
    if is_swap():
        return _return_page(order, ret)
    return redirect(url_for(".return_page", number=order.number, reference=ret.reference, token=order.access_token),
                    code=303)


@buyer.get("/<number>/returns/<reference>/label.pdf")
def return_label(number: str, reference: str):
    order = _order(number)
    ret = _return_of(order, reference)
    if ret.status not in (ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT):
        abort(404)
    return Response(render_label(ret), mimetype="application/pdf", headers={
        **PRIVATE, "Content-Disposition": f'inline; filename="return-label-{ret.reference}.pdf"'})


def _claim_of(order: Order, reference: str) -> WarrantyClaim:
    claim = db.session.scalar(select(WarrantyClaim).where(WarrantyClaim.order_id == order.id,
                                                          WarrantyClaim.reference == reference[:24]))
    if claim is None:
        abort(404)
    return claim


def _new_claim_page(order: Order, *, errors=None, error=None, status=200):
    available = claims.claimable_units(db.session, order)
    page = render("aftersales/claim_new.html", order=order, available=available, kinds=claims.CLAIM_KINDS,
                  remedies=claims.REMEDY_CHOICES, max_photos=claims.MAX_PHOTOS, errors=errors or {}, error=error,
                  form=request.form, token=_token())
    db.session.commit()        # the units' rows, created on their first reading: the form names them by id
    return page, status, PRIVATE


@buyer.get("/<number>/claims/new")
def new_claim(number: str):
    return _new_claim_page(_order(number))


@buyer.post("/<number>/claims/new")
def create_claim(number: str):
    order = _order(number)
    raw = request.form.get("unit", "")
    unit_id = int(raw) if raw.isdigit() and len(raw) <= 12 else None
    try:
        claim = claims.open_claim(db.session, order, unit_id=unit_id, kind=request.form.get("kind", "")[:30],
                                  description=request.form.get("description", "")[:8000], photos=photos(),
                                  remedy_wanted=request.form.get("remedy_wanted", "")[:20])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _new_claim_page(order, error=StaleState().message, status=409)
    except AftersalesError as exc:
        db.session.rollback()
        return _new_claim_page(order, errors=getattr(exc, "errors", {}), error=exc.message, status=exc.status)
    flash(_("Your claim is sent to the seller, who must answer by %(date)s.",
            date=format_date(claim.reply_by, "medium")))
    return redirect(url_for(".claim_page", number=order.number, reference=claim.reference, token=order.access_token),
                    code=303)


def _claim_page(order: Order, claim: WarrantyClaim, *, error=None, status=200, thread=None):
    def photo_url(photo):
        return url_for("aftersales.claim_photo", number=order.number, reference=claim.reference, photo_id=photo.id,
                       token=order.access_token)
    return render("aftersales/claim.html", fragments={"claim-panel": "claim_panel", **THREAD},
                  **claim_context(order=order, claim=claim, photo_url=photo_url, error=error,
                                  token=order.access_token, **_buyer_thread(order, "claims", claim, **(thread or {})))), \
        status, PRIVATE


@buyer.get("/<number>/claims/<reference>")
def claim_page(number: str, reference: str):
    order = _order(number)
    return _claim_page(order, _claim_of(order, reference))


@buyer.post("/<number>/claims/<reference>/escalate")
def escalate_claim(number: str, reference: str):
    order = _order(number)
    claim = _claim_of(order, reference)
    try:
        claims.escalate(db.session, claim)
    except AftersalesError as exc:
        db.session.rollback()
        return _claim_page(order, _claim_of(order, reference), error=exc.message, status=exc.status)
    db.session.commit()
    if is_swap():
        return _claim_page(order, claim)
    flash(_("Your claim is escalated: the platform will decide."))
    return redirect(url_for(".claim_page", number=order.number, reference=claim.reference, token=order.access_token),
                    code=303)


@buyer.get("/<number>/claims/<reference>/photos/<int:photo_id>")
def claim_photo(number: str, reference: str, photo_id: int):
    order = _order(number)
    return photo_response(_claim_of(order, reference), photo_id)




# --- case threads ----------------------------------------------------------------------------------

def _case_of(order: Order, kind: str, reference: str):
    return _return_of(order, reference) if kind == "returns" else _claim_of(order, reference)


def _case_page(order: Order, kind: str, case, **state):
    return (_return_page if kind == "returns" else _claim_page)(order, case, **state)


@buyer.post("/<number>/<any(returns, claims):kind>/<reference>/messages")
def case_message(number: str, kind: str, reference: str):
    order = _order(number)
    case = _case_of(order, kind, reference)
    errors = post_message(case, "buyer")
    if errors:
        return _case_page(order, kind, _case_of(order, kind, reference), status=422,
                          thread={"errors": errors, "form": request.form})
    if is_swap():
        return _case_page(order, kind, case, thread={"message": _("Your message is sent.")})
    flash(_("Your message is sent."))
    page = ".return_page" if kind == "returns" else ".claim_page"
    return redirect(url_for(page, number=order.number, reference=reference, token=order.access_token,
                            _anchor="case-thread"), code=303)


@buyer.get("/<number>/<any(returns, claims):kind>/<reference>/attachments/<int:attachment_id>")
def case_attachment(number: str, kind: str, reference: str, attachment_id: int):
    order = _order(number)
    return attachment_response(_case_of(order, kind, reference), "buyer", attachment_id)
