"""The learned part of the events stage: features, training examples, fitting and loading.

warta.events finds candidates (trigger words), parties and days with rules; five models
trained on the annotated articles of ../shared/data/annotated make the decisions:

domain      P(the article reports acts between states at all): sport, business and domestic
            stories have none. A bag of its words and how many states it names.
type        for each candidate: NONE or one of the 16 PLOVER types, from the trigger, the words
            around it (negation, modality, hypotheticals, what it is done to), the parties
            before and after it, the parse, whether it sits in a quote, the article's domain.
role        for each party of a kept candidate: neither, actor or recipient, from its place
            relative to the trigger, the word before it, its relation to the trigger in the
            parse, the voice of the trigger and the event type.
day         for each day the text offers: whether it is the day of the act.
calibration P(the event is right as coded: type, parties and day), from the probabilities
            above, fitted on the training articles' cross-validation folds, so that it is
            measured on articles the other models had not seen. `cut` is the confidence below
            which an event is not kept, chosen on the same folds to give the best event F1.

`EventModels` holds them, read from data/events.json.gz (`packaged_models`). Training is
`train` (scripts/train_events.py runs it, with cross-validation and the learning curve);
`examples` turns one annotated article into the labelled examples of every model.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from warta.linear import LinearModel, fit, packaged
from warta.resources import PLOVER_TYPES, UNDIRECTED, event_light_words, indonesian_words

if TYPE_CHECKING:
    from warta.events import Candidate, Day, Party, Reader

MODEL_FILE = "events.json.gz"
NONE = "NONE"
TYPE_CLASSES = (NONE, *PLOVER_TYPES)
ROLE_CLASSES = ("N", "A", "R")  # neither, actor, recipient

_NEGATION = {"tidak", "tak", "belum", "bukan", "jangan", "tanpa", "enggan", "gagal", "batal", "menolak",
             "menentang", "urung", "membantah", "menyangkal"}
_INTENT = {"akan", "siap", "bersedia", "bermaksud", "berencana", "ingin", "berniat", "hendak", "bertekad",
           "harus", "mau", "berjanji", "sepakat", "setuju", "terbuka", "perlu", "bisa", "dapat", "mungkin"}
_HYPOTHETICAL = {"jika", "apabila", "bila", "kalau", "seandainya", "andai", "andaikan", "jikalau", "asalkan"}
_PLANNED = {"dijadwalkan", "rencananya", "direncanakan", "rencana", "agenda", "dijadwalkannya"}
_HOPE = {"mudah-mudahan", "semoga", "berharap", "harap", "diharapkan", "mengharapkan"}
_PURPOSE = {"untuk", "agar", "supaya", "guna", "demi"}
_ADVERBS = {"terus", "lebih", "semakin", "juga", "pun", "segera", "kembali", "saling", "bersama-sama",
            "untuk", "dengan", "tegas", "secara", "aktif", "sepenuhnya", "sangat", "telah", "sudah", "masih",
            "benar-benar", "lagi", "dapat", "bisa", "pernah", "sempat", "mau", "memang", "boleh", "mencoba",
            "berusaha", "perlu"}
_PAST = {"telah", "sudah", "pernah", "sebelumnya", "lalu", "silam", "sejak", "dulu", "dahulu", "semula"}
_PREPOSITIONS = {"kepada", "terhadap", "dengan", "oleh", "atas", "ke", "untuk", "dari", "di", "antara", "bersama",
                 "bagi", "pada", "dan", "serta", "melawan", "tentang", "mengenai", "soal", "terkait", "yang"}
_BIN = (0, 1, 2, 3, 5, 8, 13, 21)
_LEXICAL = ("key=", "word=", "entry=", "vtype=", "flag=", "pre=", "suf=")


def _bucket(n: int) -> str:
    """A count or a distance as one of a few buckets: 0, 1, 2, 3-4, 5-7, ..., 21+."""
    sign = "-" if n < 0 else ""
    n = abs(n)
    for low, high in zip(_BIN, _BIN[1:]):
        if n < high:
            return f"{sign}{low}" if high - low == 1 else f"{sign}{low}-{high - 1}"
    return f"{sign}{_BIN[-1]}+"


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


# ---------------------------------------------------------------------- features
def domain_features(reader: Reader) -> list[str]:
    """The article's words (the content words of its first 400) and how many states it names."""
    stop = indonesian_words(stop_only=True)
    words = {w.text for w in reader.words[:400] if w.text.isalpha() and len(w.text) > 2 and w.text not in stop}
    foreign = {code for code in reader.states if code != "IDN"}
    return ["bias", *(f"w={w}" for w in sorted(words)), f"states={_bucket(len(reader.states))}",
            f"foreign={_bucket(len(foreign))}"]


def _clause_words(candidate: Candidate) -> list[str]:
    words = candidate.sentence.words
    return [w.text for w in words[candidate.clause:candidate.first]]


def _before(candidate: Candidate) -> list[str]:
    """The words just before the trigger, through adverbs: `tidak akan terus` before `memperdalam`."""
    words, out, i = candidate.sentence.words, [], candidate.first - 1
    while i >= 0 and len(out) < 4:
        out.append(words[i].text)
        if words[i].text not in _ADVERBS | _INTENT | _NEGATION:
            break
        i -= 1
    return out


def _token(candidate: Candidate, word: int):
    sentence = candidate.sentence
    if not sentence.parse or word < 0 or word >= len(sentence.words):
        return None, -1
    index = sentence.token_at[word]
    return sentence.parse[index], index


