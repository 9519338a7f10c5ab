"""Accounts through the real app: sign-up and e-mails through a real SMTP sink, sign-in limits kept in
the database, fresh sign-in for sensitive actions, sessions ended by a password change, addresses."""
import re

from sqlalchemy import func, select

from app import create_app
from app.accounts.models import Address, LoginAttempt, User
from app.extensions import db
from tests.builders import PASSWORD, make_markets, make_user, sign_in
from tests.conftest import test_config


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://shop\.test(/\S+)", body).group(1)


def test_sign_up_sends_a_verification_email_in_the_chosen_language_through_smtp(app, client, session, smtp_sink):
    # given
    make_markets(session)
    session.commit()

    # when
    response = client.post("/fr-fr/account/sign-up", data={
        "name": "Amélie", "email": "Amelie@Shop.example", "password": "une phrase longue", "confirm": "une phrase longue",
        "language": "de"})

    # then: signed in, unverified, and a German e-mail arrived at the sink
    assert response.status_code == 303
    user = session.scalar(select(User))
    assert user.email == "amelie@shop.example" and user.email_verified_at is None
    assert user.password_hash.startswith("$argon2id$")
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "amelie@shop.example"
    assert message["Subject"] == "Bestätigen Sie Ihre E-Mail-Adresse"

    # when: the link is followed
    assert client.get(link_in(message)).status_code == 303

    # then
    session.expire_all()
    assert session.scalar(select(User)).email_verified_at is not None
    assert "Bestätigen" not in client.get("/fr-fr/account/").text


def test_sign_up_refuses_bad_input_with_localized_messages(app, client, session):
    make_markets(session)
    make_user(session, email="taken@shop.example")
    session.commit()

    response = client.post("/fr-fr/account/sign-up", data={
        "name": "", "email": "taken@shop.example", "password": "court", "confirm": "autre", "language": "xx"})

    assert response.status_code == 422
    assert "Veuillez remplir ce champ." in response.text
    assert "Utilisez entre 10 et 200 caractères." in response.text
    assert session.scalar(select(func.count(User.id))) == 1


def test_password_reset_by_email_works_once_and_ends_other_sessions(app, session, smtp_sink):
    # given: the user is signed in on another device
    make_markets(session)
    user = make_user(session, email="reset@shop.example")
    session.commit()
    other_device, client = app.test_client(), app.test_client()
    assert sign_in(other_device, user).status_code == 303

    # when: they ask for a reset link and use it
    assert client.post("/en-gb/account/password/forgot", data={"email": "reset@shop.example"}).status_code == 200
    link = link_in(smtp_sink.wait_for(1)[0])
    assert client.post(link, data={"password": "a brand new secret", "confirm": "a brand new secret"}).status_code == 303

    # then: the new password works, the link is spent and the other device is signed out
    assert client.post(link, data={"password": "yet another secret", "confirm": "yet another secret"}).status_code == 400
    assert sign_in(app.test_client(), user, password="a brand new secret").status_code == 303
    assert other_device.get("/en-gb/account/").status_code == 302


def test_forgot_password_answers_the_same_for_an_unknown_address(client, session, smtp_sink):
    make_markets(session)
    session.commit()
    response = client.post("/en-gb/account/password/forgot", data={"email": "nobody@shop.example"})
    assert response.status_code == 200 and "If an account uses this address" in response.text
    assert smtp_sink.wait_for(1, timeout=0.3) == []


def test_sign_in_attempts_are_limited_per_email_across_app_processes(app, tmp_path, session):
    # given: five wrong passwords through one app
    make_markets(session)
    user = make_user(session, email="target@shop.example")
    session.commit()
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, user, password="wrong password").status_code == 422

    # when: the right password is tried, even through a second app on the same database
    answers = [sign_in(client, user).status_code]
    if app.config["SQLALCHEMY_DATABASE_URI"] != "sqlite://":   # an in-memory database is one process only
        other = create_app(test_config(tmp_path / "other"))     # a second process on the same database
        answers.append(sign_in(other.test_client(), user).status_code)
        with other.app_context():
            db.engine.dispose()

    # then: refused with 429 and a clear message; every attempt is a row
    assert set(answers) == {429}
    assert "Too many sign-in attempts" in sign_in(client, user).text
    assert session.scalar(select(func.count(LoginAttempt.id))) == 5


