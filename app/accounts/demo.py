"""Demo accounts for development (`flask demo load` in development, `flask demo accounts`).

Never for production: the password is published in the README.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models_base import utcnow
from app.sellers.models import Seller
from app.sites.models import Market

from .models import User
from .passwords import hash_password

DEMO_PASSWORD = "refurb-demo-2026"
# e-mail, name, language, role: ("admin",), ("seller", seller slug), ("manager", market code), ("customer",)
DEMO_ACCOUNTS = (
    ("admin@refurb.example", "Ada Admin", "en", ("admin",)),
    ("phenix@refurb.example", "Camille Phénix", "fr", ("seller", "ateliers-phenix-lille")),
    ("werkbank@refurb.example", "Jonas Werkbank", "de", ("seller", "werkbank-kreislauf-berlin")),
    ("manager-fr@refurb.example", "Léa Manager", "fr", ("manager", "FR")),
    ("manager-de@refurb.example", "Lukas Manager", "de", ("manager", "DE")),
    ("manager-be@refurb.example", "Emma Manager", "fr", ("manager", "BE")),
    ("customer@refurb.example", "Chris Customer", "en", ("customer",)),
)


def load_demo_accounts(session: Session) -> int:
    """Create the demo accounts that are missing (idempotent); returns how many were created."""
    created = 0
    password_hash = None
    for email, name, language, role in DEMO_ACCOUNTS:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        user = User(email=email, name=name, preferred_language=language, password_hash=password_hash,
                    email_verified_at=utcnow())
        if role[0] == "admin":
            user.is_admin = True
        elif role[0] == "seller":
            seller = session.scalar(select(Seller).where(Seller.slug == role[1]))
            if seller is not None:
                user.seller_id, user.is_seller_owner = seller.id, True
        elif role[0] == "manager":
            user.managed_markets = list(session.scalars(select(Market).where(Market.code == role[1])))
        session.add(user)
        created += 1
    session.flush()
    return created
