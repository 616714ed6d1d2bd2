"""The `webpage` stage: an HTML page's main text, title and date (trafilatura, htmldate).

The reader (`warta.read`) only finds a page, checks its size and decodes it; the HTML waits
on `Source.html`. Extracting the text is the costly part of reading a page, so it is the
first stage, and runs where the other stages run: in the worker processes, under the same
time limit. It fills in the `Source` the reader could not finish (text, title, date, URL);
a source that came as text passes through untouched.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from warta.article import Article, NotAnArticle, Source
from warta.dates import normalize_given_date

if TYPE_CHECKING:
    from warta.pipeline import Options

MIN_WORDS = 10  # the shortest news brief runs to a sentence or two


class NoMainText(NotAnArticle):
    """A page with no article on it (a menu, a login form): the input's failure, not an error."""


def page_text(source: Source) -> Source:
    """`source` with the main text, title and date of its HTML; NoMainText where it has none."""
    import trafilatura
    from htmldate import find_date

    html, url = source.html or "", source.url
    extracted = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                            include_tables=False)
    text = extracted.text if extracted is not None else ""
    words = len((text or "").split())
    if words < MIN_WORDS:  # trafilatura returns a menu's words from a page with no article
        raise NoMainText(f"HTML with no main text ({words} words found)" + (f" at {url}" if url else ""))
    try:
        found = find_date(html, url=url, extensive_search=False)
    except Exception:  # htmldate raises on some malformed trees; the date is optional
        found = None
    # trafilatura puts one paragraph per line; the body keeps paragraphs apart with blank lines.
    return replace(source, text=text.replace("\n", "\n\n"), url=url or extracted.url,
                   title=source.title or extracted.title, published=normalize_given_date(found) or source.published)


def webpage(article: Article, options: Options) -> None:
    if article.source.html is not None and not article.source.text:
        article.source = page_text(article.source)
