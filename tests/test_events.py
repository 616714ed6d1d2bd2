"""The events stage on sentences written for these tests.

What the rules find (triggers through morphology, the parties a pronoun, a statement or a quote
stands for, the days a sentence offers) is asserted exactly; what the trained models decide is
asserted on sentences any reader codes one way, and as directions where a model weighs
(negation makes an act less likely)."""
import datetime as dt

import pytest

from warta.article import Source
from warta.eventmodel import TYPE_CLASSES, packaged_models
from warta.events import Reader
from warta.morphology import affix_of, derive
from warta.pipeline import Options, process

AS_OF = dt.date(2026, 11, 22)


def article_of(text: str, published: str | None = None, as_of: dt.date = AS_OF):
    return process(Source(id="t", origin="t", text=text, published=published), Options(as_of=as_of))


def events_of(text: str, published: str | None = None, as_of: dt.date = AS_OF) -> list[dict]:
    return article_of(text, published, as_of).to_record()["events"]


def codes(parties: list[dict]) -> set[str]:
    return {p["country"] for p in parties if p["country"]}


def reader_of(text: str, published: str | None = None) -> Reader:
    return Reader(article_of(text, published), AS_OF)


def candidate(reader: Reader, word: str, sentence: int = 0):
    found = reader.candidates(reader.sentence(sentence), packaged_models().vocabulary)
    return next(c for c in found if reader.sentence(sentence).words[c.first].text == word)


@pytest.mark.parametrize("root, affix, form", [
    ("tolak", "meN-", "menolak"), ("kecam", "meN-", "mengecam"), ("puji", "meN-", "memuji"),
    ("serang", "meN-", "menyerang"), ("dukung", "meN-", "mendukung"), ("kritik", "meN-", "mengkritik"),
    ("bom", "meN-", "mengebom"), ("kerja", "ber-", "bekerja"), ("runding", "per-an", "perundingan"),
    ("sepakat", "ke-an", "kesepakatan"), ("tandatangan", "meN-i", "menandatangani"),
    ("seru", "meN-kan", "menyerukan"), ("dalam", "memper-", "memperdalam"), ("tangkap", "peN-an", "penangkapan"),
])
def test_derive(root, affix, form):
    assert derive(root, affix) == form


def test_affix_of_reads_spellings_the_rules_do_not_make():
    assert affix_of("mengkonsolidasikan", "konsolidasi") == "meN-kan"
    assert affix_of("ditolak", "tolak") == "di-"
    assert affix_of("kesepakatan", "sepakat") == "ke-an"


# ---------------------------------------------------------------------- what the rules find
def test_candidates_are_lexicon_forms_and_vocabulary_words():
    reader = reader_of("Jepang mengecam Korea Utara dan menolak perundingan, lalu memperingatkan Seoul.")
    found = {reader.sentence(0).words[c.first].text: c for c in
             reader.candidates(reader.sentence(0), packaged_models().vocabulary)}
    assert found["mengecam"].lexicon.type == "ACCUSE" and found["menolak"].lexicon.type == "REJECT"
    assert found["perundingan"].lexicon.type == "CONSULT"
    # not in the lexicon, but a trigger of the annotated articles: the models' vocabulary
    assert found["memperingatkan"].lexicon is None and found["memperingatkan"].key in packaged_models().vocabulary
    assert "dan" not in found and "jepang" not in found


def test_a_pronoun_a_statement_and_a_quote_stand_for_their_parties():
    text = ("Menteri Luar Negeri China Wang Yi bertemu Menteri Luar Negeri Rusia Sergei Lavrov di Moskow. "
            "Ia mengecam Amerika Serikat. Pernyataan bersama kedua negara menolak sanksi itu.\n\n"
            "\"Kami akan memperkuat kerja sama dengan Beijing,\" katanya.")
    reader = reader_of(text, "2024-05-17")
    pronoun = candidate(reader, "mengecam", 1)
    parties = reader.parties(pronoun)
    assert {"kind": "pronoun", "codes": {"RUS"}} in [{"kind": p.kind, "codes": set(p.codes)} for p in parties]
    # the sentence before gives its parties too, for an act told with no subject
    assert {p.kind for p in parties} >= {"mention", "pronoun", "previous"}
    statement = reader.parties(candidate(reader, "menolak", 2))
    assert any(p.kind in ("statement", "mention") and p.codes == {"CHN", "RUS"} for p in statement)
    quoted = candidate(reader, "memperkuat", 3)
    assert quoted.quote is not None
    assert any(p.kind == "speaker" and p.codes == {"RUS"} for p in reader.parties(quoted))


def test_a_party_keeps_its_coordinated_group_and_side():
    reader = reader_of("Jepang dan Korea Selatan mengecam Korea Utara atas uji coba rudal itu.")
    parties = reader.parties(candidate(reader, "mengecam"))
    by_code = {next(iter(p.codes)): p for p in parties if p.kind == "mention"}
    assert by_code["JPN"].group == by_code["KOR"].group == -1 and by_code["PRK"].group == 1


