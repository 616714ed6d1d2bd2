"""Find date expressions in Indonesian news text and resolve them to calendar days.

dateparser reads whole date strings well but is slow (~1 ms a call) and misses the forms
Indonesian news leans on: `Senin (19/9)`, `Jumat (5/8)`, `15 Desember lalu`, `pada Hari
Jumat`. So this module finds the expressions itself, with offsets, and keeps dateparser as
the fallback for a whole date string given by an input (a JSONL `published`, a WARC date).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from warta.spans import Spans

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
# Indonesian time zones (and the two others that wire copy uses), in hours east of UTC.
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "GMT": 0, "UTC": 0}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
_ZONE = "|".join(sorted(ZONES, key=len, reverse=True))
# A weekday's first letter, checked before the word boundary: the cheap test `re` can reject most
# positions with, before it tries the alternation of names.
_WEEKDAY_FIRST = "(?=[" + "".join(sorted({name[0] for name in WEEKDAYS})) + "])"
_TIME = (rf"(?:pukul\s+)?(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)(?:[:.][0-5]\d)?"
         rf"(?:\s*(?P<zone>{_ZONE})\b)?")

# Order matters: earlier patterns win where two overlap. None begins with an optional part:
# `re` tries a pattern at every position of the text, and an optional weekday in front made
# each try slow (find_dates was a sixth of the pipeline). The weekday before a day, and the
# `pada`/`hari` before a weekday, are looked for behind a match instead (`_extended`).
_PATTERNS = [
    # 05 November 2020, 10:55 WIB / Kamis, 16 Mei 2024 / 15 September 2022
    re.compile(
        rf"\b(?P<day>[0-3]?\d)(?:\s*-\s*[0-3]?\d)?\s+"
        rf"(?P<month>{_MONTH})\.?\s+(?P<year>(?:19|20)\d\d)\b(?:\s*[,|/-]?\s*{_TIME})?",
        re.IGNORECASE),
    # Kamis (5/11/2020) / Senin (19/9) / Jumat (5/8)
    re.compile(
        rf"{_WEEKDAY_FIRST}\b(?P<weekday>{_WEEKDAY})\s*\(\s*(?P<day>[0-3]?\d)\s*/\s*(?P<monthnum>[01]?\d)"
        rf"(?:\s*/\s*(?P<year>(?:19|20)?\d\d))?\s*\)",
        re.IGNORECASE),
    # 2020-11-05, 2020-11-05T10:55
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"
               r"(?:[T ](?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d))?"),
    # 5/11/2020
    re.compile(r"\b(?P<day>[0-3]?\d)/(?P<monthnum>[01]?\d)/(?P<year>(?:19|20)\d\d)\b"),
    # 15 Desember lalu / 15 Desember (no year)
    re.compile(rf"\b(?P<day>[0-3]?\d)(?:\s*-\s*[0-3]?\d)?\s+"
               rf"(?P<month>{_MONTH})\b\.?(?:\s+(?P<relation>lalu|silam|mendatang|nanti))?",
               re.IGNORECASE),
    # pada Hari Jumat / Jumat lalu / Senin (weekday alone: relative to the article's date)
    re.compile(rf"{_WEEKDAY_FIRST}\b(?P<weekday>{_WEEKDAY})\b(?:\s+(?P<relation>lalu|kemarin))?",
               re.IGNORECASE),
]
# What may stand just before a match of the pattern at the same index: `Kamis, ` before a day,
# `pada hari ` before a weekday. Searched for in a short window that must end where the match starts.
_WEEKDAY_BEFORE = re.compile(rf"\b(?P<weekday>{_WEEKDAY})\s*,?\s*\Z", re.IGNORECASE)
_BEFORE = [_WEEKDAY_BEFORE, None, None, None, _WEEKDAY_BEFORE,
           re.compile(r"(?:\bpada\s+)?(?:\bhari\s+)?\Z", re.IGNORECASE)]
_WINDOW = 40  # characters behind a match where its prefix may start


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in text. Fields the text does not give are None."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # Monday = 0
    hour: int | None = None
    minute: int | None = None
    zone: int | None = None  # hours east of UTC

    @property
    def is_full(self) -> bool:
        return None not in (self.year, self.month, self.day)


def _extended(text: str, match: re.Match[str], before: re.Pattern[str] | None) -> tuple[int, dict[str, str | None]]:
    """Where a match starts once what stands before it is taken in, and its groups with that part's."""
    groups = match.groupdict()
    if before is not None:
        found = before.search(text, max(0, match.start() - _WINDOW), match.start())
        if found is not None and found.start() < match.start():
            groups.update({k: v for k, v in found.groupdict().items() if v is not None})
            return found.start(), groups
    return match.start(), groups


