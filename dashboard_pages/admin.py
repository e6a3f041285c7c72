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


MAX_ATTEMPTS = 5
LOCK_SECONDS = 15 * 60


class AttemptLimiter:
    """At most MAX_ATTEMPTS wrong passwords within LOCK_SECONDS, for everyone using the
    server (a new browser session does not reset it); then no attempt is checked until
    the oldest failure is LOCK_SECONDS old."""

    def __init__(self, max_attempts: int = MAX_ATTEMPTS, seconds: float = LOCK_SECONDS):
        self.max_attempts, self.seconds = max_attempts, seconds
        self.failures: list[float] = []

    def _recent(self, now: float) -> list[float]:
        self.failures = [t for t in self.failures if now - t < self.seconds]
        return self.failures

    def wait(self, now: float) -> float:
        """Seconds until a password may be tried again (0: now)."""
        recent = self._recent(now)
        if len(recent) < self.max_attempts:
            return 0.0
        return recent[0] + self.seconds - now

    def failed(self, now: float) -> None:
        self._recent(now).append(now)

    def succeeded(self) -> None:
        self.failures.clear()
