"""Checking uploaded files: PDF, JPEG or PNG by their content (not only the name), at most 20 MB
(UI.md 6.4: "Välj en fil" · "Filen måste vara mindre än 20 MB" · "Filen måste vara PDF, JPG eller PNG")."""

from __future__ import annotations

import hashlib
from typing import IO

from lotsen.core.errors import DomainError

MAX_BYTES = 20 * 1024 * 1024
MESSAGE_MISSING = "Välj en fil"
MESSAGE_TOO_LARGE = "Filen måste vara mindre än 20 MB"
MESSAGE_WRONG_TYPE = "Filen måste vara PDF, JPG eller PNG"
MESSAGE_EMPTY = "Filen är tom. Välj en annan fil"

_SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)


def sniff(head: bytes, name: str) -> str:
    """The content type when the file's first bytes and its name agree on PDF, JPEG or PNG."""
    lower = name.lower()
    for magic, content_type, suffixes in _SIGNATURES:
        if head.startswith(magic) and lower.endswith(suffixes):
            return content_type
    raise DomainError(MESSAGE_WRONG_TYPE, field="file", code="upload_type")


def check(file: IO[bytes] | None, name: str, size: int | None) -> tuple[str, str, int]:
    """(content type, sha256, size) of an acceptable upload; DomainError (Swedish) otherwise."""
    if file is None or not name:
        raise DomainError(MESSAGE_MISSING, field="file", code="upload_missing")
    if size is not None and size > MAX_BYTES:
        raise DomainError(MESSAGE_TOO_LARGE, field="file", code="upload_size")
    file.seek(0)
    head = file.read(16)
    if not head:
        raise DomainError(MESSAGE_EMPTY, field="file", code="upload_empty")
    content_type = sniff(head, name)
    file.seek(0)
    digest = hashlib.sha256()
    total = 0
    while chunk := file.read(1024 * 1024):
        total += len(chunk)
        if total > MAX_BYTES:
            raise DomainError(MESSAGE_TOO_LARGE, field="file", code="upload_size")
        digest.update(chunk)
    file.seek(0)
    return content_type, digest.hexdigest(), total
