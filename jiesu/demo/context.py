"""What a demo step is given: the data folder, the demo password, lookups by code and a progress printer."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class DemoContext:
    out: TextIO
    data_dir: Path = DATA_DIR
    _tables: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    @property
    def password(self) -> str:
        return settings.DEMO_PASSWORD

    def progress(self, message: str) -> None:
        """One line of progress, e.g. ``ctx.progress("行政区划 78 个")``."""
        self.out.write(f"  · {message}\n")
        self.out.flush()

    def read_csv(self, name: str) -> list[dict[str, str]]:
        """Rows of a CSV file in the demo data folder (UTF-8, first line holds the column names)."""
        with (self.data_dir / name).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    def region(self, code: str) -> Any:
        from jiesu.org.models import Region

        return self._get(Region, "code", code)

    def unit(self, code: str) -> Any:
        from jiesu.org.models import Unit

        return self._get(Unit, "code", code)

    def user(self, username: str) -> Any:
        from jiesu.org.models import User

        return self._get(User, "username", username)

    def upsert(self, model: Any, key_field: str, key: str, values: dict[str, Any]) -> Any:
        """Create the row with ``key_field == key`` or bring it up to ``values``; saves only what changed.

        The model's rows are read once per run, so a step of a few hundred rows stays fast. ``save()`` is
        the model's own, so its rules (e.g. Unit.path) apply.
        """
        table = self._table(model, key_field)
        obj = table.get(key)
        if obj is None:
            obj = model._default_manager.create(**{key_field: key}, **values)
            table[key] = obj
        elif _differs(obj, values):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
        return obj

    def _table(self, model: Any, key_field: str) -> dict[str, Any]:
        name = (model.__name__, key_field)
        if name not in self._tables:
            self._tables[name] = {getattr(o, key_field): o for o in model._default_manager.all()}
        return self._tables[name]

    def _get(self, model: Any, key_field: str, value: str) -> Any:
        table = self._table(model, key_field)
        if value not in table:
            table[value] = model._default_manager.get(**{key_field: value})
        return table[value]


def _differs(obj: Any, values: dict[str, Any]) -> bool:
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            if getattr(obj, field.attname) != (value.pk if value is not None else None):
                return True
        elif getattr(obj, name) != value:
            return True
    return False
