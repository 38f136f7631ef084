"""Factories for units, users, roles and regions; other packages' tests reuse them.

    unit = UnitFactory(name="四平市供热公司", kind="utility")
    child = UnitFactory(parent=unit)
    handler = UserFactory(role="handler", unit=unit)                  # membership created for you
    chief = UserFactory(role="handler", unit=unit, scope="subtree")
    centre_staff = UserFactory(role=["operator", "dispatcher"], scope="city")
    region = RegionFactory(name="铁西区", level=3, aliases=["铁西"])
"""

from __future__ import annotations

import factory
from django.contrib.auth.hashers import make_password

from jiesu.org.models import Membership, Region, RegionAlias, Unit, User

TEST_PASSWORD = "test-password-123"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"9{n:011d}")
    name = factory.Sequence(lambda n: f"测试区划{n}")
    level = Region.Level.COMMUNITY
    parent = None

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        for alias in extracted or []:
            RegionAlias.objects.get_or_create(region=self, alias=alias)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.DEPARTMENT
    parent = None
    is_active = True


class UserFactory(factory.django.DjangoModelFactory):
    """``role`` (one name or a list) creates memberships in ``unit`` (a new unit if not given)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.LazyFunction(lambda: _password_hash())
    is_active = True
    unit = None  # not model fields: taken out before the user is saved, used by ``role``
    scope = Membership.ScopeKind.UNIT

    @factory.post_generation
    def role(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if not extracted or not create:
            return
        unit = self._factory_unit or UnitFactory()
        for role in [extracted] if isinstance(extracted, str) else extracted:
            MembershipFactory(user=self, unit=unit, role=role, scope=self._factory_scope)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        unit, scope = kwargs.pop("unit"), kwargs.pop("scope")
        user = super()._create(model_class, *args, **kwargs)
        user._factory_unit, user._factory_scope = unit, scope
        return user

    @classmethod
    def _build(cls, model_class, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.pop("unit"), kwargs.pop("scope")
        return super()._build(model_class, *args, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "handler"
    scope = Membership.ScopeKind.UNIT
    is_active = True


_hash_cache: dict[str, str] = {}


def _password_hash() -> str:
    """Hashed once per run: the real hasher is slow on purpose. Log in with TEST_PASSWORD."""
    if TEST_PASSWORD not in _hash_cache:
        _hash_cache[TEST_PASSWORD] = make_password(TEST_PASSWORD)
    return _hash_cache[TEST_PASSWORD]
