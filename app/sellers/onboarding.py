"""Seller onboarding and standing: applications, the admin's decision, staff, suspension."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.services import find_user, normalise_email
from app.demo.loader import slugify
from app.models_base import utcnow
from app.sites.models import Market

from .models import ApplicationStatus, Seller, SellerApplication, SellerStatus
from .vat import normalise


class OnboardingError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def pending_application(session: Session, user: User) -> SellerApplication | None:
    return session.scalar(select(SellerApplication).where(
        SellerApplication.applicant_id == user.id, SellerApplication.status == ApplicationStatus.PENDING))


def submit_application(session: Session, user: User, *, company_name: str, country_code: str, city: str,
                       vat_number: str, refurbishes: str, ships_to: list[str]) -> SellerApplication:
    if user.seller_id is not None:
        raise OnboardingError(_l("Your account already belongs to a seller."))
    if pending_application(session, user) is not None:
        raise OnboardingError(_l("You already have an application waiting for review."))
    application = SellerApplication(
        applicant_id=user.id, company_name=company_name.strip(), country_code=country_code, city=city.strip(),
        vat_number=normalise(country_code, vat_number), refurbishes=refurbishes.strip(), ships_to=list(ships_to))
    session.add(application)
    session.flush()
    return application


def _unique_slug(session: Session, name: str, city: str) -> str:
    base = slugify(f"{name} {city}")[:70] or "seller"
    slug, n = base, 1
    while session.scalar(select(Seller.id).where(Seller.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def approve(session: Session, application: SellerApplication, *, reviewer: User) -> Seller:
    """Create the seller, make the applicant its owner, and close the application."""
    if application.status != ApplicationStatus.PENDING:
        raise OnboardingError(_l("This application was already decided."))
    applicant = application.applicant
    if applicant.seller_id is not None:
        raise OnboardingError(_l("The applicant already belongs to a seller."))
    markets = list(session.scalars(select(Market).where(Market.code.in_(application.ships_to or []))))
    seller = Seller(slug=_unique_slug(session, application.company_name, application.city),
                    name=application.company_name, country_code=application.country_code, city=application.city,
                    vat_number=application.vat_number, status=SellerStatus.APPROVED, markets=markets,
                    dispatch_days=2)
    session.add(seller)
    session.flush()
    applicant.seller_id = seller.id
    applicant.is_seller_owner = True
    _decide(application, ApplicationStatus.APPROVED, reviewer, None)
    application.seller_id = seller.id
    session.flush()
    return seller


def reject(session: Session, application: SellerApplication, *, reviewer: User, reason: str) -> None:
    if application.status != ApplicationStatus.PENDING:
        raise OnboardingError(_l("This application was already decided."))
    if not reason.strip():
        raise OnboardingError(_l("Please give the reason, the applicant will read it."))
    _decide(application, ApplicationStatus.REJECTED, reviewer, reason.strip())
    session.flush()


def _decide(application: SellerApplication, status: str, reviewer: User, reason: str | None) -> None:
    application.status = status
    application.decision_reason = reason
    application.reviewed_by_id = reviewer.id
    application.reviewed_at = utcnow()


def suspend(session: Session, seller: Seller, *, reason: str) -> None:
    """Stop a seller: its listings leave every best offer and every page at once (see offers.queries)."""
    if not reason.strip():
        raise OnboardingError(_l("Please give the reason, the seller will read it."))
    seller.status = SellerStatus.SUSPENDED
    seller.status_reason = reason.strip()
    session.flush()


def reinstate(session: Session, seller: Seller) -> None:
    seller.status = SellerStatus.APPROVED
    seller.status_reason = None
    session.flush()


def add_staff(session: Session, seller: Seller, *, email: str, language: str) -> tuple[User, bool]:
    """Add someone to the seller's staff by e-mail address.

    An address without an account gets a new account on the staff (without a password: the e-mail
    that follows lets its owner choose one). An existing account is never attached without its
    owner's consent: it is only checked here, and the caller e-mails it an invitation
    (`invitation_token`) that the owner accepts while signed in (`accept_invitation`).
    Returns the user and whether it was created (and so is on the staff now).
    """
    email = normalise_email(email)
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise OnboardingError(_l("Please enter a valid e-mail address."))
    user = find_user(session, email)
    if user is not None:
        _check_can_join(user, seller)
        return user, False
    user = User(email=email, preferred_language=language, seller_id=seller.id, is_seller_owner=False)
    session.add(user)
    session.flush()
    return user, True


def _check_can_join(user: User, seller: Seller) -> None:
    if user.seller_id == seller.id:
        raise OnboardingError(_l("This person is already on your staff."))
    if user.seller_id is not None:
        raise OnboardingError(_l("This account already belongs to another seller."))


INVITATION_MAX_AGE = 7 * 24 * 3600


def _invitations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sellers.staff-invitation")


def invitation_token(user: User, seller: Seller, inviter: User) -> str:
    """A signed link that expires after a week: `seller` invites the existing account `user`."""
    return _invitations().dumps([user.id, seller.id, inviter.id])


@dataclass(frozen=True)
class Invitation:
    user_id: int
    seller: Seller
    inviter: User


def read_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation a link carries, or None when it is forged, expired or its seller is gone."""
    try:
        user_id, seller_id, inviter_id = _invitations().loads(token, max_age=INVITATION_MAX_AGE)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    if not all(isinstance(value, int) for value in (user_id, seller_id, inviter_id)):
        return None
    seller, inviter = session.get(Seller, seller_id), session.get(User, inviter_id)
    if seller is None or seller.status == SellerStatus.SUSPENDED:
        return None
    if inviter is None or inviter.seller_id != seller.id or not inviter.is_seller_owner:
        return None          # whoever invited is no longer the seller's owner: the invitation lapses
    return Invitation(user_id, seller, inviter)


def accept_invitation(session: Session, invitation: Invitation, user: User) -> None:
    """The invited person, signed in, says yes: they join the staff (never as its owner)."""
    _check_can_join(user, invitation.seller)
    user.seller_id = invitation.seller.id
    user.is_seller_owner = False
    session.flush()


def remove_staff(session: Session, seller: Seller, user: User) -> None:
    if user.seller_id != seller.id:
        raise OnboardingError(_l("This person is not on your staff."))
    if user.is_seller_owner:
        raise OnboardingError(_l("The owner of the seller account cannot be removed."))
    user.seller_id = None
    session.flush()
