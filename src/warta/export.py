"""Stored events in the shapes other event-data tools read.

plover   one JSON object per event, with the field names of the PLOVER JSON records: `event`,
         `mode`, `context`, `actor` and `recipient` lists, `date`, `event_text`, and how many
         articles and outlets report it.
gdelt    tab-separated, one row per dyad as in GDELT's event table (columns in GDELT_COLUMNS,
         each described in the README): a row id unique in the file, the event's own id, actor
         codes and names, the full CAMEO code where the trigger's mode names one
         (data/cameo_modes.tsv) else the PLOVER type's root (data/plover_cameo.tsv), the type's
         QuadClass and the Goldstein value of its root, the day, mentions, articles and outlets,
         the place (ActionGeo_*), a source URL.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from warta.resources import UNDIRECTED, cameo_code, plover_cameo

GDELT_COLUMNS = ("GlobalEventID", "WartaEventID", "Day", "Actor1Code", "Actor1Name", "Actor2Code", "Actor2Name",
                 "EventCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions", "NumSources",
                 "NumArticles", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
                 "SourceURL", "PloverType", "Confidence")
# GlobalEventID = the event's id times this, plus the dyad's number: one id per row, and each
# row's event still to be read off it.
DYADS_PER_EVENT = 1000


def plover_record(event: dict) -> dict:
    return {"id": f"warta-{event['id']}", "date": event["date"], "event": event["type"], "mode": event["mode"],
            "context": event["context"], "actor": event["actors"], "recipient": event["recipients"],
            "cameo": cameo_code(event["type"], event["mode"]), "date_precision": event["date_precision"],
            "confidence": event["confidence"],
            "location": event["location"], "event_text": event["evidence"], "num_articles": event["articles"],
            "num_outlets": event["outlets"], "urls": event["urls"], "article_ids": event["article_ids"]}


def dyads(event: dict) -> list[tuple[dict, dict | None]]:
    """(actor, recipient) pairs: each actor to each recipient; the parties of a meeting or an
    agreement pairwise; a lone actor with no one."""
    actors, recipients = event["actors"], event["recipients"]
    if recipients:
        return [(a, r) for a in actors for r in recipients]
    if event["type"] in UNDIRECTED and len(actors) > 1:
        return list(itertools.combinations(actors, 2))
    return [(a, None) for a in actors]


def _clean(value: object) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


def gdelt_rows(events: Iterable[dict]) -> Iterator[str]:
    codes = plover_cameo()
    yield "\t".join(GDELT_COLUMNS) + "\n"
    for event in events:
        cameo = codes[event["type"]]
        code = cameo_code(event["type"], event.get("mode"))
        day = event["date"] or ""
        # GDELT days are YYYYMMDD; `--MM-DD` has no year. A month or a year keeps its known digits.
        precision = event.get("date_precision") or "day"
        day = day.replace("-", "")[:{"day": 8, "month": 6, "year": 4}[precision]] if len(day) == 10 else ""
        place = event.get("location") or {}
        for number, (actor, recipient) in enumerate(dyads(event)[:DYADS_PER_EVENT]):
            row = (event["id"] * DYADS_PER_EVENT + number, event["id"], day, actor.get("country"), actor.get("name"),
                   recipient.get("country") if recipient else None, recipient.get("name") if recipient else None,
                   code, code[:2], cameo.quad_class, f"{cameo.intensity:g}", event["articles"],
                   event["outlets"], event["articles"], place.get("name"), place.get("country"),
                   place.get("lat"), place.get("lon"), event["urls"][0] if event["urls"] else None, event["type"],
                   "" if event.get("confidence") is None else f"{event['confidence']:.3f}")
            yield "\t".join(_clean(v) for v in row) + "\n"