def _mention(text: str, start: int, end: int, groups: dict[str, str | None]) -> DateMention | None:
    month = MONTHS[groups["month"].lower()] if groups.get("month") else (
        int(groups["monthnum"]) if groups.get("monthnum") else None)
    day = int(groups["day"]) if groups.get("day") else None
    year = groups.get("year")
    if year is not None:
        year = int(year) + (2000 if len(year) == 2 else 0)
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    if year is not None and month is not None and day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
    weekday = WEEKDAYS[groups["weekday"].lower()] if groups.get("weekday") else None
    zone = groups.get("zone")
    return DateMention(
        start=start, end=end, text=text[start:end],
        year=year, month=month, day=day, weekday=weekday,
        hour=int(groups["hour"]) if groups.get("hour") else None,
        minute=int(groups["minute"]) if groups.get("minute") else None,
        zone=ZONES[zone.upper()] if zone else None,
    )


def find_dates(text: str) -> list[DateMention]:
    """Every date expression in `text`, left to right, none overlapping another."""
    return list(_find_dates(text))


@lru_cache(maxsize=8)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    """`find_dates`, remembered for the last few texts: the stages after `meta` read the dates of
    the same body several times (the calendar of the events stage, its rules, the periods)."""
    taken = Spans()
    found: list[DateMention] = []
    for pattern, before in zip(_PATTERNS, _BEFORE):
        for match in pattern.finditer(text):
            begin, groups = _extended(text, match, before)
            if taken.overlaps(begin, match.end()):
                continue
            mention = _mention(text, begin, match.end(), groups)
            if mention is not None:
                taken.add(mention.start, mention.end)
                found.append(mention)
    return tuple(sorted(found, key=lambda m: m.start))


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A month or a year the text names without a day: `Februari 2019`, `pada 2015`, `Mei lalu`,
    `tahun lalu`, `dua bulan lalu`, `Juni tahun lalu`. `year` and `month` are as written; for
    the forms relative to the article's day, `back` counts the months (`unit` month) or years
    (`unit` year) before it, and `unit` named_month is the last such month before it (`Mei lalu`)."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    unit: str | None = None  # for a relative form: month | year
    back: int = 0


_NUMBERS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
            "sembilan": 9, "sepuluh": 10, "sebelas": 11, "dua belas": 12}
