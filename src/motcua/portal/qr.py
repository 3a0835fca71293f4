"""The slip's QR link to the public tracking page: defined in the domain,
:mod:`motcua.dossiers.links`, and re-exported here for the portal's pages."""

from motcua.dossiers.links import (
    SALT,
    TOKEN_RE,
    code_from_qr_url,
    dossier_for_token,
    qr_path,
    qr_url,
    token_for,
)

__all__ = [
    "SALT",
    "TOKEN_RE",
    "code_from_qr_url",
    "dossier_for_token",
    "qr_path",
    "qr_url",
    "token_for",
]
