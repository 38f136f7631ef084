"""A small knowledge base: the centre (publishes), the civil-affairs bureau (writes), an operator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jiesu.knowledge import services
from jiesu.knowledge.models import ArticleVersion
from jiesu.org.models import Region, Unit, User
from jiesu.org.tests.factories import RegionFactory, UnitFactory, UserFactory


@dataclass
class KB:
    centre: Unit
    civil: Unit
    heating: Unit
    city: Region
    district: Region
    editor: User
    heating_editor: User
    publisher: User
    operator: User

    def draft(self, unit: Unit | None = None, author: User | None = None, **fields: Any) -> ArticleVersion:
        values = {"kind": "policy", "title": "城市低保标准", "body_html": "<p>四平市城市低保标准为每人每月710元。</p>"}
        values.update(fields)
        unit = unit or self.civil
        author = author or (self.heating_editor if unit == self.heating else self.editor)
        return services.create_draft(author, unit=unit, **values)

    def published(self, **fields: Any) -> ArticleVersion:
        version = self.draft(**fields)
        services.submit(self.editor if version.article.unit == self.civil else self.heating_editor, version)
        return services.publish(self.publisher, version)


@pytest.fixture
def kb(db) -> KB:  # type: ignore[no-untyped-def]
    centre = UnitFactory(code="centre", name="热线中心", kind=Unit.Kind.CENTRE)
    civil = UnitFactory(code="civil", name="民政局")
    heating = UnitFactory(code="heating", name="供热公司", kind=Unit.Kind.UTILITY)
    city = RegionFactory(code="220300", name="四平市", level=Region.Level.CITY)
    district = RegionFactory(code="220302", name="铁西区", level=Region.Level.DISTRICT, parent=city)
    return KB(
        centre=centre, civil=civil, heating=heating, city=city, district=district,
        editor=UserFactory(username="civil-editor", role="handler", unit=civil),
        heating_editor=UserFactory(username="heating-editor", role="handler", unit=heating),
        publisher=UserFactory(username="kb-sup", role="supervisor", unit=centre, scope="city"),
        operator=UserFactory(username="kb-op", role="operator", unit=centre, scope="city"),
    )
