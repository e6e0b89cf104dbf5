"""Domain errors. The UI shows `message` (Swedish) next to the field, the API turns them into
problem+json (RFC 9457), the CLI into a non-zero exit with one line."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken. `message` is Swedish and safe to show (no personal data)."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class PermissionDeniedError(DomainError):
    code = "permission_denied"
    status = 403


class NotFoundError(DomainError):
    code = "not_found"
    status = 404
