"""Django settings for Lotsen. Everything environment-specific comes from `config.env.Settings`."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from config.env import Settings

BASE_DIR = Path(__file__).resolve().parent.parent
ENV = Settings()

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins
LOTSEN_ENV = ENV.lotsen_env
LOTSEN_DEMO_LOGIN = ENV.lotsen_demo_login and not ENV.is_production
LOTSEN_MUNICIPALITY_NAME = ENV.municipality_name
LOTSEN_EMERGENCY_ACCESS_HOURS = ENV.emergency_access_hours
LOTSEN_VERSION = "2026.11"
# R-TID-4: the nämnd's own deadlines are never moved later unless the municipality's lawyers conclude otherwise.
LOTSEN_SUNDAY_RULE_FOR_BOARD_DEADLINES = False
# R-SKYDD-1: the team lead is alerted when no protection assessment is signed this many hours after receipt.
LOTSEN_PROTECTION_ALERT_HOURS = 4
# The municipality as debtor in pain.001 payment files (demo values; set per municipality).
LOTSEN_PAYMENTS_DEBTOR_NAME = LOTSEN_MUNICIPALITY_NAME
LOTSEN_PAYMENTS_DEBTOR_ORG_NUMBER = os.environ.get("PAYMENTS_DEBTOR_ORG_NUMBER", "2120009994")
LOTSEN_PAYMENTS_DEBTOR_BANKGIRO = os.environ.get("PAYMENTS_DEBTOR_BANKGIRO", "99123457")
LOTSEN_PAYMENTS_DEBTOR_BIC = os.environ.get("PAYMENTS_DEBTOR_BIC", "NDEASESS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "django_cotton",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "lotsen.core",
    "lotsen.accounts",
    "lotsen.policies",
    "lotsen.audit",
    "lotsen.people",
    "lotsen.cases",
    "lotsen.board",
    "lotsen.journal",
    "lotsen.children",
    "lotsen.adults",
    "lotsen.interventions",
    "lotsen.assistance",
    "lotsen.payments",
    "lotsen.reminders",
    "lotsen.eservices",
    "lotsen.demo",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lotsen.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "lotsen.accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lotsen.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "lotsen.core.context_processors.shell",
            ],
            "loaders": [
                (
                    "template_partials.loader.Loader",
                    [
                        (
                            "django.template.loaders.cached.Loader",
                            [
                                "django_cotton.cotton_loader.Loader",
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ],
                )
            ],
            "builtins": [
                "django_cotton.templatetags.cotton",
                "django.templatetags.i18n",
                "lotsen.core.templatetags.lotsen",
            ],
        },
    }
]
FORM_RENDERER = "lotsen.core.forms.GovukFormRenderer"

DATABASES: dict[str, Any]
if ENV.database_url:
    DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
else:
    from lotsen.core.embedded_pg import database_config

    # LOTSEN_DB_NAME lets `make bench` use its own database on the embedded server.
    DATABASES = {"default": database_config(BASE_DIR / "var" / "pg", os.environ.get("LOTSEN_DB_NAME", "lotsen"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Parallel pytest-xdist runs (several developers on one machine) each get their own test databases:
# xdist gives every run a unique id, pytest-django appends the worker name (_gw0, _gw1).
_TEST_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
DATABASES["default"]["TEST"] = {"NAME": f"test_lotsen_{_TEST_RUN}" if _TEST_RUN else "test_lotsen"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:start"

# Sessions: short idle timeout (refreshed by every request), secure cookies outside the demo.
SESSION_COOKIE_AGE = ENV.session_timeout_minutes * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = ENV.is_production
CSRF_COOKIE_SECURE = ENV.is_production
SECURE_SSL_REDIRECT = ENV.is_production
SECURE_HSTS_SECONDS = 31536000 if ENV.is_production else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LOTSEN_SESSION_TIMEOUT_MINUTES = ENV.session_timeout_minutes

# django-axes: lock out after repeated failures (per username and IP).
AXES_FAILURE_LIMIT = ENV.axes_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=ENV.axes_cooloff_minutes)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content Security Policy: no inline script without nonce, no external hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "lotsen" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or not ENV.is_production
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = not ENV.is_production
MEDIA_ROOT = BASE_DIR / "var" / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# No personal data in logs: requests are logged by id and status only; errors never include bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "lotsen": {"handlers": ["console"], "level": "INFO"},
    },
}
