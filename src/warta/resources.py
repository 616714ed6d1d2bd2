"""Loaders for the data files in `warta/data`: patterns and lexicons are data, not code.

Each loader reads its file once per process and says which file and line is wrong when a
line cannot be read, so that an edited data file fails loudly at start-up, not mid-run.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


class DataFileError(ValueError):
    """A data file in warta/data has a line that cannot be used."""


def data_lines(name: str) -> list[tuple[int, str]]:
    """(line number, text) of a data file, without comments and blank lines."""
    text = resources.files("warta").joinpath("data", name).read_text(encoding="utf-8")
    return [(number, line.rstrip("\n")) for number, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True, slots=True)
class FurnitureRule:
    rule: str
    action: str  # drop | source | tail
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def furniture_rules() -> tuple[FurnitureRule, ...]:
    rules = []
    for number, line in data_lines("furniture.tsv"):
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in {"drop", "source", "tail"}:
            raise DataFileError(f"furniture.tsv:{number}: expected 'rule<TAB>drop|source|tail<TAB>regex'")
        flags = 0 if parts[1] == "tail" else re.IGNORECASE
        try:
            pattern = re.compile(parts[2], flags)
        except re.error as error:
            raise DataFileError(f"furniture.tsv:{number}: bad pattern: {error}") from None
        if parts[1] == "source" and "source" not in pattern.groupindex:
            raise DataFileError(f"furniture.tsv:{number}: a source rule needs a (?P<source>...) group")
        rules.append(FurnitureRule(parts[0], parts[1], pattern))
    return tuple(rules)


@lru_cache(maxsize=1)
def furniture_words() -> frozenset[str]:
    return frozenset(line.strip().lower() for _, line in data_lines("furniture_words.txt"))


@dataclass(frozen=True, slots=True)
class NewsSource:
    name: str
    kind: str  # agency | outlet
    country: str | None
    variants: tuple[str, ...]
    domains: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def news_sources() -> tuple[NewsSource, ...]:
    sources = []
    for number, line in data_lines("news_sources.tsv"):
        parts = line.split("\t")
        if len(parts) != 5 or parts[1] not in {"agency", "outlet"} or not re.fullmatch(r"[A-Z]{3}|", parts[2]):
            raise DataFileError(f"news_sources.tsv:{number}: expected "
                                "'name<TAB>agency|outlet<TAB>country code<TAB>variants<TAB>domains'")
        variants = tuple(dict.fromkeys([parts[0], *(v.strip() for v in parts[3].split("|") if v.strip())]))
        domains = tuple(d.strip().lower() for d in parts[4].split("|") if d.strip())
        sources.append(NewsSource(parts[0], parts[1], parts[2] or None, variants, domains))
    return tuple(sources)


@lru_cache(maxsize=1)
def news_source_index() -> dict[str, NewsSource]:
    """Lower-cased variant -> source. Short all-capital variants (`AP`, `AA`) are kept
    upper-case and matched with case, since `ap` or `aa` in running text is not the agency.
    A spelling two rows share (`ANTARA`, the agency and ANTARA News's own tag) is the first's."""
    index: dict[str, NewsSource] = {}
    for source in news_sources():
        for variant in source.variants:
            key = variant if len(variant) <= 3 and variant.isupper() else _fold_source(variant)
            index.setdefault(key, source)
    return index


def _fold_source(name: str) -> str:
    """A medium's name for lookup: lower case, a hyphen as a space (`Al-Jazeera`, the spaced
    `Al - Jazeera` of pre-tokenized text and `Al Jazeera` are one)."""
    return " ".join(name.lower().replace("-", " ").split())


def lookup_news_source(name: str, any_case: bool = False) -> NewsSource | None:
    """The medium `name` spells. `any_case` also takes a short code in lower case (`afp`),
    for places where nothing but an agency can stand, like the `(dpa, afp)` that ends a story."""
    index = news_source_index()
    if len(name) <= 3 and name.isupper():
        return index.get(name)
    return index.get(_fold_source(name)) or (index.get(name.upper()) if any_case and len(name) <= 3 else None)


def canonical_source(name: str) -> str:
    """The table's spelling of a medium (`REUTERS`, `Reuter` -> `Reuters`), else `name`."""
    source = lookup_news_source(name)
    return source.name if source else name


