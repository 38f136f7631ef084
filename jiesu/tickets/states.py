"""States and actions of a ticket, and the choices its records use."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    RECEIVED = "received", _("已受理")
    DISPATCHING = "dispatching", _("待派单")
    ASSIGNED = "assigned", _("待签收")
    IN_PROGRESS = "in_progress", _("办理中")
    RETURN_REVIEW = "return_review", _("退单待审")
    ADJUDICATING = "adjudicating", _("研判中")
    REPLIED = "replied", _("待审核")
    VISITING = "visiting", _("待回访")
    VISITED = "visited", _("已回访")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并单")
    REJECTED = "rejected", _("不予受理")


OPEN_STATES = frozenset(set(State) - {State.CLOSED, State.MERGED, State.REJECTED})
TERMINAL_STATES = frozenset({State.MERGED, State.REJECTED})


class Action(models.TextChoices):
    # "action" context where the same word also names a page, a record or an event (受理 the Intake page,
    # 回访 the follow-up calls, 催办 the urged mark), so the action can read as a verb in English.
    ACCEPT = "accept", pgettext_lazy("action", "受理")
    ANSWER = "answer", _("直接答复")
    REJECT = "reject", _("不予受理")
    HANDOVER = "handover", _("转派单")
    DISPATCH = "dispatch", _("派单")
    REDISPATCH = "redispatch", _("下派")
    SIGN = "sign", _("签收")
    REQUEST_RETURN = "request_return", _("申请退单")
    REVIEW_RETURN = "review_return", _("审核退单")
    ADJUDICATE = "adjudicate", _("研判定性")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    REVIEW_EXTENSION = "review_extension", _("审批延期")
    CONTACT = "contact", _("联系诉求人")
    REPLY = "reply", _("答复")
    REVIEW_REPLY = "review_reply", _("审核答复")
    VISIT = "visit", pgettext_lazy("action", "回访")
    REOPEN = "reopen", _("重办")
    MERGE = "merge", _("并单")
    CLOSE = "close", _("办结")
    URGE = "urge", pgettext_lazy("action", "催办")
    SUPERVISE = "supervise", _("督办")
    PROMPT = "prompt", pgettext_lazy("action", "提示")  # the ladder's first steps (五步工作机制): 提示 → 预警 → 督办
    WARN = "warn", pgettext_lazy("action", "预警")


class ClosingType(models.TextChoices):
    ANSWERED = "answered", _("直接答复")
    HANDLED = "handled", _("办理完结")
    UNREACHABLE = "unreachable", _("回访未接通办结")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class AssignmentStatus(models.TextChoices):
    PENDING_SIGN = "pending_sign", _("待签收")
    SIGNED = "signed", _("办理中")
    RETURN_REQUESTED = "return_requested", _("退单待审")
    ADJUDICATING = "adjudicating", _("研判中")
    REPLIED = "replied", _("已答复")
    RETURNED = "returned", _("已退回")
    REDISPATCHED = "redispatched", _("已下派")
    SUPERSEDED = "superseded", _("已改派")
    DONE = "done", _("已完结")


ACTIVE_ASSIGNMENT_STATUSES = frozenset(
    {AssignmentStatus.PENDING_SIGN, AssignmentStatus.SIGNED, AssignmentStatus.RETURN_REQUESTED,
     AssignmentStatus.ADJUDICATING, AssignmentStatus.REPLIED}
)


class RejectReason(models.TextChoices):
    COURT = "court", _("属于诉讼程序")
    ARBITRATION = "arbitration", _("属于仲裁程序")
    DISCIPLINE = "discipline", _("属于纪检监察")
    ADMIN_REVIEW = "admin_review", _("属于行政复议")
    PETITION = "petition", _("已进入信访程序")
    SECRET = "secret", _("涉及国家秘密或商业秘密")
    EMERGENCY = "emergency", _("紧急警情，已转接")
    MALICIOUS = "malicious", _("恶意或无效来电")
    OTHER = "other", _("其他")


class EmergencyLine(models.TextChoices):
    POLICE = "110", _("110 报警")
    FIRE = "119", _("119 火警")
    AMBULANCE = "120", _("120 急救")
    TRAFFIC = "122", _("122 交通事故")


class ReturnDecision(models.TextChoices):
    APPROVE = "approve", _("同意退单")
    REFUSE = "refuse", _("不同意退单")
    ADJUDICATE = "adjudicate", _("提交研判定性")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("同意")
    REFUSE = "refuse", _("不同意")


class ReplyReviewDecision(models.TextChoices):
    APPROVE = "approve", _("审核通过")
    SEND_BACK = "send_back", _("退回重办")


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("已解决")
    PARTLY = "partly", _("部分解决")
    UNRESOLVED = "unresolved", _("未解决")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class VisitOutcome(models.TextChoices):
    REACHED = "reached", _("已接通")
    UNREACHABLE = "unreachable", _("未接通")
