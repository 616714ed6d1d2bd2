"""Generate Warta's state and person dictionaries from CLDR, CountryInfo and PETRARCH2.

    python scripts/build_actors.py [--shared ../shared]

Writes, into src/warta/data/actors/:
    states.tsv    code, alpha-2, Indonesian and English CLDR names (babel), capital and major
                  cities (CountryInfo.120116.txt)
    persons.tsv   name, country, dated offices, full-name aliases, from the PETRARCH2 Phoenix
                  actor dictionaries (Phoenix.Countries / Phoenix.International), with office
                  titles taken from CountryInfo's <Leaders> and <Government> sections

Only facts are taken (names, codes, dates, office titles). What these sources lack or predate
is curated by hand in the same folder: states_extra.tsv, bodies.tsv, places.tsv, offices.tsv
and roles.tsv; warta.actordict reads all of them.
"""
from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "src" / "warta" / "data" / "actors"

# Office titles of CountryInfo mapped to Warta's role keys (the keys of roles.tsv). Checked in
# order: the first pattern that matches a title gives the role.
TITLE_ROLES = [
    (r"vice[- ]president", "vice_president"),
    (r"deputy prime minister|vice[- ]premier", "deputy_prime_minister"),
    (r"prime minister|premier|chairm[ae]n of the council of ministers", "prime_minister"),
    (r"\bpresident", "president"),
    (r"chancellor", "chancellor"),
    (r"\bking\b|\bqueen\b|emperor|sultan|\bemir\b|monarch", "monarch"),
    (r"general secretar|secretary[- ]general", "secretary_general"),
    (r"foreign (affairs|minister)|external affairs|secretary of state", "foreign_minister"),
    (r"defen[cs]e|armed forces", "defense_minister"),
    (r"interior|home affairs", "interior_minister"),
    (r"finance|treasury", "finance_minister"),
    (r"trade|commerce", "trade_minister"),
    (r"ambassador|permanent representative", "ambassador"),
    (r"minister", "minister"),
]

# PETRARCH2 IGO codes that are bodies of the record format.
IGO_CODES = {"IGOUNO": "UN", "IGONAT": "NATO", "IGOEUREEC": "EU", "IGOEUR": "EU", "IGOSEAASN": "ASEAN",
             "IGOWHO": "WHO", "IGOIMF": "IMF", "IGOWTO": "WTO", "IGOAFRAFU": "AU", "IGOOPC": "OPEC",
             "IGOMOSOIC": "OIC", "IGOARBARL": "ARAB_LEAGUE", "IGOGCC": "GCC"}

NOT_A_NAME = {"THE", "OF", "AND", "GOVERNMENT", "MINISTRY", "PARTY", "COUNCIL", "FORCES", "ARMY",
              "ASSOCIATION", "COMMITTEE", "COMMISSION", "UNION", "FRONT", "BANK", "COMPANY", "GROUP",
              "INC", "CORP", "LTD", "AGENCY", "FOUNDATION", "ORGANIZATION", "MOVEMENT", "COURT",
              "POLICE", "OFFICE", "INSTITUTE", "UNIVERSITY", "CENTER", "CENTRE", "NEWS", "TIMES"}


def name_of(token: str) -> str:
    """`VLADIMIR_PUTIN_` -> `Vladimir Putin`; `BAN_KI-MOON` -> `Ban Ki-moon`."""
    words = [w for w in token.strip().strip("_").split("_") if w]
    return " ".join("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")) if not re.fullmatch(r"[A-Z]\.", w)
                    else w for w in words).replace("Ki-Moon", "Ki-moon").replace("Jong-Un", "Jong-un")


def phoenix_date(text: str) -> str:
    """`080508` -> `2008-05-08`; `20121115` -> `2012-11-15`; two-digit years after 30 are 19xx."""
    if len(text) == 6:
        year = int(text[:2])
        text = ("19" if year > 30 else "20") + text
    if len(text) != 8 or not text.isdigit():
        return ""
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def parse_codes(text: str) -> list[tuple[str, str, str]]:
    """`[RUSGOV 991231-080507] [RUSELI]` -> [(code, start, end)]."""
    out = []
    for code, dates in re.findall(r"\[([A-Z]{3,})\s*([^\]]*)\]", text):
        dates = dates.strip()
        start = end = ""
        if dates.startswith(">"):
            start = phoenix_date(dates[1:].strip())
        elif dates.startswith("<"):
            end = phoenix_date(dates[1:].strip())
        elif "-" in dates:
            a, b = (d.strip() for d in dates.split("-", 1))
            start, end = phoenix_date(a), phoenix_date(b)
        out.append((code, start, end))
    return out


