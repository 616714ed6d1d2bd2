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
    # issue 18's ordinary wordings, and a typo in a cue
    ("tutur Akeel, seperti dikutip The Independent.", ["The Independent"]),
    ("bulan lalu, The Guardian melaporkan.", ["The Guardian"]),
    ("Dilaporkan Reuters, setidaknya 28 orang tewas.", ["Reuters"]),
    ("dalam pernyataan yang dikuutip Reuters, Selasa (14/4).", ["Reuters"]),
    # `Antara` is also the word "between": a known medium wins over the stop-word test
    ("ucap Febri seperti dikutip Antara.", ["Antara"]),
    # the country before a medium is not the medium; a medium named after a country is one
    ("kata kantor berita Iran, Tasnim, mengutip pernyataan.", ["Tasnim"]),
    ("kata seorang sumber kepada media Korea Selatan Joongang Ilbo.", ["Joongang Ilbo"]),
    ("seperti dilansir Russia Today, Senin.", ["Russia Today"]),
    ("seperti dikutip dari kantor berita Rusia, Selasa (17/9/2019).", []),
    # a media word before the name makes it a medium; an agency's domain is the agency
    ("yang disiarkan oleh saluran TV Almasirah, kelompok itu menyerang.", ["Almasirah"]),
    ("kata Johnson, seperti dikutip dari reuters.com, Minggu.", ["Reuters"]),
    ("Namun, Reuters menyatakan Menlu AS akan datang.", ["Reuters"]),
    ("Presiden Joko Widodo menyatakan bahwa ia akan datang.", []),
    # one source however it is spelled, as first written
    ("Menurut Reuter, dan menurut REUTERS juga.", ["Reuter"]),
    # a known medium told or asked, with what kind of medium it is or whose reporter in between
    ("Mekdad mengatakan kepada stasiun TV pan - Arab Al-Mayadeen balik menuduh", ["Al-Mayadeen"]),
    ("informasi dari wartawan Al Jazeera di Twitter menyebut", ["Al Jazeera"]),
    ("kata Pernat dalam wawancara dengan CNN pada Senin.", ["CNN"]),
    ("Presiden bertemu kepada pemain AP di Jakarta.", []),  # any word between: not a cue
])
def test_cited_sources(sentence, sources):
    assert find_cited_sources(sentence) == sources


def article(text, **given):
    return process(Source(id="t", origin="t", text=text, **given), Options(as_of=dt.date(2026, 1, 1)))


def test_outlet_brand_is_not_a_cited_source():
    record = article("Beijing (ANTARA News) - CRI membuka kantor.\n\n\"Kami siap,\" kata Li kepada Antara di Beijing.")
    assert record.meta.outlet == "ANTARA News" and record.meta.cited_sources == []


def test_a_medium_named_after_its_own_tag_is_cited_but_the_outlet_itself_is_not():
    # CNN is another medium than CNN Indonesia; ANTARA is ANTARA News's own wire.
    text = "Neymar membantah, seperti dilansir CNN. Hal itu dibenarkan, seperti dikutip Antara."
    assert article("Jakarta, CNN Indonesia -- " + text).meta.cited_sources == ["CNN", "Antara"]
    assert article("Jakarta (ANTARA News) - " + text).meta.cited_sources == ["CNN"]


def test_agencies_listed_at_the_end_of_a_story_are_cited():
    record = article("Jakarta - Kalimat pertama berita ini.\n\nAksi protes berlanjut. hp/ts (dpa, afp, rtr)")
    assert record.meta.cited_sources == ["DPA", "AFP", "Reuters"]
    assert "(dpa" not in record.cleaned.body


@pytest.mark.parametrize("given, outlet", [
    # the URL's domain, when the table knows it, whatever the text or the input says
    ({"url": "https://m.cnnindonesia.com/internasional/1"}, "CNN Indonesia"),
    ({"url": "https://finance.detik.com/x", "source": "cnn indonesia"}, "detikFinance"),
    ({"url": "http://juara.bolasport.com/read/1"}, "Juara.net"),
    ({"url": "http://poskotanews.com/2017/12/23/x/"}, "Pos Kota"),
    # else the input's `source` field in the table's spelling, else the text's, else the site
    ({"source": "antaranews"}, "ANTARA News"),
    ({"source": "SINDOnews"}, "SINDOnews"),
    ({"source": "Harian Contoh"}, "Harian Contoh"),
    ({"url": "https://www.berita.contoh.co.id/a/1"}, "contoh.co.id"),
    ({"url": "not a url"}, None),
    ({}, None),
])
def test_outlet_from_the_url_the_input_or_the_text(given, outlet):
    source = Source(id="t", origin="t", text="Presiden menerima tamu di Istana pada Selasa.",
                    url=given.get("url"), extra={k: v for k, v in given.items() if k != "url"})
    assert process(source, Options(as_of=dt.date(2026, 1, 1))).meta.outlet == outlet


def test_the_outlet_the_text_names_is_spelled_as_the_table_spells_it():
    assert article("JUARA.NET, TOKYO - Pasangan ganda putra Indonesia menang.").meta.outlet == "Juara.net"
    assert article("Jenewa, Bolong.id - Seorang utusan berbicara.").meta.outlet == "Bolong.id"


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


def test_a_spaced_or_hyphenated_arabic_article_is_one_source_name():
    from warta.resources import lookup_news_source

    assert lookup_news_source("Al - Jazeera").name == lookup_news_source("Al-Jazeera").name == "Al Jazeera"
    assert lookup_news_source("Qatari News Agency").name == "QNA"
    assert lookup_news_source("Al - Mayadeen").country == "LBN"


def test_a_source_with_a_spaced_arabic_article_is_cited():
    from warta.resources import canonical_source

    # the record keeps the spelling of the text, but a spaced hyphen is no spelling
    found = find_cited_sources('"Sangat menyedihkan," kata Satyendra seperti dilansir dari Al - Jazeera.')
    assert found == ["Al Jazeera"]
    assert find_cited_sources("seperti dilansir Al-Mayadeen.") == ["Al-Mayadeen"]
    assert canonical_source("Al-Mayadeen") == "Al Mayadeen"
