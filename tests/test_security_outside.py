"""The security walk from outside (issue 25): what an attacker with a browser and curl tried, and what
each now gets. Every test here failed before its fix."""
import re

from sqlalchemy import select

from app.orders.models import OrderStatus, Payment, PaymentStatus
from tests.checkout.helpers import ADDRESSES, CARD, fill_cart, orders, place, stock

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


# --- 7. bad input answers a localized 4xx, never a 500, and saves nothing by halves ---------------

def test_a_non_ascii_token_on_the_order_page_and_invoice_is_a_404(client, session):
    listing = stock(session, quantity=2)
    assert place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id)).status_code == 303
    order, = orders(session)
    seller_order = order.seller_orders[0]
    stranger = client.application.test_client()
    for token in ("é", "\u202e" * 3, order.access_token[:-1] + "ü"):
        page = stranger.get(f"/fr-fr/orders/{order.number}", query_string={"token": token})
        assert page.status_code == 404 and 'lang="fr-FR"' in page.text and order.email not in page.text
        invoice = stranger.get(f"/fr-fr/orders/{order.number}/invoice/{seller_order.id}.pdf",
                               query_string={"token": token})
        assert invoice.status_code == 404
    assert stranger.get(f"/fr-fr/orders/{order.number}", query_string={"token": order.access_token}).status_code == 200


def _seller_world(session):
    from tests.builders import make_user
    listing = stock(session, quantity=3)
    staff = make_user(session, seller=listing.seller, language="fr")
    session.commit()
    return listing, staff


def _upload(client, data: bytes, key: str):
    import io
    return client.post("/seller/listings/import", data={"file": (io.BytesIO(data), "listings.csv"), "key": key},
                       content_type="multipart/form-data")


def _listings(session):
    from app.offers.models import Listing, ListingPrice
    session.expire_all()
    return (session.execute(select(Listing.id, Listing.quantity, Listing.is_active).order_by(Listing.id)).all(),
            session.execute(select(ListingPrice.id, ListingPrice.amount).order_by(ListingPrice.id)).all())


def test_the_same_import_form_sent_three_times_imports_once(client, session):
    from app.sellers.models import ListingImport
    from tests.builders import sign_in
    listing, staff = _seller_world(session)
    sign_in(client, staff)
    exported = client.get("/seller/listings/export.csv").data
    first = _upload(client, exported.replace(b",3,", b",2,"), "one-form")
    assert first.status_code == 200 and _listings(session)[0][0].quantity == 2
    before = _listings(session)
    for _ in range(2):
        again = _upload(client, exported.replace(b",3,", b",1,"), "one-form")
        assert again.status_code == 409 and "déjà été envoyé" in again.text
        assert 'name="key" value="one-form"' not in again.text        # a new form to send a file with
        assert _listings(session) == before
    assert session.scalar(select(func_count(ListingImport.id))) == 1
    long_key = _upload(client, exported, "k" * 200)                     # no key the page could have made
    assert long_key.status_code == 200 and session.scalar(select(func_count(ListingImport.id))) == 2


def func_count(column):
    from sqlalchemy import func
    return func.count(column)


def test_a_csv_cell_over_128_kib_is_a_line_error_not_a_crash(client, session):
    from tests.builders import sign_in
    listing, staff = _seller_world(session)
    sign_in(client, staff)
    exported = client.get("/seller/listings/export.csv").data
    before = _listings(session)
    huge = exported + b'"' + b"x" * (129 * 1024) + b'",good,no,,1,12,margin,yes,1.00\r\n'
    answer = _upload(client, huge, "huge-cell")
    assert answer.status_code == 422 and "Ligne 3" in answer.text and "trop longue" in answer.text
    assert _listings(session) == before


def test_cr_lf_in_the_pause_return_address_is_ignored(client, session):
    from app.offers.models import Listing
    from tests.builders import sign_in
    listing, staff = _seller_world(session)
    sign_in(client, staff)
    for action, active in (("pause", False), ("resume", True)):
        answer = client.post(f"/seller/listings/{listing.id}/{action}",
                             data={"next": "/seller/listings\r\nSet-Cookie: stolen=1"})
        assert answer.status_code == 303 and answer.location.endswith(f"/seller/listings/{listing.id}")
        assert "stolen" not in str(answer.headers)
        session.expire_all()
        assert session.get(Listing, listing.id).is_active is active
    kept = client.post(f"/seller/listings/{listing.id}/pause", data={"next": "/seller/listings?page=2"})
    assert kept.location.endswith("/seller/listings?page=2")


# --- 6. staff by e-mail: an existing account is invited, and joins only if it accepts -------------

