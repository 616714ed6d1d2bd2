import pytest

from warta.clean import clean_text, furniture_reason, normalize_text, strip_tail
from warta.resources import furniture_rules

# One example for every rule in data/furniture.tsv and for each classifier rule.
FURNITURE = [
    ("Lama Baca 3 Menit", "reading_time"),
    ("Waktu baca: 4 menit", "reading_time"),
    ("5 menit baca", "reading_time"),
    ("Utusan China di PBB Minta Dunia Jaga Keamanan Bersama-Image-1", "image_label"),
    ("foto-utama_1024x768.jpg", "image_label"),
    ("Utusan China - gambar diambil dari internet, segala keluhan mengenai hak cipta, dapat menghubungi kami",
     "image_copyright"),
    ("© 2024 Kabar Contoh. All rights reserved.", "copyright"),
    ("Hak cipta dilindungi undang-undang", "copyright"),
    ("BACA JUGA:", "read_also"),
    ("Baca juga: Setya Novanto: Jangan Sampai Kisruh Taksi", "read_also"),
    ("Baca_Juga", "read_also"),
    ("Simak juga: Klasemen Liga Primer Inggris", "read_also"),
    ("Berita terkait: Harga beras turun", "read_also"),
    ("Banner", "banner"),
    ("Iklan", "banner"),
    ("ADVERTISEMENT", "banner"),
    ("Scroll to continue with content", "banner"),
    ("Bagikan:", "share"),
    ("Share this article", "share"),
    ("0 Komentar", "comments"),
    ("Tinggalkan Komentar", "comments"),
    ("Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *", "comments"),
    ("Lihat Komentar", "comments"),
    ("Laporan: Redaksi", "byline"),
    ("Editor: Budi Santoso", "byline"),
    ("Tags: China, Rusia, keamanan", "tags"),
    ("//<! [ CDATA [", "script"),
    ("Sumber: metrotvnews.com", "source_line"),
    ("Sumber berita Gizmochina.", "source_line"),
    ("* * *", "no_words"),
    ("05 November 2020, 10:55 WIB", "timestamp"),
    ("Kamis, 16 Mei 2024 08:15 WIB", "timestamp"),
    ("Follow Twitter dan Instagram", "furniture_words"),
    ("Download aplikasi berita terbaru", "furniture_words"),
]
NEWS = [
    "Bertemu di Kamboja",  # a sub-heading
    "Oposisi terhadap Aliansi Militer di Asia-Pasifik",
    "Presiden China Xi Jinping bertemu dengan Presiden Rusia Vladimir Putin di Samarkand. (Xinhua/Ju Peng)",
    "Sumber militer mengatakan pasukan telah ditarik dari perbatasan.",  # `Sumber` opening a sentence
    "Dia menambahkan, kontak harus didasarkan pada prinsip-prinsip hukum internasional.",
    "Laporan itu menyebut 89 orang tewas dalam serangan tersebut.",
    "Baca selengkapnya pernyataan bersama kedua negara di bawah ini.",
    "Babak pertama",
    "Judul Berita",
    "Video Viral Pekan Ini",
]


@pytest.mark.parametrize("line, rule", FURNITURE)
def test_furniture_lines_are_removed_by_their_rule(line, rule):
    reason = furniture_reason(line)
    assert reason is not None and reason[0] == rule


def test_every_rule_in_the_data_file_has_an_example():
    tested = {rule for _, rule in FURNITURE} | {"editor_code"}
    assert {rule.rule for rule in furniture_rules()} <= tested


@pytest.mark.parametrize("line", NEWS)
def test_news_lines_are_kept(line):
    assert furniture_reason(line) is None


def test_source_lines_give_the_cited_name():
    assert furniture_reason("Sumber: metrotvnews.com") == ("source_line", "metrotvnews.com")


def test_repeated_sub_headings_are_kept():
    body = clean_text("Sewa gaun.\n\nPlus\n\nMurah.\n\nMinus\n\nKotor.\n\nPlus\n\nCepat.\n\nMinus\n\nLama.").body
    assert body.count("Plus") == 2 and body.count("Minus") == 2


@pytest.mark.parametrize("line, kept, rule", [
    ("Dia meminta pemerintah Myanmar menarik kebijakan itu. (chs/chs)", "Dia meminta pemerintah Myanmar menarik kebijakan itu.", "editor_code"),
    ("Dewan Keamanan PBB akan bertemu pada Rabu ini. (Uu. G005)", "Dewan Keamanan PBB akan bertemu pada Rabu ini.", "editor_code"),
    ("Sungguh sulit dipercaya. (R030)", "Sungguh sulit dipercaya.", "editor_code"),
    ("(ard)", "", "editor_code"),
    ("Ia mengungkapkan jumlahnya puluhan ribu orang. (Antara)", "Ia mengungkapkan jumlahnya puluhan ribu orang.", "trailing_source"),
    ("Hasil audit akan dibagi ke seluruh negara anggota PBB. [ Antara]", "Hasil audit akan dibagi ke seluruh negara anggota PBB.", "trailing_source"),
])
def test_tail_codes_come_off_the_last_line(line, kept, rule):
    rest, removed = strip_tail(line)
    assert rest == kept and removed[0].rule == rule


def test_tail_keeps_an_abbreviation_in_capitals():
    assert strip_tail("Kedua negara membahas kerja sama dengan Amerika Serikat (AS)")[0].endswith("(AS)")


def test_clean_text_keeps_paragraphs_and_records_what_it_removed():
    raw = "Banner\n\nJudul Berita\n\nJAKARTA - Kalimat pertama.\nKalimat kedua.\n\nBACA JUGA:\n\nIklan\n\nPenutup. (ama)"
    cleaned = clean_text(raw)
    assert cleaned.body == "Judul Berita\n\nJAKARTA - Kalimat pertama.\n\nKalimat kedua.\n\nPenutup."
    assert [r.rule for r in cleaned.removed] == ["banner", "read_also", "banner", "editor_code"]


def test_furniture_left_after_a_tail_is_cut_is_removed():
    cleaned = clean_text("Kalimat berita terakhir.\n\nBanner (ama)")
    assert cleaned.body == "Kalimat berita terakhir."
    assert [r.rule for r in cleaned.removed] == ["editor_code", "banner"]


def test_normalize_removes_invisible_and_control_characters():
    assert normalize_text("Xi\u200b Jinping\u202e\x07 bertemu\u00a0\u00a0Putin\r\n") == "Xi Jinping bertemu Putin\n"
