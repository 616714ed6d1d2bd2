"""The `actors` stage: every person, state, place and body in the body, resolved and coded.

Mentions come from these finders, in order of trust; a later finder never overrides an
earlier one where their spans overlap:

1. role phrases  `Presiden Rusia Vladimir Putin`, `juru bicara Kementerian Luar Negeri China
                 Wang Wenbin`: the role and the state or body give the person's country and
                 role, dictionary or not. A head-of-office role alone (`Presiden AS`) names its
                 holder on the article's day through the dated offices.
2. dictionary    states, capitals and cities, seats of government, international bodies,
                 organisations, and persons by full name (warta.actordict)
3. titled names  a name right after a role word with no state: `Aktris Angelina Jolie`
4. short names   a part of a full name found above, later in the text: `Zhang`, `Lavrov`
5. NER           the trained spaCy model (warta.ner) for names none of the above knows,
                 mended (spaced hyphens, Arabic particles, titles taken into the name) and
                 filtered (Indonesian words in title case); a lone word it alone calls a
                 person is kept when a classifier trained on the annotated persons says so
                 (data/persons.json.gz, scripts/train_persons.py)

A person span of a titled name or of the NER that no dictionary name backs is judged by a
second classifier of the same file: it cuts the span to the run of words that is the name
(`Sinar Foods Budi Hartono` -> `Budi Hartono`) or refuses it (`Seksi Penyidikan Kanwil Pajak`).

Then, within the article: a one-word name (`Zhang`, `Xi`) is the person of an earlier (or
later) full name that contains it, else the one office-holder of that name on the article's
day; `kedua negara` points at the two states the article has named most so far.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from typing import TYPE_CHECKING

from warta.actordict import ActorDictionary, Match, Person, Spans, actor_dictionary, iso_day
from warta.article import Actors, Article, Mention, Tokens
from warta.linear import LinearModel, ModelFileError, packaged
from warta.ner import model, recognize
from warta.places import gazetteer
from warta.resources import indonesian_words, lookup_news_source, quote_cues
from warta.trie import alternation

if TYPE_CHECKING:
    from warta.pipeline import Options

# A personal name as news prints it: capitalised words, with the particles of Arabic, Dutch
# and Spanish names between them, and the hyphenated given names of Korean and Chinese.
# A name stays on its line (`Obama.` ends a paragraph, `Menurut` opens the next). A full stop
# belongs to an initial or a short abbreviation inside a name (`John S. McCain`, `Muh. Yusuf`),
# not to the name that ends a sentence; a capital may stand inside a word (`McCain`,
# `DeSantis`); `di` is no particle (`Wuryanto di Jakarta` is a place).
_NAME_WORD = r"(?:[A-Z][a-zà-ÿ'’]{0,2}\.(?=[ \t]+[A-Z])|[A-Z][a-zà-ÿ'’]*(?:[A-Z][a-zà-ÿ'’]+)?(?:-[A-Za-zà-ÿ]+)*|[A-Z]{2,}(?![a-z]))"
_PARTICLE = r"(?:bin|binti|al-|el-|van|von|de|da|der|den|la)"
NAME = re.compile(rf"{_NAME_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_NAME_WORD}){{0,3}}")

# What may stand between a role word and its state or body: an abbreviation in brackets
# (`Menteri Luar Negeri (Menlu) China`), capitalised words of an office (`Kementerian Luar
# Negeri`, `Dewan Keamanan Federasi`, `Pers`), and lower-case office words (`pemerintah`,
# `urusan`: data/actors/office_words.txt), which replace OFFICE when the pattern is built.
_BETWEEN = r"(?:\s*\([^()]{1,20}\))?(?:\s+(?:[A-Z][\w\-]*|OFFICE)){0,6}\s+"

_HYPHEN_AFTER = re.compile(r" ?- ?[a-z]{2,}\b")
_PARTICLE_AFTER = re.compile(r"(?:\s(?:al|el|bin|binti|ibn) ?- ?[A-Z][\w'’]+(?: ?- ?[A-Z][\w'’]+)?)+")
_HYPHEN_BEFORE = re.compile(r"\b[A-Z][a-z]+ ?- ?$")

_VERB_AFTER = re.compile(r"\s*(?:,|\.|\s(?:me|ber|juga\b|telah\b|sudah\b|pun\b|dan\b|kepada\b))")

_GROUPS = re.compile(r"\bkedua (?:belah )?(?:negara|pihak|pemimpin|kepala negara|pemerintah)\b", re.IGNORECASE)

# Words that start a capitalised run but are not a name (sentence openers, days, months).
_NOT_NAME = {
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Januari", "Februari", "Maret",
    "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember",
    "Dia", "Ia", "Beliau", "Mereka", "Kami", "Kita", "Saya", "Ini", "Itu", "Namun", "Tetapi",
    "Dalam", "Pada", "Di", "Ke", "Dari", "Dan", "Menurut", "Sementara", "Selain",
    "Tuhan", "Allah", "Kementerian", "Kedutaan", "Dewan", "Partai",
}


@lru_cache(maxsize=1)
def _role_pattern() -> re.Pattern:
    """Any role phrase, then what may stand between it and a state, up to the end of the text.
    The greedy `.*` makes the match the last role phrase before the state."""
    between = _BETWEEN.replace("OFFICE", "|".join(sorted(actor_dictionary().office_words)))
    return re.compile(rf"^.*(?<![\w-])(?P<role>{_role_words()}){between}$", re.DOTALL)


@lru_cache(maxsize=1)
def _role_words() -> str:
    """Every role phrase, the longest where several match; all but acronyms (`PM`) ignore case."""
    phrases = actor_dictionary().roles
    acronyms = [p for p in phrases if p.isupper()]
    words = alternation([p for p in phrases if not p.isupper()], ignore_case=True)
    return words + (f"|{alternation(acronyms)}" if acronyms else "")


@lru_cache(maxsize=1)
def _titled_name() -> re.Pattern:
    """A role and the name it titles, with no state between: `Aktris Angelina Jolie`."""
    return re.compile(rf"(?<![\w-])(?:{_role_words()})\s+(?P<name>{NAME.pattern})")


@lru_cache(maxsize=1)
def _ranks() -> re.Pattern:
    """Ranks and titles between a state and a name: `India Letnan Kolonel Manish Mehta`."""
    return re.compile(rf"(?:(?:{_role_words()})\s+){{1,2}}")


def _role_before(dictionary: ActorDictionary, text: str, end: int):
    """The role phrase before a state or body that starts at `end`: (its start, its Role)."""
    window = text[max(0, end - 90):end]
    match = _role_pattern().match(window)
    if match is None:
        return None
    # The greedy `.*` finds the role that starts last; a longer one may end at the same place
    # (`Perdana Menteri` against `Menteri`).
    head = window[:match.end("role")]
    phrase = max((p for p in dictionary.roles if (head.endswith(p) if p.isupper() else head.lower().endswith(p))
                  and (len(head) == len(p) or not head[-len(p) - 1].isalnum())), key=len)
    role = dictionary.roles[phrase]
    return end - len(window) + len(head) - len(phrase), role


def _is_word(word: str) -> bool:
    """An Indonesian word, or a nominalisation of one the lemma table lacks (`pelucutan`)."""
    return word in indonesian_words() or (len(word) > 6 and word.endswith("an") and word.startswith(_AFFIXES))


_AFFIXES = ("pe", "ke", "ber", "ter", "me", "di")
# Words of a minister's title besides the -an nouns of the portfolio (`Perhubungan`):
# `Menteri Koordinator ...`, `Menteri Sekretaris Negara ...`.
_PORTFOLIO = {"koordinator", "sekretaris", "negara"}


def normal_name(text: str) -> str:
    """A name as written, with the spaces of pre-tokenized text taken out: `Kim Jong-un`."""
    return re.sub(r"\s*-\s*", "-", re.sub(r"\s+\.", ".", text))


def _extend_name(body: str, start: int, end: int) -> tuple[int, int]:
    """A name span grown over what finders stop at: the spaced hyphens of pre-tokenized text
    (`Kim Jong - un`, `Jean - Pierre Lacroix`) and the particles of Arabic names
    (`Abu Bakr al - Baghdadi`)."""
    while (after := _HYPHEN_AFTER.match(body, end) or _PARTICLE_AFTER.match(body, end)) and after.end() > end:
        end = after.end()
    if before := _HYPHEN_BEFORE.search(body, max(0, start - 30), start):
        start = before.start()
    return start, end


def ends_in_role(text: str) -> bool:
    """Whether `text` ends in a role word (`Laksamana Muda`, `Presiden`), in any case."""
    words = text.lower().split()
    lower_roles = actor_dictionary().lower_roles
    return any(" ".join(words[-n:]) in lower_roles for n in (1, 2, 3) if n <= len(words))


_GAP = re.compile(r"\s*(?:\([^()]{1,20}\)\s*)?")  # between a state and the name it titles


def _name_after(text: str, start: int) -> tuple[int, int] | None:
    match = NAME.match(text, start)
    if match is None:
        return None
    words = match.group().split()
    if words[0] in _NOT_NAME:
        return None
    return match.start(), match.end()


class _Finder:
    def __init__(self, body: str, day: str, tokens: Tokens | None = None, recognized: bool = False,
                 judge: bool = True, span: tuple[LinearModel, float] | None = None):
        self.body, self.day, self.tokens, self.recognized = body, day, tokens, recognized
        # `judge`: let the span classifier (`span`, a model and its cut, else the packaged one)
        # cut or refuse person spans; off, spans stay as the finders made them (what the
        # classifier is trained on).
        self.judge, self.span = judge, span
        self.dictionary = actor_dictionary()
        self.mentions: list[Mention] = []
        self.taken = Spans()
        self.codes: set[str] = set()  # states and bodies the article names
        # Every lone word the model alone called a person, with its features (for training).
        self.lone: list[tuple[Mention, list[str]]] = []
        # Every person span the span classifier judged: its candidate parts with features.
        self.spans: list[list[tuple[int, int, list[str]]]] = []
        self._words: Counter[str] | None = None  # the body's words, counted (see `count`)

    def add(self, mention: Mention) -> bool:
        if not self.taken.add(mention.start, mention.end):
            return False
        self.mentions.append(mention)
        return True

    def run(self) -> list[Mention]:
        matches = self.dictionary.find(self.body)
        self.codes = {m.entry.country for m in matches if m.entry.type != "PERSON" and m.entry.country}
        self.role_phrases(matches)
        for match in matches:
            self.add(self.from_dictionary(match))
        self.titled_names()
        self.short_names()  # before the model, which tends to call a lone `Zhang` a place
        self.statistical()
        self.resolve_persons()
        self.groups()
        return sorted(self.mentions, key=lambda m: m.start)

    def from_dictionary(self, match: Match) -> Mention:
        entry = match.entry
        country = entry.country
        role = None
        if entry.type == "PERSON":
            country, role = self.person_country(self.dictionary.persons[entry.name])
        return Mention(match.start, match.end, self.body[match.start:match.end], entry.type, entry.name,
                       country, role=role, source="dictionary")

    def person_country(self, person: Person) -> tuple[str | None, str | None]:
        """A dictionary person's country and role on the article's day.

        Names collide across the world (an Indonesian footballer shares his name with a
        minister of Sierra Leone), so a country from the generated dictionary counts only
        when the article names that state or body too; the curated office-holders are
        trusted as they are."""
        country, role = person.country_on(self.day), person.role_on(self.day)
        if person.name not in self.dictionary.curated and country not in self.codes:
            return None, None
        return country, role

    def role_phrases(self, matches: list[Match]) -> None:
        """`ROLE [office words] STATE-or-BODY Name`, and a head role with no name after it."""
        body = self.body
        starts = [m.start for m in matches]  # matches come sorted by start
        for match in matches:
            if match.entry.type == "PERSON":
                continue
            found = _role_before(self.dictionary, body, match.start)
            if found is None:
                continue
            role_start, role = found
            # `Duta Besar China untuk PBB Zhang Jun`: the first state after the role is whom the
            # person acts for; what follows `untuk` is where.
            between = matches[bisect_left(starts, role_start):bisect_left(starts, match.start)]
            country = next((m.entry.country for m in between if m.entry.type != "PERSON" and m.entry.country),
                           match.entry.country)
            gap = _GAP.match(body, match.end)
            name = None
            if gap.end() > match.end:
                ranks = _ranks().match(body, gap.end())
                name = _name_after(body, ranks.end() if ranks else gap.end())
            if name and not any(m.entry.type != "PERSON" for m in
                                matches[bisect_left(starts, name[0]):bisect_right(starts, name[0])]):
                self.add_person(name[0], name[1], country, role.key)
            elif role.head and name is None and match.entry.kind in ("state", "body") and country:
                holder = self.dictionary.holder(role.key, country, self.day)
                if holder:
                    self.add(Mention(role_start, match.end, body[role_start:match.end], "PERSON", holder,
                                     country, role=role.key, source="role"))

    def titled_names(self) -> None:
        """A name right after a role word: `Aktris Angelina Jolie`, `Presiden Xi`."""
        for found in _titled_name().finditer(self.body):
            start, end = found.span("name")
            words = found.group("name").split()
            if set(w.lower() for w in words) & self.dictionary.office_words:
                continue  # the title of a unit (`Kepala Bidang Hubungan Masyarakat Polda`): the model's
            # The portfolio of a minister is no part of the name: `Menteri Perhubungan Budi Karya`.
            while len(words) > 1 and (words[0].lower() in _PORTFOLIO or (
                    words[0].lower().endswith("an") and _is_word(words[0].lower()))):
                start = self.body.index(words[1], start + len(words[0]))
                words = words[1:]
            name = self.body[start:end]
            if words[0] in _NOT_NAME or all(w.lower() in indonesian_words() for w in words) or \
                    any(m.entry.type != "PERSON" for m in self.dictionary.find(name)):
                continue
            self.add_person(start, end, None, None)

    def add_person(self, start: int, end: int, country: str | None, role: str | None) -> None:
        # A title inside the run starts the name after it (`Wilayah Gabungan Marianas
        # Laksamana Muda Shoshana Chatfield`).
        inner = re.search(rf"(?<![\w-])(?:{_role_words()})\s+(?=[A-Z])", self.body[start:end + 40])
        if inner and inner.start() < end - start and (rest := _name_after(self.body, start + inner.end())):
            start, end = rest
        start, end = _extend_name(self.body, start, end)
        text = self.body[start:end]
        # A dictionary name inside the run is the name (`Wang Yi pada Jumat` stops at Yi).
        for match in self.dictionary.find(text):
            if match.entry.type == "PERSON":
                start, end = start + match.start, start + match.end
                break
        else:
            if (judged := self.judged(start, end, "role")) is None:
                return
            start, end = judged
        text = self.body[start:end]
        person = self.dictionary.person(normal_name(text))
        name = person.name if person else normal_name(text)
        self.add(Mention(start, end, text, "PERSON", name, country, role=role, source="role"))

    def statistical(self) -> None:
        if self.tokens and self.tokens.docs:
            starts, docs = self.tokens.doc_starts, self.tokens.docs
        else:
            starts, docs, offset = [], [], 0
            for paragraph in self.body.split("\n\n"):
                starts.append(offset)
                docs.append(model().make_doc(paragraph))
                offset += len(paragraph) + 2
        for offset, doc in zip(starts, docs if self.recognized and self.tokens else recognize(docs)):
            for ent in doc.ents:
                span = self.model_span(offset + ent.start_char, offset + ent.end_char, ent.label_)
                if span:
                    self.add(self.from_model(*span))

    def model_span(self, start: int, end: int, label: str) -> tuple[int, int, str, str] | None:
        """A span of the model, mended, relabelled, or refused: (start, end, text, label)."""
        body, roles = self.body, self.dictionary.roles
        if label == "PERSON":
            start, end = _extend_name(body, start, end)
            # The model takes titles and ranks into the name (`Presiden Joko Widodo`,
            # `Marianas Laksamana Muda Shoshana Chatfield`): the name starts after the last.
            words = list(re.finditer(r"\S+", body[start:end]))
            for i in range(len(words) - 1, 0, -1):
                if ends_in_role(" ".join(w.group() for w in words[:i])):
                    start += words[i].start()
                    break
            if ends_in_role(words[0].group()) and len(words) > 1:
                start += words[1].start()
        text = body[start:end]
        if len(text) < 2 or not text[:1].isupper() or text in _NOT_NAME or text.lower() in roles:
            return None
        if label == "PERSON":
            # A lone word the model calls a person but the language knows (`Memasuki`,
            # `Beruntung`), or a short abbreviation (`MA`, `GB`), is not a name; nor is a run
            # of Indonesian words in title case (`Komite Pusat`, `Pelucutan Senjata`).
            words = text.lower().split()
            known = sum(_is_word(w) for w in words)
            if known == len(words) or (len(words) >= 3 and 3 * known >= 2 * len(words)):
                return None
            if " " not in text and text.isupper() and len(text) <= 3:
                return None
            if ends_in_role(text):  # the span ended on a title: `... Marianas Laksamana`
                return None
            # `Keamanan Strategis China`: a run that holds a state's name is not a person.
            if any(m.entry.type == "GPE" for m in self.dictionary.find(text)):
                return None
            # `Madinah Development Authority`, `Arakan Rohingya Salvation Army`: an organisation.
            if set(text.lower().split()) & self.dictionary.office_words:
                label = "ORG"
            elif " " in text and not self.dictionary.person(normal_name(text)):
                if (judged := self.judged(start, end, "ner")) is None:
                    return None
                start, end = judged
                text = body[start:end]
        return start, end, text, label

    def from_model(self, start: int, end: int, text: str, label: str) -> Mention:
        country = None
        if lookup_news_source(text):  # `Anadolu`, `Ace Showbiz`: media, not places or persons
            return Mention(start, end, text, "ORG", text, None, source="ner")
        if label == "PERSON":
            person = self.dictionary.person(normal_name(text))
            if person:
                country, role = self.person_country(person)
                return Mention(start, end, text, "PERSON", person.name, country, role=role, source="dictionary")
            return Mention(start, end, text, "PERSON", normal_name(text), None, source="ner")
        # An office of a state (`Kementerian Luar Negeri China`) acts for that state.
        for match in self.dictionary.find(text):
            if match.entry.type == "GPE" and match.entry.kind == "state":
                country = match.entry.country
        return Mention(start, end, text, "ORG" if label == "ORG" else "LOC", text, country, source="ner")

    def short_names(self) -> None:
        """Later mentions by one part of a full name found earlier: `Zhang`, `Xi`, `Lavrov`.

        A part that is also an Indonesian word (`Yang Jiechi` ... `Yang menambahkan`) counts
        only before a verb or a clause break, which keeps out `Yang jelas, ...`."""
        parts: dict[str, Mention] = {}
        for mention in sorted(self.mentions, key=lambda m: m.start):
            if mention.type == "PERSON" and len(mention.text.split()) > 1 and mention.name:
                in_name = set(mention.name.split())
                for part in re.findall(r"[A-Z][\w\-']+", mention.text):
                    if len(part) > 1 and part not in _NOT_NAME and part in in_name:
                        parts.setdefault(part, mention)
        if not parts:
            return
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, parts)) + r")(?![\w-])")
        for found in pattern.finditer(self.body):
            part = found.group(1)
            if part.lower() in indonesian_words(stop_only=True) and not _VERB_AFTER.match(self.body, found.end()):
                continue
            first = parts[part]
            if found.start() > first.start:
                self.add(Mention(found.start(), found.end(), part, "PERSON", first.name, first.country,
                                 role=first.role, source="coreference"))

    def resolve_persons(self) -> None:
        """One-word names to the full name they abbreviate; countries shared within a person."""
        self.short_names()  # again, for the full names only the model found
        self.mentions.sort(key=lambda m: m.start)
        persons = [m for m in self.mentions if m.type == "PERSON"]
        full = [m for m in persons if len(m.name.split()) > 1]
        for mention in persons:
            if len(mention.name.split()) > 1:
                continue
            token = mention.text.split()[-1]
            if len(token) < 2:
                mention.type = None  # an initial (`M .`) left alone by pre-tokenized text
                continue
            before = [m for m in full if m.start < mention.start and token in m.name.split()]
            after = [m for m in full if m.start > mention.start and token in m.name.split()]
            if before or after:
                other = before[-1] if before else after[0]
                mention.name, mention.country = other.name, mention.country or other.country
                mention.role = mention.role or other.role
                continue
            person = self.dictionary.by_surname(token, mention.country, self.day)
            if person and mention.role and not any(o.role == mention.role for o in person.offices):
                person = None  # `Jendral Joseph` of the US forces is not the vice-president Joseph Biden
            country, role = self.person_country(person) if person else (None, None)
            if country:  # a lone `Sandi` is a minister of Sierra Leone only if Sierra Leone is in play
                mention.name, mention.country = person.name, mention.country or country
                mention.role = mention.role or role
            elif mention.source == "ner":
                # The model alone calling one capitalised word a person is wrong as often as
                # right (`Spotify`, `Raqqa`, `Rohingya` against `kata Hendrawan`, `Zidane`): a
                # trained classifier of such words decides (see `lone_features`).
                features = self.lone_features(mention)
                self.lone.append((mention, features))
                if not keeps_lone_name(features):
                    mention.type = None
        self.mentions = [m for m in self.mentions if m.type]
        persons = [m for m in persons if m.type]
        # What one mention of a person learnt (country, role) holds for all their mentions.
        known = {}
        for mention in persons:
            if mention.country or mention.role:
                country, role = known.get(mention.name, (None, None))
                known[mention.name] = (country or mention.country, role or mention.role)
        for mention in persons:
            country, role = known.get(mention.name, (None, None))
            mention.country, mention.role = mention.country or country, mention.role or role

    def judged(self, start: int, end: int, source: str) -> tuple[int, int] | None:
        """The part of a person span that is the name, or None when no part is one.

        Finders take too much into a name or take what is no name: `Direktur Pemasaran Sinar
        Foods Budi Hartono` gives `Sinar Foods Budi`, `Kepala Seksi Penyidikan Kanwil Pajak`
        gives `Seksi Penyidikan Kanwil Pajak`; firms and places come out as persons. Every run of
        up to six words inside the span is a candidate; a classifier trained on the annotated
        persons (`span_features`, scripts/train_persons.py) scores each, and the best is kept
        when its probability reaches the cut chosen on the training folds."""
        words = [(start + w.start(), start + w.end()) for w in _SPAN_WORD.finditer(self.body[start:end])]
        if not words:
            return None
        candidates = [(words[i][0], words[j][1], self.span_features(words, i, j, source))
                      for i in range(len(words)) for j in range(i, min(len(words), i + _SPAN_WORDS))]
        self.spans.append(candidates)
        judge = self.span or span_model()
        if not self.judge or judge is None:
            return start, end
        model, cut = judge
        p, best_start, best_end = max((model.probability(f, "person"), s, e) for s, e, f in candidates)
        return (best_start, best_end) if p >= cut else None

    def span_features(self, words: list[tuple[int, int]], i: int, j: int, source: str) -> list[str]:
        """What tells the name in a run of capitalised words from the titles, units, firms and
        places around it: its first and last word and the words either side, how much of the
        run it leaves out, the words' shapes, whether the language or the gazetteer knows them."""
        body = self.body
        text = [body[s:e] for s, e in words]
        part = text[i:j + 1]
        lower = [w.lower() for w in part]
        before = text[i - 1].lower() if i > 0 else (_word_before(body, words[0][0]) or "^")
        after = text[j + 1].lower() if j + 1 < len(text) else (_word_after(body, words[-1][1]) or "$")
        features = [f"source={source}", f"first={lower[0]}", f"last={lower[-1]}", f"before={before}",
                    f"after={after}", f"words={min(len(part), 4)}", f"left_out={min(i, 3)}",
                    f"right_out={min(len(text) - 1 - j, 3)}", f"suffix={lower[-1][-3:]}",
                    f"first_suffix={lower[0][-3:]}"]
        known = [_is_word(w) for w in lower]
        features.append(f"known={sum(known)}/{len(known)}" if len(known) < 4
                        else f"known_share={sum(known) * 3 // len(known)}")
        if known[0]:
            features.append("first_known")
        if known[-1]:
            features.append("last_known")
        if i > 0 and _is_word(before):
            features.append("before_known")
        if before in self.dictionary.office_words or ends_in_role(before):
            features.append("before_role")
        if self.count(lower[0]):
            features.append("first_written_lower")  # `merah`, `sherpa`: a word, not a name
        if any(any(c.isdigit() for c in w) for w in part):
            features.append("digit")
        if any(w.isupper() and sum(c.isalpha() for c in w) > 1 for w in part):  # `ESDM`, not `S.`
            features.append("caps")
        if any(self.dictionary.surnames.get(w) for w in part):
            features.append("a_known_name")
        if any(gazetteer().city(w) for w in part) or gazetteer().city(" ".join(part)):
            features.append("a_place")
        features.append(f"last_count={min(self.count(part[-1]), 4)}")
        if after in quote_cues() or after.startswith(("me", "ber")):
            features.append("next_verb")
        return features

    def lone_features(self, mention: Mention) -> list[str]:
        """What tells a lone word the model calls a person from a place, a firm or a people:
        the words around it (`kata Hendrawan`, `Zidane mengatakan`, `di Raqqa`), how often and
        how the article writes it, whether a place or a known person bears it, its shape."""
        body, word = self.body, mention.text
        before = re.findall(r"[\w-]+|[^\w\s]", body[max(0, mention.start - 40):mention.start])
        after = re.findall(r"[\w-]+|[^\w\s]", body[mention.end:mention.end + 40])
        prev = before[-1].lower() if before else "^"
        following = after[0].lower() if after else "$"
        cues = quote_cues()
        features = [f"prev={prev}", f"next={following}", f"prev2={before[-2].lower() if len(before) > 1 else '^'}",
                    f"suffix={word[-3:].lower()}", f"length={min(len(word), 12) // 3}"]
        if prev.removesuffix("nya") in cues:
            features.append("prev_cue")
        if following in cues or following.startswith(("me", "ber")):
            features.append("next_verb")
        if prev in ".!?\"”" or "\n" in body[max(0, mention.start - 2):mention.start] or mention.start == 0:
            features.append("opens_sentence")
        features.append(f"count={min(self.count(word), 4)}")
        if self.count(word.lower()):
            features.append("written_lower")
        if word.isupper():
            features.append("all_caps")
        if gazetteer().city(word):
            features.append("a_place")
        if self.dictionary.surnames.get(word):
            features.append("a_known_name")
        return features

    def count(self, word: str) -> int:
        """How often the body writes `word` as a whole word, case kept. The body's words are
        counted once (the span and lone-name features ask for many words); a word with other
        characters than letters, digits and hyphens (`S.`) is searched for."""
        if not _WORD.fullmatch(word):
            return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", self.body))
        if self._words is None:
            self._words = Counter(_WORD.findall(self.body))
        return self._words[word]

    def _is_place(self, mention: Mention) -> bool:
        """`di Phnom Penh`: where something happened, not a party to it."""
        return mention.type == "GPE" and self.body[max(0, mention.start - 3):mention.start].lower() == "di "

    def groups(self) -> None:
        """`kedua negara`, `kedua pihak`, `kedua pemimpin`: the two states the article has named most up to that point."""
        counted = sorted((m for m in self.mentions if m.country and m.type in ("GPE", "PERSON")
                          and not self._is_place(m)), key=lambda m: m.end)
        counts: Counter[str] = Counter()
        seen = 0
        for group in _GROUPS.finditer(self.body):
            while seen < len(counted) and counted[seen].end <= group.start():
                counts[counted[seen].country] += 1
                seen += 1
            if len(counts) >= 2:
                codes = sorted(code for code, _ in counts.most_common(2))
                self.add(Mention(group.start(), group.end(), group.group(), "GPE", None, None,
                                 countries=codes, source="coreference"))


