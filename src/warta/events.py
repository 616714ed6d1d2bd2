"""The `events` stage: who did what to whom, when and where, coded with the PLOVER types.

Rules find the candidates; trained models (warta.eventmodel) decide. Sentence by sentence:

candidates  the words of data/event_triggers.tsv (phrases, each root expanded through
            warta.morphology), and the words that were triggers in the annotated training
            articles (the models' trigger vocabulary). The type model gives each one a PLOVER
            type or none, with a probability, from its context: negation, modality and
            hypotheticals before it, what it is done to, the parties around it, the parse,
            the article's domain.
parties     every actor mention of the sentence with a country (coordinated groups kept
            together: `Xi dan Putin`, `kedua negara`), the person a pronoun (`Ia`, `-nya`,
            `mereka`) stands for, the issuers of a statement, the speaker of the quote the
            candidate sits in, and the parties of the sentence before (an act told with no
            subject). The role model scores each as actor, recipient or neither, from its
            place (before or after the trigger, `kepada`/`terhadap`/`dengan`/`oleh` before
            it, passive `di-`) and its relation to the trigger in the parse. For CONSULT,
            AGREE and COOPERATE every party is an actor.
day         the dates of the sentence, what it implies (`kemarin`, `pekan lalu`, `di hari yang
            sama`), the dates of its paragraph, of the lede, of the story's earlier acts, and
            the publication date. The day model picks one (see `_Calendar` for how a date
            without a year is placed).
location    `di Phnom Penh, Kamboja`: the place the sentence puts the act in.

Each event's `confidence` is the calibrated probability that it is right as coded; events
below the cut chosen on the training folds are not kept. One event per (type, actors,
recipients, day) in an article, the most confident sentence as its evidence; an undirected
event whose parties are all in another of the same type and day is dropped into it.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from warta.actordict import actor_dictionary
from warta.article import Article, Event, Events, Mention, Parsed, Quote
from warta.dates import DateMention, PeriodMention, find_periods
# The rule reader's own helpers, shared so that its features and the candidates see one lexicon,
# one dateline and one reading of dates.
from warta.eventrules import _Calendar as _RuleCalendar
from warta.eventrules import _codes, _dateline_span, _index, _speech_cues, find_triggers, rule_reads
from warta.places import locate
from warta.quotes import statement_speaker
from warta.resources import UNDIRECTED, EventTrigger, lemma_table, nonstate_words

if TYPE_CHECKING:
    from warta.eventmodel import EventModels
    from warta.pipeline import Options

_WORD = re.compile(r"\w+(?:[-’']\w+)*|[^\w\s]")
# Words that end the clause a trigger is in, looking back for its subject or on for its object.
_BOUNDARY = {"bahwa", "ketika", "saat", "setelah", "sebelum", "karena", "sehingga", "namun", "tetapi",
             "sedangkan", "sementara", "meskipun", "walaupun", "jika", "apabila", "sejak", "hingga", ";", ":"}
_OPENERS = {"dalam", "pada", "di", "selama", "menurut", "sementara", "untuk", "terkait", "mengenai", "terpisah",
            "sebelumnya", "kemudian", "selain", "dengan", "bagi", "atas", "usai", "seusai"}
_CONNECTORS = {",", "dan", "serta", "maupun", "beserta", "bersama", "-", "atau", "&", "para", "pemimpin", "(", ")",
               "negara", "negara-negara"}
_QUOTE_MARKS = {'"', "“", "”", "'"}
_PERSONAL = {"ia", "dia", "beliau"}
_PLURAL = {"mereka", "keduanya"}
_STATEMENT = re.compile(r"(?i)\b(pernyataan|komunike|deklarasi)(\s+bersama)?\b")
_RELATIVE = {"kemarin": -1, "kemarin lusa": -2, "hari ini": 0, "pekan lalu": -7, "minggu lalu": -7,
             "akhir pekan lalu": -7, "awal pekan ini": -3, "awal bulan ini": -10, "pagi tadi": 0, "malam tadi": -1,
             "tadi malam": -1, "semalam": -1}
_RELATIVE_RE = re.compile(r"(?i)\b(" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")\b")
_SAME_DAY = re.compile(r"(?i)\b(di|pada) hari yang sama\b")


@dataclass(slots=True)  # not frozen: a frozen dataclass is three times slower to make, and there are thousands
class Word:
    text: str  # lower case
    start: int
    end: int


@dataclass(slots=True)
class Party:
    """Who may act or be acted on: a mention (or a group of them) of the sentence, or one that a
    pronoun, a statement, a quote or the sentence before points at."""

    actors: list[dict]  # {"name", "country"}: what the event record lists
    start: int  # where it is in the body (for a party from elsewhere: the word that points at it)
    end: int
    kind: str  # mention | pronoun | statement | speaker | previous
    mention: Mention | None = None
    group: int = 0  # coordinated group relative to the trigger: -1 the nearest before, 1 the first after
    word: int = -1  # index of its first word in the sentence, -1 when it is not in the sentence

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(a["country"] for a in self.actors if a["country"])


@dataclass(slots=True)
class Day:
    """A day an act may have happened on, and what in the text gives it."""

    day: str  # ISO or --MM-DD; for a month or a year, its middle day
    kind: str  # sentence | period | relative | same_day | paragraph_before | paragraph_after | lede (the first
    #            date of the story, in its first three sentences) | first (... later) | previous_event | published
    distance: int = 0  # words from the trigger, for a date of the sentence (negative: before it)
    form: str = ""  # full | weekday_dm | dm | weekday for a written date; month | year for a period

    @property
    def precision(self) -> str:
        return self.form if self.kind == "period" else "day"


@dataclass(slots=True)
class Sentence:
    number: int
    start: int
    end: int
    words: list[Word]
    parse: list[Parsed] | None
    token_at: list[int] | None = None  # word index -> parse token index
    groups: list | None = None  # its coded mentions in coordinated groups (Reader.groups)


@dataclass(slots=True)
class Candidate:
    """A word or phrase that may be an act, in its sentence."""

    sentence: Sentence
    first: int  # index of its first word
    last: int  # index of the word after its last
    key: str  # the trigger vocabulary's key (the root of its first word)
    lexicon: EventTrigger | None  # the line of data/event_triggers.tsv that found it, if one did
    clause: int = 0  # index of the first word of its clause
    quote: Quote | None = None  # the quote it sits in
    parties: list[Party] = field(default_factory=list)
    others: list[Candidate] = field(default_factory=list, repr=False)  # the sentence's candidates, itself too
    rules: list[Event] = field(default_factory=list, repr=False)  # what warta.eventrules read at this trigger


# ---------------------------------------------------------------------- triggers
def trigger_key(word: str) -> str:
    """The root a word is known by in the trigger vocabulary: `mengecam`, `kecaman`,
    `kecamannya` -> `kecam` (spaCy's lemma table; a word it lacks stands for itself).

    Two finer keys were measured on the training folds and lost: the root with the kind of
    affix (`kecam:verb` apart from `kecam:noun`, so that `pemerintah` is not `memerintahkan`),
    -3.5 points of event F1, as a verb's trigger no longer finds its noun; and passives the
    table lacks (`diserang`) taken to their root, -3.5 points, as hedges (`disebut`) and
    passives of other senses come in."""
    table = lemma_table()
    if word in table:
        return table[word]
    if word.endswith("nya") and len(word) > 6:
        return table.get(word[:-3], word[:-3])
    return word


@lru_cache(maxsize=1)
def candidate_words() -> frozenset[str]:
    """Every word form that can start a candidate: the lexicon's first words, and the forms of
    the lemma table in the models' trigger vocabulary (for the parse stage, which parses only
    where one is)."""
    from warta.eventmodel import packaged_models

    keys = packaged_models().vocabulary
    forms = set(_index()) | set(keys)
    forms.update(form for form, lemma in lemma_table().items() if lemma in keys)
    return frozenset(forms | {form + "nya" for form in forms})


# ---------------------------------------------------------------------- the calendar
class _Calendar(_RuleCalendar):
    """The rule reader's calendar, with each date's form (`kemarin`, `(13/11)`, a weekday) and
    the months and years named without a day (`pada Februari 2019`) as periods."""

    def __init__(self, body: str, published: str | None, as_of: dt.date):
        super().__init__(body, published, as_of)
        # And every month or year named without a day, as its middle day and its precision.
        self.periods = [(m.start, *period) for m in find_periods(body) if (period := self.resolve_period(m))]

    def _days(self, mentions: list[DateMention]) -> list[tuple[int, str, str]]:
        """Every date of the body with the day it resolves to and its form."""
        return [(m.start, day, _form(m)) for m in mentions if (day := self.resolve(m))]

    def between(self, start: int, end: int) -> list[tuple[int, str, str]]:
        """(offset, day, form) of the dates that start between `start` and `end`."""
        return [d for d in self.days if start <= d[0] < end]

    def resolve_period(self, mention: PeriodMention) -> tuple[str, str] | None:
        """(the middle day, `month` or `year`) of a month or a year: 15 February 2019 for
        `Februari 2019`, 1 July 2015 for `pada 2015` (the gold files' convention, with a slack of
        half the period). A relative one counts back from the article's day; none is after it."""
        reference = self.reference if isinstance(self.reference, dt.date) else None
        year, month = mention.year, mention.month
        if year is None:
            if reference is None:
                return None
            if mention.unit == "named_month":
                year = reference.year if month < reference.month else reference.year - 1
            elif mention.unit == "year":
                year = reference.year - mention.back
            elif mention.unit == "month":
                months = reference.year * 12 + reference.month - 1 - mention.back
                year, month = divmod(months, 12)
                month += 1
        middle = dt.date(year, month, 15) if month else dt.date(year, 7, 1)
        latest = min(self.as_of, reference) if reference else self.as_of
        if middle > latest:  # this year, this month: up to the article's day, not after it
            if year != latest.year or (month is not None and month != latest.month):
                return None  # a month or year after the article's
            middle = latest
        return middle.isoformat(), "month" if month else "year"

    def periods_between(self, start: int, end: int) -> list[tuple[int, str, str]]:
        return [p for p in self.periods if start <= p[0] < end]

    def shifted(self, days: int) -> str | None:
        if isinstance(self.reference, dt.date):
            return self._kept(self.reference + dt.timedelta(days=days))
        return None

    def reference_day(self) -> str | None:
        if isinstance(self.reference, dt.date):
            return self._kept(self.reference)
        return self.reference

    def _kept(self, day: dt.date) -> str | None:
        return day.isoformat() if day <= self.as_of else None