_COUNT = "|".join(sorted(_NUMBERS, key=len, reverse=True))
# The first letters each pattern can start with, looked for first: `re` tries a pattern at every
# position, and the alternation of month names is slow to fail.
_MONTH_FIRST = "(?=[" + "".join(sorted({c for name in MONTHS for c in (name[0], name[0].upper())})) + "])"
_PERIODS = [
    # Juni tahun lalu: the month in the year before the article's
    re.compile(rf"{_MONTH_FIRST}\b(?P<month>{_MONTH})\s+(?P<unit>tahun)\s+(?P<relation>lalu|kemarin)\b", re.IGNORECASE),
    # Februari 2019 / pada Juni 2018 / akhir Mei 2017
    re.compile(rf"{_MONTH_FIRST}\b(?P<month>{_MONTH})\.?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    # pada 2015 / tahun 2015 / sejak 2013 / hingga 2030 (a bare number needs such a word before it)
    re.compile(r"(?=[pPtTsShHaAmM])\b(?:pada|tahun|sejak|hingga|sampai|akhir|awal|pertengahan|medio|selama)\s+"
               r"(?:tahun\s+)?(?P<year>(?:19|20)\d\d)\b(?!\s*[-/.]\d)", re.IGNORECASE),
    # Mei lalu / Juni silam / Februari kemarin
    re.compile(rf"{_MONTH_FIRST}\b(?P<month>{_MONTH})\s+(?P<relation>lalu|silam|kemarin)\b", re.IGNORECASE),
    # tahun lalu / bulan lalu / tahun ini / bulan ini / dua tahun lalu / 3 bulan yang lalu
    re.compile(rf"(?=[\dsSdDtTeElLsSbBdD])\b(?:(?P<count>\d{{1,2}}|{_COUNT})\s+)?(?P<unit>tahun|bulan)\s+(?:yang\s+)?"
               rf"(?P<relation>lalu|silam|kemarin|ini)\b", re.IGNORECASE),
]


def find_periods(text: str) -> list[PeriodMention]:
    """Every month or year named without a day in `text`, left to right; none overlaps another
    nor a date of `find_dates` (`15 Desember 2019` is a day, not the month December 2019)."""
    taken = [(m.start, m.end) for m in find_dates(text)]
    found: list[PeriodMention] = []
    for pattern in _PERIODS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            groups = match.groupdict()
            month = MONTHS[groups["month"].lower()] if groups.get("month") else None
            year = int(groups["year"]) if groups.get("year") else None
            unit, back = None, 0
            if groups.get("unit"):
                unit = "year" if groups["unit"].lower() == "tahun" else "month"
                count = groups.get("count")
                back = 0 if groups["relation"].lower() == "ini" else \
                    int(count) if count and count.isdigit() else _NUMBERS.get((count or "satu").lower(), 1)
            elif groups.get("relation"):
                unit = "named_month"  # `Mei lalu`: the last May before the article's day
            taken.append(match.span())
            found.append(PeriodMention(match.start(), match.end(), match.group(), year, month, unit, back))
    return sorted(found, key=lambda m: m.start)


def is_date_line(line: str) -> bool:
    """True for a line that is only a time stamp, such as `05 November 2020, 10:55 WIB`."""
    stripped = line.strip()
    if not stripped or len(stripped) > 60:
        return False
    # A full date, or a weekday with day and month (`Senin (19/9) 10:55 WIB`).
    covered = sum(m.end - m.start for m in find_dates(stripped)
                  if m.is_full or (m.weekday is not None and m.month and m.day))
    letters_left = len(re.sub(r"[\W\d_]", "", stripped)) - covered
    return covered > 0 and covered >= 0.7 * len(stripped) and letters_left < 12


def infer_year(month: int, day: int, weekday: int, as_of: dt.date, span: int = 14) -> int | None:
    """The latest year, not after `as_of`, in which day-month falls on `weekday`."""
    for year in range(as_of.year, as_of.year - span, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:  # 29 February
            continue
        if candidate <= as_of and candidate.weekday() == weekday:
            return year
    return None


def to_iso(mention: DateMention) -> str | None:
    """ISO 8601 for a full date: with time and offset when the text gives them."""
    if not mention.is_full:
        return None
    day = dt.date(mention.year, mention.month, mention.day)
    if mention.hour is None:
        return day.isoformat()
    moment = dt.datetime(day.year, day.month, day.day, mention.hour, mention.minute or 0)
    if mention.zone is not None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=mention.zone)))
    return moment.isoformat()


@lru_cache(maxsize=1)
def _dateparser():
    import dateparser  # ~0.5 s to import: only paid when a given date string needs it

    return dateparser


def normalize_given_date(value: object) -> str | None:
    """ISO 8601 for a date an input gave (JSONL `published`, WARC-Date, HTML metadata)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text).isoformat()
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    full = [m for m in find_dates(text) if m.is_full]
    if full:
        return to_iso(full[0])
    parsed = _dateparser().parse(text, languages=["id", "en"], settings={"DATE_ORDER": "DMY"})
    return parsed.isoformat() if parsed else None
