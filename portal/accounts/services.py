"""Use cases for people: creating users, granting roles, signing in."""
from sqlalchemy import func, select

from portal.accounts.models import ROLES, Membership, User
from portal.extensions import db


class AccountError(ValueError):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == normalize_email(email))).scalar_one_or_none()


def create_user(email: str, password: str, *, display_name: str = "", confirmed: bool = False,
                platform_admin: bool = False) -> User:
    from portal.accounts.models import utcnow

    email = normalize_email(email)
    if find_by_email(email) is not None:
        raise AccountError("email", "An account with this address already exists.")
    if len(password or "") < 10:
        raise AccountError("password", "The password needs at least 10 characters.")
    user = User(email=email, display_name=display_name or email.split("@")[0],
                is_platform_admin=platform_admin, confirmed_at=utcnow() if confirmed else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def grant(user: User, municipality, role: str) -> Membership:
    if role not in ROLES:
        raise AccountError("role", f"Unknown role '{role}'; use one of {', '.join(ROLES)}.")
    existing = db.session.execute(select(Membership).filter_by(
        user_id=user.id, municipality_id=municipality.id, role=role)).scalar_one_or_none()
    if existing:
        return existing
    membership = Membership(user=user, municipality_id=municipality.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session_version>"``."""
    try:
        raw_id, version = user_id.split(":")
        user = db.session.get(User, int(raw_id))
    except (ValueError, AttributeError):
        return None
    if user is None or str(user.session_version) != version or not user.is_active:
        return None
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or not user.is_active:
        # Spend the same time as a real check so timing does not reveal accounts.
        User(password_hash="scrypt:32768:8:1$x$" + "0" * 128).check_password(password or "")
        return None
    return user if user.check_password(password or "") else None
