"""Carrier webhooks: `POST /carriers/<carrier>/webhook` (blueprint `carrier_webhooks`), authenticated
by its HMAC signature, idempotent per event id (`delivery`)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from app.extensions import csrf, db

from . import delivery
from .errors import AftersalesError

carriers = Blueprint("carrier_webhooks", __name__)


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


