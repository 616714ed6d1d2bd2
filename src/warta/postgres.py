"""PostgreSQL behind the calls `Store` makes of sqlite3, for a database many people share.

`Store` writes one SQL for both databases where both accept it (`ON CONFLICT DO NOTHING`,
`RETURNING`, savepoints). What differs is here: the schema, made from the same migration steps
(`migration`: PostgreSQL's types, and a `tsvector` column with a GIN index where SQLite has
FTS5), the placeholders (`?` becomes `%s`), and a few spellings (`translate`).
"""
from __future__ import annotations

import re
from typing import Any

# Where SQLite has FTS5 (a virtual table kept by triggers), PostgreSQL has a generated column:
# words as written ('simple', no stemming, as SQLite's unicode61), title weighted above body.
SEARCH = """
ALTER TABLE articles ADD COLUMN search TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A') || setweight(to_tsvector('simple', body), 'B')
) STORED;
CREATE INDEX articles_search ON articles USING GIN (search);
"""
_FTS5 = re.compile(r"CREATE VIRTUAL TABLE .*?;\s*|CREATE TRIGGER .*?\bEND;\s*", re.S)
# SQLite's column types and clauses -> PostgreSQL's.
_DDL = ((re.compile(r"\bINTEGER\b"), "BIGINT"), (re.compile(r"\bBLOB\b"), "BYTEA"),
        (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"), (re.compile(r"\) WITHOUT ROWID;"), ");"),
        (re.compile(r"\bid BIGINT PRIMARY KEY\b"), "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"),
        (re.compile(r"^(\s*)end BIGINT", re.M), r'\1"end" BIGINT'))  # END is reserved


def migration(sql: str) -> str:
    """A step of `store.MIGRATIONS` (SQLite's DDL) as PostgreSQL's: the same tables and
    columns, and the search column where the step makes the FTS5 table."""
    search = SEARCH if "CREATE VIRTUAL TABLE articles_fts" in sql else ""
    sql = _FTS5.sub("", sql)
    for pattern, replacement in _DDL:
        sql = pattern.sub(replacement, sql)
    return sql + search


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


# SQLite's spelling -> PostgreSQL's, for the statements Store and Explorer write.
_SPELLINGS = (("?", "%s"), ("json_group_array(", "json_agg("),
              ("GLOB '[0-9][0-9][0-9][0-9]-*'", "~ '^[0-9]{4}-'"), ("GLOB '[0-9]*'", "~ '^[0-9]'"),
              ("sum(count)", "CAST(sum(count) AS BIGINT)"))  # PostgreSQL sums integers as numeric


def translate(sql: str) -> str:
    for sqlite, postgresql in _SPELLINGS:
        sql = sql.replace(sqlite, postgresql)
    return sql


class Connection:
    """A psycopg connection with the sqlite3 calls Store uses: execute, executemany,
    executescript, commit, rollback, close and in_transaction; and copy_rows, for batches."""

    def __init__(self, url: str):
        import psycopg

        self.error = psycopg.Error
        self.connection = psycopg.connect(url)

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.connection.execute(translate(sql), params)

    def tune_for_writing(self) -> None:
        """Settings of this session that make storing cheaper on the server, each where the
        server has it: large text goes to TOAST compressed by lz4 rather than pglz (faster at
        about the same size), and the search index gathers new entries in a larger pending list
        before it merges them (one merge of many is cheaper than many small ones)."""
        for setting in ("SET default_toast_compression = 'lz4'", "SET gin_pending_list_limit = '64MB'"):
            try:
                self.connection.execute(setting)
                self.connection.commit()  # a plain SET outlives its transaction, unless rolled back
            except self.error:
                self.connection.rollback()  # a server without lz4 (or before PostgreSQL 14)

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """`rows` into `table` by COPY: one stream, no statement per row. Identity columns take
        the values given, as INSERT's OVERRIDING SYSTEM VALUE would."""
        quoted = ", ".join(f'"{c}"' for c in columns)
        with self.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def executescript(self, script: str) -> None:
        self.connection.execute(script)

    @property
    def in_transaction(self) -> bool:
        return True  # psycopg opens a transaction before the first statement by itself

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def close(self) -> None:
        self.connection.close()
