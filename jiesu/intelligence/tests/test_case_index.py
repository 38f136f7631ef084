"""Approved replies join the similar-case index (incrementally, by the task or the command); others never do."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from jiesu.intelligence import case_index
from jiesu.intelligence.retrieval import similar_cases
from jiesu.intelligence.tasks import refresh_case_index
from jiesu.tickets import services
from jiesu.tickets.states import State
from jiesu.tickets.tests.builders import ticket_in_state
from jiesu.tickets.tests.conftest import city, fixed_clock  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
RESULT = "经现场核查，阳光新城小区3号楼供热管网阀门堵塞，已于当日疏通，室温恢复到二十度以上。"


@pytest.fixture(autouse=True)
def _scratch_var(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path


def _replied(the_city, result: str = RESULT):  # type: ignore[no-untyped-def]
    ticket = ticket_in_state(the_city, State.IN_PROGRESS)
    return services.perform(the_city.heating_handler, ticket, "reply", {"result": result})


OTHERS = ("北二小区门口路灯已由城管局更换灯泡，恢复照明。", "工地夜间施工已责令停止，违规单位已被处罚。")


def test_only_approved_replies_are_added_once(city):  # noqa: F811
    approved = services.perform(city.supervisor, _replied(city), "review_reply", {"decision": "approve"})
    for text in OTHERS:
        services.perform(city.supervisor, _replied(city, text), "review_reply", {"decision": "approve"})
    services.perform(city.supervisor, _replied(city, "随便写的答复，不合格。"), "review_reply",
                     {"decision": "send_back", "opinion": "答复未解决问题"})
    assert case_index.update() == 3
    assert case_index.update() == 0
    hits = similar_cases("暖气不热", "阳光新城小区暖气不热，阀门是不是堵了", k=3)
    assert (hits[0].kind, hits[0].metadata["ref"]) == ("reply", approved.number)
    assert "随便写的答复" not in " ".join(h.snippet for h in hits)


def test_the_task_and_the_command_add_new_replies(city, capsys):  # noqa: F811
    services.perform(city.supervisor, _replied(city), "review_reply", {"decision": "approve"})
    assert refresh_case_index.call() == 1
    services.perform(city.supervisor, _replied(city), "review_reply", {"decision": "approve"})
    call_command("index", "cases")
    assert "新加入答复 1 条" in capsys.readouterr().out
    call_command("index", "cases", "--rebuild")
    assert "新加入答复 2 条" in capsys.readouterr().out


def test_the_index_reads_places_with_the_regions_table(city):  # noqa: F811
    from jiesu.intelligence import places
    from jiesu.intelligence.retrieval import load, product_index_dir

    places.clear_cache()
    services.perform(city.supervisor, _replied(city), "review_reply", {"decision": "approve"})
    case_index.update()
    saved = load(product_index_dir())
    assert saved.params.place_keys == places.place_keys()
    assert saved.params.place_keys["铁西区"] == [city.district.code]
