"""The actor dictionary: states, places, international bodies, persons with dated offices, roles.

All of it is data in data/actors/ (see scripts/build_actors.py for what is generated and from
where). This module loads it once per process and answers three questions:

    find(text)                      dictionary names in a text, longest first, on word bounds
    holder(role, country, day)      who held an office on a day (`Presiden AS` in 2017)
    person(name) / by_surname(...)  a person's canonical record from any of their names
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

import ahocorasick

from warta.resources import DataFileError
from warta.spans import Spans


@dataclass(frozen=True, slots=True)
class Office:
    role: str  # a role key of roles.tsv, or a PETRARCH2 sector code (`RUSGOV`) when unknown
    country: str
    start: str = ""  # ISO dates; empty means "before our sources" / "still in office"
    end: str = ""
    curated: bool = False  # from offices.tsv: exact dates, trusted over the generated ones

    def held_on(self, day: str) -> bool:
        return (not self.start or self.start <= day) and (not self.end or day < self.end)


@dataclass(slots=True)
class Person:
    name: str
    country: str | None
    offices: list[Office] = field(default_factory=list)

    def country_on(self, day: str) -> str | None:
        """The state or body the person acted for on `day`: their office then, else their last."""
        held = self._held(day)
        return held[-1].country if held else self.country

    def role_on(self, day: str) -> str | None:
        """The role key of an office held on `day`, if the dictionary knows it by role."""
        held = [o for o in self._held(day) if o.role.islower()]
        return held[-1].role if held else None

    def _held(self, day: str) -> list[Office]:
        held = [o for o in self.offices if o.held_on(day)]
        return [o for o in held if o.curated] or held

    def office_on(self, day: str | None) -> Office | None:
        """The office to show the person with: the one held on `day` (a curated one first, a
        role before a sector code), else, with no day or none held then, the latest begun."""
        by_role = sorted(self.offices, key=lambda o: (o.curated, o.role.islower(), o.start or "0000"))
        held = [o for o in by_role if day and o.held_on(day)]
        return (held or by_role or [None])[-1]


def _audited(offices: list[Office]) -> list[Office]:
    """Offices in order, a generated office with no end closed where a curated one begins.

    The generated offices come from sources that end in 2011-2014, so `no end` there means
    `not known`, not `still`: Xi Jinping's vice-presidency of 2008 would otherwise run on
    beside the presidency that offices.tsv dates from 2013. The first curated office that
    begins after a generated open one ends it."""
    curated_starts = sorted(o.start for o in offices if o.curated and o.start)
    audited = []
    for office in offices:
        if not office.curated and not office.end:
            later = next((start for start in curated_starts if start > (office.start or "")), None)
            office = replace(office, end=later) if later else office
        audited.append(office)
    return sorted(audited, key=lambda o: (o.start or "0000", o.end or "9999"))


@dataclass(frozen=True, slots=True)
class Entry:
    """What a dictionary name denotes."""

    type: str  # GPE, ORG or PERSON
    name: str  # canonical name
    country: str | None
    kind: str  # state, capital, city, place, seat, body, organisation, person


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    head: bool  # one holder at a time: the role and its state alone name the person


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


def _lines(name: str):
    """(line number, line) of a data file in data/actors, without comments and blank lines."""
    path = resources.files("warta") / "data" / "actors" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(f"cannot read actor data file {name}: {error}") from error
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line


def _rows(name: str):
    for number, line in _lines(name):
        yield number, line.split("\t")


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


class ActorDictionary:
    def __init__(self) -> None:
        self.names: dict[str, Entry] = {}
        self.persons: dict[str, Person] = {}
        self.person_names: dict[str, str] = {}  # any full name or alias -> canonical name
        self.surnames: dict[str, set[str]] = defaultdict(set)  # one name token -> canonical names
        self.roles: dict[str, Role] = {}
        self.holders: dict[tuple[str, str], list[tuple[Office, str]]] = defaultdict(list)
        self.state_names: dict[str, str] = {}  # code -> canonical name
        self.curated: set[str] = set()  # persons of offices.tsv: recent, with exact dates
        self._load_states()
        self._load_places()
        self._load_bodies()
        self._load_organisations()
        self._load_persons()
        self._load_roles()
        self.lower_roles = frozenset(phrase.lower() for phrase in self.roles)
        self.office_words = frozenset(line.strip().lower() for _, line in _lines("office_words.txt"))
        self._automaton = self._build_automaton()

    # -- loading
    def _add(self, surface: str, entry: Entry, upper: bool = False, replace: bool = False) -> None:
        # Earlier files win (a state's name is never overwritten by a city or a person) unless
        # `replace` says this file corrects the ones before it.
        for name in [surface, surface.upper()] if upper and len(surface) >= 4 else [surface]:
            if replace:
                self.names[name] = entry
            else:
                self.names.setdefault(name, entry)  # the upper-case form is for datelines: `MOSKOW -`

    def _load_states(self) -> None:
        extra = {}
        for number, row in _rows("states_extra.tsv"):
            if len(row) < 2:
                raise DataFileError(f"states_extra.tsv line {number}: expected code, names[, drop]")
            extra[row[0]] = (_split(row[1]), set(_split(row[2]) if len(row) > 2 else []))
        states = []
        for number, row in _rows("states.tsv"):
            if len(row) < 3:
                raise DataFileError(f"states.tsv line {number}: expected code, alpha2, names, ...")
            code, names = row[0], _split(row[2])
            added, dropped = extra.get(code, ([], set()))
            names = list(dict.fromkeys(n for n in [*added, *names] if n not in dropped))
            if not names:
                continue
            # The canonical name is CLDR's English one (states.tsv: Indonesian, then English).
            english = _split(row[2])[1:2]
            self.state_names[code] = english[0] if english and english[0] not in dropped else names[0]
            states.append((code, names, row[3:5]))
        for code, names, places in states:
            for name in names:
                self._add(name, Entry("GPE", self.state_names[code], code, "state"), upper=True)
        for code, names, places in states:
            for kind, cell in zip(("capital", "city"), places):
                for name in _split(cell):
                    self._add(name, Entry("GPE", name, code, kind), upper=True)

    def _load_places(self) -> None:
        for number, row in _rows("places.tsv"):
            if len(row) != 3 or row[1] not in ("GPE", "ORG"):
                raise DataFileError(f"places.tsv line {number}: expected name, GPE|ORG, code")
            kind = "seat" if row[1] == "ORG" else "place"
            # Indonesian spellings go before the English city names of states.tsv.
            self._add(row[0], Entry(row[1], row[0], row[2], kind), upper=kind == "place", replace=True)

    def _load_bodies(self) -> None:
        for number, row in _rows("bodies.tsv"):
            if len(row) != 3:
                raise DataFileError(f"bodies.tsv line {number}: expected code, name, aliases")
            entry = Entry("ORG", row[1], row[0], "body")
            for name in [row[1], *_split(row[2])]:
                self.names[name] = entry

    def _load_organisations(self) -> None:
        for _, name in _lines("organisations.txt"):
            self.names.setdefault(name.strip(), Entry("ORG", name.strip(), None, "organisation"))

    def _person(self, name: str, country: str | None) -> Person:
        person = self.persons.get(name)
        if person is None:
            person = self.persons[name] = Person(name, country)
        return person

    def _alias(self, alias: str, name: str) -> None:
        self.person_names.setdefault(alias, name)
        for token in alias.split():
            if len(token) >= 2:
                self.surnames[token].add(name)

    def _load_persons(self) -> None:
        for number, row in _rows("persons.tsv"):
            if len(row) < 3:
                raise DataFileError(f"persons.tsv line {number}: expected name, country, offices")
            person = self._person(row[0], row[1] or None)
            for office in filter(None, row[2].split(";")):
                role, country, start, end = office.split(":")
                person.offices.append(Office(role, country, start, end))
            for alias in [row[0], *(_split(row[3]) if len(row) > 3 else [])]:
                self._alias(alias, row[0])
        # The curated office-holders come last: they are newer, and their country wins.
        for number, row in _rows("offices.tsv"):
            if len(row) < 5:
                raise DataFileError(f"offices.tsv line {number}: expected name, country, role, start, end")
            name, country, role, start, end = row[:5]
            person = self._person(name, country)
            person.country = country
            self.curated.add(name)
            office = Office(role, country, start, end, curated=True)
            person.offices.append(office)
            self.holders[(role, country)].append((office, name))
            for alias in [name, *(_split(row[5]) if len(row) > 5 else [])]:
                self.person_names[alias] = name
                self._alias(alias, name)
        for person in self.persons.values():
            person.offices = _audited(person.offices)
        for name, canonical in self.person_names.items():
            if len(name.split()) >= 2:
                self.names.setdefault(name, Entry("PERSON", canonical, self.persons[canonical].country,
                                                  "person"))

    def _load_roles(self) -> None:
        for number, row in _rows("roles.tsv"):
            if len(row) != 3 or row[2] not in ("head", "member"):
                raise DataFileError(f"roles.tsv line {number}: expected phrase, role, head|member")
            self.roles[row[0] if row[0].isupper() else row[0].lower()] = Role(row[1], row[2] == "head")

    def _build_automaton(self):
        automaton = ahocorasick.Automaton()
        for surface, entry in self.names.items():
            automaton.add_word(surface, (len(surface), entry))
        automaton.make_automaton()
        return automaton

    # -- queries
    def find(self, text: str) -> list[Match]:
        """Dictionary names in `text` on word boundaries; where names overlap, the longest wins."""
        found = []
        for end, (length, entry) in self._automaton.iter(text):
            start, stop = end - length + 1, end + 1
            # Word bounds; a hyphen joins names (`China-Rusia`) but not a suffix (`AS-nya`) or a
            # reduplication (`negara-negara`).
            if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’")) or \
                    (stop < len(text) and (text[stop].isalnum() or text[stop] == "-" and
                                           text[stop + 1:stop + 2].islower())):
                continue
            found.append(Match(start, stop, entry))
        chosen, taken = [], Spans()
        for match in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if taken.add(match.start, match.end):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def holder(self, role: str, country: str, day: str) -> str | None:
        """Who held `role` of `country` on `day` (ISO), from the curated dated offices."""
        held = [name for office, name in self.holders.get((role, country), []) if office.held_on(day)]
        return held[-1] if len(set(held)) == 1 else None

    def person(self, name: str) -> Person | None:
        canonical = self.person_names.get(name)
        return self.persons.get(canonical) if canonical else None

    def by_surname(self, token: str, country: str | None, day: str) -> Person | None:
        """The one person known by `token` who acted for `country` (if given) on `day`.

        The curated office-holders are asked first: the generated offices often have no end
        date, so by them alone half of history is still in office."""
        names = self.surnames.get(token, set())
        return (self._fitting(names & self.curated, country, day)
                or self._fitting(names - self.curated, country, day))

    def _fitting(self, names, country: str | None, day: str) -> Person | None:
        fitting = []
        for name in names:
            person = self.persons[name]
            held = [o for o in person.offices if o.held_on(day) and o.start]
            if held and (country is None or any(o.country == country for o in held)):
                fitting.append(person)
        return fitting[0] if len(fitting) == 1 else None


@lru_cache(maxsize=1)
def actor_dictionary() -> ActorDictionary:
    return ActorDictionary()


def iso_day(value: str | dt.date | None) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return (value or "")[:10]
