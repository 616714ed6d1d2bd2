"""The `meta` stage: title, publication date, dateline, outlet, cited sources, language.

Where each comes from, in order of trust:
- title: given by the input (JSONL `title`, HTML), else the first paragraph when it reads as
  a headline and is not the lede (a lede opens with a dateline or is a full sentence).
- published: given by the input, else a time-stamp line the cleaner took off the page.
- dateline: the head of the lede, `Place, Outlet -`, `Place (Agency) -`, `PLACE -`,
  `Outlet.com -`; a wire agency in parentheses is a cited source, not the outlet.
- outlet: the publication that printed the page. The URL's domain when
  `data/news_sources.tsv` knows it (the page's address says who printed it), else the input's
  `source` field when the table knows it, else the outlet the lede names, else the input's
  `source` as given, else the URL's site name; spelled as the table spells it.
- cited sources: the cue phrases of `data/citation_cues.txt` (`dilansir dari X`), known
  agencies after weaker cues (`kepada TASS`, `(Xinhua)`), `Sumber: X` lines.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from warta.article import Article, Meta, Source
from warta.dates import (
    DateMention,
    find_dates,
    infer_year,
    is_date_line,
    normalize_given_date,
    to_iso,
)
from warta.repair import repair_text
from warta.resources import (
    NewsSource,
    canonical_source,
    citation_cues,
    lookup_news_domain,
    lookup_news_source,
    media_words,
    news_sources,
)
from warta.trie import alternation

if TYPE_CHECKING:
    from warta.pipeline import Options

LANGUAGE_SAMPLE = 1000  # characters
_DASH = r"(?:--|-|\u2013|\u2014)"
# The head of a lede: up to ~90 characters, then a dash that stands apart from the words
# around it (so the hyphen in `Growmedia-indo.online` is not taken for the separator).
# The lede's first word follows, capitalised (`Baru - baru ini` is a word, not a dateline).
_LEDE_HEAD = re.compile(rf"^(?P<head>[^\n]{{2,90}}?)(?:\s+{_DASH}\s*|{_DASH}(?:\s+|$))(?=$|[^\w\s]|[A-Z\d])")
_PAREN = re.compile(r"\s*\((?P<inside>[^()]{2,40})\)\s*$")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|id|co\.id|net|org|online|news|tv|co)$", re.IGNORECASE)
_DOMAIN_NAME = re.compile(r"^(?:[\w-]+\.)+[a-z]{2,}$", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-Z\d][\w'.&-]*|[\w-]+(?:\.[\w-]+)+)$")
# Words that open a sentence, never a place: `Presiden Jokowi - yang ...` is not a dateline.
_NOT_PLACE = {"presiden", "menteri", "wakil", "ketua", "kepala", "sekretaris", "juru", "para",
              "seorang", "sebuah", "pemerintah", "menurut", "dalam", "pada", "di", "ia", "dia"}

_TITLE_END_OK = re.compile(r"[^.,;:]$")
_CREDIT = re.compile(r"\((?:foto|kredit|photo|ilustrasi|sumber|dok)\b[^)]*\)", re.IGNORECASE)
# A medium's name: capitalised words or a domain, one space apart; a full stop ends it
# unless it is inside a domain (`PageSix.com`).
# `Al - Jazeera`, `Al-Mayadeen`: the Arabic article joined to the name, spaced or not.
_SOURCE_WORD = r"(?:(?:[Aa]l ?- ?)?[A-Z][\w'&-]*(?:\.[\w-]+)*|[a-z][\w-]*(?:\.[a-z]{2,})+)"
_SOURCE_NAME = re.compile(rf"(?P<name>{_SOURCE_WORD}(?: (?:{_SOURCE_WORD}|of|the))*)")
_QUOTED_BY = re.compile(rf"\bdikutip (?P<outlet>{_SOURCE_WORD}(?: {_SOURCE_WORD})?) dari "
                        rf"(?P<source>{_SOURCE_WORD}(?: {_SOURCE_WORD})*)")
_SOURCE_PREFIX = re.compile(
    r"^(?:kantor\s+berita|laman|situs(?:\s+berita)?|media|harian|surat\s+kabar|"
    r"(?:stasiun|saluran)(?:\s+(?:televisi|tv|radio|siaran))?|televisi|majalah|portal\s+berita|"
    r"akun\s+resmi)\s+", re.IGNORECASE)
# Cues too common to trust with an unknown name; a name from news_sources.tsv after them counts,
# also with what kind of medium it is, or whose reporter, in between (`kepada stasiun TV pan -
# Arab Al-Mayadeen`, `dari wartawan Al Jazeera`, `dalam wawancara dengan CNN`).
_WEAK_CUE = re.compile(
    r"\b(?:kepada|pada|dari|menurut|oleh|laporan|ke|wawancara\s+dengan)\s+"
    r"(?:(?:(?:wartawan|koresponden|reporter|jurnalis)\s+)?(?:kantor\s+berita|laman|situs(?:\s+berita)?|media|"
    r"harian|surat\s+kabar|koran|(?:stasiun|saluran)(?:\s+(?:televisi|tv|radio|siaran))?|televisi|majalah|"
    r"portal\s+berita)?(?:\s+[\w-]+(?:\s+-\s+[\w-]+)?)?\s+|(?:wartawan|koresponden|reporter|jurnalis)\s+)?$",
    re.IGNORECASE)

_NOT_A_SOURCE = {"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "presiden",
                 "menteri", "the", "pada", "dari", "kepada"}


def _is_outlet_like(name: str) -> bool:
    source = lookup_news_source(name)
    return bool(_DOMAIN.match(name) or (source and source.kind == "outlet"))


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Lower-cased country names in Indonesian and English (CLDR via babel)."""
    from babel import Locale

    names = set()
    for locale in ("id", "en"):
        names.update(name.lower() for name in Locale.parse(locale).territories.values())
    names.update({"china", "tiongkok", "as", "amerika", "inggris", "korsel", "korut"})
    return frozenset(names)


