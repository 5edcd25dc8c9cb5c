"""Passwords, roles and CSRF tokens.

Passwords are hashed with Argon2id (argon2-cffi), the current OWASP recommendation; hashes are re-computed
on login when the library's parameters change. Rights are a small fixed table rather than a permission
system: three roles are enough for a review team and are easy to audit.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from analyzer.review.db import ROLES, User

F = TypeVar("F", bound=Callable[..., Any])
_HASHER = PasswordHasher()
DEFAULT_PII_ROLES = ("lead", "admin")
LEADS = ("lead", "admin")
ADMINS = ("admin",)


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash of a random password: verifying against it when the user does not exist keeps timing uniform."""
    return _HASHER.hash(secrets.token_hex(16))


def verify_password(user: User | None, password: str) -> bool:
    """True when the password matches; never raises on a bad or missing hash."""
    try:
        return _HASHER.verify(user.password_hash if user else _dummy_hash(), password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(user: User) -> bool:
    return _HASHER.check_needs_rehash(user.password_hash)


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    return role


def requires(*roles: str) -> Callable[[F], F]:
    """Mark a view with the roles allowed to use it; the app's before_request enforces it.

    The mark lives on the function (`required_roles`) so the route-walking test can read what each
    route expects without a second list to keep in sync.
    """

    def mark(view: F) -> F:
        view.required_roles = tuple(roles)  # type: ignore[attr-defined]
        return view

    return mark


def allowed(role: str, required: Iterable[str] | None) -> bool:
    """Deny by default: a view nobody marked with `@requires` is refused to everyone."""
    return required is not None and role in tuple(required)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