def type_features(reader: Reader, candidate: Candidate, domain: float) -> list[str]:
    sentence, words = candidate.sentence, candidate.sentence.words
    word = words[candidate.first].text
    lexicon = candidate.lexicon
    lex = lexicon.type if lexicon else "-"
    f = ["bias", f"key={candidate.key}", f"word={word}", f"lex={lex}"]
    if lexicon:
        f += [f"entry={lexicon.text.lower()}", *(f"flag={flag}" for flag in lexicon.flags)]
        if len(lexicon.words) > 1:
            f.append("phrase")
    for prefix in ("memper", "diper", "me", "di", "ber", "ter", "pe", "ke"):
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            f.append(f"pre={prefix}")
            break
    for suffix in ("kan", "an", "i", "nya"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            f.append(f"suf={suffix}")
    previous = [words[i].text for i in range(candidate.first - 1, max(-1, candidate.first - 4), -1)]
    following = [words[i].text for i in range(candidate.last, min(len(words), candidate.last + 3))]
    f += [f"p{k + 1}={w}" for k, w in enumerate(previous)] + [f"n{k + 1}={w}" for k, w in enumerate(following)]
    if previous:
        f.append(f"lex={lex}&p1={previous[0]}")
    if following:
        f.append(f"lex={lex}&n1={following[0]}")
    # A lexicon trigger next to it: `melayangkan ancaman`, `memberikan dukungan` (the noun says
    # what the verb does), `mengecam serangan` (the attack is what is condemned).
    for other in candidate.others:
        if other is not candidate and other.lexicon:
            if 0 < other.first - candidate.last + 1 <= 3:
                f += [f"nextlex={other.lexicon.type}", f"lex={lex}&nextlex={other.lexicon.type}"]
            elif 0 < candidate.first - other.last + 1 <= 3:
                f += [f"prevlex={other.lexicon.type}", f"lex={lex}&prevlex={other.lexicon.type}"]
    clause = _clause_words(candidate)
    f += [f"b={w}" for w in clause[-8:]]
    end = reader.clause_end(words, candidate.last)
    f += [f"a={w.text}" for w in words[candidate.last:min(end, candidate.last + 8)]]
    markers = []
    if set(_before(candidate)) & _NEGATION:
        markers.append("neg")
    before = set(clause)
    for name, vocabulary in (("intent", _INTENT), ("hyp", _HYPOTHETICAL), ("plan", _PLANNED), ("hope", _HOPE),
                             ("purpose", _PURPOSE), ("past", _PAST)):
        if before & vocabulary:
            markers.append(name)
    if {w.text for w in words[:candidate.first]} & _HYPOTHETICAL:
        markers.append("hyp_sentence")
    f += markers + [f"lex={lex}&{m}" for m in markers]
    if candidate.quote:
        f.append("quote=direct" if candidate.quote.direct else "quote=reported")
        speaker = candidate.quote.speaker or {}
        f.append("speaker=" + ("coded" if speaker.get("country") or speaker.get("countries") else "none"))
    at = words[candidate.first].start
    mentions = [p for p in reader.mention_parties(sentence, candidate)]
    in_clause_before = [p for p in mentions if p.start < at and p.word >= candidate.clause]
    after = [p for p in mentions if p.start >= at]
    codes = {c for p in mentions for c in p.codes}
    f += [f"pb={_bucket(len(in_clause_before))}", f"pa={_bucket(len(after))}",
          f"sb={_bucket(len([p for p in mentions if p.start < at]))}", f"codes={_bucket(len(codes))}"]
    f.append(f"lex={lex}&pb={min(len(in_clause_before), 2)}&pa={min(len(after), 2)}")
    if codes == {"IDN"}:
        f.append("only_idn")
    elif codes - {"IDN"}:
        f.append("foreign")
    if {w.text for w in words} & {"ia", "dia", "beliau", "mereka", "keduanya"}:
        f.append("pronoun")
    if any(p.mention and p.mention.type == "PERSON" for p in in_clause_before):
        f.append("person_before")
    foreign = {code for code in reader.states if code != "IDN"}
    dom = min(int(domain * 10), 9)
    f += [f"dom={dom}", f"lex={lex}&dom={dom}", f"states={_bucket(len(reader.states))}",
          f"foreign_states={_bucket(len(foreign))}", f"sentence={_bucket(sentence.number)}"]
    # What the hand-written reader (warta.eventrules) made of this trigger.
    ruled = sorted({e.type for e in candidate.rules})
    f += [f"rule={kind}" for kind in ruled] + [f"rule={kind}&lex={lex}" for kind in ruled] or ["rule=-"]
    token, index = _token(candidate, candidate.first)
    if token is None:
        f.append("noparse")
    else:
        parse = sentence.parse
        f += [f"dep={token.dep}", f"pos={token.pos}", f"lex={lex}&dep={token.dep}"]
        if token.passive:
            f.append("passive")
        head = parse[token.head]
        if token.head != index:
            f += [f"hpos={head.pos}", f"hdep={head.dep}", f"hword={head.text.lower()}"]
        for child in parse:
            if child.head == index and child is not token:
                f.append(f"c={child.dep}")
                if child.dep in ("aux", "mark", "advmod", "case", "cc", "cop", "neg", "det"):
                    f.append(f"c={child.dep}:{child.text.lower()}")
        # marks and negations higher up: `jika ... akan menyerang`, `tidak bertujuan menyerang`
        seen, up = 0, index
        while parse[up].head != up and seen < 3:
            up = parse[up].head
            seen += 1
            for child in parse:
                if child.head == up and child.dep in ("mark", "advmod", "aux") \
                        and child.text.lower() in _NEGATION | _HYPOTHETICAL | _INTENT | _PURPOSE:
                    f.append(f"anc={child.dep}:{child.text.lower()}")
    return f


def _relation(dep: str) -> str:
    """A UD relation without its subtype, but for the ones that say who acts: the subject of a
    passive (`nsubj:pass`, the one acted on) and its doer (`obl:agent`)."""
    return dep if dep in ("nsubj:pass", "obl:agent") else dep.split(":")[0]


def _path(candidate: Candidate, party: Party) -> tuple[str | None, str | None]:
    """(the relation path from the party to the trigger, the `case` word of the party) in the parse.
    The path reads up from the party's attachment (`nsubj^` up to the trigger) and down to the
    trigger from where the two meet (`nsubj^xcomp`: the subject of the verb the trigger completes)."""
    sentence = candidate.sentence
    if not sentence.parse or party.word < 0 or party.mention is None:
        return None, None
    parse = sentence.parse
    trigger = sentence.token_at[candidate.first]
    inside = {i for i, t in enumerate(parse) if party.start <= t.start < party.end}
    if not inside or trigger in inside:
        return None, None
    attach = next((i for i in sorted(inside) if parse[i].head not in inside or parse[i].head == i), min(inside))
    case = next((t.text.lower() for t in parse if t.head == attach and t.dep == "case"), None)
    up, chain = [attach], attach
    while parse[chain].head != chain and len(up) < 6:
        chain = parse[chain].head
        up.append(chain)
    down, chain = [trigger], trigger
    while parse[chain].head != chain and len(down) < 6:
        chain = parse[chain].head
        down.append(chain)
    meet = next((i for i in up if i in down), None)
    if meet is None:
        return "far", case
    rising = [_relation(parse[i].dep) for i in up[:up.index(meet)]]
    falling = [_relation(parse[i].dep) for i in reversed(down[:down.index(meet)])]
    if len(rising) + len(falling) > 3:
        return "far", case
    return "^".join(rising) + ("|" + "/".join(falling) if falling else ""), case


def role_features(reader: Reader, candidate: Candidate, party: Party, kind: str) -> list[str]:
    words = candidate.sentence.words
    t = "U" if kind in UNDIRECTED else kind
    trigger_word = words[candidate.first].text
    lexicon = candidate.lexicon
    passive = trigger_word.startswith("di") and not (lexicon and lexicon.text.lower().startswith("di"))
    token, _ = _token(candidate, candidate.first)
    if token is not None and token.passive:
        passive = True
    f = ["bias", f"kind={party.kind}", f"t={t}&kind={party.kind}"]
    if party.mention:
        f += [f"mtype={party.mention.type}", f"t={t}&mtype={party.mention.type}"]
    if party.kind == "mention":
        side = "before" if party.start < words[candidate.first].start else "after"
        group = max(-3, min(3, party.group))
        distance = party.word - candidate.first if side == "before" else party.word - candidate.last
        p1 = words[party.word - 1].text if party.word > 0 else "<s>"
        after = next((w.text for w in words[party.word:] if w.start >= party.end), "</s>")
        in_clause = candidate.clause <= party.word < reader.clause_end(words, candidate.last)
        # The party's place in the act's logical frame: the subject acts, the object is acted on,
        # in the active; in the passive (`dikecam oleh Jepang`, `dikecam Jepang`) the first group
        # after the trigger or the `oleh` phrase is the doer, the subject the one acted on. The
        # features of place are those of the active frame, so that passives, which are few, read
        # as the actives they mean; `passive=True&...` keeps what they look like.
        raw_side, raw_group = side, group
        if passive and t != "U":
            doer = side == "after" and (group == 1 or _governor(reader, candidate, party) == "oleh")
            side, group = ("before", -1) if doer else ("after", 1 if group < 0 else group + 1)
            distance = -1 if doer else abs(distance)
        f += [f"side={side}", f"grp={group}", f"dist={_bucket(distance)}", f"p1={p1}",
              "inclause" if in_clause else "outclause",
              f"t={t}&side={side}", f"t={t}&grp={group}", f"t={t}&side={side}&inclause={in_clause}",
              f"passive={passive}&side={raw_side}", f"passive={passive}&grp={raw_group}"]
        # (The words two before, after, and the word before with the type or voice were features
        # too: too sparse for 3,000 examples, they cost 0.5-3 points of event F1 on the folds.)
        low, high = sorted((party.word, candidate.first))
        between = {w.text for w in words[low:high]}
        for marker in ("yang", "bahwa", ",", "dan", "untuk"):
            if marker in between:
                f.append(f"btw={marker}")
        if between & reader.speech:
            f.append("btw=speech")
        governor = _governor(reader, candidate, party)
        f += [f"gov={governor}", f"t={t}&gov={governor}", f"passive={passive}&gov={governor}"]
        # What governs the coordinated group it is in: `di Samarkand, Uzbekistan` is a place.
        head = next((q for q in candidate.parties if q.kind == "mention" and q.group == party.group), party)
        if head is not party:
            governor = _governor(reader, candidate, head)
            f += [f"ggov={governor}", f"t={t}&ggov={governor}"]
        if p1 == "di" and party.mention and party.mention.type in ("GPE", "LOC"):
            f.append("place")
        if after == "yang" and side == "before":
            f.append("relative")
    else:
        f += [f"side={party.kind}", f"t={t}&side={party.kind}", f"passive={passive}&side={party.kind}"]
    if candidate.rules:  # the role the hand-written reader gave it, if it read an event here
        ruled = [e for e in candidate.rules if e.type == kind] or candidate.rules
        codes = party.codes
        role = "A" if any(codes & {a["country"] for a in e.actors} for e in ruled) else \
            "R" if any(codes & {r["country"] for r in e.recipients} for e in ruled) else "N"
        f += [f"rule_role={role}", f"t={t}&rule_role={role}", f"kind={party.kind}&rule_role={role}"]
    else:
        f.append("rule_role=?")
    path, case = _path(candidate, party)
    if path:
        f += [f"path={path}", f"t={t}&path={path}", f"passive={passive}&path={path}"]
    if case:
        f += [f"case={case}", f"t={t}&case={case}"]
    if candidate.quote and candidate.quote.speaker:
        speaker = candidate.quote.speaker
        if party.codes & ({speaker.get("country")} | set(speaker.get("countries") or ())):
            f += ["is_speaker", f"t={t}&is_speaker"]
    salience = reader.salience(party.codes)
    f.append(f"salience={_bucket(salience)}")
    if party.codes == {"IDN"}:
        f.append("idn")
    if len(party.actors) > 1:
        f.append("group_mention")
    return f


def _governor(reader: Reader, candidate: Candidate, party: Party) -> str:
    """The word that governs the phrase a mention heads, looking back past the titles, names and
    commas of the phrase (`kepada Menteri Keamanan Zimbabwe, Owen Ncube` -> `kepada`): a
    preposition, `TRIGGER` when it is the trigger's object, or `-`."""
    words, body = candidate.sentence.words, reader.body
    roles = reader.joining
    for j in range(party.word - 1, max(-1, party.word - 9), -1):
        word = words[j]
        if j == candidate.last - 1:
            return "TRIGGER"
        if word.text in _PREPOSITIONS:
            return word.text
        if word.text in roles or word.text in (",", "(", ")") or body[word.start:word.start + 1].isupper():
            continue
        return "-"
    return "-"


def day_features(reader: Reader, candidate: Candidate, day: Day, kind: str, days: list[Day]) -> list[str]:
    f = ["bias", f"kind={day.kind}", f"form={day.form}", f"kind={day.kind}&form={day.form}"]
    if day.kind == "sentence":
        f += [f"dist={_bucket(day.distance)}", f"side={'before' if day.distance < 0 else 'after'}"]
    published = reader.calendar.published
    if published is None:
        f.append("nopub")
    elif day.day.startswith("--"):
        f.append("noyear")
    else:
        delta = (published - _iso(day.day)).days
        f += [f"delta={_bucket(delta)}", f"kind={day.kind}&delta={_bucket(delta)}"]
    words = {w.text for w in candidate.sentence.words}
    for marker in words & (_PAST | {"akan", "kemarin", "hari", "ini", "pekan", "bulan", "tahun"}):
        f.append(f"m={marker}")
    written = [d for d in days if d.kind == "sentence"]
    f.append(f"nsentence={min(len(written), 2)}")
    if any(d.day == day.day for d in days if d is not day):
        f.append("agreed")
        f += [f"agreed={d.kind}" for d in days if d is not day and d.day == day.day]
    f.append(f"sentence={_bucket(candidate.sentence.number)}")
    f.append(f"t={kind}&kind={day.kind}")
    if any(e.date == day.day for e in candidate.rules):  # the day the hand-written reader gave it
        f += ["rule_day", f"rule_day&kind={day.kind}"]
    return f


def _iso(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@dataclass(slots=True)
class Facts:
    """What the calibration reads of one event."""

    p_type: float
    p_roles: float
    kind: str
    actors: list[dict]
    recipients: list[dict]
    day_from: str | None
    sentence: int
    rule_type: bool = False  # the hand-written reader read this type at this trigger
    rule_parties: bool = False  # ... and these actors and recipients


CALIBRATION_INPUTS = ("logit P(type)", "logit P(roles)", "undirected with one party", "directed with no recipient",
                      "dated by publication", "no date", "in the lede", "the rules read this type",
                      "the rules read these parties")


def calibration_inputs(facts: Facts) -> list[float]:
    """The calibration's inputs, named in CALIBRATION_INPUTS. (How often the article reports the
    same act, the sentence's place, the domain and the lexicon were tried as inputs too: on the
    held-out folds they did not help.)"""
    return [_logit(facts.p_type), _logit(facts.p_roles), float(facts.kind in UNDIRECTED and len(facts.actors) < 2),
            float(facts.kind not in UNDIRECTED and not facts.recipients),
            float(facts.day_from in ("published", "article")), float(facts.day_from is None),
            float(facts.sentence == 0), float(facts.rule_type), float(facts.rule_parties)]


@dataclass(frozen=True, slots=True)
class Calibration:
    """P(the event is right) = sigmoid(w . inputs + b): logistic calibration (Platt scaling with
    the shape of the event beside its scores), fitted on the cross-validation folds."""

    weights: tuple[float, ...] = (1.0, 1.0) + (0.0,) * (len(CALIBRATION_INPUTS) - 2)
    bias: float = 0.0

    def __call__(self, inputs: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, inputs))
        return 1 / (1 + math.exp(-max(min(z, 30), -30)))

    @classmethod
    def fit(cls, inputs: Sequence[Sequence[float]], right: Sequence[bool]) -> Calibration:
        from sklearn.linear_model import LogisticRegression

        if len(set(right)) < 2:
            return cls()
        fitted = LogisticRegression(C=1.0, max_iter=2000).fit(np.array(inputs), np.array(right, dtype=int))
        return cls(tuple(round(float(w), 5) for w in fitted.coef_[0]), round(float(fitted.intercept_[0]), 5))


# ---------------------------------------------------------------------- the models
@dataclass(slots=True)
class EventModels:
    vocabulary: frozenset[str]  # trigger keys of the annotated articles
    vocabulary_types: dict[str, str]  # key -> the type it was most often
    domain_model: LinearModel
    act_model: LinearModel  # NONE against any act
    type_model: LinearModel  # the 16 types, given an act
    role_model: LinearModel
    day_model: LinearModel
    calibration: Calibration
    cut: float  # events below this confidence are not kept
    trained_on: tuple[str, ...] = ()
    # The smallest type probability worth reading the parties of (a cut on work, not on quality).
    floor: float = 0.05
    # key -> (articles it was a trigger in, their types): the training articles' own counts, so that
    # an article's features can leave its own triggers out (see `examples`).
    own: dict[str, Counter] = field(default_factory=dict)

    def domain(self, reader: Reader) -> float:
        return self.domain_model.probability(domain_features(reader), "events")

    def type_probabilities(self, reader: Reader, candidate: Candidate, domain: float) -> np.ndarray:
        """P(NONE) and P(each type) in the order of TYPE_CLASSES: P(an act) from the act model,
        shared by all types (so what marks an act, whatever its type, is learnt from them all),
        times P(the type | an act)."""
        features = self.type_features(reader, candidate, domain)
        act = self.act_model.probability(features, "act")
        return np.concatenate(([1 - act], act * self.type_model.probabilities(features)))

    def type_features(self, reader: Reader, candidate: Candidate, domain: float,
                      exclude: Counter | None = None) -> list[str]:
        f = type_features(reader, candidate, domain)
        prior = self.vocabulary_types.get(candidate.key)
        if exclude is not None and candidate.key in exclude:
            prior = _majority(self.own.get(candidate.key, Counter()) - exclude[candidate.key])
        if prior:
            f += [f"vtype={prior}", f"vtype={prior}&lex={candidate.lexicon.type if candidate.lexicon else '-'}"]
        else:
            f.append("vtype=-")
        if "neg" in f:
            # A negated trigger (`tidak mengecam`) learns apart from the trigger itself: what the
            # word usually is says little of what its negation is (most are no act, some REJECT).
            f = [f"neg:{x}" if x.startswith(_LEXICAL) or "lex=" in x else x for x in f]
        return f

    def type_of(self, reader: Reader, candidate: Candidate, domain: float) -> tuple[str, float] | None:
        """The likeliest type and its probability, or None below `floor` (as most candidates are:
        the type model is not asked then). (Coding the second likeliest type too, for the
        calibration to weigh, was tried: no better on the folds.)"""
        features = self.type_features(reader, candidate, domain)
        act = self.act_model.probability(features, "act")
        if act < self.floor:
            return None
        p = self.type_model.probabilities(features)
        best = int(np.argmax(p))
        if act * p[best] < self.floor:
            return None
        return PLOVER_TYPES[best], float(act * p[best])

    def role_probabilities(self, reader: Reader, candidate: Candidate, kind: str) -> list[np.ndarray]:
        return [self.role_model.probabilities(role_features(reader, candidate, party, kind))
                for party in candidate.parties]

    def roles(self, reader: Reader, candidate: Candidate, kind: str
              ) -> tuple[list[dict], list[dict], float] | None:
        """(actors, recipients, the probability of that assignment) or None if no one acts."""
        if not candidate.parties:
            return None
        return assign_roles(candidate.parties, self.role_probabilities(reader, candidate, kind), kind)

    def day(self, reader: Reader, candidate: Candidate, kind: str, days: list[Day]) -> Day | None:
        """The day most likely to be the day of the act."""
        if not days:
            return None
        scores = [self.day_model.probability(day_features(reader, candidate, d, kind, days), "right") for d in days]
        return days[int(np.argmax(scores))]

    def confidence(self, inputs: Sequence[float]) -> float:
        return self.calibration(inputs)

    # -- files
    def to_json(self) -> dict:
        return {"format": 1, "vocabulary": dict(sorted(self.vocabulary_types.items())),
                "domain": self.domain_model, "act": self.act_model, "type": self.type_model, "role": self.role_model,
                "day": self.day_model,
                "calibration": {"weights": list(self.calibration.weights), "bias": self.calibration.bias},
                "cut": self.cut, "trained_on": list(self.trained_on)}

    @classmethod
    def from_json(cls, data: dict) -> EventModels:
        vocabulary = data["vocabulary"]
        return cls(frozenset(vocabulary), dict(vocabulary), LinearModel.from_json(data["domain"]),
                   LinearModel.from_json(data["act"]), LinearModel.from_json(data["type"]),
                   LinearModel.from_json(data["role"]),
                   LinearModel.from_json(data["day"]),
                   Calibration(tuple(data["calibration"]["weights"]), data["calibration"]["bias"]),
                   data["cut"], tuple(data["trained_on"]))


def assign_roles(parties: list[Party], probabilities: list[np.ndarray], kind: str
                 ) -> tuple[list[dict], list[dict], float] | None:
    """Each state or body the role it is most likely to have, where that is likely enough
    (ACTOR_MIN, RECIPIENT_MIN); with no actor so, the likeliest acting party (all the states a
    statement or a group stands for). The assignment's probability is that of its least likely
    part."""
    best: dict[str, tuple[float, float, dict]] = {}  # code -> (P actor, P recipient, its actor record)
    undirected = kind in UNDIRECTED
    for party, p in zip(parties, probabilities):
        for actor in party.actors:
            code = actor["country"]
            if not code:
                continue
            a, r, record = best.get(code, (0.0, 0.0, actor))
            best[code] = (max(a, float(p[1])), max(r, float(p[2])), record if a >= p[1] else actor)
    if not best:
        return None
    actors, recipients, chosen = [], [], []
    for code, (a, r, record) in best.items():
        if undirected:
            a = max(a, r)
            if a >= ACTOR_MIN:
                actors.append(record)
                chosen.append(a)
        elif a >= r and a >= ACTOR_MIN:
            actors.append(record)
            chosen.append(a)
        elif r > a and r >= RECIPIENT_MIN:
            recipients.append(record)
            chosen.append(r)
    if not actors:
        acting = [(max(p[1], p[2]) if undirected else p[1], party) for party, p in zip(parties, probabilities)
                  if party.codes]
        a, party = max(acting, key=lambda item: item[0])
        if a < 0.2:
            return None
        actors = [x for x in party.actors if x["country"]]
        recipients = [x for x in recipients if x["country"] not in party.codes]
        chosen.append(float(a))
    return actors, recipients, min(chosen)


def _majority(counts: Counter) -> str | None:
    counts = +counts
    return max(sorted(counts), key=lambda t: counts[t]) if counts else None


@lru_cache(maxsize=1)
def packaged_models() -> EventModels:
    """The models shipped in warta/data, read once per process."""
    return EventModels.from_json(packaged(MODEL_FILE))


# ---------------------------------------------------------------------- training data
@dataclass(slots=True)
class Annotated:
    """One annotated article, through the stages before events, with its gold record."""

    id: str
    article: object  # warta.article.Article
    gold: dict
    corpus: str  # indosum | clickid


def prepare(sources: Sequence, as_of) -> list:
    """Articles through every stage before events, as the events stage would get them, but with
    every sentence that has a party parsed (the trigger vocabulary that decides which are parsed
    at run time is what training is about to learn; the sentences it would pick are among these)."""
    from warta.article import Article
    from warta.parse import EVERY_WORD, parse_articles
    from warta.pipeline import STAGES, Options

    options = Options(as_of=as_of, time_limit=None)
    articles = [Article(source=source) for source in sources]
    for stage in STAGES:
        if stage.__name__ == "events":
            continue
        if stage.__name__ == "parse":
            parse_articles(articles, EVERY_WORD)
        elif batch := getattr(stage, "batch", None):
            batch(articles, options)
        else:
            for article in articles:
                stage(article, options)
    return articles


def trigger_heads(gold_events: list[dict]) -> list[tuple[str, str]]:
    """(key, type) of each gold event's trigger: its first word that is neither a light verb nor
    a stop word nor a name (`tidak akan melakukan pembicaraan` -> `bicara:noun`; in `memanggil
    diplomat India`, `memanggil`; in `Pemerintah Indonesia mengecam`, `mengecam`)."""
    from warta.events import trigger_key

    stop, light = indonesian_words(stop_only=True), event_light_words()
    out = []
    for event in gold_events:
        trigger = event.get("trigger", "")
        at_start = event.get("evidence", "").startswith(trigger)
        words = re.findall(r"\w+(?:[-’']\w+)*", trigger)
        for i, word in enumerate(words):
            lower = word.lower()
            if not lower.isalpha() or lower in stop or lower in light or len(lower) < 3:
                continue
            if word[0].isupper() and not (i == 0 and at_start):
                continue  # a name in the trigger phrase
            out.append((trigger_key(lower), event["type"]))
            break
    return out


def vocabulary_of(items: Sequence[Annotated]) -> dict[str, Counter]:
    """key -> Counter of types, over the triggers of `items`."""
    counts: dict[str, Counter] = {}
    for item in items:
        for key, kind in trigger_heads(item.gold.get("events", [])):
            counts.setdefault(key, Counter())[kind] += 1
    return counts


def _locate(body: str, text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Where `text` is in `body[start:end]`, space differences allowed."""
    end = len(body) if end is None else end
    at = body.find(text, start, end)
    if at >= 0:
        return at, at + len(text)
    parts = text.split()
    if not parts:
        return None
    found = re.compile(r"\s*".join(map(re.escape, parts))).search(body, start, end)
    return found.span() if found else None


@dataclass(slots=True)
class Examples:
    types: list[tuple[list[str], str]] = field(default_factory=list)
    roles: list[tuple[list[str], str]] = field(default_factory=list)
    days: list[tuple[list[str], str]] = field(default_factory=list)
    # For each type example of a word found by the vocabulary alone: its key and whether it is an act.
    vocabulary_words: list[tuple[str, bool]] = field(default_factory=list)
    aligned: int = 0  # gold events found at a candidate
    unaligned: int = 0  # gold events whose trigger no candidate covers


def examples(item: Annotated, models: EventModels, domain: float, as_of) -> Examples:
    """The labelled examples of one annotated article for the type, role and day models.

    A candidate that covers a gold event's trigger in its evidence sentence is that event's
    type (one candidate per event: a lexicon word of the gold type first); its parties are
    actor, recipient or neither by their codes in the gold event; its days are right when
    within the gold `date_slack` of the gold date. Other candidates are NONE, except where the
    article codes an event of the type the candidate's word usually has among parties of its
    sentence: an act told again, which the guide codes once, so neither a positive nor a
    negative. `models` gives the vocabulary (without this article's own triggers, for the
    `vtype` feature) and nothing else."""
    from warta.events import Reader

    reader = Reader(item.article, as_of)
    out = Examples()
    body = reader.body
    own = vocabulary_of([item])
    sentences = reader.sentences()
    candidates = {s.number: reader.candidates(s, models.vocabulary) for s in sentences}
    label: dict[int, tuple[str, list[dict]]] = {}  # id(candidate) -> (type, gold events)
    ignored: set[int] = set()
    by_id = {id(c): c for cs in candidates.values() for c in cs}
    gold_events = item.gold.get("events", [])
    for event in gold_events:
        evidence = _locate(body, event["evidence"])
        if evidence is None:
            out.unaligned += 1
            continue
        trigger = _locate(body, event["trigger"], *evidence) or _locate(body, event["trigger"])
        if trigger is None:
            out.unaligned += 1
            continue
        covering = [c for s in sentences if s.start < evidence[1] and evidence[0] < s.end for c in candidates[s.number]
                    if s.words[c.first].start < trigger[1] and s.words[c.last - 1].end > trigger[0]]
        if not covering:
            out.unaligned += 1
            continue
        out.aligned += 1
        chosen = min(covering, key=lambda c: (not (c.lexicon and c.lexicon.type == event["type"]), c.lexicon is None,
                                              c.first))
        kind, events = label.get(id(chosen), (event["type"], []))
        if kind == event["type"]:
            label[id(chosen)] = (kind, events + [event])
        ignored.update(id(c) for c in covering if c is not chosen)
    for s in sentences:
        codes = {code for p in reader.mention_parties(s, None) for code in p.codes}
        for candidate in candidates[s.number]:
            if id(candidate) in ignored and id(candidate) not in label:
                continue
            if candidate.lexicon is None and not +(models.own.get(candidate.key, Counter()) - own.get(candidate.key,
                                                                                                  Counter())):
                # A word that is in the vocabulary only by this article's own triggers would not be a
                # candidate in an article the models have not seen: as an example it would teach
                # that words of no known type are acts.
                continue
            features = models.type_features(reader, candidate, domain, exclude=own)
            if id(candidate) in label:
                out.types.append((features, label[id(candidate)][0]))
            else:
                usual = candidate.lexicon.type if candidate.lexicon else models.vocabulary_types.get(candidate.key)
                if any(e["type"] == usual and (set(e["actors"]) | set(e["recipients"])) & codes for e in gold_events):
                    continue
                out.types.append((features, NONE))
            if candidate.lexicon is None:
                out.vocabulary_words.append((candidate.key, out.types[-1][1] != NONE))
    for key, (kind, events) in label.items():
        candidate = by_id[key]
        actors = {c for e in events for c in e["actors"]}
        recipients = {c for e in events for c in e["recipients"]}
        if kind in UNDIRECTED:
            actors, recipients = actors | recipients, set()
        candidate.parties = reader.parties(candidate)
        for party in candidate.parties:
            role = "A" if party.codes & actors else "R" if party.codes & recipients else "N"
            out.roles.append((role_features(reader, candidate, party, kind), role))
        # A day is right within the gold slack. (Only the nearest of those was tried too, so that
        # the sentence's `Rabu` would be learnt over a publication day also within the slack: on
        # the held-out folds it lost 1.3 points of event F1.)
        days = reader.days(candidate, [])
        for day in days:
            right = any(_distance(day.day, e) is not None for e in events)
            out.days.append((day_features(reader, candidate, day, kind, days), "right" if right else "wrong"))
    return out


def _distance(day: str, event: dict) -> int | None:
    """Days between `day` and the gold event's date, if within its `date_slack` (the scorer's
    rule: a gold day with no year is compared in the other's year), else None."""
    gold = event.get("date")
    if not gold or not day:
        return None
    g, p = _parse_day(gold), _parse_day(day)
    if g is None or p is None:
        return None
    year = g[0] if g[0] is not None else (p[0] or 2000)
    other = p[0] if p[0] is not None else year
    try:
        distance = abs((dt.date(year, g[1], g[2]) - dt.date(other, p[1], p[2])).days)
    except ValueError:
        return None
    return distance if distance <= event.get("date_slack", 0) else None


def _parse_day(value: str) -> tuple | None:
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        return tuple(int(g) for g in match.groups())
    match = re.match(r"^--(\d{2})-(\d{2})", value)
    return (None, int(match.group(1)), int(match.group(2))) if match else None


# ---------------------------------------------------------------------- fitting
ACTOR_MIN, RECIPIENT_MIN = 0.5, 0.5
KEY_RATE = 0.02
ACT_C, TYPE_C, ROLE_C, DAY_C, DOMAIN_C = 4, 4, 0.05, 0.5, 0.5


def fit_domain(items: Sequence[Annotated], as_of) -> LinearModel:
    from warta.events import Reader

    data = [(domain_features(Reader(i.article, as_of)), "events" if i.gold.get("events") else "none") for i in items]
    return fit(data, ("none", "events"), c=DOMAIN_C)


def fit_models(items: Sequence[Annotated], as_of, domains: dict[str, float] | None = None) -> EventModels:
    """The domain, type, role and day models fitted on `items` (no calibration: see `train`).
    `domains` are the items' domain probabilities from models that did not see them; without
    it they are made by cross-fitting on `items` itself."""
    counts = vocabulary_of(items)
    vocabulary_types = {key: _majority(c) for key, c in counts.items()}
    domain_model = fit_domain(items, as_of)
    if domains is None:
        domains = cross_fitted_domains(items, as_of)
    models = EventModels(frozenset(counts), vocabulary_types, domain_model, None, None, None, None, Calibration(), 0.0,
                         tuple(sorted(i.id for i in items)), own=counts)
    collected = Examples()
    for item in items:
        found = examples(item, models, domains[item.id], as_of)
        collected.types += found.types
        collected.roles += found.roles
        collected.days += found.days
        collected.vocabulary_words += found.vocabulary_words
    # A root that was a trigger somewhere but is seldom one (`jadi`, `perintah` of `pemerintah`:
    # under KEY_RATE of its occurrences) is left out of the vocabulary: most candidates would be
    # such words, and they cost time (and the parse of their sentences) for few events.
    seen, acts = Counter(k for k, _ in collected.vocabulary_words), Counter(k for k, a in collected.vocabulary_words if a)
    models.vocabulary = frozenset(k for k in counts if k not in seen or acts[k] >= KEY_RATE * seen[k])
    models.vocabulary_types = {k: t for k, t in vocabulary_types.items() if k in models.vocabulary}
    models.act_model = fit([(f, "none" if label == NONE else "act") for f, label in collected.types], ("none", "act"),
                           c=ACT_C)
    models.type_model = fit([(f, label) for f, label in collected.types if label != NONE], PLOVER_TYPES, c=TYPE_C)
    models.role_model = fit(collected.roles, ROLE_CLASSES, c=ROLE_C)
    models.day_model = fit(collected.days, ("wrong", "right"), c=DAY_C)
    models.own = {}
    return models


def folds(items: Sequence[Annotated], k: int, salt: str = "") -> list[list[Annotated]]:
    """`k` folds of whole articles, the same for the same ids (by a hash of the id and `salt`)."""
    import hashlib

    out: list[list[Annotated]] = [[] for _ in range(k)]
    for item in sorted(items, key=lambda i: i.id):
        out[int(hashlib.sha1((salt + item.id).encode()).hexdigest(), 16) % k].append(item)
    return out


def cross_fitted_domains(items: Sequence[Annotated], as_of, k: int = 5) -> dict[str, float]:
    """Each item's domain probability from a domain model fitted on the other folds."""
    from warta.events import Reader

    out = {}
    parts = folds(items, k)
    for i, held in enumerate(parts):
        rest = [x for j, part in enumerate(parts) if j != i for x in part]
        model = fit_domain(rest, as_of)
        for item in held:
            out[item.id] = model.probability(domain_features(Reader(item.article, as_of)), "events")
    return out


# ---------------------------------------------------------------------- training
@dataclass(slots=True)
class Report:
    """What cross-validation measured: event F1 on the held-out folds at the chosen cut, and
    the calibration's pairs (confidence, right) for its reliability."""

    folds: int = 0
    cut: float = 0.0
    event: tuple[int, int, int] = (0, 0, 0)  # tp, fp, fn at the cut
    dyad: tuple[int, int, int] = (0, 0, 0)
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    aligned: int = 0
    unaligned: int = 0

    @staticmethod
    def f1(counts: tuple[int, int, int]) -> float:
        tp, fp, fn = counts
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def predicted(item: Annotated, models: EventModels, as_of, inputs: dict | None = None) -> list:
    from warta.events import read_events

    return read_events(item.article, as_of, models, inputs)


def train(items: Sequence[Annotated], as_of, scorer, k: int = 5, progress=None) -> tuple[EventModels, Report]:
    """Every model fitted on `items`, with the calibration and the cut from `k`-fold
    cross-validation by article; `scorer` is ../shared/eval/score.py (loaded by the caller),
    whose dyad matching says which held-out events are right."""
    parts = folds(items, k)
    report = Report(folds=k)
    held_out: list[tuple[Annotated, list, dict]] = []
    for i, held in enumerate(parts):
        rest = [x for j, part in enumerate(parts) if j != i for x in part]
        models = fit_models(rest, as_of)
        for item in held:
            inputs: dict[int, list[float]] = {}
            events = predicted(item, models, as_of, inputs)
            held_out.append((item, events, inputs))
        if progress:
            progress(i + 1, k)
    pairs = [(inputs[id(e)], is_right(scorer, item.gold, e)) for item, events, inputs in held_out for e in events]
    calibration = Calibration.fit([x for x, _ in pairs], [r for _, r in pairs])
    scored = [(item, [(e, calibration(inputs[id(e)])) for e in events]) for item, events, inputs in held_out]
    best = (-1.0, 0.5)
    for cut in [i / 100 for i in range(5, 96)]:
        counts = _counts(scorer, scored, cut, typed=True)
        best = max(best, (Report.f1(counts), -cut))
    report.cut = -best[1]
    report.event = _counts(scorer, scored, report.cut, typed=True)
    report.dyad = _counts(scorer, scored, report.cut, typed=False)
    report.confidences = [(c, is_right(scorer, item.gold, e)) for item, pairs_ in scored for e, c in pairs_
                          if c >= report.cut]
    final = fit_models(items, as_of)
    final.calibration, final.cut = calibration, report.cut
    for item in items:
        found = examples(item, final, 0.5, as_of)
        report.aligned += found.aligned
        report.unaligned += found.unaligned
    return final, report


def is_right(scorer, gold: dict, event) -> bool:
    """Whether every pair of the event matches a gold event (required or optional) on type,
    parties and day, as the scorer matches them."""
    golds = scorer.gold_dyads(gold)
    day = scorer.parse_day(event.date)
    keys = scorer.dyads(event.type, scorer.countries_of(event.actors), scorer.countries_of(event.recipients))
    return bool(keys) and all(any(scorer.dyad_matches(g, key, day, True) for g in golds) for key in keys)


def _counts(scorer, scored, cut: float, typed: bool) -> tuple[int, int, int]:
    ratio = scorer.Ratio()
    for item, pairs in scored:
        record = {"events": [e.to_record() for e, c in pairs if c >= cut]}
        scorer.score_events(item.gold, record, typed, ratio, [])
    return ratio.tp, ratio.fp, ratio.fn
