import pytest

from warta.repair import repair_text


@pytest.mark.parametrize("broken, repaired", [
    # mojibake: UTF-8 read as Windows-1252, and as Mac Roman (CLICK-ID's pages)
    ("Peopleâ€™s Republic", "People\u2019s Republic"),
    ("kata dia,\u201a\u00c4\u00f9 kata Menurut laporan Habert\u221a\u00bark", "kata dia,\u201d kata Menurut laporan Habertürk"),
    # mojibake that re-joining split with a space, as issue 18 saw it
    ("Democratic Peopleâ€ ™ s Republic of Korea", "Democratic People\u2019s Republic of Korea"),
    # HTML entities left in extracted text
    ("Tom &amp; Jerry &quot;kata&quot;", 'Tom & Jerry "kata"'),
    # IndoSum's re-joined tokens
    ("AS , kata dia .", "AS, kata dia."),
    ("( Antara ) dan [ Taiwan ]", "(Antara) dan [Taiwan]"),
    ("materi - materi dan Negara - negara", "materi-materi dan Negara-negara"),
    ("menurut Haber - Turk , Senin", "menurut Haber-Turk, Senin"),
])
def test_repairs(broken, repaired):
    assert repair_text(broken) == repaired


@pytest.mark.parametrize("text", [
    "Jakarta (ANTARA News) - Presiden Joko Widodo mengatakan",  # a dash the dateline reader needs
    "Jakarta, CNN Indonesia -- Tentara Suriah berhasil",
    "Go - Jek dikabarkan",  # two different words: a dash or a hyphen, no telling; left alone
    "angka 3,5 persen dan \u201ckutipan\u201d tetap",  # curly quotes stay curly
    "",
])
def test_left_alone(text):
    assert repair_text(text) == text


@pytest.mark.parametrize("text", ["AS , kata ( Antara ) materi - materi Peopleâ€ ™ s", "a &amp;amp; b"])
def test_repair_is_idempotent(text):
    once = repair_text(text)
    assert repair_text(once) == once
