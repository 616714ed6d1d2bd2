"""The `clean` stage: take page furniture out of text that is already extracted.

trafilatura and jusText are right for HTML, but on crawl text (the seeds) they keep or drop
whole lines wrongly, so plain text gets a line-level cleaner of our own:

1. the rules in `data/furniture.tsv` (share bars, `BACA JUGA:`, `Banner`, comment forms,
   reading-time lines, image labels, bylines, `Sumber: X` lines, editor codes at the end);
2. a line classifier for what the rules miss: a line with no words, a time-stamp line (that
   is metadata, read by `meta`), and a short unpunctuated line made mostly of furniture
   vocabulary (`data/furniture_words.txt`). A rule for short lines the page repeats was tried
   and dropped: on IndoSum it removed repeated sub-headings (`Plus`, `Minus`), not furniture.

Every line taken out is kept in `Cleaned.removed` with the rule that took it, so the choice
can be audited, and so `meta` can read cited sources and time stamps from it.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from warta.article import Article, Cleaned, NotAnArticle, RemovedLine
from warta.dates import is_date_line
from warta.repair import repair_text
from warta.resources import furniture_rules, furniture_words, lookup_news_source

if TYPE_CHECKING:
    from warta.pipeline import Options

# Zero-width characters and bidirectional controls: invisible, and they break matching.
# Invisible marks and control characters (category Cc: C0, DEL, C1) except newline and tab.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0xFEFF, 0x2060, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A), *(c for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (0x09, 0x0A))])
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_WORD = re.compile(r"[^\W\d_]+")
_TERMINAL = (".", "?", "!", '"', "\u201d", "'", "\u2019", ":", ")")
_TRAILING_SOURCE = re.compile(r"\s*[(\[]\s*(?P<source>[A-Za-z][\w.' -]{1,30}?(?:\s*[,/]\s*[A-Za-z][\w.' -]{0,30}?)*)"
                              r"\s*[)\]]$")
_SOURCE_LIST = re.compile(r"\s*[,/]\s*")


def normalize_text(text: str) -> str:
    """NFC, one kind of newline, no control or invisible characters, single spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_INVISIBLE)
    return "\n".join(_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def prepared_text(text: str) -> str:
    """`text` repaired (warta.repair) and normalised, the two repeated until it holds still."""
    for _ in range(4):
        again = normalize_text(repair_text(text))
        if again == text:
            break
        text = again
    return text


def furniture_reason(line: str) -> tuple[str, str | None] | None:
    """(rule, cited source or None) when `line` is page furniture; None when it is news."""
    for rule in furniture_rules():
        if rule.action == "tail":
            continue
        match = rule.pattern.search(line)
        if match:
            return rule.rule, (match.group("source").strip() if rule.action == "source" else None)
    words = _WORD.findall(line)
    if not words:
        return "no_words", None
    if is_date_line(line):
        return "timestamp", None
    if len(words) <= 8 and not line.endswith(_TERMINAL):
        vocabulary = furniture_words()
        hits = sum(w.lower() in vocabulary for w in words)
        # Two such words at least: one alone is often news (`Judul Berita`, `Video Viral`).
        if hits >= 2 and hits / len(words) >= 0.5:
            return "furniture_words", None
    return None


def strip_tail(line: str) -> tuple[str, list[RemovedLine]]:
    """Take editor codes (`(chs/chs)`, `(R030)`) and a trailing `(Antara)` or `(dpa, afp)` off
    the last line."""
    removed = []
    tail_rules = [rule for rule in furniture_rules() if rule.action == "tail"]
    changed = True
    while changed and line:
        changed = False
        match = _TRAILING_SOURCE.search(line)
        names = _SOURCE_LIST.split(match.group("source")) if match else []
        if names and all(lookup_news_source(name, any_case=True) for name in names):
            # `(Antara)`, `[ Al Arabiya]`, `(dpa, afp, rtr)`: one removed line per agency named.
            # A code in lower case (`rtr`) is named as the table names the agency (`Reuters`).
            removed += [RemovedLine(match.group(0).strip(), "trailing_source",
                                    lookup_news_source(name, any_case=True).name if name.islower() else name)
                        for name in names]
            line, changed = line[:match.start()].rstrip(), True
            continue
        for rule in tail_rules:
            match = rule.pattern.search(line)
            if match:
                removed.append(RemovedLine(match.group(0).strip(), rule.rule))
                line, changed = line[:match.start()].rstrip(), True
                break
    return line, removed


def clean_text(text: str) -> Cleaned:
    lines = [line for line in prepared_text(text).split("\n") if line]
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for line in lines:
        reason = furniture_reason(line)
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(line, *reason))
    while kept:
        last, taken = strip_tail(kept[-1])
        removed.extend(taken)
        # What a tail was cut from is judged again: `Banner (ama)` leaves furniture behind.
        reason = furniture_reason(last) if last and taken else None
        if last and reason is None:
            kept[-1] = last
            break
        if last:
            removed.append(RemovedLine(last, *reason))
        kept.pop()
    return Cleaned(body="\n\n".join(kept), removed=removed)


def clean(article: Article, options: Options) -> None:
    article.cleaned = clean_text(article.source.text)
    if not article.cleaned.body:
        removed = len(article.cleaned.removed)
        raise NotAnArticle(f"no article text: all {removed} line(s) are page furniture" if removed else
                           "no article text: only spaces and invisible characters")
