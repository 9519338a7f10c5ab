"""The security walk from outside (issue 25): what an attacker with a browser and curl tried, and what
each now gets. Every test here failed before its fix."""
import re

from sqlalchemy import select

from app.orders.models import OrderStatus, Payment, PaymentStatus
from tests.checkout.helpers import CARD, fill_cart, orders, place, stock

CHALLENGE_CARD = dict(CARD, card_number="4000000000003220")


# --- 1. the 3-D Secure challenge belongs to the browser that started it ---------------------------

def test_a_challenge_reference_is_unguessable_and_answers_only_its_own_browser(app, client, session):
    listing = stock(session, quantity=2)
    key = fill_cart(client, "fr-fr", listing.id)
    challenge = place(client, "fr-fr", key, card=CHALLENGE_CARD)
    order, = orders(session)
    reference = order.payments[0].provider_reference
    assert challenge.location.endswith(f"/checkout/challenge/{reference}")
    assert reference != f"test_{order.payments[0].id}" and len(reference) >= 30

    stranger = app.test_client()
    for path in (f"/fr-fr/checkout/challenge/{reference}", f"/fr-fr/checkout/challenge/test_{order.payments[0].id}"):
        seen = stranger.get(path)
        assert seen.status_code == 404 and order.access_token not in seen.text and "Location" not in seen.headers
        refused = stranger.post(path, data={"decision": "refuse"})
        assert refused.status_code == 404
    session.expire_all()
    assert session.scalar(select(Payment.status)) == PaymentStatus.REQUIRES_ACTION
    assert orders(session)[0].status == OrderStatus.AWAITING_PAYMENT

    # The buyer's own browser still sees its page and approves.
    assert client.get(challenge.location).status_code == 200
    approved = client.post(challenge.location, data={"decision": "approve"})
    assert approved.status_code == 303 and orders(session)[0].status == OrderStatus.PAID


# --- 2. e-mailed links start with the configured address, never the request's Host ----------------

def _outbox(session):
    from app.mail.models import OutboxMessage
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_reset_and_order_links_ignore_a_forged_host_header(tmp_path):
    from sqlalchemy.orm import Session

    from app.extensions import db
    from tests import conftest
    from tests.builders import make_markets, make_user
    generator = conftest.make_test_app(tmp_path, SERVER_NAME=None, PUBLIC_URL="https://shop.example/")
    app = next(generator)
    try:
        with app.app_context():
            engine = db.engine
        with Session(engine) as session:
            make_markets(session)
            make_user(session, email="victim@shop.example")
            session.commit()
            client = app.test_client()
            client.environ_base["HTTP_HOST"] = "evil.example"       # every request says Host: evil.example
            assert client.post("/en-gb/account/password/forgot",
                               data={"email": "victim@shop.example"}).status_code == 200
            listing = stock(session, quantity=2)
            assert place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id)).status_code == 303
            reset, confirmation = _outbox(session)
            assert "https://shop.example/en-gb/account/password/reset/" in reset.body_text
            assert "https://shop.example/fr-fr/orders/" in confirmation.body_text
            for message in (reset, confirmation):
                assert "evil.example" not in message.body_text + (message.body_html or "")
            session.rollback()
    finally:
        next(generator, None)


def test_production_refuses_to_start_without_a_public_address(monkeypatch, tmp_path):
    import pytest

    from app import create_app
    from app.settings import ConfigurationError
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    with pytest.raises(ConfigurationError, match="PUBLIC_URL is not set"):
        create_app()
    for wrong in ("shop.example", "javascript:alert(1)", "https://shop.example/path?x=1", "https://u:p@shop.example"):
        monkeypatch.setenv("PUBLIC_URL", wrong)
        with pytest.raises(ConfigurationError, match="PUBLIC_URL must be"):
            create_app()
    monkeypatch.setenv("PUBLIC_URL", "https://shop.example/")
    assert create_app().config["PUBLIC_URL"] == "https://shop.example"
    monkeypatch.delenv("PUBLIC_URL")
    assert create_app({"SERVER_NAME": "shop.example", "PREFERRED_URL_SCHEME": "https"}).config["PUBLIC_URL"] \
        == "https://shop.example"
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("PORT", "8000")
    assert create_app().config["PUBLIC_URL"] == "http://127.0.0.1:8000"


# --- 3. signing out ends the session on the server ------------------------------------------------

def test_copied_session_and_remember_me_cookies_stop_working_after_sign_out(app, client, session):
    from tests.builders import make_markets, make_user
    make_markets(session)
    user = make_user(session, email="leaver@shop.example")
    session.commit()
    signed_in = client.post("/en-gb/account/sign-in", data={"email": user.email, "password": "correct horse battery",
                                                           "remember": "y"})
    assert signed_in.status_code == 303
    copies = {name: client.get_cookie(name, domain=app.config["SERVER_NAME"]) for name in ("session", "remember_token")}
    assert all(copies.values())
    assert client.get("/en-gb/account/").status_code == 200

    assert client.post("/en-gb/account/sign-out").status_code == 303

    for names in (("session",), ("remember_token",), ("session", "remember_token")):
        thief = app.test_client()
        for name in names:
            thief.set_cookie(name, copies[name].value, domain=copies[name].domain, path=copies[name].path)
        assert thief.get("/en-gb/account/").status_code == 302, names
    assert client.post("/en-gb/account/sign-in", data={"email": user.email,
                                                      "password": "correct horse battery"}).status_code == 303
    assert client.get("/en-gb/account/").status_code == 200