def canonical_outlet(name: str) -> str:
    """The spelling records give an outlet (`kumparan.com`, `JUARA.NET` -> kumparan, Juara.net)."""
    source = lookup_news_source(name)
    return source.name if source and source.kind == "outlet" else name


@lru_cache(maxsize=1)
def news_domain_index() -> dict[str, NewsSource]:
    index: dict[str, NewsSource] = {}
    for source in news_sources():
        for domain in source.domains:
            index.setdefault(domain, source)
    return index


def lookup_news_domain(host: str) -> NewsSource | None:
    """The medium whose domain `host` is or lies under, the longest listed domain first:
    `m.cnnindonesia.com` -> CNN Indonesia, `finance.detik.com` -> detikFinance."""
    index = news_domain_index()
    labels = host.lower().rstrip(".").split(".")
    for start in range(len(labels) - 1):
        source = index.get(".".join(labels[start:]))
        if source:
            return source
    return None


@lru_cache(maxsize=1)
def citation_cues() -> tuple[tuple[str, str], ...]:
    """(phrase, `any` | `medium` | `before`), longest phrase first."""
    cues = {}
    for number, line in data_lines("citation_cues.txt"):
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in {"any", "medium", "before"}:
            raise DataFileError(f"citation_cues.txt:{number}: expected 'phrase<TAB>any|medium|before'")
        cues[parts[0].strip().lower()] = parts[1]
    return tuple(sorted(cues.items(), key=lambda item: len(item[0]), reverse=True))


@lru_cache(maxsize=1)
def quote_cues() -> dict[str, str]:
    """Speech cue -> `after` | `verb` | `menurut`: data/quote_cues.tsv (by hand) and
    data/quote_cues_annotated.tsv (verbs mined from the annotated quotes, with their counts)."""
    cues = {}
    for name, columns in (("quote_cues.tsv", 2), ("quote_cues_annotated.tsv", 3)):
        for number, line in data_lines(name):
            parts = line.split("\t")
            if len(parts) != columns or parts[1] not in {"after", "verb", "menurut"}:
                raise DataFileError(f"{name}:{number}: expected 'cue<TAB>after|verb|menurut'"
                                    + ("<TAB>count" if columns == 3 else ""))
            cues.setdefault(parts[0].strip().lower(), parts[1])
    return cues


@lru_cache(maxsize=1)
def media_words() -> frozenset[str]:
    return frozenset(line.strip().lower() for _, line in data_lines("media_words.txt"))


@lru_cache(maxsize=2)
def indonesian_words(stop_only: bool = False) -> frozenset[str]:
    """Indonesian words in lower case: spaCy's stop words and, unless `stop_only`, the forms and
    lemmas of the Indonesian lemma table of spacy-lookups-data. Used to tell a capitalised word
    at the head of a sentence (`Memasuki`) from a name."""
    from spacy.lang.id.stop_words import STOP_WORDS

    if stop_only:
        return frozenset(STOP_WORDS)
    table = lemma_table()
    return frozenset(table) | frozenset(table.values()) | frozenset(STOP_WORDS)


@dataclass(frozen=True, slots=True)
class CameoCode:
    root: str  # CAMEO root code, `03`
    quad_class: int  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    intensity: float  # Goldstein value of the root, -10 .. 10


@lru_cache(maxsize=1)
def plover_cameo() -> dict[str, CameoCode]:
    """PLOVER type -> CAMEO root, QuadClass and intensity (data/plover_cameo.tsv)."""
    table = {}
    for number, line in data_lines("plover_cameo.tsv"):
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in PLOVER_TYPES:
            raise DataFileError(f"plover_cameo.tsv:{number}: expected 'TYPE<TAB>root<TAB>quad<TAB>intensity'")
        table[parts[0]] = CameoCode(parts[1], int(parts[2]), float(parts[3]))
    return table


@lru_cache(maxsize=1)
def cameo_modes() -> dict[tuple[str, str], tuple[str, str]]:
    """(PLOVER type, mode) -> (full CAMEO code, its name), where the trigger's mode names one
    (data/cameo_modes.tsv)."""
    table = {}
    for number, line in data_lines("cameo_modes.tsv"):
        parts = line.split("\t")
        if len(parts) != 4 or parts[0] not in PLOVER_TYPES or not re.fullmatch(r"\d{3,4}", parts[2]):
            raise DataFileError(f"cameo_modes.tsv:{number}: expected 'TYPE<TAB>mode<TAB>code<TAB>name'")
        table[(parts[0], parts[1])] = (parts[2], parts[3])
    return table