LONE_NAMES_FILE = "persons.json.gz"

_WORD = re.compile(r"[\w-]+")
# A word of a name span: spaced hyphens (`Jong - un`, `al - Baghdadi`) keep their parts together.
_SPAN_WORD = re.compile(r"\S+(?: - \S+)*")
_SPAN_WORDS = 6  # the longest name a span classifier candidate may be, in words


def _word_before(body: str, start: int) -> str | None:
    found = re.search(r"([\w-]+|[^\w\s])\s*$", body[max(0, start - 30):start])
    return found.group(1).lower() if found else None


def _word_after(body: str, end: int) -> str | None:
    found = re.match(r"\s*([\w-]+|[^\w\s])", body[end:end + 30])
    return found.group(1).lower() if found else None


@lru_cache(maxsize=1)
def span_model() -> tuple[LinearModel, float] | None:
    """The classifier of the parts of person spans (scripts/train_persons.py) and the probability
    its best part needs to be kept (chosen on the training folds), or None where it has not been
    trained: then a span is kept as the finders made it."""
    try:
        data = packaged(LONE_NAMES_FILE)
        return LinearModel.from_json(data["span"]), float(data["span_cut"])
    except (ModelFileError, KeyError):
        return None


@lru_cache(maxsize=1)
def lone_name_model():
    """The classifier of lone model names (scripts/train_persons.py), or None where it has not
    been trained: then such a word is kept only with a title or a full name behind it."""
    try:
        return LinearModel.from_json(packaged(LONE_NAMES_FILE)["lone"])
    except ModelFileError:
        return None


