"""Domain errors: a stable code for machines, a Vietnamese message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action. Views/APIs turn it into 400 (or
    ``status``) with ``{"code", "message"}``; the failed action changed nothing."""

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