def phoenix_entries(path: Path):
    """(name, [alias], [(code, start, end)], comment) for each entry of a TABARI .actors file."""
    name, aliases, codes, comment = None, [], [], ""
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("+"):
            aliases.append(line[1:].split("#")[0].strip())
        elif line[0] in " \t":
            codes += parse_codes(line)
        else:
            if name:
                yield name, aliases, codes, comment
            head, _, comment = line.partition("#")
            first = head.split("[")[0].strip()
            name, aliases, codes = first, [], parse_codes(head)
    if name:
        yield name, aliases, codes, comment


# Words that make an alias a description (`President Vladimir Putin`) rather than a name.
TITLES = {"PRESIDENT", "PRESIDENT-ELECT", "MINISTER", "PRIME", "FOREIGN", "MR", "MR.", "MRS", "MRS.",
          "MS", "DR", "DR.", "AMBASSADOR", "SENATOR", "ADMINISTRATION", "SECRETARY", "GENERAL",
          "KING", "QUEEN", "PRINCE", "GOVERNOR", "CHAIRMAN", "LEADER", "DEPUTY", "VICE", "US", "U.S.",
          "UNITED", "STATES", "RUSSIAN", "AMERICAN", "CHINESE", "BRITISH", "FRENCH", "SPOKESMAN",
          "SECRETARY-GENERAL", "CHANCELLOR", "PREMIER", "GEN", "GEN.", "COL", "COL.", "SEN", "SEN."}


def looks_like_person(token: str) -> bool:
    words = [w for w in token.strip().strip("_").split("_") if w]
    return (2 <= len(words) <= 5 and not (NOT_A_NAME | TITLES) & set(words)
            and all(re.fullmatch(r"[A-Z][A-Z'.\-]*", w) for w in words))


def country_of(code: str) -> str | None:
    for prefix, body in sorted(IGO_CODES.items(), key=lambda kv: -len(kv[0])):
        if code.startswith(prefix):
            return body
    if code[:3] in {"IGO", "NGO", "MNC", "ELI", "GOV", "MIL", "UNR", "SPY", "REB", "OPP", "CVL"}:
        return None
    return ISO_CODES.get(code[:3], code[:3])


def countryinfo(path: Path):
    """States (alpha-3 -> alpha-2, capitals, cities) and office titles per person name."""
    entries, titles = {}, defaultdict(list)
    country, section, header = None, None, None
    for raw in path.read_text(encoding="latin-1").splitlines():
        line = raw.strip()
        if m := re.match(r"<CountryCode>(\w+)</CountryCode>", line):
            # Dependencies (Jersey) repeat their sovereign's code: keep the entry with most cities.
            country = m.group(1)
            entry = {"alpha2": "", "capitals": [], "cities": []}
            entries.setdefault(country, []).append(entry)
        elif country and (m := re.match(r"<ISO3166-alpha2>(\w+)</ISO3166-alpha2>", line)):
            entry["alpha2"] = m.group(1)
        elif line in ("<Capital>", "<MajorCities>", "<Leaders>", "<Government>"):
            section = line[1:-1]
        elif line.startswith("</") and line[2:-1] in ("Capital", "MajorCities", "Leaders", "Government"):
            section = None
        elif country and section in ("Capital", "MajorCities") and line and line[0] != "#":
            entry["capitals" if section == "Capital" else "cities"].append(name_of(line.split()[0]))
        elif country and section == "Leaders" and line:
            if line.startswith("<") and not line.startswith("</") and "[" not in line:
                header = line[1:-1]
            elif "[" in line and header:
                names = re.findall(r"\{([^}]*)\}", line) or [line.split()[0]]
                for span in re.findall(r"\[(\d{8}|>\d{8}|<\d{8})?\s*-?\s*(\d{8})?\]", line)[:1]:
                    start, end = span
                    titles[names[0].strip("_")].append(
                        (country, header, phoenix_date(start.strip("<>")), phoenix_date(end)))
        elif country and section == "Government" and "#" in line and not line.startswith("#"):
            head, _, title = line.partition("#")
            parts = [t.strip() for t in title.split("&")]
            for i, (_, start, end) in enumerate(parse_codes(head)):
                part = parts[i] if len(parts) > i else parts[0]
                titles[head.split()[0].strip("_")].append((country, part, start, end))
    states = {code: max(found, key=lambda e: len(e["cities"]) + len(e["capitals"]))
              for code, found in entries.items()}
    return states, titles


