"""Case threads on a real database: the buyer (a guest through the secret link), the seller and the
platform write on a claim's or a return's thread, with pictures checked and stripped like product
photos; internal platform notes reach admins only; everyone reads only the cases in their scope."""
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.aftersales import threads
from app.aftersales.models import CaseAttachment, CaseMessage, WarrantyClaim
from tests.aftersales.helpers import make_return
from tests.aftersales.test_claims import Upload, delivered, photo
from tests.builders import make_listing, make_seller, make_user, sign_in
from tests.conftest import HX


def claimed(app, client, session):
    """An Italian guest's open claim, made through the order page."""
    seller_order, _, staff = delivered(app, client, session, quantity=1, edition="it-it", market="IT")
    order = seller_order.order
    base = f"/it-it/orders/{order.number}"
    form = client.get(f"{base}/claims/new?token={order.access_token}")
    unit_id = re.search(r'name="unit" value="(\d+)"', form.text).group(1)
    assert client.post(f"{base}/claims/new", data={"token": order.access_token, "unit": unit_id, "kind": "defect",
                                                   "description": "La batteria non tiene la carica"},
                       content_type="multipart/form-data").status_code == 303
    return session.scalar(select(WarrantyClaim)), order, base, staff


def test_a_thread_keeps_internal_notes_from_buyer_and_seller(app, session):
    with app.test_request_context():
        from tests.aftersales.helpers import shipped_seller_order
        seller_order, _, _ = shipped_seller_order(app, app.test_client(), session, quantity=1)
        ret = make_return(session, seller_order)
        threads.post(session, ret, author="buyer", user_id=None, body="  Quand passe le transporteur ? ")
        threads.post(session, ret, author="platform", user_id=None, body="Vendeur lent, à surveiller", internal=True)
        threads.post(session, ret, author="seller", user_id=None, body="Demain", internal=True)   # not his to mark
        session.commit()

        assert [(m.author, m.body) for m in threads.messages(session, ret, "buyer")] == \
            [("buyer", "Quand passe le transporteur ?"), ("seller", "Demain")]
        assert [m.body for m in threads.messages(session, ret, "seller")] == ["Quand passe le transporteur ?", "Demain"]
        assert len(threads.messages(session, ret, "platform")) == 3
        with pytest.raises(threads.InvalidMessage) as empty:
            threads.post(session, ret, author="buyer", user_id=None, body="   ")
        with pytest.raises(threads.InvalidMessage) as fake:
            threads.post(session, ret, author="buyer", user_id=None, body="Voilà",
                         files=[Upload(io.BytesIO(b"<?php echo 1; ?>" * 50), "photo.jpg")])
        assert set(empty.value.errors) == {"body"} and set(fake.value.errors) == {"photos"}
        session.rollback()
        assert session.scalar(select(func.count(CaseMessage.id))) == 3


