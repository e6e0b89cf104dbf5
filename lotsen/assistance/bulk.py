"""Fast bulk inserts for the monthly batch: PostgreSQL ``COPY`` with ids taken from the table's sequence.

``copy_insert(objs)`` writes unsaved model instances of one model the way ``bulk_create`` would (each field's
``pre_save`` fills ``auto_now_add`` values, ``get_db_prep_save`` adapts the value) and sets their primary
keys, so the caller can link other rows to them. It is several times faster than ``bulk_create`` for rows
with large JSON values (norm results, explanations). Database triggers on UPDATE/DELETE are unaffected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


def copy_insert(objs: Sequence[Model]) -> None:
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    table = meta.db_table
    pk = meta.pk
    assert pk is not None and pk.column is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(str(c)) for c in [pk.column, *(f.column for f in fields)])
        raw: Any = cursor.cursor  # the psycopg cursor (COPY is not part of Django's API)
        with raw.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for obj, pk_value in zip(objs, ids, strict=True):
                row = [pk_value]
                for field in fields:
                    value = field.pre_save(obj, True)
                    row.append(field.get_db_prep_save(value, connection=connection))
                copy.write_row(row)
                obj.pk = pk_value
                obj._state.adding = False
                obj._state.db = connection.alias
