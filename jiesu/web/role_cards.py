"""What each role's card on the home page says: the work, and the queues it will count.

Queue counts come from ``QUEUE_COUNTERS`` (key → function(user) → int). The ticket queues do not exist yet;
until a later issue registers a counter, the card shows the queue with "—" and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Role


@dataclass(frozen=True)
class RoleCard:
    role: str
    summary: Any
    duties: tuple[Any, ...]
    queues: tuple[tuple[str, Any], ...]  # (counter key, label)


ROLE_CARDS: dict[str, RoleCard] = {card.role: card for card in [
    RoleCard(Role.OPERATOR, _("受理来电和网上诉求，登记工单。首接负责：谁受理，谁负责到答复或派出为止。"),
             (_("登记工单，记录诉求人、内容、地点和分类"), _("咨询类诉求用知识库当场答复"),
              _("其余诉求派单，或转交派单员")),
             (("operator.drafts", _("我登记待派的工单")), ("operator.today", _("今日受理")))),
    RoleCard(Role.DISPATCHER, _("核对分类，按派单目录把工单派给承办单位，审核退单和延期申请。"),
             (_("确认系统建议的承办单位，派给主办和协办单位"), _("审核退单：改派、驳回或提请研判定性"),
              _("审批延期申请（每件一次）")),
             (("dispatcher.to_dispatch", _("待派单")), ("dispatcher.returns", _("退单待审核")),
              ("dispatcher.extensions", _("延期待审批")))),
    RoleCard(Role.HANDLER, _("办理派给本单位的工单：签收、联系诉求人、办理并按时答复。"),
             (_("在签收时限内签收，联系诉求人"), _("办理后写明结果和依据答复"),
              _("不属本单位职责的申请退单；确需更多时间的申请延期")),
             (("handler.to_sign", _("待签收")), ("handler.in_progress", _("办理中")),
              ("handler.due_soon", _("即将超期")), ("handler.overdue", _("已超期")))),
    RoleCard(Role.SUPERVISOR, _("盯紧时限，审核答复，督促办理。"),
             (_("预警、超期、催办和督办"), _("答复送达诉求人之前审核，退回答非所问的答复"),
              _("发布排名和通报")),
             (("supervisor.to_review", _("答复待审核")), ("supervisor.warnings", _("预警")),
              ("supervisor.overdue", _("超期")))),
    RoleCard(Role.VISITOR, _("答复之后回访诉求人：问题是否解决，是否满意。"),
             (_("按时回访，记录解决情况和满意度"), _("未解决或不满意的工单发起重办")),
             (("visitor.to_call", _("待回访")), ("visitor.today", _("今日已回访")))),
    RoleCard(Role.ADJUDICATOR, _("单位之间职责不清、相互推诿时，作出研判定性。"),
             (_("认定承办单位并写明法律依据"), _("研判结论具有约束力，并用于更新派单目录")),
             (("adjudicator.pending", _("待研判")),)),
    RoleCard(Role.ANALYST, _("分析热点问题和趋势，编制报表，推动主动治理（未诉先办）。"),
             (_("查看热点、趋势和各单位指标"), _("导出报表"), _("提出主动治理任务")),
             (("analyst.month", _("本月受理量")), ("analyst.hot", _("热点问题")))),
    RoleCard(Role.ADMIN, _("维护系统的基础数据：单位、用户与角色、行政区划、诉求分类、派单目录、时限和工作日历。"),
             (_("在管理后台维护单位、用户和岗位角色"), _("有历史记录的单位和用户只停用、不删除"),
              _("每年及时录入下一年的节假日与调休安排")),
             ()),
]}

QUEUE_COUNTERS: dict[str, Callable[[Any], int]] = {}


@dataclass(frozen=True)
class QueueCount:
    label: Any
    count: int | None  # None: not counted yet


def queue_counts(card: RoleCard, user: Any) -> list[QueueCount]:
    counts = []
    for key, label in card.queues:
        counter = QUEUE_COUNTERS.get(key)
        counts.append(QueueCount(label, counter(user) if counter else None))
    return counts