# --- 5. the password asked again is limited like a sign-in ----------------------------------------

def test_confirm_password_refuses_the_right_password_after_too_many_wrong_ones(app, client, session):
    from tests.builders import make_markets, make_user, sign_in
    make_markets(session)
    user = make_user(session)
    session.commit()
    assert sign_in(client, user).status_code == 303
    for _ in range(5):          # LOGIN_MAX_FAILURES_PER_EMAIL_AND_IP
        assert client.post("/fr-fr/account/confirm", data={"password": "guess"}).status_code == 422
    refused = client.post("/fr-fr/account/confirm", data={"password": "correct horse battery"})
    assert refused.status_code == 429 and "Trop de tentatives" in refused.text
    with client.session_transaction() as flask_session:
        confirmed_at = flask_session.get("signed_in_at")
    assert client.post("/fr-fr/account/confirm", data={"password": "correct horse battery"}).status_code == 429
    with client.session_transaction() as flask_session:
        assert flask_session.get("signed_in_at") == confirmed_at        # not renewed by the refused try


# --- 8. sign-in lockout: failures from one address lock the account for that address only ---------

def test_an_attacker_cannot_lock_the_admin_out(app, session):
    from tests.builders import make_markets, make_user, sign_in
    make_markets(session)
    admin = make_user(session, email="admin@shop.example", admin=True)
    session.commit()
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for _ in range(5):          # LOGIN_MAX_FAILURES_PER_EMAIL_AND_IP
        assert sign_in(attacker, admin, password="guess").status_code == 422
    assert sign_in(attacker, admin).status_code == 429            # the attacker's address is locked...
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert sign_in(owner, admin).status_code == 303               # ...the admin, elsewhere, is not
    assert sign_in(attacker, admin).status_code == 429            # and the owner's success unlocks nothing


# --- 8. account, cart and checkout pages are kept by no cache -------------------------------------

def test_account_cart_and_checkout_pages_are_private_and_not_stored(client, session):
    from tests.builders import make_user, sign_in
    listing = stock(session, quantity=2)
    user = make_user(session)
    session.commit()
    assert sign_in(client, user, edition="fr-fr").status_code == 303
    client.post("/fr-fr/cart/add", data={"listing_id": listing.id})
    pages = ["/fr-fr/account/", "/fr-fr/account/addresses", "/fr-fr/cart/", "/fr-fr/checkout/address",
             "/fr-fr/checkout/delivery", "/fr-fr/checkout/review"]
    fill_cart(client, "fr-fr", listing.id)
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "private, no-store", path
    added = client.post("/fr-fr/cart/add", data={"listing_id": listing.id})
    assert added.headers["Cache-Control"] == "private, no-store"


# --- 8. a promotion banner leads to this site or an https address, never `/\elsewhere` ------------

def test_a_promotion_banner_link_is_a_local_path_or_an_https_address(client, session):
    from app.content.models import ContentText
    from app.content.services import save_text
    from app.models_base import utcnow
    from tests.builders import make_markets, make_user, sign_in
    make_markets(session)
    manager = make_user(session, markets=("FR",), language="fr")
    session.commit()
    assert sign_in(client, manager, edition="fr-fr").status_code == 303
    banner = "/manage/content/fr/fr/shared/home-promotion-1"
    for wrong in ("/\\evil.example/x", "//evil.example/x", "http://evil.example/x", "javascript:alert(1)",
                  "https://user@evil.example/", "https:/\\evil.example", "/ok\tx"):
        answer = client.post(banner, data={"title": "Promo", "body": "", "items": wrong, "version": "0",
                                           "action": "publish"})
        assert answer.status_code == 422 and "https://" in answer.text, wrong
    session.expire_all()
    assert session.scalar(select(ContentText).where(ContentText.key == "home-promotion-1")) is None
    for right in ("/fr-fr/info/warranty", "https://partner.example/offre"):
        version = 0 if right.startswith("/") else 1
        assert client.post(banner, data={"title": "Promo", "body": "", "items": right, "version": str(version),
                                         "action": "publish"}).status_code == 303, right
        assert f'<a href="{right}">Promo</a>' in client.get("/fr-fr/").text

    # A banner saved before this check (an import, an old row) is shown without its link.
    text = session.scalar(select(ContentText).where(ContentText.key == "home-promotion-1"))
    save_text(session, key="home-promotion-1", language="fr", expected_version=text.version, title="Ancienne",
              body="", items="/\\evil.example/x", publish_at=utcnow())
    session.commit()
    home = client.get("/fr-fr/").text
    assert "Ancienne" in home and "evil.example" not in home
