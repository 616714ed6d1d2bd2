import datetime as dt

import pytest

from warta.article import Source
from warta.meta import find_cited_sources, find_dateline, find_title
from warta.pipeline import Options, process


@pytest.mark.parametrize("lede, expected", [
    # the seeds' forms
    ("Jenewa, Bolong.id - Seorang utusan Tiongkok di PBB", ("Jenewa", "Bolong.id", None)),
    ("Beijing, Growmedia-indo.online-", ("Beijing", "Growmedia-indo.online", None)),
    ("JAKARTA - Beijing akan dengan tegas membela keamanan global", ("Jakarta", None, None)),
    ("Fuzhou, China (Xinhua) \u2013 Yang Jiechi, Anggota Biro Politik", ("Fuzhou", None, "Xinhua")),
    ("YOGYAKARTA - Anggota Dewan Negara sekaligus Menteri", ("Yogyakarta", None, None)),
    # IndoSum's forms
    ("Yangon (ANTARA News) - Pemimpin nasional Myanmar", ("Yangon", "ANTARA News", None)),
    ("Jakarta, CNN Indonesia -- Tentara Suriah berhasil", ("Jakarta", "CNN Indonesia", None)),
    ("Suara.com - Rusia akan memulangkan seluruh pekerja", (None, "Suara.com", None)),
    ("Rimanews - Arab Saudi menawarkan kepada Indonesia", (None, "Rimanews", None)),
    ("JUARA.NET, TOKYO - Pasangan ganda putra Indonesia", ("Tokyo", "JUARA.NET", None)),
    ("NEW YORK (Reuters) - Dewan Keamanan PBB", ("New York", None, "Reuters")),
    ("KEBAYORAN BARU (Pos Kota) \u2013 Otak", ("Kebayoran Baru", "Pos Kota", None)),
])
def test_datelines(lede, expected):
    assert find_dateline(lede) == expected


@pytest.mark.parametrize("paragraph", [
    "Baru - baru ini, rapper asal California meluncurkan album terbarunya.",
    "Presiden Joko Widodo - yang baru kembali dari Tokyo - mengatakan hal itu.",
    "Tiongkok dan Rusia akan lebih memperdalam dan memperluas koordinasi militer.",
    "Go - Jek dikabarkan masih terus mencari startup.",
])
def test_not_datelines(paragraph):
    assert find_dateline(paragraph) is None


@pytest.mark.parametrize("paragraphs, title", [
    (["Utusan China di PBB Minta Dunia Jaga Keamanan Bersama", "Jenewa, Bolong.id - Seorang utusan."],
     "Utusan China di PBB Minta Dunia Jaga Keamanan Bersama"),
    (["JAKARTA - Beijing akan dengan tegas membela keamanan global.", "Kalimat kedua."], None),
    (["Menlu Retno Marsudi mengaku berkomunikasi dengan banyak pihak sebelum berangkat.", "Dua."], None),
    (["Apa varian cokelat Kit Kat favoritmu?", "Kit Kat punya banyak varian."], None),
    (["Tim Cook, CEO Apple (Foto: Reuters)", "Apple merilis laporan keuangan."], None),
    (["Satu-satunya paragraf"], None),
])
def test_titles(paragraphs, title):
    assert find_title(paragraphs) == title


@pytest.mark.parametrize("sentence, sources", [
    ('"...," kata Zhang Jun, dilansir dari Global Times, Kamis (5/11/2020).', ["Global Times"]),
    ("tulis pernyataan tersebut, dikutip dari Anadolu, Jumat, 17 Mei 2024.", ["Anadolu"]),
    ("Quad Indo-Pasifik, mengutip Reuters.", ["Reuters"]),
    ("menanggapi pertanyaan dari TASS tentang prospek kerja sama.", ["TASS"]),
    ("mengatakan kepada TASS, pembentukan dialog menjadi agenda.", ["TASS"]),
    ("seperti yang dikutip VOI dari ANTARA.", ["ANTARA"]),
    ("seperti dikutip laman PageSix.com.", ["PageSix.com"]),
    ("Kantor berita Korea Utara KCNA menyatakan AS semestinya mundur.", ["KCNA"]),
    ("demikian menurut warta kantor berita Reuters.", ["Reuters"]),
    ("Diberitakan Reuters, Minggu (13/8) surat kabar resmi Korut melaporkan", ["Reuters"]),
    ("mengutip Trump mengacu pada kebijakan imigrasi", []),  # a person, not a medium
    ("bunyi pernyataan seperti dilansir Lebih lanjut pernyataan itu", []),  # a word, not a name
    ("Presiden bertemu dengan pemimpin AP di Jakarta.", []),  # an agency's name with no cue
])
def test_cited_sources(sentence, sources):
    assert find_cited_sources(sentence) == sources


def article(text, **given):
    return process(Source(id="t", origin="t", text=text, **given), Options(as_of=dt.date(2026, 1, 1)))


def test_outlet_brand_is_not_a_cited_source():
    record = article("Beijing (ANTARA News) - CRI membuka kantor.\n\n\"Kami siap,\" kata Li kepada Antara di Beijing.")
    assert record.meta.outlet == "ANTARA News" and record.meta.cited_sources == []


def test_meta_from_a_page_with_furniture():
    record = article("Lama Baca 3 Menit\n\nJudul Berita Dunia\n\n05 November 2020, 10:55 WIB\n\n"
                     "Jenewa, Bolong.id - Kalimat pertama, dilansir dari Global Times.\n\nSumber: metrotvnews.com")
    meta = record.meta
    assert (meta.title, meta.published, meta.dateline, meta.outlet) == (
        "Judul Berita Dunia", "2020-11-05T10:55:00+07:00", "Jenewa", "Bolong.id")
    assert meta.cited_sources == ["Global Times", "metrotvnews.com"]


def test_a_time_stamp_after_the_reference_day_is_not_the_publication_date():
    # The reference day is 2026-01-01: a page stamped later is a misread or a wrong --as-of.
    later = article("Judul\n\n05 November 2030, 10:55 WIB\n\nJakarta - Kalimat pertama berita ini.")
    assert later.meta.published is None
    # Updated 2030, published 2025: the first stamp that can be true is kept.
    both = article("Judul\n\n05 November 2030, 10:55 WIB\n\n04 November 2025, 09:00 WIB\n\n"
                   "Jakarta - Kalimat pertama berita ini.")
    assert both.meta.published == "2025-11-04T09:00:00+07:00"
    # What the input gives is its own statement and is kept as given.
    assert article("Jakarta - Kalimat pertama.", published="2030-11-05").meta.published == "2030-11-05"


def test_given_metadata_wins_and_language_is_read_from_the_body():
    record = article("Presiden menerima kunjungan Perdana Menteri Australia di Istana Bogor pada Selasa "
                     "untuk membahas perdagangan dan pendidikan.", title="Judul dari JSONL", published="2024-02-07")
    assert record.meta.title == "Judul dari JSONL" and record.meta.published == "2024-02-07"
    assert record.meta.language == "id"
    english = article("The president received the Australian prime minister at the palace on Tuesday "
                      "to discuss trade, education and regional security.")
    assert english.meta.language == "en"


def test_sentences_are_offsets_into_the_body():
    record = article("Judul Tanpa Titik\n\nKalimat satu. Kalimat dua!\n\nParagraf baru")
    body = record.cleaned.body
    assert [body[s:e] for s, e in record.tokens.sentences] == [
        "Judul Tanpa Titik", "Kalimat satu.", "Kalimat dua!", "Paragraf baru"]