@pytest.mark.parametrize("text, published, day, kind", [
    ("Jepang mengecam Korea Utara pada 15 September 2022.", None, "2022-09-15", "sentence"),
    ("Jepang mengecam Korea Utara pada Senin (19/9).", "2022-09-21", "2022-09-19", "sentence"),
    # weekday and day-month, no year anywhere: the latest year not after as_of with that weekday
    ("Jepang mengecam Korea Utara pada Jumat (5/8).", None, "2022-08-05", "sentence"),
    ("Jepang mengecam Korea Utara pada 15 Desember lalu.", None, "--12-15", "sentence"),
    ("Jepang mengecam Korea Utara kemarin.", "2022-09-21", "2022-09-20", "relative"),
    ("Jepang mengecam Korea Utara pekan lalu.", "2022-09-21", "2022-09-14", "relative"),
    # a weekday alone: the last such day on or before the article's
    ("Jepang mengecam Korea Utara di Tokyo, Rabu.", "2022-09-24", "2022-09-21", "sentence"),
    ("Jepang mengecam Korea Utara.", "2022-09-21", "2022-09-21", "published"),
])
def test_the_days_a_sentence_offers(text, published, day, kind):
    reader = reader_of(text, published)
    offered = {(d.day, d.kind) for d in reader.days(candidate(reader, "mengecam"), [])}
    assert (day, kind) in offered


@pytest.mark.parametrize("text, day, precision", [
    ("Iran dan enam negara menandatangani kesepakatan nuklir pada 2015.", "2015-07-01", "year"),
    ("Trump bertemu Kim di Hanoi pada Februari 2019.", "2019-02-15", "month"),
    ("Trump bertemu Kim pada Juni tahun lalu.", "2021-06-15", "month"),
])
def test_a_month_or_a_year_is_offered_as_its_middle_day(text, day, precision):
    reader = reader_of(text, "2022-03-10")
    trigger = next(c for c in reader.candidates(reader.sentence(0), packaged_models().vocabulary) if c.lexicon)
    periods = [(d.day, d.precision) for d in reader.days(trigger, []) if d.kind == "period"]
    assert periods == [(day, precision)]


def test_no_month_or_year_after_the_article():
    reader = reader_of("Indonesia menandatangani kesepakatan iklim hingga 2030.", "2022-03-10")
    trigger = next(c for c in reader.candidates(reader.sentence(0), packaged_models().vocabulary) if c.lexicon)
    assert [d for d in reader.days(trigger, []) if d.kind == "period"] == []


# ---------------------------------------------------------------------- what the models decide
def test_meeting_with_coordination_and_place():
    [event] = events_of("Presiden China Xi Jinping bertemu dengan Presiden Rusia Vladimir Putin di Samarkand, "
                        "Uzbekistan, pada 15 September 2022.")
    assert event["type"] == "CONSULT"
    assert codes(event["actors"]) == {"CHN", "RUS"} and event["recipients"] == []
    assert event["date"] == "2022-09-15" and event["date_from"] == "sentence"
    assert event["location"]["country"] == "UZB"
    assert 0.5 <= event["confidence"] <= 1 and event["date_precision"] == "day"


def test_a_directed_act_has_its_doer_and_target():
    [event] = events_of("Jepang mengecam Korea Utara pada 15 September 2022.")
    assert event["type"] == "ACCUSE" and codes(event["actors"]) == {"JPN"} and codes(event["recipients"]) == {"PRK"}


def test_a_city_or_a_seat_of_government_is_named_as_its_state():
    [seat] = [e for e in events_of("Korea Utara mengecam Gedung Putih pada 15 September 2022.") if e["type"] == "ACCUSE"]
    assert seat["actors"] == [{"name": "North Korea", "country": "PRK"}]
    assert seat["recipients"] == [{"name": "United States", "country": "USA"}]
    [city] = [e for e in events_of("Menteri Luar Negeri Jepang mengecam keras Pyongyang atas uji coba rudal "
                                   "pada 15 September 2022.") if e["type"] == "ACCUSE"]
    assert city["recipients"] == [{"name": "North Korea", "country": "PRK"}]


def test_the_passive_is_turned_round():
    found = [e for e in events_of("Korea Utara dikecam oleh Jepang pada 3 Maret 2021.") if e["type"] == "ACCUSE"]
    assert found and all(codes(e["actors"]) == {"JPN"} and codes(e["recipients"]) == {"PRK"} for e in found)


def test_negation_makes_an_act_less_likely():
    models = packaged_models()

    def p_act(text):
        reader = reader_of(text)
        found = candidate(reader, "mengecam")
        return 1 - models.type_probabilities(reader, found, models.domain(reader))[TYPE_CLASSES.index("NONE")]

    assert p_act("Rusia tidak mengecam Amerika Serikat pada 3 Maret 2021.") < \
        p_act("Rusia mengecam Amerika Serikat pada 3 Maret 2021.") - 0.1


def test_every_event_kept_is_at_or_above_the_cut():
    text = ("Jakarta - Presiden Joko Widodo bertemu Perdana Menteri Australia Anthony Albanese di Bogor, Selasa. "
            "Kedua negara menandatangani nota kesepahaman kerja sama maritim. Australia juga mengecam uji coba "
            "rudal Korea Utara.")
    found = events_of(text, "2024-02-07")
    assert found and all(packaged_models().cut <= e["confidence"] <= 1 for e in found)


def test_no_event_after_as_of():
    found = events_of("Jepang mengecam Korea Utara pada 15 Desember 2026.", as_of=dt.date(2026, 11, 22))
    assert all(e["date"] is None or e["date"] <= "2026-11-22" for e in found)


def test_one_event_per_type_parties_and_day():
    found = events_of("Jepang mengecam Korea Utara pada 15 September 2022. Jepang juga mengecam Korea Utara "
                      "pada 15 September 2022.")
    assert len(found) == 1


def test_evidence_offsets():
    text = "Pembukaan.\n\nJepang mengecam Korea Utara pada 15 September 2022."
    record = article_of(text).to_record()
    [event] = record["events"]
    assert record["body"][event["start"]:event["end"]] == event["evidence"]
    assert event["trigger"] == "mengecam"
