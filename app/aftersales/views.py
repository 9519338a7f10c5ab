"""After-sales routes.

- `aftersales` (buyer, under `/<edition>/orders/<number>`): confirm receipt, withdraw in two steps.
  Reached like the order page: its signed-in owner, or the guest's secret link (`token`); anyone
  else gets a 404. Plain forms; step one answers htmx with the `withdrawal_panel` block.
- `carrier_webhooks`: `POST /carriers/<carrier>/webhook`, authenticated by its HMAC signature.
- `aftersales_seller` (seller office): mark a shipped seller order delivered; the returns queue, and
  each return's dispute, receipt and inspection forms (htmx gets the `return_panel` block).
- Buyers' returns: ask (`returns/new`), follow, print the label, say it is sent, or cancel.
- Warranty claims: the buyer claims (`claims/new`, with photos), follows and escalates a denial; the
  seller's claims queue and answer (repair, replacement, refund, or a denial with evidence). Claim
  photos are served only through these scoped routes.
- `aftersales_admin` (admins only): the escalated claims and the platform's decision (refund or
  the denial upheld), overriding the seller.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import permissions
from app.extensions import csrf, db
from app.offers.grades import Grade
from app.orders.models import Order, SellerOrder
from app.web.htmx import render

from . import claims, delivery, refunds, returns, withdrawal
from .errors import AftersalesError, RefundFailed, StaleState
from .label import render_label
from .models import OPEN_CLAIM_STATUSES, OPEN_RETURN_STATUSES, ClaimStatus, ReturnRequest, ReturnStatus, WarrantyClaim
from .queries import find_order, order_aftersales

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}
PANEL = {"withdrawal-panel": "withdrawal_panel"}

buyer = Blueprint("aftersales", __name__, template_folder="templates", url_prefix="/<edition>/orders")
carriers = Blueprint("carrier_webhooks", __name__)
seller = Blueprint("aftersales_seller", __name__, template_folder="templates", url_prefix="/seller/aftersales")
permissions.protect_seller_office(seller)


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


@carriers.post("/carriers/<carrier>/webhook")
@csrf.exempt
def carrier_webhook(carrier: str):
    secret = current_app.config.get("CARRIER_WEBHOOK_SECRET")
    if not secret:
        abort(404)
    body = request.get_data(cache=False)
    if len(body) > 64 * 1024:
        return jsonify(error="payload too large"), 413
    try:
        delivery.verify(secret, request.headers.get("X-Carrier-Signature", ""), body)
        call = delivery.parse(body)
        outcome, duplicate = delivery.carrier_event(db.session, carrier, call)
    except delivery.WebhookRejected as exc:
        return jsonify(error=str(exc)), 400
    except AftersalesError:
        return jsonify(error="unknown carrier"), 404
    db.session.commit()
    return jsonify(received=True, outcome=outcome, duplicate=duplicate)


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


def _return_page(order: Order, ret: ReturnRequest, *, error=None, status=200):
    return render("aftersales/return.html", fragments={"return-panel": "return_panel"}, order=order, ret=ret,
                  status_label=returns.status_label, reasons=returns.RETURN_REASONS, error=error,
                  token=order.access_token), status, PRIVATE


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
    if request.headers.get("HX-Request") and request.headers.get("HX-Boosted") != "true":
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


def _seller_return_page(ret: ReturnRequest, *, error=None, errors=None, status=200, message=None):
    return render("aftersales/seller_return.html", fragments={"return-panel": "return_panel"}, ret=ret,
                  order=ret.order, status_label=returns.status_label, reasons=returns.RETURN_REASONS,
                  grades=list(Grade), error=error, errors=errors or {}, message=message,
                  form=request.form if status != 200 else {}), status


@seller.get("/returns/<int:return_id>")
def seller_return(return_id: int):
    return _seller_return_page(_seller_return(return_id))


def _flag(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "yes", "true")


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
                            grade_received=request.form.get("grade_received", "")[:16], resellable=_flag("is_resellable"),
                            data_wiped=_flag("is_data_wiped"), activation_lock_off=_flag("is_activation_lock_off"),
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
    if request.headers.get("HX-Request") and request.headers.get("HX-Boosted") != "true":
        db.session.expire_all()
        return _seller_return_page(_seller_return(return_id), message=message)
    flash(message)
    return redirect(url_for(".seller_return", return_id=return_id), code=303)


# --- warranty claims -------------------------------------------------------------------------------

COVER_LABELS = {"legal": _l("Legal guarantee of conformity"), "commercial": _l("The seller's commercial warranty"),
                "both": _l("Legal guarantee and the seller's commercial warranty")}


def _claim_context(**extra):
    return {"status_label": claims.status_label, "kind_label": claims.kind_label, "cover_labels": COVER_LABELS,
            "remedies": claims.REMEDY_CHOICES, "clock": claims.clock_of(extra["claim"]), **extra}


def _claim_of(order: Order, reference: str) -> WarrantyClaim:
    claim = db.session.scalar(select(WarrantyClaim).where(WarrantyClaim.order_id == order.id,
                                                          WarrantyClaim.reference == reference[:24]))
    if claim is None:
        abort(404)
    return claim


def _photos() -> list:
    return request.files.getlist("photos")[:claims.MAX_PHOTOS + 1]


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
                                  description=request.form.get("description", "")[:8000], photos=_photos(),
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


def _claim_page(order: Order, claim: WarrantyClaim, *, error=None, status=200):
    def photo_url(photo):
        return url_for("aftersales.claim_photo", number=order.number, reference=claim.reference, photo_id=photo.id,
                       token=order.access_token)
    return render("aftersales/claim.html", fragments={"claim-panel": "claim_panel"},
                  **_claim_context(order=order, claim=claim, photo_url=photo_url, error=error,
                                   token=order.access_token)), status, PRIVATE


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
    if request.headers.get("HX-Request") and request.headers.get("HX-Boosted") != "true":
        return _claim_page(order, claim)
    flash(_("Your claim is escalated: the platform will decide."))
    return redirect(url_for(".claim_page", number=order.number, reference=claim.reference, token=order.access_token),
                    code=303)


def _photo_response(claim: WarrantyClaim, photo_id: int) -> Response:
    photo = next((p for p in claim.photos if p.id == photo_id), None)
    if photo is None:
        abort(404)
    try:
        data = claims.photo_bytes(photo)
    except (OSError, ValueError):
        abort(404)
    return Response(data, mimetype="image/webp", headers={**PRIVATE, "X-Content-Type-Options": "nosniff"})


@buyer.get("/<number>/claims/<reference>/photos/<int:photo_id>")
def claim_photo(number: str, reference: str, photo_id: int):
    order = _order(number)
    return _photo_response(_claim_of(order, reference), photo_id)


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


def _seller_claim_page(claim: WarrantyClaim, *, error=None, errors=None, status=200, message=None):
    def photo_url(photo):
        return url_for("aftersales_seller.seller_claim_photo", claim_id=claim.id, photo_id=photo.id)
    return render("aftersales/seller_claim.html", fragments={"claim-panel": "claim_panel"},
                  **_claim_context(claim=claim, order=claim.order, photo_url=photo_url,
                                   outcomes=claims.allowed_outcomes(claim), outcome_labels=claims.OUTCOMES,
                                   error=error, errors=errors or {}, message=message,
                                   form=request.form if status != 200 else {})), status


@seller.get("/claims/<int:claim_id>")
def seller_claim(claim_id: int):
    return _seller_claim_page(_seller_claim(claim_id))


@seller.get("/claims/<int:claim_id>/photos/<int:photo_id>")
def seller_claim_photo(claim_id: int, photo_id: int):
    return _photo_response(_seller_claim(claim_id), photo_id)


@seller.post("/claims/<int:claim_id>/<any(decide, resolve):action>")
def seller_claim_action(claim_id: int, action: str):
    claim = _seller_claim(claim_id)
    try:
        if action == "decide":
            claims.decide(db.session, claim, outcome=request.form.get("outcome", "")[:20],
                          note=request.form.get("seller_note", "")[:4000],
                          test_report=request.form.get("test_report", "")[:16000], photos=_photos())
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
    if request.headers.get("HX-Request") and request.headers.get("HX-Boosted") != "true":
        db.session.expire_all()
        return _seller_claim_page(_seller_claim(claim_id), message=message)
    flash(message)
    return redirect(url_for(".seller_claim", claim_id=claim_id), code=303)


# --- warranty claims: the platform (admins) --------------------------------------------------------

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


def _admin_claim_page(claim: WarrantyClaim, *, error=None, errors=None, status=200, message=None):
    def photo_url(photo):
        return url_for("aftersales_admin.claim_photo", claim_id=claim.id, photo_id=photo.id)
    return render("aftersales/admin_claim.html", fragments={"claim-panel": "claim_panel"},
                  **_claim_context(claim=claim, order=claim.order, photo_url=photo_url,
                                   decisions=claims.PLATFORM_DECISIONS, error=error, errors=errors or {},
                                   message=message, form=request.form if status != 200 else {})), status


@platform.get("/claims/<int:claim_id>")
def claim(claim_id: int):
    return _admin_claim_page(_admin_claim(claim_id))


@platform.get("/claims/<int:claim_id>/photos/<int:photo_id>")
def claim_photo(claim_id: int, photo_id: int):
    return _photo_response(_admin_claim(claim_id), photo_id)


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
    if request.headers.get("HX-Request") and request.headers.get("HX-Boosted") != "true":
        db.session.expire_all()
        return _admin_claim_page(_admin_claim(claim_id), message=message)
    flash(message)
    return redirect(url_for(".claim", claim_id=claim_id), code=303)
