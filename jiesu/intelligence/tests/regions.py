"""The demo city's regions (四平市, from jiesu/demo/data) as a fixture for place and suggestion tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jiesu.intelligence import places
from jiesu.org.models import Region, RegionAlias

REGIONS_CSV = Path(__file__).resolve().parents[2] / "demo" / "data" / "siping_regions.csv"


def load_demo_regions() -> dict[str, Region]:
    by_code: dict[str, Region] = {}
    with REGIONS_CSV.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            region = Region.objects.create(code=row["code"], name=row["name"], level=int(row["level"]),
                                           parent=by_code.get(row["parent"]))
            by_code[region.code] = region
            RegionAlias.objects.bulk_create(
                [RegionAlias(region=region, alias=a) for a in row["aliases"].split("|") if a])
    places.clear_cache()
    return by_code


@pytest.fixture
def siping(db) -> dict[str, Region]:  # type: ignore[no-untyped-def]
    return load_demo_regions()
