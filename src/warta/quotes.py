"""The `quotes` stage: what was said, in the speaker's words or reported, and who said it.

Three readers, over the body with the actor mentions of the actors stage:

direct    words inside quotation marks (straight or curly), a quote left open at the end of a
          paragraph running on; the cue after (`"...," kata Zhang Jun`, `"...," tambahnya`)
          or before (`X mengatakan, "..."`) names the speaker. A short phrase in marks that
          no cue claims, or that follows a word like `tentang`, is a name or a scare quote.
reported  `X mengatakan (bahwa) ...`, `Menurut X, ...`, `..., papar Wang.` in one sentence,
          with the cues of data/quote_cues.tsv.

A speaker is the person the cue names, resolved by the actors stage (`Zhang` is Zhang Jun);
a pronoun (`Ia`, `Dia`, `Beliau`, `-nya`) is the last speaker; a description (`pemimpin
China`) is the last person of that state; a statement (`kata pernyataan tersebut`) is the
states that issued it; an unnamed source (`sumber militer AS`) has no name but a country.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from warta.article import Article, Mention, Quote, Quotes
from warta.actordict import actor_dictionary
from warta.actors import ends_in_role, normal_name
from warta.resources import indonesian_words, quote_cues
from warta.speakers import rank

if TYPE_CHECKING:
    from warta.pipeline import Options

_OPEN, _CLOSE = "“„«", "”»"
_QUOTE_MARK = re.compile(f'[{_OPEN}{_CLOSE}"]|\n(?=\n)')
_PRONOUN = re.compile(r"(?i)\b(ia|dia|beliau|mereka)\b")
_STATEMENT = re.compile(r"(?i)(pernyataan|keterangan|siaran pers|rilis)(\s+bersama)?\b")
_ANONYMOUS = re.compile(r"(?i)(sumber|pejabat|seorang|diplomat|pihak|saksi|warga|petugas|juru bicara)\b")
# A personal name of capitalised words, none of them a common word (checked by the caller).
# Not across a line: `Jitesh Ubrani.` ends its paragraph, `Meski` opens the next.
_NAME = re.compile(r"[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3}(?=[\s,.]|$)")
# Words before a speech verb that make it no statement: `untuk menjelaskan`, `tidak mengatakan`.
_NOT_SAID = re.compile(r"(?i)\b(untuk|akan|ingin|harus|bisa|dapat|mau|tidak|belum|enggan|diminta)\s+$")
_SHORT = 5  # a phrase in marks of fewer words is a quote only when a cue claims it
# `..., menurut seorang juru bicara.` / `..., menurutnya.` closing a sentence
_TRAILING_MENURUT = re.compile(r"(?i),\s*menurut(nya)?\b(?=[^,]{0,60}$)")
# `, kata Arief,` set inside a sentence: group 1 is where the cue starts
_ASIDE = re.compile(r",\s*(\w+(?:nya)?\b[^,]{0,50}),\s*")
_GROUP = re.compile(r"(?i)(para|kedua|ketiga|pihak|kelompok|pemerintah|kementerian|otoritas|pejabat|sumber|polisi)\b")
_THING = re.compile(r"(?i)(hal|ini|itu|data|hasil|laporan|survei|penelitian|studi|kondisi|situasi)\b")


@lru_cache(maxsize=1)
def cue_words() -> frozenset[str]:
    """Every speech cue and its -nya form, in lower case (the parse stage parses where one is)."""
    cues = set(quote_cues())
    return frozenset(cues | {cue + "nya" for cue in cues})


@lru_cache(maxsize=None)
def _cues(kind: str) -> str:
    """The cues of one kind as a regex alternation, longest first."""
    return "|".join(map(re.escape, sorted((c for c, k in quote_cues().items() if k == kind), key=len, reverse=True)))


@lru_cache(maxsize=None)
def _cue_pattern(kind: str) -> re.Pattern:
    """A cue of `kind` and its -nya: group 1 the cue, group 2 the -nya."""
    return re.compile(rf"(?i)\b({_cues(kind)})(nya)?\b")


@lru_cache(maxsize=1)
def _trailing() -> re.Pattern:
    """The comma before `papar Wang.` / `tambahnya.` that closes a sentence of reported speech
    (lower case: a capitalised word after a comma starts a name, not a cue)."""
    return re.compile(rf",\s*(?=\b(?:{_cues('after')})(?:nya)?\b[^,]{{0,60}}$)")


class _Reader:
    def __init__(self, body: str, mentions: list[Mention], sentences: list[tuple[int, int]]):
        self.body, self.mentions = body, mentions
        self.persons = [m for m in mentions if m.type == "PERSON"]
        self.sentences = sentences or [(0, len(body))]
        self.after, self.verb, self.menurut = (_cue_pattern(k) for k in ("after", "verb", "menurut"))
        self.trailing = _trailing()
        self.quotes: list[Quote] = []
        self.last: dict | None = None  # the last speaker, for pronouns and -nya
        self.last_at = 0  # where the last quote ended

    # -- speakers
    def speaker_at(self, position: int, limit: int = 60) -> dict | None:
        """The speaker named from `position` on: a person, a pronoun, a statement, a source."""
        window = self.body[position:position + limit]
        gap = len(window) - len(window.lstrip())
        for mention in self.mentions:
            if position <= mention.start <= position + gap + 1 and mention.type == "PERSON":
                return {"name": mention.name, "country": mention.country}
        rest = window.lstrip()
        if _PRONOUN.match(rest):
            return self.previous(position)
        if statement := _STATEMENT.match(rest):
            return self.statement(bool(statement.group(2)))
        if description := self.description(position + gap, rest):
            return description
        # A bare title: `kata Presiden dalam pernyataan pers` is the president named before.
        if titled := self.titled(position, rest):
            return titled
        # A name no finder knew, right after the cue: `ujar Mushin saat ...`, `jelas Habiburokhman`.
        if (name := _NAME.match(rest)) and not any(w.lower() in indonesian_words() for w in name.group().split()) \
                and not ends_in_role(name.group().split()[0]) \
                and not any(position + gap <= m.start < position + gap + name.end() for m in self.mentions):
            return {"name": normal_name(name.group()), "country": None}
        # A title before the name: `tambah Kepala Pusat Komunikasi Kemlu, Gunawan`,
        # `Menurut kepala strategi Dyn, Kyle York, ...`; not past the end of the clause.
        stop = re.search(r"[.!?\"“”]|\s(?:dan|bahwa|yang)\s", window)
        reach = position + (stop.start() if stop else len(window))
        for mention in self.persons:
            if position <= mention.start < reach:
                return {"name": mention.name, "country": mention.country}
        for mention in self.mentions:  # an organisation or state speaking: `kata Kremlin`
            if position <= mention.start <= position + gap + 1 and mention.type in ("ORG", "GPE"):
                return body_speaker(mention)
        if _ANONYMOUS.match(rest):
            country = next((m.country for m in self.mentions if position < m.start < position + 40
                            and m.type == "GPE" and m.country), None)
            return {"name": None, "country": country}
        return None

    def speaker_before(self, start: int, end: int) -> dict | None:
        """The subject of a speech verb at `end`, in the span `start`..`end` of its sentence."""
        head = self.body[start:end]
        persons = [m for m in self.persons if start <= m.start and m.end <= end]
        if persons:
            return {"name": persons[-1].name, "country": persons[-1].country}
        words = head.strip(" ,")
        if _PRONOUN.search(words.split(",")[-1]) and len(words.split()) <= 4:
            return self.previous(start)
        if statement := _STATEMENT.search(head):
            return self.statement(bool(statement.group(2)))
        clause = start + (head.rfind(",") + 1 if "," in head else 0)
        if description := self.description(clause + (len(self.body[clause:end]) - len(self.body[clause:end].lstrip())),
                                           self.body[clause:end].lstrip()):
            return description
        others = [m for m in self.mentions if start <= m.start and m.end <= end and m.type in ("ORG", "GPE")]
        if others and end - others[-1].end <= 12:
            return body_speaker(others[-1])
        return None

    def description(self, position: int, text: str) -> dict | None:
        """`pemimpin China`, `diplomat China itu`: the last person of that state before here."""
        match = re.match(r"(?i)(pemimpin|diplomat|presiden|menteri|menlu|juru bicara|pejabat|utusan)\s+(\S+)",
                         text)
        if not match:
            return None
        state = next((m for m in self.mentions if m.start == position + match.start(2)
                      and m.type == "GPE" and m.country), None)
        if state is None:
            return None
        person = next((m for m in reversed(self.persons) if m.country == state.country and m.start < position), None)
        if person is None:
            person = next((m for m in self.persons if m.country == state.country), None)
        return {"name": person.name, "country": person.country} if person else None

    def titled(self, position: int, text: str) -> dict | None:
        roles = actor_dictionary().roles
        lower = text.lower()
        phrase = max((p for p in roles if lower.startswith(p.lower()) and not text[len(p):len(p) + 1].isalnum()),
                     key=len, default=None)
        if phrase is None or re.match(r"\s+[A-Z]", text[len(phrase):]):
            return None  # a title with a name or a state after it is the name's or the state's
        key = roles[phrase].key
        person = next((m for m in reversed(self.persons) if m.role == key and m.end <= position), None)
        return {"name": person.name, "country": person.country} if person else None

    def statement(self, joint: bool) -> dict:
        return statement_speaker(self.mentions, self.body, joint)

    def last_person(self, position: int) -> dict | None:
        before = [m for m in self.persons if m.end <= position]
        return {"name": before[-1].name, "country": before[-1].country} if before else None

    def previous(self, position: int) -> dict | None:
        """Whom a pronoun or `-nya` at `position` means: the last speaker, unless a person has
        been named since (`... kata Yury Ushakov kepada wartawan, ... Menurutnya, ...`)."""
        named = [m for m in self.persons if self.last_at <= m.start and m.end <= position]
        if named or self.last is None:
            return self.last_person(position)
        return self.last

    # -- quotes
    def add(self, start: int, end: int, direct: bool, cue: str | None, speaker: dict | None) -> bool:
        text = self.body[start:end]
        stripped = text.strip(" ,.;:")
        start += text.index(stripped) if stripped else 0
        end = start + len(stripped)
        # A reported clause may hold a short quoted phrase (`menyatakan "pandangan negatif"`).
        if not stripped or any(q.start < end and start < q.end and not self.nested(q, start, end)
                               for q in self.quotes):
            return False
        # The reported clause carries the short phrase it holds; one quote, not two.
        self.quotes = [q for q in self.quotes if not self.nested(q, start, end)]
        self.quotes.append(Quote(self.body[start:end], direct, cue, speaker, start, end))
        if speaker or cue:  # `kata seorang saksi mata`: a later `ujarnya` is that witness too
            self.last, self.last_at = speaker or {"name": None, "country": None}, end
        return True

    @staticmethod
    def nested(quote: Quote, start: int, end: int) -> bool:
        return start <= quote.start and quote.end <= end and len(quote.text.split()) < _SHORT

    def read(self) -> None:
        """Sentences in order, so that a pronoun's `last speaker` is the last one before it."""
        spans, i = self.quoted_spans(), 0
        for start, end in self.sentences:
            while i < len(spans) and spans[i][0] < end:
                self.direct(*spans[i])
                i += 1
            if not any(q.start < end and start < q.end and not self.nested(q, start, end) for q in self.quotes):
                self.reported(start, end)

    def direct(self, start: int, end: int) -> None:
        """One quotation from its opening mark at `start` to past its closing mark at `end`."""
        inner = self.body[start + 1:end - 1] if end - start > 1 else ""
        after = self.body[end:end + 80]
        cue = self.after.match(after.lstrip(" ,"))
        speaker = None
        if cue:
            offset = end + len(after) - len(after.lstrip(" ,"))
            speaker = self.previous(start) if cue.group(2) else \
                self.speaker_at(offset + cue.end())
        else:
            before = self.body[max(0, start - 120):start]
            verbs = list(self.verb.finditer(before))
            if verbs and not before[verbs[-1].end():].strip(" ,:"):
                cue = verbs[-1]
                verb_at = start - len(before) + cue.start()
                speaker = self.speaker_before(max(self.sentence_start(verb_at), verb_at - 120), verb_at)
        words = len(inner.split())
        if words < _SHORT and (not cue or self.named_phrase(start)):
            return
        if cue is None:
            speaker = self.last  # a quote with no cue runs on from the last speaker's
        closed = self.body[end - 1:end] in _CLOSE + '"'
        self.add(start + 1, end - 1 if closed else end, True, cue.group(1).lower() if cue else None, speaker)

    def named_phrase(self, start: int) -> bool:
        """A phrase in marks after a preposition or a noun is a name or a scare quote."""
        before = self.body[max(0, start - 20):start].rstrip()
        return bool(before) and before[-1].isalpha() and not self.verb.search(before[-15:])

    def quoted_spans(self) -> list[tuple[int, int]]:
        """(start of the opening mark, end after the closing mark) of each quotation."""
        spans, body = [], self.body
        opening = None
        for mark in _QUOTE_MARK.finditer(body):  # only the marks and blank lines, not every character
            i, char = mark.start(), mark.group()
            if char in _OPEN or (char == '"' and opening is None):
                if opening is None:
                    opening = i
            elif (char in _CLOSE or char == '"') and opening is not None:
                spans.append((opening, i + 1))
                opening = None
            elif char == "\n" and opening is not None and body[i + 1:i + 2] == "\n":
                # A quote open at the end of a paragraph runs on only if the next one opens again.
                if body[i + 2:i + 3] not in _OPEN + '"':
                    spans.append((opening, i))
                    opening = None
        if opening is not None:
            spans.append((opening, len(body)))
        return spans

    def sentence_start(self, position: int) -> int:
        for start, end in self.sentences:
            if start <= position < end:
                return start
        return max(0, self.body.rfind("\n", 0, position) + 1)

    def reported(self, start: int, end: int) -> None:
        sentence = self.body[start:end]
        if (m := self.menurut_at(sentence)) and self.according(start, end, m):
            return
        if (m := self.trailing.search(sentence)) and (cue := self.after.match(sentence, m.end())):
            speaker = self.previous(start) if cue.group(2) else self.speaker_at(start + cue.end())
            if speaker:
                self.add(start, start + m.start(), False, cue.group(1).lower(), speaker)
                return
        # `..., menurut seorang juru bicara kelompok itu.` closing the sentence
        if (m := _TRAILING_MENURUT.search(sentence)) and len(sentence[:m.start()].split()) >= 4:
            speaker = self.previous(start) if m.group(1) else self.speaker_at(start + m.end())
            if speaker:
                self.add(start, start + m.start(), False, "menurut", speaker)
                return
        # `Pertumbuhan tersebut, kata Arief, juga ...`: what follows the cue is what was said.
        for m in _ASIDE.finditer(sentence):
            cue = self.after.match(sentence, m.start(1))
            if cue and len(sentence[:m.start()].split()) >= 2 and len(sentence[m.end():].split()) >= 4:
                speaker = self.previous(start) if cue.group(2) else self.speaker_at(start + cue.end())
                if speaker:
                    self.add(start + m.end(), end, False, cue.group(1).lower(), speaker)
                    return
        for verb in self.verb.finditer(sentence):
            if _NOT_SAID.search(sentence[:verb.start()]):
                continue
            speaker = self.speaker_before(start, start + verb.start()) or self.body_speaking(start, start + verb.start())
            if not speaker:
                continue
            text_start = self.said_from(start + verb.end())
            # A second report in the sentence (`..., dan saat itu Moon juga mengatakan ...`)
            # ends the first, and is a quote of its own.
            second = self.next_report(text_start, end)
            if len(self.body[text_start:second[0] if second else end].split()) >= 4:  # not `mengatakan pada Jumat.`
                self.add(text_start, second[0] if second else end, False, verb.group(1).lower(), speaker)
            if second:
                _, verb_end, cue, speaker = second
                self.add(self.said_from(verb_end), end, False, cue, speaker)
            return

    def said_from(self, verb_end: int) -> int:
        """Where what was said starts after a speech verb: past `kepada wartawan,`, `bahwa`."""
        rest = re.match(r"(?i)\s*(?:kepada\s+[^,]{1,40},|,)?\s*(?:(?:bahwa|jika|kalau)\s+)?,?", self.body[verb_end:])
        return verb_end + rest.end()

    def next_report(self, start: int, end: int) -> tuple[int, int, str, dict] | None:
        """A clause after a comma in `start`..`end` whose subject, a person or a pronoun of
        at most five words, has a speech verb: (where the clause starts, the verb's end, the
        cue, the speaker). A person named inside what was said (`bahwa Putin menyatakan ...`)
        without a comma before is part of it, not a new report."""
        text = self.body[start:end]
        for verb in self.verb.finditer(text):
            comma = text.rfind(",", 0, verb.start())
            if comma < 0 or _NOT_SAID.search(text[:verb.start()]):
                continue
            head = text[comma + 1:verb.start()]
            words = head.split()
            if not 1 <= len(words) <= 5 or len(self.body[start + verb.end():end].split()) < 4:
                continue
            clause = start + comma + 1
            persons = [m for m in self.persons if clause <= m.start and m.end <= start + verb.start()]
            if persons:
                speaker = {"name": persons[-1].name, "country": persons[-1].country}
            elif _PRONOUN.search(head):
                speaker = self.previous(clause)
            else:
                continue
            return clause - 1, start + verb.end(), verb.group(1).lower(), speaker
        return None

    def menurut_at(self, sentence: str) -> re.Match | None:
        """`Menurut X, ...` opening the sentence, or its first clause (`Namun, menurutnya, ...`)."""
        for m in self.menurut.finditer(sentence):
            before = sentence[:m.start()]
            if not before.strip(" ,.;:-–—\"'“”") or (before.rstrip().endswith(",") and len(before.split()) <= 3):
                return m
        return None

    def according(self, start: int, end: int, m: re.Match) -> bool:
        """The quote of `Menurut X, ...` (or `menurut dia hal itu ...`) from match `m`: True where
        the sentence is read so (even if the quote overlaps one already found), False where no
        comma closes the speaker and no pronoun is the speaker."""
        sentence = self.body[start:end]
        comma = sentence.find(",", m.end())
        named = [p for p in self.persons if start + m.end() <= p.start and p.end <= start + m.end() + 60]
        if named and sentence.startswith(",", named[0].end - start):
            comma = named[0].end - start  # `Menurut kepala strategi Dyn, Kyle York, ...`
        if comma > 0 and len(sentence[m.end():comma].split()) <= 12:
            speaker = self.previous(start) if m.group(2) else self.speaker_at(start + m.end())
            self.add(start + comma + 1, end, False, "menurut", speaker)
            return True
        pronoun = _PRONOUN.match(sentence, m.end() + (len(sentence[m.end():]) - len(sentence[m.end():].lstrip())))
        if m.group(2) or pronoun:
            text_start = pronoun.end() if pronoun and not m.group(2) else m.end()
            if len(sentence[text_start:].split()) >= 4:
                self.add(start + text_start, end, False, "menurut", self.previous(start))
                return True
        return False

    def body_speaking(self, start: int, end: int) -> dict | None:
        """A group or body as the subject of a speech verb (`Polisi mengatakan`, `Kementerian
        Pertahanan Jerman mengisyaratkan`, `kedua pemimpin menegaskan`): no name, the country of
        a state or body it names. Only a short clause head that opens with a capital or a group
        word, and not `Hal itu` (a thing does not speak)."""
        head = self.body[start:end]
        after_comma = head.rsplit(",", 1)[-1]
        clause = after_comma.strip()
        words = clause.split()
        if not 1 <= len(words) <= 6 or _THING.match(clause):
            return None
        if not (words[0][:1].isupper() or _GROUP.match(clause)):
            return None
        at = end - len(after_comma) + (len(after_comma) - len(after_comma.lstrip()))  # where the clause starts
        named = [m for m in self.mentions if at <= m.start and m.end <= end and m.type in ("ORG", "GPE") and m.country]
        return body_speaker(named[-1]) if named else {"name": None, "country": None}