def test_an_existing_customer_is_invited_to_a_staff_and_joins_only_by_accepting(app, client, session, smtp_sink):
    from app.accounts.models import User
    from tests.builders import make_markets, make_seller, make_user, sign_in
    make_markets(session)
    seller = make_seller(session, name="Atelier Nord")
    owner = make_user(session, seller=seller, name="Nora", language="en")
    customer = make_user(session, email="customer@shop.example", language="fr")
    other = make_user(session, email="other@shop.example")
    session.commit()
    sign_in(client, owner)
    added = client.post("/seller/staff", data={"email": "customer@shop.example"}, follow_redirects=True)
    assert added.status_code == 200 and "invitation" in added.text
    session.expire_all()
    assert session.get(User, customer.id).seller_id is None           # nothing without consent

    mail = smtp_sink.wait_for(1)[0]
    body = mail.get_body(("plain",)).get_content()
    assert mail["To"] == "customer@shop.example" and "Atelier Nord" in mail["Subject"] and "sept jours" in body
    link = re.search(r"http://shop\.test(/fr-fr/sell/staff-invitation/\S+)", body).group(1)

    anonymous = app.test_client()
    assert anonymous.get(link).status_code == 302                      # sign in first
    stranger = app.test_client()
    sign_in(stranger, other)
    assert stranger.get(link).status_code == 403 and stranger.post(link, data={"decision": "accept"}).status_code == 403
    assert app.test_client().get(link[:-3] + "abc").status_code == 302
    invited = app.test_client()
    sign_in(invited, customer, edition="fr-fr")
    forged = invited.get(link[:-3] + "abc")
    assert forged.status_code == 400 and "invitation" in forged.text.lower()
    page = invited.get(link)
    assert page.status_code == 200 and "Atelier Nord" in page.text and "Nora" in page.text
    assert invited.post(link, data={"decision": "decline"}).status_code == 303
    session.expire_all()
    assert session.get(User, customer.id).seller_id is None and session.get(User, other.id).seller_id is None
    accepted = invited.post(link, data={"decision": "accept"})
    assert accepted.status_code == 303 and accepted.location.endswith("/seller/")
    session.expire_all()
    joined = session.get(User, customer.id)
    assert joined.seller_id == seller.id and not joined.is_seller_owner
    assert invited.get("/seller/listings").status_code == 200
    again = invited.post(link, data={"decision": "accept"})
    assert again.status_code == 409


def test_an_invitation_lapses_when_its_sender_is_no_longer_the_owner(app, client, session, smtp_sink):
    from app.accounts.models import User
    from tests.builders import make_markets, make_seller, make_user, sign_in
    make_markets(session)
    seller = make_seller(session)
    owner = make_user(session, seller=seller)
    customer = make_user(session, email="late@shop.example")
    session.commit()
    sign_in(client, owner)
    client.post("/seller/staff", data={"email": "late@shop.example"})
    link = re.search(r"http://shop\.test(/\S+/sell/staff-invitation/\S+)",
                     smtp_sink.wait_for(1)[0].get_body(("plain",)).get_content()).group(1)
    fired = session.get(User, owner.id)
    fired.is_seller_owner = False
    session.commit()
    invited = app.test_client()
    sign_in(invited, customer)
    assert invited.post(link, data={"decision": "accept"}).status_code == 400
    session.expire_all()
    assert session.get(User, customer.id).seller_id is None


# --- 4. production without a real payment provider takes no order ---------------------------------

def test_production_without_stripe_keys_refuses_the_test_card(tmp_path, caplog, monkeypatch):
    import logging

    from sqlalchemy.orm import Session
    # Alembic's fileConfig (run by the migration tests) disables existing loggers, the app's among them.
    monkeypatch.setattr(logging.getLogger("app"), "disabled", False)

    from app.extensions import db
    from tests import conftest
    generator = conftest.make_test_app(tmp_path, ENVIRONMENT="production")
    app = next(generator)
    try:
        assert "without STRIPE_SECRET_KEY" in caplog.text            # said at start-up, for the operator
        with app.app_context():
            engine = db.engine
        with Session(engine) as session:
            listing = stock(session, quantity=2)
            client = app.test_client()
            client.post("/fr-fr/cart/add", data={"listing_id": listing.id})
            client.post("/fr-fr/checkout/address", data=ADDRESSES["fr-fr"])
            client.post("/fr-fr/checkout/delivery", data={})
            review = client.get("/fr-fr/checkout/review")
            assert "ne peut pas encaisser" in review.text and 'name="card_number"' not in review.text
            from app.cart.models import Cart
            key = session.scalar(select(Cart.checkout_key))          # what a page opened earlier would post
            refused = place(client, "fr-fr", key)
            assert refused.status_code == 503 and "ne peut pas encaisser" in refused.text
            assert orders(session) == []
            from app.offers.models import Listing
            assert session.get(Listing, listing.id).quantity == 2
    finally:
        next(generator, None)
    # Allowed explicitly (a staging server that takes no real orders), the test card works again.
    generator = conftest.make_test_app(tmp_path / "staging", ENVIRONMENT="production", TEST_PAYMENTS=True)
    app = next(generator)
    try:
        with app.app_context():
            engine = db.engine
        with Session(engine) as session:
            listing = stock(session, quantity=2)
            client = app.test_client()
            assert place(client, "fr-fr", fill_cart(client, "fr-fr", listing.id)).status_code == 303
            assert orders(session)[0].status == OrderStatus.PAID
    finally:
        next(generator, None)
