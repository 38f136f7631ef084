import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from jiesu.demo.runner import BrokenStep, run_demo
from jiesu.org.models import Membership, Region, RegionAlias, Unit, User
from jiesu.org.queries import find_regions_by_name
from jiesu.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count() for model in (Region, RegionAlias, Unit, User, Membership)}


@pytest.fixture
def demo(settings, capsys):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    settings.JIESU_DEMO_PAST_MONTHS = 2  # the whole demo city, with its closed rankings
    call_command("demo")
    return capsys.readouterr().out


def test_demo_loads_the_city_and_prints_progress(demo):
    assert "行政区划" in demo and "承办单位" in demo and "演示账号" in demo
    assert Region.objects.get(code="220323").name == "伊通满族自治县"
    assert Unit.objects.get(code="heating").kind == Unit.Kind.UTILITY
    assert not Unit.objects.filter(is_demo=False).exists() and not User.objects.filter(is_demo=False).exists()
    from jiesu.evaluation.models import Ranking, RankingEntry

    assert "考核演示" in demo and list(Ranking.objects.values_list("month", flat=True)) == [date(2026, 2, 1),
                                                                                          date(2026, 1, 1)]
    february = RankingEntry.objects.filter(ranking__month=date(2026, 2, 1), rank__isnull=False)
    assert february.filter(group="department").count() >= 6 and february.filter(list="red").exists()
    assert february.filter(previous_rank__isnull=False).exists()  # the change from January's stored ranking


def test_running_the_demo_twice_gives_the_same_counts(demo):
    before = counts()
    call_command("demo")
    assert counts() == before
    assert before["Unit"] > 40 and before["Region"] > 70


def test_the_places_the_source_documents_name_exist(demo):
    expected = {"阳光新城小区": "铁西区", "北二小区": "铁东区", "育才小区": "伊通满族自治县", "西环社区": "双辽市"}
    for community, district in expected.items():
        [region] = find_regions_by_name(community)
        assert region.parent.parent.name == district
    assert find_regions_by_name("伊通县") == find_regions_by_name("伊通满族自治县")
    assert find_regions_by_name("西环社区")[0].parent.name == "江西街道"


def test_demo_accounts_log_in_with_the_demo_password_and_have_their_roles(demo):
    for username, role in [("operator", "operator"), ("handler-heating", "handler"),
                           ("handler-urban", "handler"), ("handler-housing", "handler"),
                           ("adjudicator", "adjudicator"), ("admin", "admin")]:
        user = User.objects.get(username=username)
        assert user.check_password("demo-password-for-tests") and user.is_demo
        assert role in user.roles()
    assert {"operator", "dispatcher"} <= set(User.objects.get(username="frontdesk").roles())  # a small centre's seat
    assert User.objects.get(username="handler-heating").primary_unit().code == "heating"
    assert User.objects.get(username="admin").is_staff
    tiexi = User.objects.get(username="handler-tiexi")
    reach = set(Unit.objects.filter(pk__in=tiexi.scope_for_role("handler").unit_ids).values_list("code", flat=True))
    assert {"tiexi", "renxing", "renxing-yangguang"} <= reach and "heating" not in reach


def test_demo_list_prints_the_accounts_with_the_password(demo, capsys):
    call_command("demo", "--list")
    out = capsys.readouterr().out
    for username in ["operator", "dispatcher", "supervisor", "visitor", "adjudicator", "analyst", "admin",
                     "handler-heating", "handler-urban", "handler-housing"]:
        assert username in out
    assert "供热公司" in out and "demo-password-for-tests" in out


def test_demo_list_before_loading_says_what_to_do(capsys):
    call_command("demo", "--list")
    assert "jiesu demo" in capsys.readouterr().out


def test_demo_refuses_a_database_with_real_users():
    UserFactory(username="real-person")
    with pytest.raises(CommandError, match="非演示数据"):
        call_command("demo")
    assert not Unit.objects.exists() and not Region.objects.exists()


def test_a_step_that_cannot_be_imported_fails_loudly():
    with pytest.raises(BrokenStep, match="jiesu.no_such_package.demo"):
        run_demo(io.StringIO(), steps=["jiesu.org.demo", "jiesu.no_such_package.demo"])
    assert not Unit.objects.exists()


def test_a_second_run_writes_nothing_when_nothing_changed(demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run_demo(io.StringIO(), steps=["jiesu.org.demo"])
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_demo_accounts_list_each_user_once_with_all_roles(demo):
    from jiesu.org.demo import demo_accounts

    rows = demo_accounts()
    usernames = [row["username"] for row in rows]
    assert len(usernames) == len(set(usernames)) == User.objects.filter(is_demo=True).count()
    [frontdesk] = [row for row in rows if row["username"] == "frontdesk"]
    assert set(frontdesk["role"].split(" / ")) == {"话务员", "派单员"}