def _form(mention: DateMention) -> str:
    if mention.is_full:
        return "full"
    if mention.month and mention.day:
        return "weekday_dm" if mention.weekday is not None else "dm"
    return "weekday"


# ---------------------------------------------------------------------- the reader
class Reader:
    """An article as the event models see it: its sentences, candidates, parties and days."""

    def __init__(self, article: Article, as_of: dt.date):
        body = article.cleaned.body if article.cleaned else ""
        self.body = body
        meta = article.meta
        self.dateline = _dateline_span(body, meta.dateline if meta else None)
        nonstate = nonstate_words()
        # The dateline (`JAKARTA -`) names where the copy was filed, not a party to anything.
        self.mentions = sorted((m for m in (article.actors.mentions if article.actors else [])
                                if not self.dateline[0] <= m.start < self.dateline[1]
                                and self._word_before(m.start) not in nonstate), key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.coded = [m for m in self.mentions if m.country or m.countries]
        self.coded_starts = [m.start for m in self.coded]
        self.quotes: list[Quote] = article.quotes.quotes if article.quotes else []
        self.spans = (article.tokens.sentences if article.tokens else []) or [(0, len(body))]
        self.parses = article.parse.sentences if article.parse else {}
        self.calendar = _Calendar(body, meta.published if meta else None, as_of)
        dictionary = actor_dictionary()
        self.names = dictionary.state_names
        self.entries = dictionary.names
        self.joining = _CONNECTORS | dictionary.lower_roles | dictionary.office_words
        self.dateline_place = meta.dateline_place if meta else None
        self.speech = _speech_cues("verb")
        self.after = _speech_cues("after")
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\n", body)]
        # What the hand-written reader reads, by where its trigger is: features for the models.
        self.words = [Word(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(body)]
        self.starts = [w.start for w in self.words]
        self.rule_events = []
        for event in rule_reads(article, as_of, self.words):
            at = body.find(event.trigger, event.start)
            if at >= 0:
                self.rule_events.append((at, at + len(event.trigger), event))
        self.rule_events.sort(key=lambda found: found[0])
        self.rule_starts = [at for at, _, _ in self.rule_events]
        self.longest_rule = max((b - a for a, b, _ in self.rule_events), default=0)
        # What the article as a whole says about its domain, for the type model.
        self.states = {m.country for m in self.coded if m.country} | {c for m in self.coded for c in m.countries or ()}
        self._sentences: dict[int, Sentence] = {}
        self._salience: dict[frozenset[str], int] = {}

    def salience(self, codes: set[str]) -> int:
        """How many coded mentions of the article name one of `codes` (counted once per set of
        codes: counting per party made a long article's events quadratic in its mentions)."""
        key = frozenset(codes)
        if key not in self._salience:
            self._salience[key] = sum(1 for m in self.coded if key & ({m.country} | set(m.countries or ())))
        return self._salience[key]

    def _word_before(self, position: int) -> str:
        before = self.body[max(0, position - 30):position].split()
        return before[-1].lower() if before else ""

    # -- sentences
    def sentence(self, number: int) -> Sentence:
        if number in self._sentences:
            return self._sentences[number]
        start, end = self.spans[number]
        words = self.words[bisect_left(self.starts, start):bisect_left(self.starts, end)]
        words = [w for w in words if w.end <= end]
        parse = self.parses.get(number)
        sentence = Sentence(number, start, end, words, parse)
        if parse:
            starts = [t.start for t in parse]
            sentence.token_at = [max(0, bisect_left(starts, w.start + 1) - 1) for w in words]
        self._sentences[number] = sentence
        return sentence

    def sentences(self) -> list[Sentence]:
        return [self.sentence(i) for i in range(len(self.spans))]

    def paragraph_of(self, position: int) -> int:
        return bisect_left(self.paragraph_starts, position + 1) - 1

    # -- candidates
    def candidates(self, sentence: Sentence, vocabulary: frozenset[str]) -> list[Candidate]:
        words = sentence.words
        found: list[Candidate] = []
        covered: set[int] = set()
        for first, last, trigger in find_triggers(words):
            found.append(Candidate(sentence, first, last, trigger_key(words[first].text), trigger))
            covered.update(range(first, last))
        for i, word in enumerate(words):
            if i not in covered and word.text[:1].isalpha() and (key := trigger_key(word.text)) in vocabulary:
                found.append(Candidate(sentence, i, i + 1, key, None))
        found.sort(key=lambda c: c.first)
        for candidate in found:
            candidate.clause = self.clause_start(words, candidate.first)
            candidate.quote = self.quote_at(words[candidate.first].start)
            candidate.others = found
            start, end = words[candidate.first].start, words[candidate.last - 1].end
            nearby = self.rule_events[bisect_left(self.rule_starts, start - self.longest_rule):
                                      bisect_left(self.rule_starts, end)]
            candidate.rules = [e for a, b, e in nearby if a < end and start < b]
        return found

    def quote_at(self, position: int) -> Quote | None:
        return next((q for q in self.quotes if q.start <= position < q.end), None)

    def opener_end(self, words: list[Word]) -> int:
        """Index of the word after an opening phrase (`Dalam pertemuan itu,`), or 0."""
        if words and words[0].text in _OPENERS:
            return next((i + 1 for i, w in enumerate(words[:25]) if w.text == ","), 0)
        return 0

    def clause_start(self, words: list[Word], at: int) -> int:
        """Index of the first word of the clause the word at `at` is in."""
        first = self.opener_end(words)
        first = first if first <= at else 0
        for i in range(at - 1, first - 1, -1):
            word = words[i].text
            if word in self.speech:
                if all(w.text in _QUOTE_MARKS for w in words[i + 1:at]):
                    continue  # `menyatakan "pandangan negatif"`: what is said is the act itself
                return i + 1
            if word in _BOUNDARY:
                return i + 1
            if word in self.after and i and words[i - 1].text in _QUOTE_MARKS | {","}:
                return i + 1  # `..., kata Zhang, sembari mengajak ...`: the speaker acts
        return first

    def clause_end(self, words: list[Word], at: int) -> int:
        for i in range(at, len(words)):
            if words[i].text in _BOUNDARY or words[i].text in self.speech:
                return i
        return len(words)

    # -- parties
    def parties(self, candidate: Candidate) -> list[Party]:
        """Everyone who may be a party to `candidate`, each once."""
        sentence = candidate.sentence
        words = sentence.words
        out = self.mention_parties(sentence, candidate)
        seen = {code for party in out for code in party.codes}
        at = words[candidate.first].start

        def extra(party: Party | None) -> None:
            if party and party.codes and not party.codes <= seen:
                out.append(party)
                seen.update(party.codes)

        for i, word in enumerate(words):
            if word.text in _PERSONAL:
                extra(self.person_before(word.start, word.end, i))
            elif word.text in _PLURAL:
                extra(self.plural_before(word.start, word.end, i))
        if words[candidate.first].text.endswith("nya") and candidate.key != words[candidate.first].text:
            extra(self.person_before(at, at, candidate.first))  # `kunjungannya`: his visit
        if statement := _STATEMENT.search(self.body, sentence.start, sentence.end):
            extra(self.speaker_party(statement_speaker(self.mentions, self.body, bool(statement.group(2))),
                                     statement.start(), "statement"))
        if candidate.quote and candidate.quote.speaker:
            extra(self.speaker_party(candidate.quote.speaker, candidate.quote.start, "speaker"))
        if sentence.number > 0:
            previous = self.sentence(sentence.number - 1)
            for party in self.mention_parties(previous, None):
                extra(Party(party.actors, party.start, party.end, "previous", party.mention))
        return out

    def mention_parties(self, sentence: Sentence, candidate: Candidate | None) -> list[Party]:
        """The coded mentions of a sentence, each with its coordinated group's place relative
        to the candidate (groups: mentions joined by `dan`, `,`, `serta`, titles)."""
        groups = self.groups(sentence)
        at = sentence.words[candidate.first].start if candidate else sentence.end
        before = sum(1 for g in groups if g[0][0].start < at)
        parties = []
        for i, group in enumerate(groups):
            order = i - before if i < before else i - before + 1
            for mention, word in group:
                parties.append(Party(self.actors_of(mention), mention.start, mention.end, "mention", mention,
                                     group=order, word=word))
        return parties

    def groups(self, sentence: Sentence) -> list[list[tuple[Mention, int]]]:
        """The sentence's coded mentions in coordinated groups, each with the index of its first
        word; made once per sentence."""
        if sentence.groups is not None:
            return sentence.groups
        lo = bisect_left(self.coded_starts, sentence.start)
        hi = bisect_left(self.coded_starts, sentence.end)
        starts = [w.start for w in sentence.words]
        groups: list[list[tuple[Mention, int]]] = []
        for mention in (m for m in self.coded[lo:hi] if m.end <= sentence.end):
            word = bisect_left(starts, mention.start)
            if groups:
                between = self.body[groups[-1][-1][0].end:mention.start].lower().replace("(", " ( ") \
                    .replace(")", " ) ").replace(",", " , ").split()
                if all(w in self.joining for w in between):
                    groups[-1].append((mention, word))
                    continue
            groups.append([(mention, word)])
        sentence.groups = groups
        return groups

    def actors_of(self, mention: Mention) -> list[dict]:
        if mention.countries:
            return [{"name": self.names.get(code, code), "country": code} for code in mention.countries]
        # A city or a seat of government acts for its state (`Pyongyang`, `Gedung Putih`): the
        # event names the state, as the dyad it is counted in does.
        entry = self.entries.get(mention.text)
        if mention.country in self.names and (mention.type == "GPE" or (entry and entry.kind == "seat")):
            return [{"name": self.names[mention.country], "country": mention.country}]
        return [{"name": mention.name or mention.text, "country": mention.country}]

    def person_before(self, start: int, end: int, word: int) -> Party | None:
        """`Ia`, `Dia`, `-nya`: the last person with a country named before."""
        before = self.coded[:bisect_left(self.coded_starts, start)]
        last = next((m for m in reversed(before) if m.type == "PERSON"), None)
        if last is None:
            return None
        return Party(self.actors_of(last), start, end, "pronoun", last, word=word)

    def plural_before(self, start: int, end: int, word: int) -> Party | None:
        """`mereka`, `keduanya`: the last group of two or more states named before."""
        before = self.coded[:bisect_left(self.coded_starts, start)]
        for mention in reversed(before):
            if mention.countries:
                return Party(self.actors_of(mention), start, end, "pronoun", mention, word=word)
        codes = []
        for mention in reversed(before):
            if mention.country and mention.country not in codes:
                codes.append(mention.country)
            if len(codes) == 2:
                return Party([{"name": self.names.get(c, c), "country": c} for c in codes], start, end, "pronoun",
                             word=word)
        return None

    def speaker_party(self, speaker: dict | None, at: int, kind: str) -> Party | None:
        if not speaker:
            return None
        if speaker.get("countries"):
            return Party([{"name": self.names.get(c, c), "country": c} for c in speaker["countries"]], at, at, kind)
        if speaker.get("country"):
            return Party([{"name": speaker.get("name") or self.names.get(speaker["country"], speaker["country"]),
                           "country": speaker["country"]}], at, at, kind)
        return None

    # -- days
    def days(self, candidate: Candidate, earlier: list[Event]) -> list[Day]:
        """Every day the act of `candidate` may have happened on, each with what gave it."""
        sentence = candidate.sentence
        words = sentence.words
        at = words[candidate.first].start
        out: list[Day] = []
        for offset, day, form in self.calendar.between(sentence.start, sentence.end):
            distance = bisect_left([w.start for w in words], offset) - candidate.first
            out.append(Day(day, "sentence", distance, form))
        for offset, day, precision in self.calendar.periods_between(sentence.start, sentence.end):
            distance = bisect_left([w.start for w in words], offset) - candidate.first
            out.append(Day(day, "period", distance, precision))
        text = self.body[sentence.start:sentence.end]
        for relative in _RELATIVE_RE.finditer(text):
            if day := self.calendar.shifted(_RELATIVE[relative.group(1).lower()]):
                out.append(Day(day, "relative", 0, relative.group(1).lower()))
        if _SAME_DAY.search(text) and earlier and earlier[-1].date:
            out.append(Day(earlier[-1].date, "same_day"))
        paragraph = self.paragraph_of(sentence.start)
        first = self.paragraph_starts[paragraph]
        last = self.paragraph_starts[paragraph + 1] if paragraph + 1 < len(self.paragraph_starts) else len(self.body)
        before = self.calendar.between(first, sentence.start)
        after = self.calendar.between(sentence.end, last)
        if before:
            out.append(Day(before[-1][1], "paragraph_before", 0, before[-1][2]))
        if after:
            out.append(Day(after[0][1], "paragraph_after", 0, after[0][2]))
        if self.calendar.days:  # the story's first date: the lede's, where it has one
            at, day, form = self.calendar.days[0]
            lede = bisect_left([start for start, _ in self.spans], at + 1) - 1 < 3
            out.append(Day(day, "lede" if lede else "first", 0, form))
        told = next((e for e in reversed(earlier) if e.date_from in ("sentence", "relative")), None)
        if told and told.date:
            out.append(Day(told.date, "previous_event"))
        if reference := self.calendar.reference_day():
            out.append(Day(reference, "published" if self.calendar.published else "article"))
        return out

    def location(self, start: int, end: int, actors: list[dict]) -> dict | None:
        """Where the act took place: the place the sentence puts it in (`di Phnom Penh`), else
        the dateline's where the copy was filed in an actor's own country (`BEIJING -` for what
        China did; not for what was said to China from elsewhere), with coordinates where the
        gazetteer knows the place."""
        for mention in self.mentions[bisect_left(self.mention_starts, start):bisect_left(self.mention_starts, end)]:
            if start <= mention.start and mention.end <= end and mention.type in ("GPE", "LOC") \
                    and self.body[max(0, mention.start - 3):mention.start].lower() == "di ":
                name = mention.name or mention.text
                found = locate(name, mention.country if mention.country in self.names else None)
                return {**(found or {"name": name, "country": mention.country}), "from": "sentence"}
        dateline = self.dateline_place
        if dateline and dateline.get("precision") == "city" \
                and any(actor.get("country") == dateline["country"] for actor in actors):
            return {**dateline, "from": "dateline"}
        return None


# ---------------------------------------------------------------------- assembly
def read_events(article: Article, as_of: dt.date, models: EventModels | None = None,
                inputs: dict[int, list[float]] | None = None) -> list[Event]:
    """The events of an article, each with its confidence, all of them (no cut applied). With
    `inputs`, what the calibration read of each event is left there by `id(event)` (training
    fits the calibration on it)."""
    from warta.eventmodel import Facts, calibration_inputs, packaged_models

    if not article.cleaned or not article.cleaned.body:
        return []
    models = models or packaged_models()
    reader = Reader(article, as_of)
    domain = models.domain(reader)
    found: list[tuple[Event, Facts]] = []
    for sentence in reader.sentences():
        for candidate in reader.candidates(sentence, models.vocabulary):
            candidate.parties = reader.parties(candidate)
            if not candidate.parties:
                continue  # no one to code it for: no need to ask what it is
            decided = models.type_of(reader, candidate, domain)
            if decided is None:
                continue
            kind, p_type = decided
            roles = models.roles(reader, candidate, kind)
            if roles is None:
                continue
            actors, recipients, p_roles = roles
            day = models.day(reader, candidate, kind, reader.days(candidate, [e for e, _ in found]))
            day_from = day.kind if day else None
            trigger = candidate.lexicon
            words = sentence.words
            for group in _acting(kind, actors, recipients):
                event = Event(
                    type=kind, mode=trigger.mode if trigger and trigger.type == kind else None,
                    context=list(trigger.context) if trigger else [], actors=group, recipients=recipients,
                    date=day.day if day else None, date_precision=day.precision if day else None,
                    date_from=day_from, location=reader.location(sentence.start, sentence.end, group),
                    evidence=reader.body[sentence.start:sentence.end], start=sentence.start, end=sentence.end,
                    trigger=reader.body[words[candidate.first].start:words[candidate.last - 1].end])
                ruled = [e for e in candidate.rules if e.type == kind]
                same = any({a["country"] for a in e.actors} == {a["country"] for a in group} and
                           {r["country"] for r in e.recipients} == {r["country"] for r in recipients} for e in ruled)
                found.append((event, Facts(p_type, p_roles, kind, group, recipients, day_from, sentence.number,
                                           bool(ruled), same)))
    for event, facts in found:
        calibrated = calibration_inputs(facts)
        event.confidence = models.confidence(calibrated)
        if inputs is not None:
            inputs[id(event)] = calibrated
    return _merged([e for e, _ in found])


def _acting(kind: str, actors: list[dict], recipients: list[dict]) -> list[list[dict]]:
    """The actor lists to make events of. Several parties that each direct an act at no one named
    (`Xi dan Putin menyerukan ...`) act side by side, one event each: in a record, parties of a
    directed event with no recipient would act on one another."""
    if kind in UNDIRECTED or recipients or len(actors) < 2:
        return [actors]
    return [[a] for a in actors]


def _merged(events: list[Event]) -> list[Event]:
    """One event per (type, actors, recipients, day), the most confident report its evidence; an
    undirected event whose parties are all in a larger one of the same type and day is part of it."""
    kept: dict[tuple, Event] = {}
    for event in events:
        key = (event.type, _codes(event.actors), _codes(event.recipients), event.date)
        if key not in kept or event.confidence > kept[key].confidence:
            kept[key] = event
    out = []
    for key, event in kept.items():
        kind, actors, _, day = key
        if kind in UNDIRECTED and any(k != key and k[0] == kind and k[3] == day and actors < k[1] for k in kept):
            continue
        out.append(event)
    return sorted(out, key=lambda e: (e.start, e.type))


def find_events(article: Article, as_of: dt.date, models: EventModels | None = None) -> list[Event]:
    """The events worth keeping: those at or above the models' confidence cut."""
    from warta.eventmodel import packaged_models

    models = models or packaged_models()
    return [e for e in read_events(article, as_of, models) if e.confidence >= models.cut]


def events(article: Article, options: Options) -> None:
    article.events = Events(events=find_events(article, options.as_of))
