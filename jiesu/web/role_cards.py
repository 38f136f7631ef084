"""What each role's card on the home page says: the work, and the queues it counts.

Each queue on a card is a queue of ``jiesu.tickets.queries`` (counted for the user) and links to the desk that
shows it (``jiesu.web.desks``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Role
from jiesu.tickets import queries
from jiesu.web.desks import desk_for_queue


@dataclass(frozen=True)
class RoleCard:
    role: str
    summary: Any
    duties: tuple[Any, ...]
    queues: tuple[tuple[str, Any], ...]  # (queue name in jiesu.tickets.queries, label)


ROLE_CARDS: dict[str, RoleCard] = {card.role: card for card in [
    RoleCard(Role.OPERATOR, _("受理来电和网上诉求，登记工单。首接负责：谁受理，谁负责到答复或派出为止。"),
             (_("登记工单，记录诉求人、内容、地点和分类"), _("咨询类诉求用知识库当场答复"),
              _("其余诉求派单，或转交派单员")),
             (("dispatching", _("待派单")),)),
    RoleCard(Role.DISPATCHER, _("核对分类，按派单目录把工单派给承办单位，审核退单和延期申请。"),
             (_("确认系统建议的承办单位，派给主办和协办单位"), _("审核退单：改派、驳回或提请研判定性"),
              _("审批延期申请（每件一次）")),
             (("dispatching", _("待派单")), ("return_review", _("退单待审核")),
              ("extension_review", _("延期待审批")))),
    RoleCard(Role.HANDLER, _("办理派给本单位的工单：签收、联系诉求人、办理并按时答复。"),
             (_("在签收时限内签收，联系诉求人"), _("办理后写明结果和依据答复"),
              _("不属本单位职责的申请退单；确需更多时间的申请延期")),
             (("to_sign", _("待签收")), ("in_progress", _("办理中")),
              ("warning", _("即将超期")), ("overdue", _("已超期")))),
    RoleCard(Role.SUPERVISOR, _("盯紧时限，审核答复，督促办理。"),
             (_("预警、超期、催办和督办"), _("答复送达诉求人之前审核，退回答非所问的答复"),
              _("发布排名和通报")),
             (("reply_review", _("答复待审核")), ("warning", _("即将超期")),
              ("overdue", _("已超期")), ("supervised", _("督办中")))),
    RoleCard(Role.VISITOR, _("答复之后回访诉求人：问题是否解决，是否满意。"),
             (_("按时回访，记录解决情况和满意度"), _("未解决或不满意的工单发起重办")),
             (("visiting", _("待回访")),)),
    RoleCard(Role.ADJUDICATOR, _("单位之间职责不清、相互推诿时，作出研判定性。"),
             (_("认定承办单位并写明法律依据"), _("研判结论具有约束力，并用于更新派单目录")),
             (("adjudicating", _("待研判")),)),
    RoleCard(Role.ANALYST, _("分析热点问题和趋势，编制报表，推动主动治理（未诉先办）。"),
             (_("查看热点、趋势和各单位指标"), _("导出报表"), _("提出主动治理任务")),
             (("open", _("在办")), ("overdue", _("已超期")), ("supervised", _("督办中")))),
    RoleCard(Role.ADMIN, _("维护系统的基础数据：单位、用户与角色、行政区划、诉求分类、派单目录、时限和工作日历。"),
             (_("在管理后台维护单位、用户和岗位角色"), _("有历史记录的单位和用户只停用、不删除"),
              _("每年及时录入下一年的节假日与调休安排")),
             ()),
]}

@dataclass(frozen=True)
class QueueCount:
    label: Any
    count: int
    url: str


def queue_counts(card: RoleCard, user: Any) -> list[QueueCount]:
    counts = []
    for name, label in card.queues:
        desk = desk_for_queue(user, name)
        counts.append(QueueCount(label, queries.queue(user, name).count(), desk.url(name) if desk else ""))
    return counts
