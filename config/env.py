"""Typed settings read from the environment (pydantic-settings).

One `Settings` object; safe defaults for the demo. Production (`LOTSEN_ENV=production`) refuses to start
with the demo secret or with demo logins switched on.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET_KEY = "demo-insecure-lotsen-secret-key-do-not-use-in-production"  # noqa: S105


class ConfigurationError(ValueError):
    """Raised when the environment describes an unsafe or impossible configuration."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    lotsen_env: Literal["demo", "test", "production"] = "demo"
    secret_key: str = DEMO_SECRET_KEY
    database_url: str | None = None
    # Demo users log in without two-factor authentication only when this is on (never in production).
    lotsen_demo_login: bool = True
    allowed_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "localhost"])
    csrf_trusted_origins: list[str] = Field(default_factory=list)
    session_timeout_minutes: int = 30
    municipality_name: str = "Exempelby kommun"
    debug: bool = False
    # Lockout after this many failed logins (django-axes) for `axes_cooloff_minutes`.
    axes_failure_limit: int = 5
    axes_cooloff_minutes: int = 30
    emergency_access_hours: int = 12

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.lotsen_env == "production":
            if self.secret_key == DEMO_SECRET_KEY or self.secret_key.startswith("demo") or len(self.secret_key) < 40:
                raise ConfigurationError(
                    "SECRET_KEY must be set to a long random value in production (not the demo secret)."
                )
            if self.lotsen_demo_login:
                raise ConfigurationError("LOTSEN_DEMO_LOGIN must be false in production.")
            if not self.database_url:
                raise ConfigurationError("DATABASE_URL must be set in production.")
        return self

    @property
    def is_production(self) -> bool:
        return self.lotsen_env == "production"