def _place_case(place: str) -> str:
    """`JAKARTA` -> `Jakarta`, `NEW YORK` -> `New York`; other spellings stay as written."""
    return place.title() if place.isupper() and len(place) > 3 else place


def _name_like(part: str) -> bool:
    words = part.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def find_dateline(paragraph: str) -> tuple[str | None, str | None, str | None] | None:
    """(dateline, outlet, cited agency) from the head of a lede, or None when it has none."""
    match = _LEDE_HEAD.match(paragraph)
    if not match:
        return None
    head = match.group("head").strip()
    inside = None
    paren = _PAREN.search(head)
    if paren:
        inside, head = paren.group("inside").strip(), head[:paren.start()].strip()
    parts = [p.strip() for p in head.split(",") if p.strip()]
    parts = [p for p in parts if not any(m.is_full or m.month for m in find_dates(p))]
    if not parts or len(parts) > 3 or not all(_name_like(p) for p in parts):
        return None
    if parts[0].split()[0].lower() in _NOT_PLACE:
        return None
    place = outlet = agency = None
    # `Jenewa, Bolong.id`, `JUARA.NET, TOKYO`, `Fuzhou, China (Xinhua)`: an outlet may stand
    # before or after the place; a country after the place only narrows the place down.
    for part in parts:
        if _is_outlet_like(part):
            outlet = outlet or part
        elif place is None:
            place = _place_case(part)
        elif part.lower() not in _country_names() and inside is None:
            outlet = outlet or part
    if place is not None and len(place) < 3:
        return None
    if inside:
        source = lookup_news_source(inside)
        if source and source.kind == "agency":
            agency = inside
        elif _name_like(inside):
            outlet = outlet or inside
    if place is None and outlet is None:
        return None
    return place, outlet, agency


def dateline_place(dateline: str) -> dict | None:
    """The dateline on the map: `Fuzhou, China` -> Fuzhou, in the country it names or the actor
    dictionary gives (`MOSKOW` -> RUS), as warta.places.locate finds it."""
    from warta.actordict import actor_dictionary
    from warta.places import locate

    dictionary = actor_dictionary()
    parts = [part.strip() for part in re.split(r"[,(]", dateline) if part.strip()]
    if not parts:
        return None
    country = None
    for part in parts:
        entry = dictionary.names.get(part) or dictionary.names.get(part.title())
        if entry and entry.country in dictionary.state_names:
            country = entry.country
            if entry.kind == "state" and part is not parts[0]:
                break  # `Fuzhou, China`: the named state decides
    return locate(parts[0], country)