def role_of(title: str) -> str | None:
    title = title.lower()
    for pattern, role in TITLE_ROLES:
        if re.search(pattern, title):
            return role
    return None


# CountryInfo gives these states another state's ISO alpha-2 code (Israel as Iceland's IS,
# Myanmar as Mozambique's MZ, Guinea as Papua New Guinea's PG), or none (Serbia, filed as Serbia
# and Montenegro); the CLDR names follow that code.
ALPHA2_FIXES = {"ISR": "IL", "MMR": "MM", "GIN": "GN", "SRB": "RS"}
# CountryInfo's and PETRARCH2's codes (CAMEO's) that are not the ISO alpha-3 code of the state.
# (CountryInfo's own ISO3166-alpha3 field cannot be used for this: it is wrong as often as its
# alpha-2 codes, Guatemala as GLP, Japan as JON.)
ISO_CODES = {"TMP": "TLS"}


def build_states(shared: Path) -> None:
    states, _ = countryinfo(shared / "data/dictionaries/countryinfo/CountryInfo.120116.txt")
    for code, alpha2 in ALPHA2_FIXES.items():
        states[code]["alpha2"] = alpha2
    indonesian, english = Locale("id").territories, Locale("en").territories
    rows, seen = [], {}
    for code, info in sorted(states.items(), key=lambda item: ISO_CODES.get(item[0], item[0])):
        alpha2 = info["alpha2"]
        code = ISO_CODES.get(code, code)
        if not re.fullmatch(r"[A-Z]{3}", code) or not re.fullmatch(r"[A-Z]{2}", alpha2):
            continue
        names = [indonesian.get(alpha2), english.get(alpha2),
                 indonesian.get(f"{alpha2}-alt-short"), english.get(f"{alpha2}-alt-short")]
        names = [re.sub(r"\s*\(.*\)$", "", n) for n in names if n]
        if alpha2 in seen:
            raise SystemExit(f"CountryInfo gives {code} the alpha-2 code {alpha2} of {seen[alpha2]}; "
                             "add the right code to ALPHA2_FIXES")
        seen[alpha2] = code
        rows.append([code, alpha2, "|".join(dict.fromkeys(names)),
                     "|".join(dict.fromkeys(info["capitals"])), "|".join(dict.fromkeys(info["cities"]))])
    with open(OUT / "states.tsv", "w", encoding="utf-8") as out:
        out.write("# generated by scripts/build_actors.py from CLDR (babel) and CountryInfo.120116.txt\n")
        out.write("# code\talpha2\tnames\tcapitals\tcities\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"states.tsv: {len(rows)} states")


def build_persons(shared: Path) -> None:
    _, titles = countryinfo(shared / "data/dictionaries/countryinfo/CountryInfo.120116.txt")
    petrarch = shared / "data/dictionaries/petrarch2"
    persons = {}
    for file in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt"):
        for token, aliases, codes, comment in phoenix_entries(petrarch / file):
            dated = [c for c in codes if c[1] or c[2]]
            if not looks_like_person(token) or not codes:
                continue
            # The International file is mostly organisations: keep only its people with dates.
            if file.startswith("Phoenix.International") and not (dated or "rulers" in comment):
                continue
            name = name_of(token)
            offices = []
            for code, start, end in codes:
                country = country_of(code)
                if country:
                    offices.append((code, country, start, end))
            if not offices:
                continue
            key = token.strip("_")
            for country, title, start, end in titles.get(key, []):
                role = role_of(title)
                if role:
                    offices.append((role, ISO_CODES.get(country, country), start, end))
            person = persons.setdefault(name, {"aliases": set(), "offices": []})
            person["aliases"] |= {name_of(a) for a in aliases if looks_like_person(a)} - {name}
            person["offices"] += [o for o in offices if o not in person["offices"]]
    with open(OUT / "persons.tsv", "w", encoding="utf-8") as out:
        out.write("# generated by scripts/build_actors.py from the PETRARCH2 Phoenix actor dictionaries\n")
        out.write("# and CountryInfo.120116.txt office titles\n")
        out.write("# name\tcountry\toffices (role-or-code:country:start:end;...)\taliases\n")
        for name, person in sorted(persons.items()):
            dated = sorted(person["offices"], key=lambda o: (o[3] or "9999", o[2]))
            country = dated[-1][1]
            offices = ";".join(":".join(o) for o in dated)
            out.write(f"{name}\t{country}\t{offices}\t{'|'.join(sorted(person['aliases']))}\n")
    print(f"persons.tsv: {len(persons)} persons")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    build_states(args.shared)
    build_persons(args.shared)


if __name__ == "__main__":
    main()
