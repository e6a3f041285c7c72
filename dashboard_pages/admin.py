"""Who may change data from the dashboard: the admin password, from Streamlit secrets
(`admin_password`) or the environment. Kept apart (and light) so the read-only
dashboard can ask without importing the pipeline."""

from __future__ import annotations

import hmac
import os

PASSWORD_ENV = "MAALOPFYLDELSE_ADMIN_PASSWORD"


def configured_password(secrets: object = None) -> str | None:
    """The admin password, or None: then the dashboard stays read-only."""
    try:
        value = secrets.get("admin_password") if secrets is not None else None
    except Exception:  # no secrets.toml at all: Streamlit raises on access
        value = None
    return value or os.environ.get(PASSWORD_ENV) or None


def password_matches(given: str, configured: str | None) -> bool:
    """Constant-time comparison; no configured password means no access at all."""
    return bool(configured) and hmac.compare_digest(given.encode(), configured.encode())