LONE_CUT = 0.5  # keep a lone name at this probability of being one of the article's persons


def keeps_lone_name(features: list[str]) -> bool:
    model = lone_name_model()
    return model is not None and model.probability(features, "person") >= LONE_CUT


def lone_names(body: str, day: str, tokens: Tokens | None = None,
               span: tuple[LinearModel, float] | None = None) -> list[tuple[Mention, list[str]]]:
    """Every lone word the model alone called a person in `body`, with its features: what the
    classifier is trained on. `span` stands for the packaged span classifier."""
    finder = _Finder(body, day, tokens, span=span)
    finder.run()
    return finder.lone


def person_spans(body: str, day: str, tokens: Tokens | None = None) -> list[list[tuple[str, list[str]]]]:
    """Every person span the finders made in `body`, uncut, as its candidate parts (text and
    features): what the span classifier is trained on."""
    finder = _Finder(body, day, tokens, judge=False)
    finder.run()
    return [[(body[s:e], features) for s, e, features in candidates] for candidates in finder.spans]


def find_mentions(body: str, day: str, tokens: Tokens | None = None, recognized: bool = False) -> list[Mention]:
    """Actor mentions in `body`; `tokens` are what the tokens stage made of it (its Docs), and
    `recognized` says the model has already run on them."""
    return _Finder(body, day, tokens, recognized).run() if body else []


def actors(article: Article, options: Options, recognized: bool = False) -> None:
    meta = article.meta
    day = iso_day(meta.published if meta and meta.published else options.as_of)
    tokens = article.tokens if article.tokens and article.tokens.docs else None
    body = article.cleaned.body if article.cleaned else ""
    article.actors = Actors(mentions=find_mentions(body, day, tokens, recognized and tokens is not None))


def _actors_batch(articles: list[Article], options: Options) -> None:
    """The model over the paragraphs of many articles at once, then each article's finders."""
    for _ in recognize([doc for article in articles if article.tokens for doc in article.tokens.docs]):
        pass
    for article in articles:
        actors(article, options, recognized=True)


actors.batch = _actors_batch