def without_dateline(paragraph: str) -> str:
    """`paragraph` with the dateline at its head left off (`Jakarta, CNN Indonesia -- `)."""
    match = _LEDE_HEAD.match(paragraph)
    return paragraph[match.end():] if match and find_dateline(paragraph) is not None else paragraph


def find_title(paragraphs: list[str]) -> str | None:
    """The headline: the first paragraph when it reads as one and is not the lede."""
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    words = first.split()
    if not 2 <= len(words) <= 18 or not _TITLE_END_OK.search(first) or _CREDIT.search(first):
        return None
    # A lede may open with a question to the reader or with a quotation; a headline seldom does.
    if first.endswith("?") or first[0] in "\"'\u201c\u2018":
        return None
    if find_dateline(first) is not None or is_date_line(first):
        return None
    return first


def _source_after(text: str) -> tuple[str | None, bool]:
    """(the medium's name that opens `text`, whether a media word stood before it).

    `kantor berita Iran, Tasnim` and `media Korea Selatan Joongang Ilbo` name the country
    the medium is in before the medium: the country is skipped."""
    text = text.lstrip()
    stripped = _SOURCE_PREFIX.sub("", text)
    prefixed = stripped != text
    name = _name_at(stripped)
    if name and not lookup_news_source(name):  # `Russia Today`, `Taiwan News` are media
        words = name.split()
        country = next((i for i in range(len(words), 0, -1)
                        if " ".join(words[:i]).lower() in _country_names()), 0)
        if country == len(words):  # the country alone: the medium follows the comma
            rest = stripped[len(name):]
            name = _name_at(rest[1:]) if rest.startswith(", ") else None
        elif country:
            name = " ".join(words[country:])
    return name, prefixed


def _name_at(text: str) -> str | None:
    match = _SOURCE_NAME.match(text.lstrip())
    if not match:
        return None
    words = match.group("name").split()
    while words and (words[-1].lower() in {"of", "the"} or words[-1].lower() in _NOT_A_SOURCE):
        words.pop()
    # `The Guardian` is a name; a lone `The`, or `Presiden` and `Senin`, are not.
    if not words or (words[0].lower() in _NOT_A_SOURCE and not (words[0] == "The" and len(words) > 1)):
        return None
    return " ".join(words[:5]).rstrip(".,")


def _source_before(text: str) -> str | None:
    """The medium that ends `text`: `..., The Guardian` before `melaporkan`."""
    match = re.search(rf"(?:^|[\s,;(])(?P<name>{_SOURCE_WORD}(?: (?:{_SOURCE_WORD}|of))*)\s*$", text)
    if not match:
        return None
    words = match.group("name").split()
    # The longest tail of the run that is a known medium, else the run itself when it reads
    # like one (`Harian Kompas`), and never a sentence's first word alone.
    return _known_part(" ".join(words[-5:])) or (" ".join(words[-5:]) if _looks_like_medium(" ".join(words)) else None)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    cues = alternation([phrase for phrase, kind in citation_cues() if kind != "before"], space=r"\s+",
                       ignore_case=True)
    return re.compile(r"\b(?P<cue>" + cues + r")\s+")


@lru_cache(maxsize=1)
def _cue_after_pattern() -> re.Pattern[str]:
    """Cues that follow the medium they name: `The Guardian melaporkan`."""
    cues = alternation([phrase for phrase, kind in citation_cues() if kind == "before"], space=r"\s+",
                       ignore_case=True)
    return re.compile(r"\s+(?P<cue>" + cues + r")\b")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.id.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def _looks_like_medium(name: str) -> bool:
    return bool(_DOMAIN.match(name)) or any(w.lower() in media_words() for w in name.split())


@lru_cache(maxsize=1)
def _agency_pattern() -> re.Pattern[str]:
    variants = {v for s in news_sources() for v in s.variants if s.kind == "agency" or "." in v}
    # The Arabic article as pre-tokenized text spaces it, or joined: `Al - Jazeera`, `Al-Jazeera`.
    variants |= {re.sub(r"^(Al|El)[ -]", rf"\1{joint}", v) for v in variants if re.match(r"(Al|El)[ -]", v)
                 for joint in (" - ", "-", " ")}
    return re.compile(r"(?<![\w.])(?:" + alternation(variants) + r")(?![\w])")


