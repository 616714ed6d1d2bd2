"""The events stage on sentences written for these tests: triggers through morphology, parties,
negation, intent, passive voice, coordination, and every date form the issue names."""
import datetime as dt

import pytest

from warta.article import Source
from warta.morphology import affix_of, derive
from warta.pipeline import Options, process

AS_OF = dt.date(2026, 11, 22)


def events_of(text: str, published: str | None = None, as_of: dt.date = AS_OF) -> list[dict]:
    article = process(Source(id="t", origin="t", text=text, published=published), Options(as_of=as_of))
    return article.to_record()["events"]


def codes(parties: list[dict]) -> set[str]:
    return {p["country"] for p in parties if p["country"]}


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


def test_meeting_with_coordination_and_place():
    [event] = events_of("Presiden China Xi Jinping bertemu dengan Presiden Rusia Vladimir Putin di Samarkand, "
                        "Uzbekistan, pada 15 September 2022.")
    assert event["type"] == "CONSULT"
    assert codes(event["actors"]) == {"CHN", "RUS"} and event["recipients"] == []
    assert event["date"] == "2022-09-15" and event["date_from"] == "sentence"
    assert event["location"]["country"] == "UZB"


def test_subject_coordination_directed_act():
    found = events_of("Jakarta, 3 Maret 2021. Jepang dan Korea Selatan mengecam Korea Utara atas uji coba "
                      "rudal itu.")
    accuse = [e for e in found if e["type"] == "ACCUSE"]
    assert {(a["country"], r["country"]) for e in accuse for a in e["actors"] for r in e["recipients"]} == {
        ("JPN", "PRK"), ("KOR", "PRK")}


def test_negation_codes_nothing():
    assert events_of("Rusia tidak mengecam Amerika Serikat pada 3 Maret 2021.") == []
    assert events_of("Iran belum menandatangani perjanjian itu dengan Prancis pada 3 Maret 2021.") == []


def test_passive_voice_is_turned_round():
    [event] = events_of("Korea Utara dikecam oleh Jepang pada 3 Maret 2021.")
    assert event["type"] == "ACCUSE"
    assert codes(event["actors"]) == {"JPN"} and codes(event["recipients"]) == {"PRK"}


def test_passive_without_a_doer_codes_nothing():
    assert events_of("Korea Utara dikecam pada 3 Maret 2021.") == []


def test_intent_to_cooperate_is_agree():
    [event] = events_of("China akan memperdalam kerja sama dengan Rusia, kata Wang pada 3 Maret 2021.")
    assert event["type"] == "AGREE" and codes(event["actors"]) == {"CHN", "RUS"}


def test_purpose_clause_is_no_act():
    found = events_of("Menteri Luar Negeri Jepang tiba di Seoul untuk bertemu Korea Selatan pada 3 Maret 2021.")
    assert [e for e in found if e["type"] == "CONSULT"] == []


def test_appeal_needs_an_addressee():
    assert events_of("Jepang menyerukan untuk mencegah krisis pada 3 Maret 2021.") == []
    [event] = events_of("Jepang meminta negara-negara di dunia untuk mencegah krisis pada 3 Maret 2021.")
    assert event["type"] == "REQUEST" and codes(event["actors"]) == {"JPN"}


@pytest.mark.parametrize("text, published, day", [
    ("Jepang mengecam Korea Utara pada 15 September 2022.", None, "2022-09-15"),
    # weekday and day-month, year of the article's publication
    ("Jepang mengecam Korea Utara pada Senin (19/9).", "2022-09-21", "2022-09-19"),
    # weekday and day-month, no year anywhere: the latest year not after as_of with that weekday
    ("Jepang mengecam Korea Utara pada Jumat (5/8).", None, "2022-08-05"),
    # day-month with no year and no weekday
    ("Jepang mengecam Korea Utara pada 15 Desember lalu.", None, "--12-15"),
    ("Jepang mengecam Korea Utara kemarin.", "2022-09-21", "2022-09-20"),
    ("Jepang mengecam Korea Utara pekan lalu.", "2022-09-21", "2022-09-14"),
    # no date in the sentence: the publication date
    ("Jepang mengecam Korea Utara.", "2022-09-21", "2022-09-21"),
])
def test_date_forms(text, published, day):
    [event] = events_of(text, published)
    assert event["date"] == day


def test_same_day_takes_the_day_before_it():
    found = events_of("Jepang mengecam Korea Utara pada 15 September 2022. Di hari yang sama, Korea Selatan "
                      "mengecam Korea Utara.")
    assert [e["date"] for e in found] == ["2022-09-15", "2022-09-15"]


def test_paragraph_date_before_publication_date():
    found = events_of("Pada 12 September 2022 suasana tegang. Jepang mengecam Korea Utara.", "2022-09-21")
    assert found[0]["date"] == "2022-09-12" and found[0]["date_from"] == "paragraph"


def test_no_event_after_as_of():
    found = events_of("Jepang mengecam Korea Utara pada 15 Desember 2026.", as_of=dt.date(2026, 11, 22))
    assert found
    assert all(e["date"] is None or e["date"] <= "2026-11-22" for e in found)


def test_one_event_per_type_parties_and_day():
    found = events_of("Jepang mengecam Korea Utara pada 15 September 2022. Jepang juga mengecam Korea Utara "
                      "pada 15 September 2022.")
    assert len(found) == 1


def test_evidence_offsets():
    text = "Pembukaan.\n\nJepang mengecam Korea Utara pada 15 September 2022."
    article = process(Source(id="t", origin="t", text=text), Options(as_of=AS_OF))
    record = article.to_record()
    [event] = record["events"]
    assert record["body"][event["start"]:event["end"]] == event["evidence"]