def test_buyer_seller_and_platform_talk_on_a_claim_each_in_their_scope(app, client, session):
    # given: an Italian guest's claim; the seller, another seller and an admin
    claim, order, base, staff = claimed(app, client, session)
    page = f"{base}/claims/{claim.reference}?token={order.access_token}"
    assert client.get(page).status_code == 200 and "Nessun messaggio" in client.get(page).text

    # when: the guest writes with a picture (stripped), through htmx; a fake picture is refused
    fake = client.post(f"{base}/claims/{claim.reference}/messages",
                       data={"token": order.access_token, "body": "Ecco", "photos": (io.BytesIO(b"GIF89a" * 99), "x.jpg")},
                       content_type="multipart/form-data")
    sent = client.post(f"{base}/claims/{claim.reference}/messages",
                       data={"token": order.access_token, "body": "Si spegne al 40 %", "photos": [(photo(), "a.jpg")]},
                       content_type="multipart/form-data", headers=HX | {"HX-Target": "case-thread"})
    stranger = client.post(f"{base}/claims/{claim.reference}/messages", data={"token": "wrong", "body": "Ciao"})

    # then
    assert fake.status_code == 422 and 'aria-invalid="true"' in fake.text and "<html" in fake.text
    assert sent.status_code == 200 and "<html" not in sent.text and "Si spegne al 40 %" in sent.text
    assert "Il tuo messaggio è stato inviato." in sent.text
    assert stranger.status_code == 404
    assert session.scalar(select(func.count(CaseMessage.id))) == 1
    attachment = session.scalar(select(CaseAttachment))
    picture = client.get(f"{base}/claims/{claim.reference}/attachments/{attachment.id}?token={order.access_token}")
    stored = Image.open(io.BytesIO(picture.data))
    assert picture.mimetype == "image/webp" and "no-store" in picture.headers["Cache-Control"]
    assert stored.format == "WEBP" and not stored.getexif()
    assert client.get(f"{base}/claims/{claim.reference}/attachments/{attachment.id}?token=x").status_code == 404
    assert client.get(f"/media/{attachment.storage_key}.photo").status_code == 404

    # when: the seller answers without JavaScript; another seller tries
    sign_in(client, staff)
    answered = client.post(f"/seller/aftersales/claims/{claim.id}/messages", data={"body": "Mandi una foto"})
    assert answered.status_code == 303 and answered.headers["Location"].endswith("#case-thread")
    seller_page = client.get(f"/seller/aftersales/claims/{claim.id}")
    assert "Si spegne al 40 %" in seller_page.text and "Mandi una foto" in seller_page.text
    assert client.get(f"/seller/aftersales/claims/{claim.id}/attachments/{attachment.id}").status_code == 200
    other_seller = make_seller(session, name="Other Shop")
    other = make_user(session, seller=other_seller)
    make_listing(session, seller=other_seller)
    session.commit()
    client.post("/en-gb/account/sign-out")
    sign_in(client, other)
    assert client.post(f"/seller/aftersales/claims/{claim.id}/messages", data={"body": "x"}).status_code == 404
    assert client.get(f"/seller/aftersales/claims/{claim.id}/attachments/{attachment.id}").status_code == 404

    # when: an admin leaves an internal note and a message for both sides
    admin = make_user(session, admin=True)
    session.commit()
    client.post("/en-gb/account/sign-out")
    sign_in(client, admin)
    client.post(f"/manage/aftersales/claims/{claim.id}/messages", data={"body": "Seller late twice", "internal": "1"})
    client.post(f"/manage/aftersales/claims/{claim.id}/messages", data={"body": "We are looking into it"})
    admin_page = client.get(f"/manage/aftersales/claims/{claim.id}")
    assert "Seller late twice" in admin_page.text and "We are looking into it" in admin_page.text
    client.post("/en-gb/account/sign-out")

    # then: neither the buyer nor the seller reads the internal note
    buyer_page = client.get(page)
    assert "We are looking into it" in buyer_page.text and "Seller late twice" not in buyer_page.text
    sign_in(client, staff)
    assert "Seller late twice" not in client.get(f"/seller/aftersales/claims/{claim.id}").text


def test_a_manager_reads_no_thread_and_the_page_queries_do_not_grow(app, client, session, count_queries):
    claim, order, base, staff = claimed(app, client, session)
    manager = make_user(session, markets=("IT",))
    session.commit()
    page = f"{base}/claims/{claim.reference}?token={order.access_token}"
    with app.test_request_context():
        threads.post(session, claim, author="seller", user_id=None, body="Uno", files=[Upload(photo())])
        session.commit()
    one, _ = count_queries.of(lambda: client.get(page))
    with app.test_request_context():
        for n in range(4):
            threads.post(session, claim, author="buyer", user_id=None, body=f"Messaggio {n}", files=[Upload(photo())])
        session.commit()
    five, shown = count_queries.of(lambda: client.get(page))
    assert shown.text.count('<li class="case-message') == 5 and five == one

    sign_in(client, manager)
    assert client.get(f"/manage/aftersales/claims/{claim.id}").status_code == 403
    assert client.post(f"/manage/aftersales/claims/{claim.id}/messages", data={"body": "x"}).status_code == 403