def find_cited_sources(body: str) -> list[str]:
    """Media and agencies the body says it took material from (first spelling of each)."""
    found: list[str] = []
    for match in _QUOTED_BY.finditer(body):
        found.append(match.group("source"))
    strictness = dict(citation_cues())
    for match in _cue_pattern().finditer(body):
        following = body[match.end():match.end() + 80]
        if _QUOTED_BY.match("dikutip " + following):
            continue  # `dikutip VOI dari ANTARA`: VOI is the page itself, ANTARA was found above
        name, prefixed = _source_after(following)
        if not name or name.lower() in _country_names():
            continue
        known = _known_part(name)
        if known:
            found.append(known)  # before the stop-word test: `Antara` is a word too ("between")
        elif name.split()[0].lower() in _stop_words():
            continue
        elif (prefixed or strictness[re.sub(r"\s+", " ", match.group("cue").lower())] == "any"
              or _looks_like_medium(name)):
            found.append(name)
    for match in _cue_after_pattern().finditer(body):
        name = _source_before(body[max(0, match.start() - 60):match.start()])
        if name:
            found.append(name)
    for match in _agency_pattern().finditer(body):
        if lookup_news_source(match.group(0)) is None:
            continue
        before = body[max(0, match.start() - 60):match.start()]
        after = body[match.end():match.end() + 2]
        in_brackets = before.rstrip().endswith(("(", "[", "/")) and after[:1] in {")", "]", "/"}
        if _WEAK_CUE.search(before) or in_brackets:
            found.append(match.group(0))
    return _unique([_agency_for_domain(name) for name in found], None)


def _agency_for_domain(name: str) -> str:
    """`reuters.com` -> `Reuters`: a wire or foreign medium goes by its name. An Indonesian
    outlet's domain is its brand (`Merdeka.com`, `metrotvnews.com`) and stays as written."""
    source = lookup_news_domain(name) if _DOMAIN_NAME.match(name) else None
    return source.name if source and source.kind == "agency" else name


_LIST_SEPARATOR = re.compile(r"\s*(?:,|;|\.\s|\bdan\b|\bvia\b)\s*")
_NOT_A_MEDIUM = re.compile(r"\b(?:gambar|header|foto|ilustrasi|image|sumber)\b", re.IGNORECASE)


def _source_list(text: str) -> list[str]:
    """`Engadget dan The Verge, gambar header Pixabay` (a `Sumber:` line) -> Engadget, The Verge."""
    parts = (part for part in _LIST_SEPARATOR.split(text) if not _NOT_A_MEDIUM.search(part))
    return [name for name in (part.rsplit(":", 1)[-1].strip().rstrip(".") for part in parts) if name]


def _known_part(name: str) -> str | None:
    """`Anadolu Jumat` -> `Anadolu`, `Korea Utara KCNA` -> `KCNA`: the longest run of words
    in `name` that is a known medium."""
    words = name.split()
    runs = sorted(((i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)),
                  key=lambda run: run[0] - run[1])
    for i, j in runs:
        if lookup_news_source(" ".join(words[i:j])):
            return " ".join(words[i:j])
    return None


def _unique(names: list[str], outlet: str | None) -> list[str]:
    """Each source once, as first spelled (`REUTERS` then `Reuter` is one source; the record
    keeps what the text wrote, the store files it under the table's spelling, see
    `canonical_source`; a spaced hyphen, `Al - Jazeera`, is the tokenizing of the corpus, not a
    spelling, and gives way to the table's); the outlet's own tag (`ANTARA` on ANTARA News) is
    the page's own reporting, not a cited source, and so are the words of its name that name
    no other medium (`Bolong` on Bolong.id, but not `CNN` on CNN Indonesia)."""
    known = lookup_news_source(outlet) if outlet else None
    # `CNN` on CNN Indonesia is another medium (cited), `Bolong` on Bolong.id is not.
    own = {word.lower() for word in [outlet, *outlet.split()] if lookup_news_source(word) in (None, known)
           } if outlet else set()
    own |= {v.lower() for v in known.variants} if known else set()
    seen, out = set(), []
    for name in names:
        source = lookup_news_source(name)
        if source is not None and source is known:
            continue
        key = canonical_source(name).lower()
        if key not in seen and name.lower() not in own:
            seen.add(key)
            out.append(canonical_source(name) if " - " in name else name)
    return out


