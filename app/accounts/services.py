"""Account use cases: plain functions taking a session; they flush, the caller commits and then mails."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import LANGUAGES
from app.models_base import utcnow

from . import ratelimit
from .errors import EmailTaken, InvalidCredentials, InvalidLink, TooManyAttempts
from .models import Address, User, new_security_stamp
from .passwords import hash_password, needs_rehash, verify_password
from .tokens import Purpose, fingerprint, read_token


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def sign_up(session: Session, *, email: str, password: str, name: str, language: str) -> User:
    email = normalise_email(email)
    if find_user(session, email) is not None:
        raise EmailTaken()
    user = User(email=email, password_hash=hash_password(password), name=name.strip(),
                preferred_language=language if language in LANGUAGES else "en")
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str, ip: str) -> User:
    """The account these credentials open; every attempt is counted, and too many are refused.

    The attempt row is flushed with the caller's transaction: the view commits on failure too, so
    the count survives the error answer.
    """
    email = normalise_email(email)
    wait = ratelimit.retry_after(session, email, ip)
    if wait:
        raise TooManyAttempts(wait)
    user = find_user(session, email)
    ok = user is not None and user.is_active and verify_password(user.password_hash if user else None, password)
    ratelimit.record(session, email, ip, succeeded=ok)
    if not ok:
        raise InvalidCredentials()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def check_password(user: User, password: str) -> bool:
    return verify_password(user.password_hash, password)


def confirm_password(session: Session, user: User, password: str, *, ip: str) -> None:
    """The signed-in user types their password again; counted and limited as sign-ins are (a stolen
    session must not become a way to guess the password). Raises TooManyAttempts or InvalidCredentials."""
    wait = ratelimit.retry_after(session, user.email, ip)
    if wait:
        raise TooManyAttempts(wait)
    ok = check_password(user, password)
    ratelimit.record(session, user.email, ip, succeeded=ok)
    if not ok:
        raise InvalidCredentials(_l("This password is not right."))


def set_password(session: Session, user: User, password: str) -> None:
    """A new password signs the account out of every other session (the stamp is in the session id)."""
    user.password_hash = hash_password(password)
    user.security_stamp = new_security_stamp()
    session.flush()


def end_sessions(session: Session, user: User) -> None:
    """Sign the account out everywhere: the session id and the remember-me cookie carry the stamp."""
    user.security_stamp = new_security_stamp()
    session.flush()


def change_email(session: Session, user: User, email: str) -> None:
    email = normalise_email(email)
    if email == user.email:
        return
    if find_user(session, email) is not None:
        raise EmailTaken()
    user.email = email
    user.email_verified_at = None
    session.flush()


def user_from_token(session: Session, token: str, purpose: Purpose) -> User:
    found = read_token(token, purpose)
    user = session.get(User, found[0]) if found else None
    if user is None or not user.is_active or fingerprint(user, purpose) != found[1]:
        raise InvalidLink()
    return user


def verify_email(session: Session, token: str) -> User:
    user = user_from_token(session, token, Purpose.VERIFY)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    session.flush()
    return user


def reset_password(session: Session, token: str, password: str) -> User:
    """Set the password from an e-mailed link. Following the link also proves the address."""
    user = user_from_token(session, token, Purpose.RESET)
    set_password(session, user, password)
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def save_address(session: Session, user: User, address: Address | None, **fields) -> Address:
    if address is None:
        address = Address(user=user)
        session.add(address)
    for name, value in fields.items():
        setattr(address, name, value.strip() if isinstance(value, str) else value)
    address.country_code = address.country_code.upper()
    if address.is_default or not any(a.is_default for a in user.addresses if a is not address):
        for other in user.addresses:
            other.is_default = other is address
        address.is_default = True
    session.flush()
    return address


def delete_address(session: Session, user: User, address: Address) -> None:
    was_default = address.is_default
    user.addresses.remove(address)
    session.flush()
    if was_default and user.addresses:
        user.addresses[0].is_default = True
        session.flush()


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0
