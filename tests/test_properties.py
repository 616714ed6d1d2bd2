"""Properties that must hold on any text, not only on the pages we have seen."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from warta.article import Source
from warta.clean import clean_text
from warta.dates import find_dates
from warta.pipeline import Options, process

# Text that looks like news furniture and dates as often as it looks like noise.
PIECES = st.sampled_from(["Banner", "BACA JUGA:", "JAKARTA - ", "Senin (19/9)", "05 November 2020, 10:55 WIB",
                          "(Xinhua)", "dilansir dari ", "Sumber: ", "(ama)", "\n", "\n\n", "\u200b", "\u202e",
                          '"', "\u201c", "\u201d", "-", "\u2013", "Kamis, 16 Mei 2024", "31/02/2020", " ",
                          "Presiden Rusia Vladimir Putin", "Zhang Jun", "Zhang", " kata ", "tambahnya",
                          " mengatakan bahwa ", "Menurutnya, ", "Kim Jong - un", "Presiden AS", "kedua negara",
                          "pernyataan bersama", "Ia ", ", papar Wang."])
NEWSLIKE = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(NEWSLIKE)
def test_pipeline_never_fails_and_offsets_point_into_the_body(text):
    article = process(Source(id="p", origin="p", text=text), Options(as_of=dt.date(2026, 1, 1)))
    body = article.cleaned.body
    assert body == body.strip() and "\n\n\n" not in body
    for start, end in article.tokens.sentences:
        assert 0 <= start <= end <= len(body)
    assert all(isinstance(name, str) and name for name in article.meta.cited_sources)
    for mention in article.actors.mentions:
        assert body[mention.start:mention.end] == mention.text and mention.type in {"PERSON", "ORG", "GPE", "LOC"}
    for quote in article.quotes.quotes:
        assert body[quote.start:quote.end] == quote.text and quote.text


@settings(max_examples=300, deadline=None)
@given(NEWSLIKE)
def test_date_mentions_are_spans_of_the_text(text):
    for mention in find_dates(text):
        assert text[mention.start:mention.end] == mention.text
        if mention.is_full:
            dt.date(mention.year, mention.month, mention.day)  # a real day


@settings(max_examples=300, deadline=None)
@given(NEWSLIKE)
def test_cleaning_is_idempotent(text):
    once = clean_text(text).body
    assert clean_text(once).body == once
