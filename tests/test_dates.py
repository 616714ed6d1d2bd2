import datetime as dt

import pytest

from warta.dates import (
    find_dates,
    infer_year,
    is_date_line,
    normalize_given_date,
    to_iso,
)


@pytest.mark.parametrize("text, expected", [
    ("05 November 2020, 10:55 WIB", (2020, 11, 5, None, 10, 55, 7)),
    ("Kamis (5/11/2020)", (2020, 11, 5, 3, None, None, None)),
    ("pada Kamis, 16 Mei 2024.", (2024, 5, 16, 3, None, None, None)),
    ("Senin (19/9) memimpin", (None, 9, 19, 0, None, None, None)),
    ("pada Jumat (5/8).", (None, 8, 5, 4, None, None, None)),
    ("pada 15 September 2022", (2022, 9, 15, None, None, None, None)),
    ("pada 15 Desember lalu", (None, 12, 15, None, None, None, None)),
    ("pada 15-16 September", (None, 9, 15, None, None, None, None)),
    ("mengatakan pada Hari Jumat.", (None, None, None, 4, None, None, None)),
    ("Rabu, 12 Nopember 2014 pukul 09.30 WITA", (2014, 11, 12, 2, 9, 30, 8)),
    ("2024-05-16T10:00", (2024, 5, 16, None, 10, 0, None)),
])
def test_seed_date_forms(text, expected):
    [mention] = find_dates(text)
    got = (mention.year, mention.month, mention.day, mention.weekday, mention.hour, mention.minute, mention.zone)
    assert got == expected
    assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize("text, span, weekday", [
    ("pada Kamis, 16 Mei 2024.", "Kamis, 16 Mei 2024", 3),  # the weekday before a day is part of it
    ("pada Kamis 16 Mei lalu.", "Kamis 16 Mei lalu", 3),
    ("mengatakan pada Hari Jumat.", "pada Hari Jumat", 4),  # and `pada hari` before a weekday
    ("Kamis dan 16 Mei 2024", "16 Mei 2024", None),  # a word between: not the date's weekday
    ("KamisX, 16 Mei 2024", "16 Mei 2024", None),  # not a weekday, only ends like one
    ("Senin16 Mei 2024", None, None),  # no boundary before the day: no date at all
])
def test_what_stands_before_a_date_is_taken_in_only_when_it_belongs_to_it(text, span, weekday):
    full = [m for m in find_dates(text) if m.day == 16 or m.weekday == 4]
    assert [m.text for m in full] == ([span] if span else [])
    assert all(m.weekday == weekday for m in full) and all(text[m.start:m.end] == m.text for m in full)


def test_impossible_dates_are_not_dates():
    # 31 February 2020 is no day; what is left is a day-month with no year, as in `31 Februari lalu`
    [mention] = find_dates("31 Februari 2020")
    assert (mention.year, mention.month, mention.day) == (None, 2, 31) and to_iso(mention) is None


def test_to_iso_with_zone_and_day_only():
    [stamp] = find_dates("05 November 2020, 10:55 WIB")
    assert to_iso(stamp) == "2020-11-05T10:55:00+07:00"
    [day] = find_dates("15 September 2022")
    assert to_iso(day) == "2022-09-15"
    [partial] = find_dates("Senin (19/9)")
    assert to_iso(partial) is None


@pytest.mark.parametrize("month, day, weekday, as_of, year", [
    (9, 19, 0, dt.date(2022, 12, 31), 2022),  # Senin (19/9) in a 2022 article
    (8, 5, 4, dt.date(2023, 1, 1), 2022),  # Jumat (5/8)
    (8, 5, 4, dt.date(2022, 8, 4), 2016),  # not after as_of: the Friday before is 2016
    (2, 29, 3, dt.date(2024, 12, 31), 2024),
])
def test_infer_year_from_weekday(month, day, weekday, as_of, year):
    assert infer_year(month, day, weekday, as_of) == year


@pytest.mark.parametrize("line, expected", [
    ("05 November 2020, 10:55 WIB", True), ("Kamis, 16 Mei 2024", True),
    ("Tiongkok dan Rusia Perluas Koordinasi Militer", False),
    ("Pertemuan itu berlangsung pada 15 Desember 2021 di Beijing dan membahas keamanan kawasan.", False),
])
def test_is_date_line(line, expected):
    assert is_date_line(line) is expected


@pytest.mark.parametrize("given, expected", [
    ("2017-03-28", "2017-03-28"), ("2024-02-07T09:30:00+07:00", "2024-02-07T09:30:00+07:00"),
    ("2024-03-14T08:00:00Z", "2024-03-14T08:00:00+00:00"), ("Kamis, 16 Mei 2024", "2024-05-16"),
    ("Thu, 16 May 2024 10:00:00 GMT", "2024-05-16T10:00:00+00:00"), ("", None), (None, None),
])
def test_normalize_given_date(given, expected):
    assert normalize_given_date(given) == expected


@pytest.mark.parametrize("text, found", [
    ("bertemu di Hanoi pada Februari 2019.", [("Februari 2019", 2019, 2, None, 0)]),
    ("kesepakatan nuklir pada 2015 dengan Iran", [("pada 2015", 2015, None, None, 0)]),
    ("sejak Juni tahun lalu", [("Juni tahun lalu", None, 6, "year", 1)]),
    ("Mei lalu", [("Mei lalu", None, 5, "named_month", 0)]),
    ("dua bulan lalu", [("dua bulan lalu", None, None, "month", 2)]),
    ("tahun ini", [("tahun ini", None, None, "year", 0)]),
    # a day is a day, not its month; a bare number is no year; nor is a range of them
    ("pada 15 Desember 2019", []), ("Agenda 2030", []), ("pada 2015-2016", []),
])
def test_months_and_years_without_a_day(text, found):
    from warta.dates import find_periods

    assert [(m.text, m.year, m.month, m.unit, m.back) for m in find_periods(text)] == found