_SITE_SECOND_LEVEL = {"co", "ac", "or", "go", "web", "my", "sch", "net", "com", "org", "gov", "edu", "ne"}


def _host(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url.strip()).hostname if url else None
    except ValueError:
        return None
    return host if host and "." in host else None


def _site(host: str) -> str:
    """`www.berita.example.co.id` -> `example.co.id`: the name a site is registered under."""
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SITE_SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _outlet_name(name: str | None) -> NewsSource | None:
    source = lookup_news_source(name) if name else None
    return source if source and source.kind == "outlet" else None


def find_outlet(source: Source, named: str | None) -> str | None:
    """The publication that printed the page (see the module's docstring for the order)."""
    host = _host(source.url)
    by_url = lookup_news_domain(host) if host else None
    given = source.extra.get("source")
    given = given.strip() if isinstance(given, str) and given.strip() else None
    known = by_url or _outlet_name(given) or _outlet_name(named)
    if known:
        return known.name
    return named or given or (_site(host) if host else None)


def _language(body: str) -> str | None:
    if len(body) < 20:
        return None
    import py3langid

    # The opening of a body says its language as well as the whole; langid's cost grows with length.
    language, _ = py3langid.classify(body[:LANGUAGE_SAMPLE])
    # py3langid's Malay and Indonesian models overlap; Malaysian news is rare in this input,
    # and the closer reading of `ms` on Indonesian news is Indonesian.
    return "id" if language == "ms" else language


def find_meta(article: Article, as_of: dt.date | None = None) -> Meta:
    source, cleaned = article.source, article.cleaned
    paragraphs = cleaned.paragraphs if cleaned else []
    body = cleaned.body if cleaned else ""
    meta = Meta(title=repair_text(source.title) if source.title else find_title(paragraphs))

    meta.published = normalize_given_date(source.published) if source.published else None
    if meta.published is None and cleaned:
        stamps = [m for line in cleaned.removed if line.rule == "timestamp" for m in find_dates(line.text)]
        meta.published = _published(stamps, as_of or dt.date.today())

    cited: list[str] = []
    start = 1 if meta.title and paragraphs and paragraphs[0] == meta.title else 0
    for paragraph in paragraphs[start:start + 4]:
        found = find_dateline(paragraph)
        if found:
            meta.dateline, meta.outlet, agency = found
            cited += [agency] if agency else []
            meta.dateline_place = dateline_place(meta.dateline) if meta.dateline else None
            break
    # `seperti yang dikutip VOI dari ANTARA`: the page names itself as the one quoting.
    quoted_by = _QUOTED_BY.search(body)
    if meta.outlet is None and quoted_by:
        known = lookup_news_source(quoted_by.group("outlet"))
        if len(quoted_by.group("outlet")) > 1 and (known is None or known.kind == "outlet"):
            meta.outlet = quoted_by.group("outlet")

    meta.outlet = find_outlet(source, meta.outlet)
    cited += find_cited_sources(body)
    cited += [name for line in cleaned.removed if line.source for name in _source_list(line.source)] if cleaned else []
    meta.cited_sources = _unique(cited, meta.outlet)
    meta.language = _language(body)
    return meta


def _published(stamps: list[DateMention], as_of: dt.date) -> str | None:
    """The first time stamp's date that is not after `as_of`.

    `Senin (19/9) 10:55 WIB` takes its year from the weekday. A stamp dated after the reference
    day is not a publication date Warta can stand behind (a misread, or a wrong `--as-of`), so,
    as with event dates, it is not kept. A `published` the input gives is kept as given.
    """
    for stamp in stamps:
        if stamp.year is None and stamp.weekday is not None and stamp.month and stamp.day:
            year = infer_year(stamp.month, stamp.day, stamp.weekday, as_of)
            stamp = replace(stamp, year=year) if year else stamp
        iso = to_iso(stamp)
        if iso and dt.date.fromisoformat(iso[:10]) <= as_of:
            return iso
    return None


def meta(article: Article, options: Options) -> None:
    article.meta = find_meta(article, options.as_of)