def test_sensitive_actions_ask_for_the_password_again_after_a_while(app, client, session):
    make_markets(session)
    user = make_user(session)
    session.commit()
    sign_in(client, user)
    assert client.get("/en-gb/account/security").status_code == 200

    with client.session_transaction() as flask_session:
        flask_session["signed_in_at"] -= app.config["RECENT_SIGN_IN_SECONDS"] + 1
    response = client.post("/en-gb/account/security/password", data={"password": "x" * 12, "confirm": "x" * 12},
                           headers={"Referer": "http://shop.test/en-gb/account/security"})
    assert response.status_code == 303
    assert "/en-gb/account/confirm?next=/en-gb/account/security" in response.headers["Location"]

    assert client.post("/en-gb/account/confirm", data={"password": "wrong"}).status_code == 422
    response = client.post("/en-gb/account/confirm", data={"password": PASSWORD, "next": "/en-gb/account/security"})
    assert response.headers["Location"] == "/en-gb/account/security"
    assert client.post("/en-gb/account/security/password",
                       data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 303


def test_confirm_never_redirects_off_site(client, session):
    make_markets(session)
    user = make_user(session)
    session.commit()
    sign_in(client, user)
    response = client.post("/en-gb/account/confirm", data={"password": PASSWORD, "next": "//evil.example/"})
    assert response.headers["Location"] == "/en-gb/account/"


def test_addresses_belong_to_their_owner(client, session):
    # given: two customers, one with an address
    make_markets(session)
    owner, other = make_user(session), make_user(session)
    session.add(Address(user=owner, full_name="A", line1="1 rue X", postcode="75001", city="Paris", country_code="FR",
                        is_default=True))
    session.commit()
    address_id = session.scalar(select(Address.id))

    # when the other one tries to read, change or delete it
    sign_in(client, other, edition="fr-fr")
    answers = [client.get(f"/fr-fr/account/addresses/{address_id}").status_code,
               client.post(f"/fr-fr/account/addresses/{address_id}", data={"full_name": "B"}).status_code,
               client.post(f"/fr-fr/account/addresses/{address_id}/delete").status_code]

    # then: it does not exist for them
    assert answers == [404, 404, 404]
    assert "1 rue X" not in client.get("/fr-fr/account/addresses").text


def test_a_customer_adds_an_address_and_bad_postcodes_are_refused(client, session):
    make_markets(session)
    user = make_user(session)
    session.commit()
    sign_in(client, user, edition="de-de")
    fields = {"full_name": "Max Muster", "line1": "Hauptstr. 1", "postcode": "10115", "city": "Berlin",
              "country_code": "DE"}

    bad = client.post("/de-de/account/addresses", data=fields | {"postcode": "<script>"})
    assert bad.status_code == 422 and "Bitte geben Sie eine gültige Postleitzahl ein." in bad.text
    assert client.post("/de-de/account/addresses", data=fields).status_code == 303
    assert session.scalar(select(Address.city)) == "Berlin"
    assert session.scalar(select(Address.is_default)) is True


def test_anonymous_htmx_requests_get_401_with_a_sign_in_location(client, session):
    make_markets(session)
    session.commit()
    response = client.get("/seller/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Location"].startswith("/en-gb/account/sign-in?next=/seller/")


def test_password_links_are_limited_per_address_so_nobody_can_be_flooded(client, session, smtp_sink):
    make_markets(session)
    make_user(session, email="victim@shop.example")
    session.commit()
    for _ in range(6):
        response = client.post("/en-gb/account/password/forgot", data={"email": "victim@shop.example"})
        assert response.status_code == 200 and "If an account uses this address" in response.text
    assert len(smtp_sink.wait_for(6, timeout=0.5)) == 3


def test_nul_characters_are_refused_before_they_reach_the_database(client, session):
    make_markets(session)
    user = make_user(session, seller=None)
    session.commit()
    assert client.post("/en-gb/account/sign-in", data={"email": "a\x00@shop.example", "password": "x"}).status_code == 400
    sign_in(client, user)
    assert client.post("/en-gb/account/addresses", data={"city": "\x00"}).status_code == 400
    assert client.get("/en-gb/account/%00").status_code in (400, 404)
