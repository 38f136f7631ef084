"""Example request bodies, shown in the OpenAPI document and used in docs/api.md (a test keeps them in step)."""

from __future__ import annotations

from typing import Any

ACCEPT: dict[str, Any] = {
    "title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度。", "kind": "complaint",
    "channel": "phone", "category": "T1-01", "region": "220302", "address": "阳光新城小区3号楼",
    "urgency": "normal", "requester_name": "张三", "requester_phone": "13812345678",
}

ACTIONS: dict[str, dict[str, Any]] = {
    "answer": {"version": 1, "answer": "城市低保标准为每月710元。"},
    "reject": {"version": 1, "reason": "court", "route": "请向人民法院起诉"},
    "handover": {"version": 1, "note": "转派单员"},
    "dispatch": {"version": 1, "lead_unit": "heating", "assist_units": [], "note": "请核实处理"},
    "merge": {"version": 1, "into": "SP20261123000001", "note": "同一小区同一问题"},
    "redispatch": {"version": 3, "lead_unit": "renxing", "note": "请仁兴街道办理"},
    "sign": {"version": 2},
    "request_return": {"version": 3, "reason": "供热问题不属于城管职责"},
    "review_return": {"version": 4, "decision": "adjudicate", "opinion": "双方职责不清"},
    "adjudicate": {"version": 5, "responsible_unit": "heating", "legal_basis": "《吉林省城市供热条例》第二十条",
                   "refusing_units": ["urban"], "add_to_catalog": True},
    "request_extension": {"version": 3, "working_days": 3, "reason": "需要更换主管道"},
    "review_extension": {"version": 4, "decision": "approve", "opinion": "同意延期"},
    "contact": {"version": 3, "method": "phone", "note": "已电话联系诉求人"},
    "reply": {"version": 4, "result": "已维修管道，室温恢复到20度", "basis": "《吉林省城市供热条例》"},
    "review_reply": {"version": 5, "decision": "approve"},
    "visit": {"version": 6, "outcome": "reached", "resolution": "resolved", "satisfaction": "satisfied"},
    "reopen": {"version": 7, "reason": "群众反映仍不热"},
    "close": {"version": 7, "note": "回访满意，办结"},
    "urge": {"version": 2, "message": "请尽快签收"},
    "supervise": {"version": 3, "text": "限期解决", "working_days": 2},
    "prompt": {"version": 2, "text": "签收时限将到，请及时签收", "working_days": 1},
    "warn": {"version": 4, "text": "已超期，请说明原因并限期办结", "working_days": 1},
}
