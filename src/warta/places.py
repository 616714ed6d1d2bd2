"""Places on the map: a place as the text names it -> latitude, longitude and country, offline.

The gazetteer (data/places/gazetteer.tsv.gz, built by scripts/build_places.py from GeoNames and
Natural Earth) holds every city of 15,000 people or more, with the Latin spellings GeoNames
knows for the big ones (`Jenewa`, `Moskow`, `Beijing`), and one point per state.

Resolving is deliberately narrow, because a wrong dot on a map is worse than none:
- a name is looked up whole (`Phnom Penh`), then by its last words (`Istana Bogor` -> Bogor,
  `Kota New York` -> New York), each capitalised;
- where the mention has a country (the actor dictionary's), only that country's cities count,
  and a place that is none of them stands at its state's point, at `country` precision;
- where it has none, the most populous city of that name wins.
"""
from __future__ import annotations

import gzip
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from warta.resources import DataFileError, data_lines

# The map's plane: equirectangular, one unit per degree, north up. The dashboard's SVG draws
# the outlines of data/places/world.tsv and the events' dots in it.
MAP_TOP, MAP_BOTTOM = 84.0, -58.0  # what the map shows: Antarctica and the far Arctic left off
MAP_WIDTH, MAP_HEIGHT = 360.0, MAP_TOP - MAP_BOTTOM  # the SVG's viewBox


def project(lat: float, lon: float) -> tuple[float, float]:
    return lon + 180.0, MAP_TOP - lat


@dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str  # GeoNames' name (the record keeps the text's own spelling beside it)
    kind: str  # city | country
    country: str  # ISO 3166-1 alpha-3
    lat: float
    lon: float
    population: int


def fold(name: str) -> str:
    """Case, accents and punctuation left off: `Den Haag`, `DEN HAAG`, `Dén-Haag` meet."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


class Gazetteer:
    def __init__(self, places: list[tuple[Place, list[str]]]):
        self.cities: dict[str, list[Place]] = {}
        self.states: dict[str, Place] = {}
        for place, names in places:
            if place.kind == "country":
                self.states[place.country] = place
                continue
            for key in dict.fromkeys(fold(n) for n in names):
                self.cities.setdefault(key, []).append(place)
        for candidates in self.cities.values():
            candidates.sort(key=lambda p: (-p.population, p.geonameid))

    def state(self, code: str | None) -> Place | None:
        return self.states.get(code) if code else None

    def city(self, name: str, country: str | None = None) -> Place | None:
        for candidate in self.cities.get(fold(name), ()):
            if country is None or candidate.country == country:
                return candidate
        return None

    def find(self, name: str, country: str | None = None) -> Place | None:
        """The place `name` stands for, in `country` where that is known (a state's code);
        None where the gazetteer cannot tell."""
        words = name.split()
        for first in range(len(words)):  # the whole name, then its last words
            # a place name is capitalised: `kedua negara` is no town called Negara
            if words[first][:1].isupper() and (place := self.city(" ".join(words[first:]), country)):
                return place
        return self.state(country)


def _read(text: str) -> list[tuple[Place, list[str]]]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        try:
            geonameid, kind, country, lat, lon, population, names = cells
            place = Place(int(geonameid), names.split("|")[0], kind, country, float(lat), float(lon), int(population))
        except ValueError:
            raise DataFileError(f"places/gazetteer.tsv.gz:{number}: expected 7 columns "
                                "(geonameid, kind, country, latitude, longitude, population, names)") from None
        rows.append((place, names.split("|")))
    return rows


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    raw = resources.files("warta").joinpath("data", "places", "gazetteer.tsv.gz").read_bytes()
    return Gazetteer(_read(gzip.decompress(raw).decode("utf-8")))


def locate(name: str, country: str | None) -> dict | None:
    """The coordinates of a place the text names, as the record's location keys add them:
    the name as written, the country, latitude, longitude, GeoNames id, precision (`city`, or
    `country` where only the state is known) and the gazetteer's own name of the place."""
    place = gazetteer().find(name, country)
    if place is None:
        return None
    return {"name": name, "country": place.country, "lat": place.lat, "lon": place.lon,
            "geonameid": place.geonameid, "precision": place.kind, "place": place.name}


@lru_cache(maxsize=1)
def world_outlines() -> tuple[tuple[str, str, str], ...]:
    """(code, name, SVG path) of each state's outline, in the plane of `project`."""
    outlines = []
    for number, line in data_lines("places/world.tsv"):
        cells = line.split("\t")
        if len(cells) != 3:
            raise DataFileError(f"places/world.tsv:{number}: expected code, name, path")
        outlines.append((cells[0], cells[1], cells[2]))
    return tuple(outlines)
