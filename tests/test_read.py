import gzip
import io
import json

import pytest
from conftest import EXAMPLES, refuse_reading

from warta.article import Source
from warta.read import ReadError, ReadFailure, decode_text, read, read_stdin
from warta.webpage import NoMainText, page_text

TEXT = "Menteri Luar Negeri China Wang Yi bertemu dengan Menteri Luar Negeri Rusia di Phnom Penh."


def read_all(*paths):
    items = list(read([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Source)], [i for i in items if isinstance(i, ReadFailure)]


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
])
def test_txt_in_unicode_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "berita.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    sources, failures = read_all(path)
    assert not failures
    assert sources[0].text.lstrip("\ufeff") == TEXT
    assert sources[0].id == "berita"


def test_txt_in_a_legacy_encoding_is_detected_not_guessed_as_utf8(tmp_path):
    text = "Kafe \u201cLa Caf\u00e9\u201d di Jakarta \u2014 menurut pemilik, harga naik 5\u20ac. " * 5
    path = tmp_path / "lama.txt"
    path.write_bytes(text.encode("cp1252"))
    sources, failures = read_all(path)
    assert not failures
    assert "\u201cLa Caf\u00e9\u201d" in sources[0].text and "\u2014" in sources[0].text


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\n\t ", "empty file"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
    (b"PK\x03\x04" + bytes(100), "ZIP archive"),
    (b"teks\x00\x00\x00biner\x00", "NUL bytes"),
    (bytes(range(1, 32)) * 20, "control characters"),
])
def test_unreadable_text_files_fail_with_a_reason(tmp_path, data, reason):
    path = tmp_path / "buruk.txt"
    path.write_bytes(data)
    sources, failures = read_all(path)
    assert not sources
    assert failures[0].input == str(path) and reason in failures[0].reason


def test_folders_are_recursed_sorted_and_hidden_files_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "dua.txt").write_text(TEXT)
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / ".tersembunyi.txt").write_text(TEXT)
    (tmp_path / "gambar.png").write_bytes(b"\x89PNG")
    sources, failures = read_all(tmp_path)
    assert [s.id for s in sources] == ["a", "dua"]
    assert len(failures) == 1 and "unsupported file type" in failures[0].reason


def test_missing_path_and_unreadable_file_are_failures(tmp_path, monkeypatch):
    locked = tmp_path / "terkunci.txt"
    locked.write_text(TEXT)
    refuse_reading(monkeypatch, locked)
    sources, failures = read_all(tmp_path / "tidak-ada.txt", locked)
    assert not sources
    assert [f.reason for f in failures] == ["no such file or folder", "permission denied"]


def test_html_is_only_decoded_by_the_reader_and_extracted_by_the_webpage_stage():
    sources, failures = read_all(EXAMPLES / "kunjungan-kenegaraan.html")
    assert not failures and sources[0].text == "" and "<html" in sources[0].html.lower()
    source = page_text(sources[0])
    assert source.title == "Presiden Terima Kunjungan Kenegaraan PM Australia"
    assert source.published == "2024-02-07"
    assert "BOGOR (Kabar Contoh)" in source.text and "Beranda" not in source.text
    assert "\n\n" in source.text  # paragraphs kept apart


def test_html_without_main_text_fails(tmp_path):
    path = tmp_path / "kosong.html"
    path.write_text("<html><head><title>x</title></head><body><nav>Beranda</nav></body></html>")
    [source], failures = read_all(path)
    assert not failures
    with pytest.raises(NoMainText, match=r"HTML with no main text \(\d+ words found\)"):
        page_text(source)


def test_jsonl_keys_ids_extras_and_bad_lines(tmp_path):
    lines = [
        {"id": "a", "text": TEXT, "url": "https://x.example/a", "title": "Judul", "published": "2024-05-09",
         "category": "dunia"},
        {"content": TEXT},
        {"body": TEXT, "id": 7},
        "[1, 2]",
        "{tidak json",
        {"id": "tanpa-teks"},
        {"id": "salah", "text": ["bukan", "teks"]},
        {"id": "kosong", "text": "   "},
    ]
    path = tmp_path / "kumpulan.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n\n")
    sources, failures = read_all(path)
    assert [s.id for s in sources] == ["a", "kumpulan-2", "7"]
    assert sources[0].extra == {"category": "dunia"} and sources[0].title == "Judul"
    assert sources[0].published == "2024-05-09" and sources[0].origin == f"{path}:1"
    assert [(f.input.rsplit(":", 1)[1], f.reason.split(":")[0]) for f in failures] == [
        ("4", "a JSON list, not an object"), ("5", "not JSON"), ("6", "no 'text' (or 'content'/'body') key"),
        ("7", "'text' is list, not a string"), ("8", "'text' is empty")]


def test_gzipped_jsonl_and_truncated_gzip(tmp_path):
    data = gzip.compress((json.dumps({"id": "z", "text": TEXT}) + "\n").encode() * 50)
    good, cut = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    good.write_bytes(data)
    cut.write_bytes(data[: len(data) // 2])
    sources, failures = read_all(good)
    assert len(sources) == 50 and not failures
    sources, failures = read_all(cut)
    assert failures and "ends early or is corrupt" in failures[-1].reason


def test_warc_html_responses_with_url_and_date():
    sources, failures = read_all(EXAMPLES / "contoh.warc.gz")
    assert not failures and len(sources) == 1  # the PNG response is not an article
    assert sources[0].url == "https://contoh.example/dunia/korsel-indonesia-pertahanan"
    assert sources[0].published.startswith("2024-03-14")
    assert "SEOUL, Kabar Contoh" in page_text(sources[0]).text


def test_truncated_warc_is_a_failure(tmp_path):
    data = (EXAMPLES / "contoh.warc.gz").read_bytes()
    path = tmp_path / "putus.warc.gz"
    path.write_bytes(data[: len(data) // 3])
    sources, failures = read_all(path)
    assert not sources and "truncated" in failures[-1].reason


def test_stdin_as_text_and_as_jsonl():
    [text] = read_stdin(io.BytesIO(TEXT.encode()))
    assert text.id == "stdin" and text.text == TEXT
    items = list(read_stdin(io.BytesIO(b'{"id": "s1", "text": "satu dua tiga"}\n{"id": 2}\n')))
    assert items[0].id == "s1" and isinstance(items[1], ReadFailure)


def test_decode_text_refuses_invalid_utf16_after_bom():
    with pytest.raises(ReadError):
        decode_text(b"\xff\xfe" + b"\x00\xd8")  # a lone surrogate