def body_speaker(mention: Mention) -> dict:
    """A state or a body that speaks (`kata Kremlin`, `Kemlu China menegaskan`) speaks for its
    state, as a statement does: no person's name, the state's code; the body's own name is kept
    under `body`. A body of no state (`Taliban`, `Bloomberg`) is an unnamed source."""
    if mention.country:
        return {"name": None, "countries": [mention.country], "body": mention.name}
    return {"name": None, "country": None, "body": mention.name}


def statement_speaker(mentions: list[Mention], body: str, joint: bool) -> dict:
    """A statement speaks for the states in play: the two most named for a joint one."""
    counts = Counter(m.country for m in mentions if m.type == "GPE" and m.country)
    joint = joint or "pernyataan bersama" in body.lower()
    return {"name": None, "countries": sorted(code for code, _ in counts.most_common(2 if joint else 1))}


def find_quotes(body: str, mentions: list[Mention], sentences: list[tuple[int, int]],
                ranker: bool = True) -> list[Quote]:
    """The quotes of a body; with `ranker`, each speaker is the trained ranker's choice among
    the candidates (warta.speakers), the readers' own choice being one of them."""
    reader = _Reader(body, mentions, sentences)
    reader.read()
    found = sorted(reader.quotes, key=lambda q: q.start)
    if ranker:
        rank(body, mentions, sentences, found)
    return found


def quotes(article: Article, options: Options) -> None:
    body = article.cleaned.body if article.cleaned else ""
    mentions = article.actors.mentions if article.actors else []
    sentences = article.tokens.sentences if article.tokens else []
    article.quotes = Quotes(quotes=find_quotes(body, mentions, sentences))
