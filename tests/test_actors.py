"""The actors stage: role phrases, dictionary, model, and resolution within an article."""
import pytest

from warta.actordict import actor_dictionary
from warta.actors import find_mentions
from warta.article import Source
from warta.pipeline import Options, process


def persons(body, day="2022-09-15"):
    return [(m.text, m.name, m.country, m.role) for m in find_mentions(body, day) if m.type == "PERSON"]


def codes(body, day="2022-09-15", types=("GPE", "ORG")):
    return {m.country for m in find_mentions(body, day) if m.type in types and m.country}


def test_every_mention_points_into_the_body():
    body = ("Presiden Rusia Vladimir Putin bertemu Presiden China Xi Jinping di Samarkand.\n\n"
            "Xi dan Putin menandatangani pernyataan. Kedua negara sepakat, kata Kim Jong - un.")
    mentions = find_mentions(body, "2022-09-15")
    assert mentions
    for mention in mentions:
        assert body[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("body, expected", [
    ("Sekretaris Pers CSTO Vladimir Zainetdinov mengatakan kepada TASS.",
     ("Vladimir Zainetdinov", "CSTO", "press_secretary")),
    ("Menteri Luar Negeri (Menlu) China Wang Yi tiba di Phnom Penh.",
     ("Wang Yi", "CHN", "foreign_minister")),
    ("Sekretaris Dewan Keamanan Federasi Rusia Nikolai Patrushev hadir.",
     ("Nikolai Patrushev", "RUS", "secretary")),
    ("Juru bicara pemerintah Kanada Josh Bueckert mengatakan hal itu.",
     ("Josh Bueckert", "CAN", "spokesperson")),
    ("Juru bicara pertahanan India Letnan Kolonel Manish Mehta menyatakan itu.",
     ("Manish Mehta", "IND", "spokesperson")),
])
def test_a_role_and_its_state_give_country_and_role_to_names_no_dictionary_knows(body, expected):
    name, country, role = expected
    assert (name, name, country, role) in persons(body)


def test_a_head_role_alone_names_its_holder_on_the_day():
    body = "Presiden AS mengancam Korea Utara."
    assert persons(body, "2017-08-10")[0][1:3] == ("Donald Trump", "USA")
    assert persons(body, "2010-08-10")[0][1:3] == ("Barack Obama", "USA")
    assert persons(body, "2022-08-10")[0][1:3] == ("Joe Biden", "USA")


def test_a_member_role_alone_names_nobody():
    assert persons("Juru bicara AS menolak berkomentar.") == []


def test_one_word_names_are_the_full_name_they_abbreviate():
    body = ("Duta Besar China untuk PBB Zhang Jun berbicara. \"Kita harus bersatu,\" kata Zhang Jun 张军.\n\n"
            "Zhang menambahkan bahwa dunia harus bekerja sama.")
    found = persons(body)
    assert {name for _, name, _, _ in found} == {"Zhang Jun"}
    assert ("Zhang", "Zhang Jun", "CHN", "ambassador") in found


def test_a_surname_before_its_full_name_and_a_title_with_a_surname():
    body = "Presiden Xi tiba di Moskow. Di sana Xi Jinping disambut."
    assert {(text, name) for text, name, _, _ in persons(body)} == {("Xi", "Xi Jinping"), ("Xi Jinping", "Xi Jinping")}


def test_a_name_part_that_is_also_a_word_needs_a_verb_after_it():
    body = "Yang Jiechi bertemu Patrushev. Yang jelas, kerja sama berlanjut. Yang menambahkan bahwa itu penting."
    found = [(text, name) for text, name, _, _ in persons(body)]
    assert found.count(("Yang", "Yang Jiechi")) == 1  # `Yang menambahkan`, not `Yang jelas`


def test_states_capitals_and_seats_of_government_carry_their_codes():
    body = "Beijing dan Moskow menolak sikap Washington. Gedung Putih dan Kremlin diam. Korut dan RRT juga."
    assert {"CHN", "RUS", "USA", "PRK"} <= codes(body)


def test_bodies_longest_name_wins():
    mentions = find_mentions("Dewan Keamanan PBB bersidang; Majelis Umum PBB menunggu.", "2022-09-15")
    assert [(m.text, m.country) for m in mentions] == [("Dewan Keamanan PBB", "UNSC"), ("Majelis Umum PBB", "UN")]


def test_kedua_negara_points_at_the_two_states_in_play():
    body = "China dan Rusia memperdalam hubungan. Rusia memuji China. Kedua negara sepakat bekerja sama."
    group = [m for m in find_mentions(body, "2022-09-15") if m.countries]
    assert len(group) == 1 and group[0].countries == ["CHN", "RUS"] and group[0].text == "Kedua negara"


def test_hyphenated_names_of_pre_tokenized_text_are_one_name():
    found = persons("Pemimpin Korea Utara Kim Jong - un meninjau rudal.", "2017-08-10")
    assert ("Kim Jong - un", "Kim Jong-un", "PRK") in [f[:3] for f in found]


def test_a_dictionary_country_needs_the_text_to_name_that_country():
    dictionary = actor_dictionary()
    person = dictionary.persons["Dennis Sandy"]  # a minister of Sierra Leone, generated data
    assert person.country == "SLE" and "Dennis Sandy" not in dictionary.curated
    assert persons("Dennis Sandy mencetak gol untuk timnya.")[0][2] is None
    assert persons("Di Sierra Leone, Dennis Sandy memimpin rapat.", "2012-01-01")[0][2] == "SLE"


def test_the_model_finds_names_no_dictionary_knows():
    from warta.actors import person_spans

    text = "Kemarin Budi Santoso dan Siti Rahmawati meresmikan jembatan di Bandung."
    # The NER finds both names; the span classifier keeps the second and, below its cut,
    # refuses `Budi Santoso` (`budi` is an Indonesian word): a known weakness.
    spans = person_spans(text, "2017-01-01")
    whole = {max((part for part, _ in candidates), key=len) for candidates in spans}
    assert {"Budi Santoso", "Siti Rahmawati"} <= whole
    assert "Siti Rahmawati" in {name for _, name, _, _ in persons(text)}


def test_words_in_title_case_are_not_persons():
    found = persons("Memasuki musim hujan, Beruntung sekali warga. Pelucutan Senjata dibahas di Instagram.")
    assert found == []


def test_the_record_carries_entities_with_offsets(tmp_path):
    source = Source(id="x", origin="x.txt", text="JAKARTA - Presiden Joko Widodo menerima Menlu Rusia Sergei Lavrov.",
                    published="2019-07-01")
    record = process(source, Options()).to_record()
    entities = {(e["name"], e["country"], e["type"]) for e in record["entities"]}
    assert ("Joko Widodo", "IDN", "PERSON") in entities
    assert ("Sergey Lavrov", "RUS", "PERSON") in entities
    for entity in record["entities"]:
        assert record["body"][entity["start"]:entity["end"]] == entity["text"]


def test_the_longest_role_before_a_state_wins():
    assert persons("Presiden menerima Perdana Menteri Australia di Bogor.", "2024-02-07") == \
        [("Perdana Menteri Australia", "Anthony Albanese", "AUS", "prime_minister")]


@pytest.mark.parametrize("written, code, name", [
    ("PBB", "UN", "United Nations"),
    ("Perserikatan Bangsa-Bangsa", "UN", "United Nations"),
    ("Dewan Keamanan PBB", "UNSC", "UN Security Council"),
    ("Uni Eropa", "EU", "European Union"),
    ("Tiongkok", "CHN", "China"),
    ("Rusia", "RUS", "Russia"),
])
def test_canonical_names_are_english_and_the_indonesian_ones_still_resolve(written, code, name):
    entry = actor_dictionary().names[written]
    assert (entry.country, entry.name) == (code, name)


@pytest.mark.parametrize("name, day, role, country", [
    # in office
    ("Xi Jinping", "2017-06-01", "president", "CHN"),
    ("Joko Widodo", "2019-06-01", "president", "IDN"),
    ("Donald Trump", "2018-06-01", "president", "USA"),
    ("Donald Trump", "2025-06-01", "president", "USA"),
    ("Vladimir Putin", "2022-09-15", "president", "RUS"),
    ("Vladimir Putin", "2010-06-01", "prime_minister", "RUS"),
    ("Retno Marsudi", "2022-08-04", "foreign_minister", "IDN"),
    # out of office: no role held that day
    ("Joko Widodo", "2025-06-01", None, "IDN"),
    ("Donald Trump", "2022-06-01", None, "USA"),
    ("Retno Marsudi", "2013-01-01", None, "IDN"),
])
def test_dated_offices_of_known_holders(name, day, role, country):
    person = actor_dictionary().persons[name]
    assert person.role_on(day) == role
    assert person.country_on(day) == country


def test_a_generated_open_office_ends_where_a_curated_one_begins():
    # persons.tsv has Xi Jinping as vice-president from 2008 with no end; offices.tsv has him
    # president from 2013-03-14. The vice-presidency is shown as over, and not after 2013.
    xi = actor_dictionary().persons["Xi Jinping"]
    vice = [o for o in xi.offices if o.role == "vice_president"]
    assert vice and all(o.end == "2013-03-14" for o in vice)
    assert xi.role_on("2010-06-01") == "vice_president"
    assert xi.office_on("2017-06-01").role == "president"
    assert xi.office_on(None).role == "president"  # no day: the latest begun
    # a head of state out of office on the day is shown with the latest office
    assert actor_dictionary().persons["Joko Widodo"].office_on("2026-01-01").role == "president"


def test_a_name_stops_at_a_place_a_line_break_and_a_full_stop():
    from warta.article import Source
    from warta.pipeline import Options, process

    def persons(text):
        article = process(Source(id="t", origin="t.txt", text=text), Options())
        return [m.text for m in article.actors.mentions if m.type == "PERSON"]

    assert persons("Hal itu disampaikan Kapuspen TNI Mayjen TNI Wuryanto di Jakarta, Kamis (5/1).") == ["Wuryanto"]
    assert persons("Kebijakan itu dibuat Presiden Obama.\n\nMenurut dia, itu salah.") == ["Obama"]
    assert "Yusri Yunus" in persons("Kabid Humas Polda Jabar Kombes Pol Yusri Yunus di Mapolda Jabar, Senin.")
    assert persons("Senator John S. McCain tiba di Hanoi.") == ["John S. McCain"]


def test_a_lone_name_only_the_model_found_is_kept_when_the_classifier_says_so():
    import json

    from conftest import shared_path

    from warta.actors import LONE_NAMES_FILE, find_mentions, lone_name_model, lone_names
    from warta.linear import packaged

    assert lone_name_model() is not None
    held_out = set()
    for name in ("indosum-dev.gold.jsonl", "indosum-dev2.gold.jsonl", "seeds.gold.jsonl"):
        held_out |= {json.loads(line)["id"] for line in shared_path("eval", name).open(encoding="utf-8") if line.strip()}
    assert not held_out & set(packaged(LONE_NAMES_FILE)["trained_on"])
    speaking = '"Kami akan terus berjuang untuk menang," kata Hendrawan kepada wartawan di Jakarta.'
    place = "Pasukan itu bergerak menuju Raqqa pada Senin pagi."
    # both are lone words only the NER calls a person; the classifier tells them apart
    assert [m.text for m, _ in lone_names(speaking, "2017-01-01")] == ["Hendrawan"]
    assert [m.text for m, _ in lone_names(place, "2017-01-01")] == ["Raqqa"]
    assert [m.text for m in find_mentions(speaking, "2017-01-01") if m.type == "PERSON"] == ["Hendrawan"]
    assert not [m for m in find_mentions(place, "2017-01-01") if m.type == "PERSON"]


def test_the_span_classifier_cuts_a_person_span_to_the_name_or_refuses_it():
    from warta.actors import LONE_NAMES_FILE, find_mentions, person_spans, span_model
    from warta.linear import packaged

    assert span_model() is not None and "span" in packaged(LONE_NAMES_FILE)

    def persons(text):
        return [m.name for m in find_mentions(text, "2017-01-01") if m.type == "PERSON"]

    # The finders take the firm after a title into the name (`Sinar Foods Budi`); the
    # classifier keeps the name and leaves out what stands before it.
    assert persons("Direktur Pemasaran Sinar Foods Budi Hartono mengatakan penjualan naik.") == ["Budi Hartono"]
    assert persons("Senator John S. McCain tiba di Hanoi.") == ["John S. McCain"]
    # A run of a unit's words after a title holds no name at all.
    text = "Kepala Seksi Penyidikan Kanwil Pajak menjelaskan prosesnya kepada wartawan."
    spans = person_spans(text, "2017-01-01")
    assert spans and spans[0][0][0] == "Seksi"  # the finders made a person of it
    assert persons(text) == []
    # Every candidate is a run of whole words of the span, at most six long.
    for candidates in person_spans("Manajer Setan Merah Jose Mourinho pun kecewa.", "2017-01-01"):
        assert all(1 <= len(part.split()) <= 6 for part, _ in candidates)
        assert all(features for _, features in candidates)
