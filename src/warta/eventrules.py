"""The hand-written event reader that was Warta's events stage before models decided, kept as
a source of features for them (warta.eventmodel: `rule=TYPE` on a candidate, the parties it
takes for actor and recipient, the day it gives). On the seeds it reads 0.89 event F1 and on
articles nobody tuned it to 0.2-0.3; the models learn from the annotated articles how far
to trust each thing it says. `rule_reads(article, as_of)` gives its events, one per trigger.

Sentence by sentence:

trigger       the words of data/event_triggers.tsv (verbs, nominalisations, phrases; each
              root expanded through warta.morphology), longest match first.
not an act    a trigger after `tidak`/`belum`/`bukan` (or a refusal: `menolak bertemu`), or
              inside a purpose clause (`... untuk memperkuat kerja sama`) codes nothing; an
              appeal with no addressee (`menyerukan untuk ...`) codes nothing.
modality      an intent word before a cooperative act (`akan`, `siap`, `bersedia`,
              `bermaksud untuk`) makes it AGREE, a commitment; before force, THREATEN.
actors        the first group of actor mentions in the trigger's clause (coordination:
              `Xi dan Putin`; groups: `kedua negara`), after an opening phrase such as `Dalam
              pertemuan itu,`; the noun before `yang` for a relative clause; `Ia`/`Dia` is the
              last person named; a statement (`Pernyataan bersama tersebut`) is the states that
              issued it; with no subject, the speaker of the quote the trigger sits in.
recipients    the first group after the trigger in its clause (`kepada`, `dengan`, `terhadap`,
              `atas`, `ke` or a direct object). For CONSULT, AGREE and COOPERATE every party is
              an actor. A passive (`dikecam oleh AS`) is turned round.
date          a date in the sentence, else one implied by it (`kemarin`, `di hari yang sama`,
              `selama KTT` = the day of that summit), else the latest date of the paragraph, else
              the publication date, else the latest date the article gives. See `_Calendar`.
location      `di Phnom Penh, Kamboja` -> the place the sentence puts the act in.

One event per (type, actors, recipients, day) in an article; an undirected event whose parties
are all in another of the same type and day is dropped into it.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from warta.actordict import actor_dictionary
from warta.article import Article, Event, Mention, Quote
from warta.dates import DateMention, find_dates, infer_year
from warta.quotes import statement_speaker
from warta.resources import (
    UNDIRECTED,
    EventTrigger,
    event_triggers,
    nonstate_words,
    quote_cues,
)

COOPERATIVE = {"CONSULT", "AGREE", "COOPERATE", "SUPPORT", "AID", "RETREAT", "CONCEDE"}
FORCEFUL = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
# International bodies and groupings (output-format.md): further ones in an object are aimed at too.
_BODIES = {"UN", "UNSC", "NATO", "EU", "ASEAN", "SCO", "CSTO", "BRICS", "AUKUS", "QUAD", "EAEU", "G7", "G20", "APEC",
           "AU", "OIC", "WHO", "IMF", "WTO", "ICC", "OPEC", "GCC", "ARAB_LEAGUE"}

_WORD = re.compile(r"\w+(?:[-’']\w+)*|[^\w\s]")
_NEGATION = {"tidak", "tak", "belum", "bukan", "jangan", "tanpa", "enggan", "gagal", "batal", "menolak",
             "menentang", "urung"}
_INTENT = {"akan", "siap", "bersedia", "bermaksud", "berencana", "ingin", "berniat", "hendak", "bertekad",
           "harus", "mau"}
# Words that may stand between an intent or negation word and the act: `akan terus memperdalam`.
_ADVERBS = {"terus", "lebih", "semakin", "juga", "pun", "segera", "kembali", "saling", "bersama-sama",
            "untuk", "dengan", "tegas", "secara", "aktif", "sepenuhnya", "sangat", "telah", "sudah", "masih",
            "benar-benar", "lagi", "dapat", "bisa", "pernah", "sempat", "mau", "memang", "boleh", "mencoba",
            "berusaha", "perlu"}
_PURPOSE = {"untuk", "agar", "supaya", "guna", "demi"}
# Hedges between `yang` and a verb: `serangan yang disebut didukung oleh Pakistan`.
_HEDGES = {"disebut", "diduga", "dikabarkan", "dilaporkan", "dikatakan", "dianggap", "dinilai"}
# Words that end the clause a trigger is in, looking back for its subject or on for its object.
_BOUNDARY = {"bahwa", "ketika", "saat", "setelah", "sebelum", "karena", "sehingga", "namun", "tetapi",
             "sedangkan", "sementara", "meskipun", "walaupun", "jika", "apabila", "sejak", "hingga", ";", ":"}
# Verbs that report what someone holds (`Pernyataan itu menunjukkan X berdampak negatif`).
_REPORTING = {"menunjukkan", "menilai", "menyebut", "menganggap", "memandang"}
# Acts whose object is what they are about: a later trigger in their clause is that content
# (`menuduh AS ... bertanggung jawab atas invasi`), not an act of its own.
_VERBAL = {"ACCUSE", "REQUEST", "REJECT", "SUPPORT", "THREATEN", "AGREE"}
_CONNECTORS = {",", "dan", "serta", "maupun", "beserta", "bersama", "-", "atau", "&", "para", "pemimpin", "(", ")",
               "negara", "negara-negara"}
# Words after which what follows is a topic or a place, not a party: `pertukaran pandangan mengenai
# krisis Ukraina`, `menentang ... di Asia-Pasifik`.
_TOPIC = {"mengenai", "tentang", "terkait", "soal", "perihal", "seputar", "khususnya", "termasuk", "berdasarkan"}
_PLACE_TIME = {"di", "dalam", "pada", "selama", "melalui", "sebagai"}
_QUOTE_MARKS = {'"', "“", "”", "'"}
_WINDOW = 20  # a date this many words or fewer after a trigger can be its day
# Who an appeal can be made to without a name: `meminta negara-negara di dunia untuk ...`.
_ADDRESSEES = {"negara-negara", "masyarakat", "para", "semua", "seluruh", "komunitas", "pemerintah", "pihak",
               "warga", "rakyat", "anggota", "dunia", "negara"}
_OPENERS = {"dalam", "pada", "di", "selama", "menurut", "sementara", "untuk", "terkait", "mengenai", "terpisah",
            "sebelumnya", "kemudian", "selain", "dengan", "bagi", "atas", "usai", "seusai"}
_PRONOUN = re.compile(r"(?i)\b(ia|dia|beliau)\b")
_STATEMENT = re.compile(r"(?i)\b(pernyataan|komunike|deklarasi)(\s+bersama)?\b")
_RELATIVE = {
    "kemarin": -1, "kemarin lusa": -2, "hari ini": 0, "pekan lalu": -7, "minggu lalu": -7,
}
_SAME_DAY = re.compile(r"(?i)\b(di|pada) hari yang sama\b")
_RELATIVE_RE = re.compile(r"(?i)\b(" + "|".join(sorted(_RELATIVE, key=len, reverse=True)) + r")\b")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[EventTrigger]]:
    """First-word form -> the triggers starting with it, longest first."""
    index: dict[str, list[EventTrigger]] = {}
    for trigger in event_triggers():
        for form in trigger.words[0]:
            index.setdefault(form, []).append(trigger)
    for triggers in index.values():
        triggers.sort(key=lambda t: len(t.words), reverse=True)
    return index


@lru_cache(maxsize=2)
def _speech_cues(kind: str) -> frozenset[str]:
    """The speech cues of data/quote_cues.tsv of one kind: `verb` (`mengatakan`) or `after` (`kata`)."""
    return frozenset(cue for cue, cue_kind in quote_cues().items() if cue_kind == kind)


@dataclass(slots=True)  # not frozen: a frozen dataclass is three times slower to make, and there are thousands
class _Word:
    text: str  # lower case
    start: int
    end: int


@dataclass(slots=True)
class _Party:
    """A group of actor mentions that acts together: `Xi dan Putin`, `kedua negara`."""

    mentions: list[Mention]
    start: int
    end: int

    def actors(self, names: dict[str, str]) -> list[dict]:
        out = []
        for mention in self.mentions:
            if mention.countries:
                out.extend({"name": names.get(code, code), "country": code} for code in mention.countries)
            else:
                out.append({"name": mention.name or mention.text, "country": mention.country})
        return out


def find_triggers(words: list[_Word]) -> list[tuple[int, int, EventTrigger]]:
    """(first word, word after the last, trigger) for each trigger in `words`, longest first."""
    found, index, i = [], _index(), 0
    while i < len(words):
        for trigger in index.get(words[i].text, ()):
            span = len(trigger.words)
            if i + span <= len(words) and all(words[i + k].text in trigger.words[k] for k in range(1, span)):
                found.append((i, i + span, trigger))
                i += span - 1
                break
        i += 1
    return found


class _Calendar:
    """The days an article's sentences point at.

    A day-month without a year takes the year of the article (its publication date, else the
    latest full date in it); with none but a weekday, the latest year not after `as_of` in which
    the day-month falls on that weekday; with neither, it stays `--MM-DD`. A weekday alone is
    the last such day on or before the article's day. Nothing after `as_of` is kept.
    """

    def __init__(self, body: str, published: str | None, as_of: dt.date):
        self.as_of = as_of
        mentions = find_dates(body)
        full = [dt.date(m.year, m.month, m.day) for m in mentions if m.is_full]
        full = [day for day in full if day <= as_of]
        self.published = _day(published)
        self.year = self.published.year if self.published else max(full).year if full else None
        self.reference: dt.date | str | None = self.published
        if self.reference is None:
            days = [day for day in map(self.resolve, mentions) if day]
            full_days = [day for day in days if not day.startswith("--")]
            self.reference = dt.date.fromisoformat(max(full_days)) if full_days else _latest(days)
        # Every date of the body with the day it resolves to, for the sentences to look up.
        self.days = self._days(mentions)

    def _days(self, mentions: list[DateMention]) -> list[tuple]:
        return [(m.start, day) for m in mentions if (day := self.resolve(m))]

    def between(self, start: int, end: int) -> list[tuple[int, str]]:
        """(offset, day) of the dates that start between `start` and `end`."""
        return [(at, day) for at, day in self.days if start <= at < end]

    def resolve(self, mention: DateMention) -> str | None:
        """ISO day or `--MM-DD` for a date mention, or None."""
        if mention.is_full:
            return self._kept(dt.date(mention.year, mention.month, mention.day))
        if mention.month and mention.day:
            year = self.year
            if year is None and mention.weekday is not None:
                year = infer_year(mention.month, mention.day, mention.weekday, self.as_of)
            if year is None:
                return f"--{mention.month:02d}-{mention.day:02d}"
            try:
                return self._kept(dt.date(year, mention.month, mention.day))
            except ValueError:
                return None
        if mention.weekday is not None and isinstance(self.reference, dt.date):
            back = (self.reference.weekday() - mention.weekday) % 7
            return self._kept(self.reference - dt.timedelta(days=back))
        return None

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


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _latest(days: list[str]) -> str | None:
    """The latest of ISO days and `--MM-DD` days (a full day wins a tie of month and day)."""
    return max(days, key=lambda d: (d[-5:], d[:4] != "--")) if days else None


class _Reader:
    def __init__(self, article: Article, as_of: dt.date, words: list | None = None):
        body = article.cleaned.body if article.cleaned else ""
        self.body = body
        self.mentions = sorted(article.actors.mentions if article.actors else [], key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.paragraph_ends = [m.start() for m in re.finditer("\n\n", body)]  # where each "\n\n" is
        self.quotes: list[Quote] = article.quotes.quotes if article.quotes else []
        self.sentences = (article.tokens.sentences if article.tokens else []) or [(0, len(body))]
        meta = article.meta
        self.calendar = _Calendar(body, meta.published if meta else None, as_of)
        # The dateline (`JAKARTA -`) names where the copy was filed, not a party to anything.
        self.dateline = _dateline_span(body, meta.dateline if meta else None)
        dictionary = actor_dictionary()
        self.names = dictionary.state_names
        self.joining = _CONNECTORS | dictionary.lower_roles | dictionary.office_words
        self.words = words if words is not None else \
            [_Word(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(body)]
        self.starts = [w.start for w in self.words]
        self.speech, self.after = _speech_cues("verb"), _speech_cues("after")
        self.events: list[Event] = []
        self.last_day: str | None = None

    # -- parties
    def groups(self, start: int, end: int) -> list[_Party]:
        """Groups of mentions between `start` and `end`, joined by `dan`, `,`, `serta`, titles."""
        groups: list[_Party] = []
        for mention in self.mentions[bisect_left(self.mention_starts, start):bisect_left(self.mention_starts, end)]:
            if mention.start < start or mention.end > end or \
                    self.dateline[0] <= mention.start < self.dateline[1]:
                continue
            between = self.body[groups[-1].end:mention.start].lower().replace("(", " ( ").replace(")", " ) ") \
                .replace(",", " , ").split() if groups else None
            if groups and all(word in self.joining for word in between):
                groups[-1].mentions.append(mention)
                groups[-1].end = mention.end
            else:
                groups.append(_Party([mention], mention.start, mention.end))
        nonstate = nonstate_words()
        return [g for g in groups if not self._is_place(g) and self._word_before(g.start) not in nonstate]

    def _word_before(self, position: int) -> str:
        before = self.body[max(0, position - 30):position].split()
        return before[-1].lower() if before else ""

    def _is_place(self, group: _Party) -> bool:
        """`di Phnom Penh`: a place where something happens, not a party to it."""
        before = self.body[max(0, group.start - 4):group.start].lower()
        return before.endswith("di ") and all(m.type in ("GPE", "LOC") for m in group.mentions)

    def opener_end(self, words: list[_Word]) -> int:
        """Index of the word after an opening phrase (`Dalam pertemuan itu,`), or 0."""
        if words and words[0].text in _OPENERS:
            return next((i + 1 for i, w in enumerate(words[:25]) if w.text == ","), 0)
        return 0

    def clause_start(self, words: list[_Word], at: int) -> int:
        """Index of the first word of the clause the word at `at` is in."""
        first = self.opener_end(words)
        first = first if first <= at else 0
        for i in range(at - 1, first - 1, -1):
            word = words[i].text
            if word in self.speech or word in _REPORTING:
                if all(w.text in _QUOTE_MARKS for w in words[i + 1:at]):
                    continue  # `menyatakan "pandangan negatif"`: what is said is the act itself
                return i + 1
            if word in _BOUNDARY:
                return i + 1
            if word in self.after and i and words[i - 1].text in _QUOTE_MARKS | {","}:
                return i + 1  # `..., kata Zhang, sembari mengajak ...`: the speaker acts
        return first

    def clause_end(self, words: list[_Word], at: int) -> int:
        for i in range(at, len(words)):
            if words[i].text in _BOUNDARY or words[i].text in _PURPOSE or words[i].text in self.speech:
                return i
        return len(words)

    def objects(self, words: list[_Word], last: int, end: int, undirected: bool) -> list[_Party]:
        """The groups after a trigger, up to the end of its clause, a place or a time; for a
        meeting, also up to its topic (`pertukaran pandangan mengenai krisis Ukraina`)."""
        stop = self.clause_end(words, last)
        ends = _PLACE_TIME | _TOPIC if undirected else _PLACE_TIME
        topic = next((i for i in range(last, stop) if words[i].text in ends), stop)
        start = words[last].start if last < len(words) else end
        return self.groups(start, words[topic].start if topic < len(words) else end)

    def subject(self, words: list[_Word], first: int, at: int) -> _Party | None:
        """The subject of the trigger at word `at`: the first group of its clause, or the group
        before `yang` when the trigger heads a relative clause."""
        if first >= at:
            return None
        start, end = words[first].start, words[at].start
        groups = self.groups(start, end)
        back = at - 1
        while back > first and words[back].text in _ADVERBS | _INTENT | _HEDGES:
            back -= 1
        if words[back].text == "yang":
            before = [g for g in groups if g.end <= words[back].start]
            return before[-1] if before and not self.body[before[-1].end:words[back].start].strip(" ,") else None
        if groups:
            return groups[0]
        clause = self.body[start:end]
        pronoun = _PRONOUN.search(clause)
        if pronoun:
            persons = [m for m in self.mentions if m.type == "PERSON" and m.end <= start + pronoun.start()]
            if persons:
                return _Party([persons[-1]], start + pronoun.start(), start + pronoun.end())
        if re.search(r"(?i)\bmereka\b", clause):
            return self.last_plural(start)
        if _STATEMENT.search(clause):
            return self._speaker_party(statement_speaker(self.mentions, self.body, joint=False), start)
        return None

    def last_plural(self, position: int) -> _Party | None:
        """`mereka`: the last group of two or more parties named before `position`."""
        plural = [g for g in self.groups(0, position) if len(g.mentions) > 1 or g.mentions[0].countries]
        return plural[-1] if plural else None

    def _speaker_party(self, speaker: dict | None, at: int) -> _Party | None:
        if not speaker:
            return None
        codes = speaker.get("countries") or ([speaker["country"]] if speaker.get("country") else [])
        if not codes:
            return None
        mention = Mention(at, at, "", "GPE", speaker.get("name"), None, countries=list(codes), source="speaker")
        if speaker.get("name"):
            mention.countries, mention.country, mention.type = None, codes[0], "PERSON"
        return _Party([mention], at, at)

    def speaker_of(self, position: int) -> _Party | None:
        """The speaker of the quote that holds `position`."""
        for quote in self.quotes:
            if quote.start <= position < quote.end:
                return self._speaker_party(quote.speaker, position)
        return None

    # -- dates
    def day_of(self, words: list[_Word], first: int, start: int, end: int,
               anchor: str | None) -> tuple[str | None, str | None]:
        """The day of an act at word `first` of the sentence `start:end`, and what gave it."""
        for day, source in ((self.sentence_day(words, first, start, end), "sentence"), (anchor, "sentence"),
                            (self.paragraph_day(start, end), "paragraph")):
            if day:
                return day, source
        if self.calendar.published:
            return self.calendar.reference_day(), "published"
        # No publication date: the day the story last gave an act, else the latest date it gives.
        told = next((e.date for e in reversed(self.events) if e.date_from == "sentence"), None)
        day = told or self.calendar.reference_day()
        return day, "article" if day else None

    def sentence_day(self, words: list[_Word], first: int, start: int, end: int) -> str | None:
        """A date before the trigger in its sentence, or a few words after it (the nearest)."""
        text = self.body[start:end]
        at = words[first].start
        limit = words[min(first + _WINDOW, len(words) - 1)].end
        dates = [(abs(offset - at), day) for offset, day in self.calendar.between(start, min(end, limit))]
        if dates:
            return min(dates)[1]
        relative = _RELATIVE_RE.search(text)
        if relative:
            return self.calendar.shifted(_RELATIVE[relative.group(1).lower()])
        if _SAME_DAY.search(text):
            return self.last_day
        return None

    def paragraph_day(self, start: int, end: int) -> str | None:
        """The latest date in the other sentences of the paragraph of sentence `start:end`."""
        at = bisect_right(self.paragraph_ends, start)
        first = self.paragraph_ends[at - 1] + 1 if at else 0
        after = bisect_left(self.paragraph_ends, end)
        last = self.paragraph_ends[after] if after < len(self.paragraph_ends) else len(self.body)
        return _latest([day for _, day in self.calendar.between(first, start) + self.calendar.between(end, last)])

    def anchored_day(self, trigger: EventTrigger) -> str | None:
        """`Selama KTT virtual, ...`: a noun naming an act already dated names that day."""
        return next((e.date for e in reversed(self.events) if e.type == trigger.type and e.date), None)

    # -- events
    def read(self) -> list[Event]:
        for start, end in self.sentences:
            words = self.words[bisect_left(self.starts, start):bisect_left(self.starts, end)]
            words = [w for w in words if w.end <= end]
            opener = self.opener_end(words)
            anchor = None
            verbs: dict[int, str] = {}  # clause (by its first word) -> the type of its verb trigger
            for first, last, trigger in find_triggers(words):
                if first < opener:  # `Dalam pertemuan itu, ...` refers to an act, dates the sentence
                    anchor = anchor or (self.anchored_day(trigger) if "noun" in trigger.flags else None)
                    continue
                clause = self.clause_start(words, first)
                if clause in verbs and ("noun" in trigger.flags or verbs[clause] in _VERBAL):
                    continue  # `menuduh AS ... atas invasi`: what the first act is about
                event = self.event(words, first, last, trigger, start, end, anchor)
                if "noun" not in trigger.flags and "demand" not in trigger.flags:
                    verbs.setdefault(clause, trigger.type)
                for one in event:
                    self.events.append(one)
                    self.last_day = one.date or self.last_day
        return _merged(self.events)

    def event(self, words: list[_Word], first: int, last: int, trigger: EventTrigger,
              start: int, end: int, anchor: str | None) -> list[Event]:
        before = self._before(words, first)
        if any(w in _NEGATION for w in before) and "demand" not in trigger.flags:
            return []
        kind = trigger.type
        clause = self.clause_start(words, first)
        intent = any(words[i].text in _INTENT for i in range(clause, first))
        purpose = [i for i in range(clause, first) if words[i].text in _PURPOSE]
        if purpose:
            governing = [words[i].text for i in range(max(clause, purpose[-1] - 3), purpose[-1])]
            if not any(w in _INTENT for w in governing):
                return []  # `... untuk memperkuat kerja sama`: a purpose, not an act
            intent = True
            clause = self.clause_start(words, purpose[0])
        if "demand" in trigger.flags:
            return self.demand(words, first, last, trigger, start, end, anchor)
        if "said" in trigger.flags:
            return self.appraisal(words, first, last, trigger, start, end, anchor)
        if intent:
            if kind in COOPERATIVE:
                kind = "AGREE"
            elif kind in FORCEFUL:
                kind = "THREATEN"
            elif kind != "THREATEN":
                return []
        following = self.objects(words, last, end, kind in UNDIRECTED)
        if "addressee" in trigger.flags and kind == trigger.type and not following and (
                last >= len(words) or words[last].text not in _ADDRESSEES):
            return []  # `menyerukan untuk mencegah krisis`: an appeal to no one
        passive = words[first].text.startswith("di") and not trigger.text.lower().startswith("di")
        subject = self.subject(words, clause, first)
        if passive:
            agent = next((g for g in following if self.body[max(0, g.start - 5):g.start].lower() == "oleh "),
                         following[0] if following and following[0].start == words[last].start else None)
            if agent is None:
                return []  # the doer of a passive act is not named
            subject, obj = agent, subject
        else:
            obj = following[0] if following else None
            if subject is None and "noun" in trigger.flags and following:
                subject, obj = following[0], following[1] if len(following) > 1 else None
        if subject is None:
            subject = self.speaker_of(words[first].start)
        if subject is None:
            return []
        actors = _unique(subject.actors(self.names))
        recipients = obj.actors(self.names) if obj else []
        # Further bodies in the object are aimed at too: `aliansi seperti AUKUS ... dan Quad`.
        for group in following[1:]:
            recipients += [p for p in group.actors(self.names) if p["country"] in _BODIES]
        if kind in UNDIRECTED:
            actors = _unique(actors + recipients + [p for g in following[1:] for p in g.actors(self.names)])
            recipients = []
        else:
            codes = {a["country"] for a in actors}
            recipients = [r for r in _unique(recipients) if not r["country"] or r["country"] not in codes]
        mutual = "saling" in (w.text for w in words[clause:first])
        return self.made(kind, trigger, actors, recipients, words, first, last, (start, end), anchor,
                         location=self.location(start, end), mutual=mutual)

    def demand(self, words: list[_Word], first: int, last: int, trigger: EventTrigger,
               start: int, end: int, anchor: str | None) -> list[Event]:
        """`mereka harus memikul tanggung jawab`, said by S: S demands it of them."""
        speaker = self.speaker_of(words[first].start)
        clause = self.clause_start(words, first)
        obliged = self.subject(words, clause, first) if clause < first else None
        if speaker is None or obliged is None:
            return []
        actors = _unique(speaker.actors(self.names))
        own = {a["country"] for a in actors}
        recipients = _unique(obliged.actors(self.names))
        if not any(r["country"] for r in recipients) or own & {r["country"] for r in recipients}:
            return []
        return self.made("REQUEST", trigger, actors, recipients, words, first, last, (start, end), anchor)

    def appraisal(self, words: list[_Word], first: int, last: int, trigger: EventTrigger,
                  start: int, end: int, anchor: str | None) -> list[Event]:
        """`Pernyataan itu menunjukkan AS berdampak negatif`: who says so accuses the subject."""
        clause = self.clause_start(words, first)
        target = self.subject(words, clause, first) if clause < first else None
        reporting = next((i for i in range(first - 1, -1, -1) if words[i].text in _REPORTING | self.speech), None)
        judge = None
        if reporting is not None:
            judge = self.subject(words, self.clause_start(words, reporting), reporting)
        judge = judge or self.speaker_of(words[first].start)
        if target is None or judge is None:
            return []
        actors = _unique(judge.actors(self.names))
        own = {a["country"] for a in actors}
        recipients = [r for r in _unique(target.actors(self.names)) if r["country"] and r["country"] not in own]
        if not recipients:
            return []
        return self.made(trigger.type, trigger, actors, recipients, words, first, last, (start, end), anchor)

    def made(self, kind: str, trigger: EventTrigger, actors: list[dict], recipients: list[dict], words: list[_Word],
             first: int, last: int, sentence: tuple[int, int], anchor: str | None,
             location: dict | None = None, mutual: bool = False) -> list[Event]:
        """The events of one act, dated, with the sentence `sentence` as evidence."""
        start, end = sentence
        day, day_from = self.day_of(words, first, start, end, anchor)
        return [Event(type=kind, mode=trigger.mode if kind == trigger.type else None, context=list(trigger.context),
                      actors=group, recipients=recipients, date=day, date_from=day_from, location=location,
                      evidence=self.body[start:end], start=start, end=end,
                      trigger=self.body[words[first].start:words[last - 1].end])
                for group in _acting(kind, actors, recipients, mutual)]

    @staticmethod
    def _before(words: list[_Word], at: int) -> list[str]:
        """The words just before `at`, skipping adverbs: `tidak akan terus` before `memperdalam`."""
        out, i = [], at - 1
        while i >= 0 and len(out) < 4:
            out.append(words[i].text)
            if words[i].text not in _ADVERBS | _INTENT | _NEGATION:
                break
            i -= 1
        return out

    def location(self, start: int, end: int) -> dict | None:
        for mention in self.mentions[bisect_left(self.mention_starts, start):bisect_left(self.mention_starts, end)]:
            if start <= mention.start and mention.end <= end and mention.type in ("GPE", "LOC") \
                    and self.body[max(0, mention.start - 3):mention.start].lower() == "di ":
                return {"name": mention.name or mention.text, "country": mention.country}
        return None


def _dateline_span(body: str, dateline: str | None) -> tuple[int, int]:
    """Where the dateline (`JAKARTA - `, `Fuzhou, China (Xinhua) – `) is in the body."""
    at = body.find(dateline) if dateline else -1
    if at < 0:
        return 0, 0
    dash = re.compile(r"[^\n]{0,60}?\s?[-–—]\s").match(body, at + len(dateline))
    return at, dash.end() if dash else at + len(dateline)


def _acting(kind: str, actors: list[dict], recipients: list[dict], mutual: bool) -> list[list[dict]]:
    """The actor lists to make events of. Several parties that each direct an act at no one named
    (`Xi dan Putin menyerukan ...`) act side by side, one event each; in a record, parties of a
    directed event with no recipient act on one another, which only `saling` says."""
    coded = [a for a in actors if a["country"]]
    if kind in UNDIRECTED or recipients or mutual or len(coded) < 2:
        return [actors] if coded else []
    return [[a] for a in coded]


def _unique(parties: list[dict]) -> list[dict]:
    seen, out = set(), []
    for party in parties:
        key = party["country"] or party["name"]
        if key not in seen:
            seen.add(key)
            out.append(party)
    return out


def _codes(parties: list[dict]) -> frozenset[str]:
    return frozenset(p["country"] or p["name"] for p in parties)


def _merged(events: list[Event]) -> list[Event]:
    """One event per (type, actors, recipients, day): the first sentence that reported it is its
    evidence; an undirected event whose parties are all in a larger one of the same type and
    day is part of it."""
    dated = {(e.type, _codes(e.actors), _codes(e.recipients)) for e in events if e.date_from == "sentence"}
    kept: dict[tuple, Event] = {}
    for event in events:
        if event.date_from != "sentence" and (event.type, _codes(event.actors), _codes(event.recipients)) in dated:
            continue  # the same act told again without its day
        key = (event.type, _codes(event.actors), _codes(event.recipients), event.date)
        kept.setdefault(key, event)
    out = []
    for key, event in kept.items():
        kind, actors, _, day = key
        if kind in UNDIRECTED and any(k != key and k[0] == kind and k[3] == day and actors < k[1]
                                      for k in kept):
            continue
        out.append(event)
    return sorted(out, key=lambda e: e.start)


def rule_reads(article: Article, as_of: dt.date, words: list | None = None) -> list[Event]:
    """What the rules read, every event of every trigger (before events of one act are merged).
    `words`: the body's words as warta.events made them (the same tokens), if it has them."""
    if not article.cleaned or not article.cleaned.body:
        return []
    reader = _Reader(article, as_of, words)
    reader.read()
    return reader.events
