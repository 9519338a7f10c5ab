"""Orders paid through the real checkout and shipped by the seller, ready for after-sales."""
from __future__ import annotations

from app.orders import fulfilment
from app.orders.models import SellerOrder
from tests.orders.helpers import imei, paid_seller_order

IMEIS = [imei("35694508123456"), imei("49015420323751"), imei("35332011112222")]


def shipped_seller_order(app, client, session, *, quantity=2, edition="fr-fr", market="FR", **listing):
    """A buyer pays for `quantity` phones; the seller ships them with their IMEIs. Returns
    (seller order, listing, staff member)."""
    seller_order, found, staff = paid_seller_order(client, session, quantity=quantity, edition=edition, market=market,
                                                   **listing)
    with app.test_request_context():
        line = seller_order.lines[0]
        fulfilment.ship(session, seller_order, carrier="dhl", tracking_number="JD0001234567",
                        units={line.id: IMEIS[:quantity]})
        session.commit()
    return fresh(session, seller_order), found, staff


def fresh(session, seller_order) -> SellerOrder:
    session.expire_all()
    return session.get(SellerOrder, seller_order.id)


def make_return(session, seller_order):
    """An approved return of the first unit of `seller_order`, written straight to the database."""
    from datetime import date

    from app.aftersales.models import ReturnRequest, Unit
    line = seller_order.lines[0]
    unit = Unit(seller_order_id=seller_order.id, order_line_id=line.id, position=0, identifier=IMEIS[0])
    session.add(unit)
    session.flush()
    ret = ReturnRequest(reference=f"{seller_order.order.number}-R1", order_id=seller_order.order_id,
                        seller_order_id=seller_order.id, unit_id=unit.id, status="approved", reason="changed_mind",
                        reason_detail="found_cheaper", dispute_by=date.today(), label_carrier="dhl",
                        label_tracking="RTFR00000001", label_valid_until=date.today(), amount=line.unit_amount,
                        commission_reversed=0, currency=seller_order.order.currency)
    session.add(ret)
    session.flush()
    return ret


def make_claim(session, seller_order, *, media_root=None):
    """An open warranty claim on the first unit of `seller_order`, written straight to the database,
    with one buyer photo (its file written under `media_root` when given)."""
    import io
    from datetime import date
    from pathlib import Path

    from PIL import Image

    from app.aftersales.models import ClaimPhoto, Unit, WarrantyClaim
    line = seller_order.lines[0]
    unit = Unit(seller_order_id=seller_order.id, order_line_id=line.id, position=0, identifier=IMEIS[0])
    session.add(unit)
    session.flush()
    claim = WarrantyClaim(reference=f"{seller_order.order.number}-C1", order_id=seller_order.order_id,
                          seller_order_id=seller_order.id, unit_id=unit.id, kind="defect", description="No sound",
                          status="open", cover="both", technical_count=1, reply_by=date.today(),
                          amount=line.unit_amount, commission_reversed=0, currency=seller_order.order.currency)
    session.add(claim)
    session.flush()
    photo = ClaimPhoto(claim_id=claim.id, side="buyer", storage_key=f"claims/{claim.id}/walk")
    session.add(photo)
    session.flush()
    if media_root is not None:
        path = Path(media_root) / f"{photo.storage_key}.photo"
        path.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        Image.new("RGB", (400, 300), (200, 0, 0)).save(out, "WEBP")
        path.write_bytes(out.getvalue())
    return claim, photo


def make_attachment(session, claim, *, media_root=None, internal=False):
    """A seller message with one picture on `claim`'s thread (or a platform internal note), written
    straight to the database, its file under `media_root` when given."""
    import io
    from pathlib import Path

    from PIL import Image

    from app.aftersales.models import CaseAttachment, CaseMessage
    message = CaseMessage(claim_id=claim.id, author="platform" if internal else "seller", is_internal=internal,
                          body="Voir la photo")
    session.add(message)
    session.flush()
    attachment = CaseAttachment(message_id=message.id, storage_key=f"cases/claims/{claim.id}/walk{message.id}")
    session.add(attachment)
    session.flush()
    if media_root is not None:
        path = Path(media_root) / f"{attachment.storage_key}.photo"
        path.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        Image.new("RGB", (300, 200), (0, 120, 0)).save(out, "WEBP")
        path.write_bytes(out.getvalue())
    return attachment
