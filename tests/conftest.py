from pathlib import Path

import os

import pytest
from hypothesis import settings

# Property tests (tests/test_properties.py). `dev`, the default, draws new examples on every run,
# so local runs keep exploring. CI (`.ci/run`) uses `ci`: the same examples every run, so a
# failure there is one anybody can reproduce. `explore` is a long hunt, run on demand:
#     HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_properties.py
settings.register_profile("dev", max_examples=300, deadline=None, print_blob=True)
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True, derandomize=True)
settings.register_profile("explore", max_examples=20_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, skipping the test where a fresh clone has no ../shared beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (tests that read ../shared skip without it)")
    return path


# An article whose title, body and URL carry script and attribute-injection payloads: every
# page that shows it must escape them (tests/test_serve.py, tests/test_browser.py).
XSS_ARTICLE = {
    "id": "xss-1",
    "url": "javascript:alert('url')",
    "title": "Putin <script>alert('title')</script> \"><img src=x onerror=alert('title-img')> bertemu Xi",
    "published": "2022-09-05T10:00:00+07:00",
    "text": (
        "Putin <script>alert('title')</script> \"><img src=x onerror=alert('title-img')> bertemu Xi\n\n"
        "Moskow - Presiden Rusia Vladimir Putin bertemu Presiden China Xi Jinping di Beijing pada Senin (5/9)."
        " <script>alert('body')</script> Keduanya membahas kerja sama energi.\n\n"
        "\"Kami sepakat <img src=x onerror=alert('quote')> memperkuat kerja sama,\" kata Putin.\n\n"
        "Menteri Luar Negeri Rusia Sergei Lavrov mengecam Amerika Serikat\" onmouseover=\"alert('attr')\" x=\""
        " atas sanksi baru pada Senin (5/9).\n"
    ),
}


def refuse_reading(monkeypatch, locked: Path) -> None:
    """Reading `locked` raises PermissionError: chmod 0 cannot stop root, and CI runs as root."""
    real = Path.read_bytes

    def read_bytes(path):
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


def fill_served(url: str, folder: Path) -> None:
    """Store examples/ and XSS_ARTICLE in the database at `url`, for the server's tests."""
    import json

    from warta.pipeline import Options, run
    from warta.store import Store

    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps(XSS_ARTICLE) + "\n", encoding="utf-8")
    with Store(url) as store:
        for item in run([str(EXAMPLES), str(hostile)], Options()):
            if hasattr(item, "reason"):
                store.add_failure(item)
            else:
                store.add(item)


@pytest.fixture(scope="session")
def served_db(tmp_path_factory) -> Path:
    """A SQLite database built from examples/ and XSS_ARTICLE, for the server's tests."""
    folder = tmp_path_factory.mktemp("served")
    path = folder / "served.db"
    fill_served(str(path), folder)
    return path


def empty_postgres_schema(schema: str) -> str:
    """A URL of the WARTA_TEST_POSTGRES database (.ci/run starts a server and sets it) whose
    `schema` has just been emptied; without the variable the PostgreSQL variants skip."""
    url = os.environ.get("WARTA_TEST_POSTGRES")
    if not url:
        pytest.skip("WARTA_TEST_POSTGRES is not set (.ci/run starts PostgreSQL and sets it)")
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.execute(f"CREATE SCHEMA {schema}")
    return url if schema == "public" else url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def served_postgres(tmp_path_factory) -> str:
    """The same, in PostgreSQL: a schema of its own (`served`), so that the store tests, which
    empty the public schema, leave it be."""
    served = empty_postgres_schema("served")
    fill_served(served, tmp_path_factory.mktemp("served-postgres"))
    return served


@pytest.fixture
def postgres_url() -> str:
    """An empty PostgreSQL database for one test."""
    return empty_postgres_schema("public")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """Each store test runs on both databases."""
    if request.param == "sqlite":
        return str(tmp_path / "warta.db")
    return request.getfixturevalue("postgres_url")
