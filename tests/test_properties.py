"""Properties that must hold on any text, not only on the pages we have seen: no stage raises,
every offset pair points at the text it reports, and nothing is dated after the reference day.
How many examples, and whether they are new on each run, is set by the profiles in conftest.py."""
import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from warta.article import NotAnArticle, Source
from warta.clean import clean_text
from warta.dates import find_dates
from warta.pipeline import Options, process
from warta.resources import PLOVER_TYPES

# Text that looks like news furniture, dates, speech and events as often as it looks like noise.
PIECES = st.sampled_from([
    "Banner", "BACA JUGA:", "JAKARTA - ", "Senin (19/9)", "05 November 2020, 10:55 WIB", "(Xinhua)", "dilansir dari ",
    "Sumber: ", "(ama)", "\n", "\n\n", "\u200b", "\u202e", "\u200f", "\x00", "\x1b", "\x85", '"', "\u201c", "\u201d",
    "-", "\u2013", "Kamis, 16 Mei 2024", "31/02/2020", " ", "Presiden Rusia Vladimir Putin", "Zhang Jun", "Zhang",
    " kata ", "tambahnya", " mengatakan bahwa ", "Menurutnya, ", "Kim Jong - un", "Presiden AS", "kedua negara",
    "pernyataan bersama", "Ia ", ", papar Wang.", " bertemu ", " mengecam ", " menandatangani perjanjian dengan ",
    " menuduh ", " mendesak ", " tidak ", " akan ", " oleh ", "Tiongkok", "Rusia", "Amerika Serikat", "Indonesia",
    " pada 15 September 2022", " kemarin", " pekan lalu", " pada 3 Maret 2031", " Jumat (5/8)", " di Jakarta", ".",
    ", ", "Menteri Luar Negeri Retno Marsudi", "ASEAN", "PBB",
])
ACTORS = st.sampled_from(["Presiden Rusia Vladimir Putin", "Tiongkok", "Amerika Serikat", "Menlu Retno Marsudi",
                          "Ia", "Mereka", "ASEAN", "Zhang", "Korea Utara", "Presiden China Xi Jinping dan Putin"])
VERBS = st.sampled_from(["bertemu", "mengecam", "menandatangani perjanjian dengan", "menuduh", "mendesak",
                         "tidak akan menyerang", "akan membantu", "dikecam oleh", "menolak", "berjanji membantu"])
WHEN = st.sampled_from(["", " pada 15 September 2022", " kemarin", " Senin (19/9)", " pada 3 Maret 2031",
                        " pekan lalu", " Jumat (5/8)", " 15 Desember lalu", " di hari yang sama"])
SENTENCE = st.tuples(ACTORS, VERBS, ACTORS, WHEN).map(lambda p: f"{p[0]} {p[1]} {p[2]}{p[3]}. ")
NEWSLIKE = st.lists(st.one_of(PIECES, SENTENCE, st.text(max_size=20)), max_size=40).map("".join)
AS_OF = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31))
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def article_or_none(text: str, as_of: dt.date):
    """The processed article, or None where the text holds no article (which is then so)."""
    try:
        return process(Source(id="p", origin="p", text=text), Options(as_of=as_of))
    except NotAnArticle:
        assert not clean_text(text).body
        return None


@given(NEWSLIKE, AS_OF)
def test_no_stage_raises_and_every_offset_points_at_its_text(text, as_of):
    article = article_or_none(text, as_of)
    if article is None:
        return
    body = article.cleaned.body
    for start, end in article.tokens.sentences:
        assert 0 <= start <= end <= len(body)
    record = article.to_record()  # sections a stage skipped (another language) are empty lists
    assert record["body"] == body
    assert all(isinstance(name, str) and name for name in record["cited_sources"])
    for mention in record["entities"]:
        assert body[mention["start"]:mention["end"]] == mention["text"]
        assert mention["type"] in {"PERSON", "ORG", "GPE", "LOC"}
    for quote in record["quotes"]:
        assert body[quote["start"]:quote["end"]] == quote["text"] and quote["text"]
    for event in record["events"]:
        assert body[event["start"]:event["end"]] == event["evidence"] and event["type"] in PLOVER_TYPES
        assert event["trigger"] and event["trigger"].lower() in event["evidence"].lower()


@given(NEWSLIKE, AS_OF)
def test_no_event_and_no_publication_date_after_the_reference_day(text, as_of):
    article = article_or_none(text, as_of)
    if article is None:
        return
    for event in article.to_record()["events"]:
        if event["date"] and not event["date"].startswith("--"):
            assert dt.date.fromisoformat(event["date"]) <= as_of, (event["date"], as_of, event["evidence"])
    if article.meta.published:
        assert dt.date.fromisoformat(article.meta.published[:10]) <= as_of


@given(NEWSLIKE)
def test_date_mentions_are_spans_of_the_text(text):
    for mention in find_dates(text):
        assert text[mention.start:mention.end] == mention.text
        if mention.is_full:
            dt.date(mention.year, mention.month, mention.day)  # a real day


@given(st.one_of(NEWSLIKE, st.text()))
def test_cleaning_never_raises_is_idempotent_and_leaves_no_invisible_characters(text):
    cleaned = clean_text(text)
    body = cleaned.body
    assert body == body.strip() and "\n\n\n" not in body
    assert not INVISIBLE.search(body)
    assert clean_text(body).body == body
    assert all(line.text for line in cleaned.removed)