def cameo_code(kind: str, mode: str | None) -> str:
    """The CAMEO code of an event: its mode's full code, else its type's root."""
    found = cameo_modes().get((kind, mode)) if mode else None
    return found[0] if found else plover_cameo()[kind].root


@lru_cache(maxsize=1)
def nonstate_words() -> frozenset[str]:
    """Words that make the state named after them not the party (data/event_nonstate.txt)."""
    return frozenset(line.strip().lower() for _, line in data_lines("event_nonstate.txt"))


@lru_cache(maxsize=1)
def event_light_words() -> frozenset[str]:
    """Light verbs and hedges that are no trigger on their own (data/event_light_words.txt)."""
    return frozenset(line.strip().lower() for _, line in data_lines("event_light_words.txt"))


@lru_cache(maxsize=1)
def lemma_table() -> dict[str, str]:
    """Form -> lemma of spaCy's Indonesian lemma table (spacy-lookups-data): `menolak` -> `tolak`."""
    import spacy_lookups_data
    import srsly

    path = Path(spacy_lookups_data.__file__).parent / "data" / "id_lemma_lookup.json.gz"
    try:
        return srsly.read_gzip_json(path)
    except (OSError, ValueError) as error:
        raise DataFileError(f"cannot read the Indonesian lemma table {path}: {error}") from error


PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
# Meetings, agreements and cooperation: every party acts, none is only aimed at.
UNDIRECTED = frozenset({"CONSULT", "AGREE", "COOPERATE"})
_TRIGGER_FLAGS = {"noun", "addressee", "demand", "said"}


@dataclass(frozen=True, slots=True)
class EventTrigger:
    """A line of data/event_triggers.tsv: the forms each word may take, and what it signals."""

    text: str
    words: tuple[frozenset[str], ...]
    type: str
    mode: str | None
    context: tuple[str, ...]
    flags: frozenset[str]


@lru_cache(maxsize=1)
def event_triggers() -> tuple[EventTrigger, ...]:
    """The trigger lexicon, each `root:affixes` word expanded into its forms (warta.morphology),
    with the forms spaCy's lemma table gives for the same root and affix, and their `-nya` forms."""
    from warta.morphology import AFFIXES, affix_of, derive

    by_lemma: dict[str, list[str]] = {}
    for form, lemma in lemma_table().items():
        by_lemma.setdefault(lemma, []).append(form)
    triggers = []
    for number, line in data_lines("event_triggers.tsv"):
        parts = line.split("\t")
        if len(parts) != 5 or parts[1] not in PLOVER_TYPES:
            raise DataFileError(f"event_triggers.tsv:{number}: expected 'trigger<TAB>TYPE<TAB>mode<TAB>context"
                                f"<TAB>flags' with one of the 16 PLOVER types")
        flags = frozenset() if parts[4] == "-" else frozenset(parts[4].split(","))
        if flags - _TRIGGER_FLAGS:
            raise DataFileError(f"event_triggers.tsv:{number}: unknown flag(s) {sorted(flags - _TRIGGER_FLAGS)}")
        words = []
        for word in parts[0].split():
            root, _, affixes = word.partition(":")
            if not affixes:
                literal = {root.lower()}
                words.append(frozenset(literal | {root.lower() + "nya"} if "noun" in flags else literal))
                continue
            wanted = affixes.split(",")
            if set(wanted) - set(AFFIXES):
                raise DataFileError(f"event_triggers.tsv:{number}: unknown affix in {word!r}")
            forms = {derive(root, affix) for affix in wanted}
            forms |= {form for form in by_lemma.get(root.lower(), ()) if affix_of(form, root) in wanted}
            words.append(frozenset(forms | {form + "nya" for form in forms}))
        text = re.sub(r":\S+", "", parts[0])
        triggers.append(EventTrigger(text, tuple(words), parts[1], None if parts[2] == "-" else parts[2],
                                     () if parts[3] == "-" else tuple(parts[3].split(",")), flags))
    return tuple(triggers)
