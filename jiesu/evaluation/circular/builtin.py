"""The built-in sections of the monthly circular: headline figures, the ranking per group, 红榜/黑榜, overdue
items and unjustified returns, adjudication rulings, supervision steps, the five topics with most requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from jiesu.evaluation.circular.sections import (
    CHANGE,
    DECIMAL,
    INTEGER,
    NUMBER,
    PERCENT,
    POINTS,
    TEXT,
    Col,
    Month,
    Part,
    Table,
    rate,
    rate_cells,
    rate_cols,
    ratio_formula,
    ref,
    section,
)
from jiesu.evaluation.models import UnitStep
from jiesu.evaluation.registry import COUNT, MEAN
from jiesu.evaluation.scoring import BLACK, GROUPS, LIST_LABELS, RED, Entry
from jiesu.org.models import Unit
from jiesu.tickets.models import Adjudication, SupervisionOrder


def _difference(a: str, b: str) -> str:
    """The sheet's ``a − b``, blank when either is blank."""
    return f'=IF(OR({ref(a)}="",{ref(b)}=""),"",{ref(a)}-{ref(b)})'


def _value_formula(kind: str, prefix: str) -> str:
    num, den = f"{prefix}_num", f"{prefix}_den"
    if kind == COUNT:
        return f"={ref(den)}"
    return ratio_formula(num, den)


def _headline_row(figure: Any, now: Any, last: Any) -> dict[str, Any]:
    fmt = {COUNT: INTEGER, MEAN: DECIMAL}.get(figure.kind, PERCENT)
    change_fmt = {COUNT: CHANGE, MEAN: DECIMAL}.get(figure.kind, POINTS)
    row = {"label": str(figure.label), "now_num": round(now.numerator, 3), "now_den": now.denominator,
           "now": now.value, "last_num": round(last.numerator, 3), "last_den": last.denominator, "last": last.value}
    row["change"] = None if row["now"] is None or row["last"] is None else row["now"] - row["last"]
    row["_fmt"] = {"now": fmt, "last": fmt, "change": change_fmt}
    row["_formula"] = {"now": _value_formula(figure.kind, "now"), "last": _value_formula(figure.kind, "last")}
    if figure.kind == COUNT:
        row["now_num"] = row["last_num"] = None
    return row


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _summary(month: Month) -> str:
    now, last = month.figures.total, month.previous_figures.total
    parts = []
    if "accepted" in now:
        n, p = now["accepted"].denominator, last["accepted"].denominator
        diff = "持平" if n == p else f"{'增加' if n > p else '减少'} {abs(n - p):,} 件"
        parts.append(f"本月共受理群众诉求 {n:,} 件，较上月{diff}")
    for code in ("closing_rate", "reply_timely", "response_rate", "resolution_rate", "satisfaction_rate"):
        if code in now:
            parts.append(f"{now[code].figure.label} {_pct(now[code].value)}")
    return "；".join(parts) + "。" if parts else ""


@section("headline", "总体情况", 10)
def headline(month: Month) -> Part:
    columns = [Col("label", "指标", TEXT, 16), Col("now_num", "本月分子", NUMBER, 10), Col("now_den", "本月分母", INTEGER, 10),
               Col("now", "本月", PERCENT, 10), Col("last_num", "上月分子", NUMBER, 10, pdf=False),
               Col("last_den", "上月分母", INTEGER, 10, pdf=False), Col("last", "上月", PERCENT, 10),
               Col("change", "变化", POINTS, 14, formula=_difference("now", "last"))]
    rows = [_headline_row(f, month.figures.total[f.code], month.previous_figures.total[f.code])
            for f in month.figures.figures]
    return Part("headline", "总体情况", [Table(columns, rows, caption=f"全市指标（{month.period.label()}与"
                                                                    f"{month.previous.label()}）")],
                summary=_summary(month),
                note="比率 = 分子 / 分母；数量类指标只计分母。各指标的定义见平台“指标定义”。")


SCORE_FORMULA = (
    "=ROUND((IF({response_rate_den}>0,{w_resp!}*{response_rate_num}/{response_rate_den},0)"
    "+{w_res!}*{resolution_rate_num}/{resolution_rate_den}+{w_sat!}*{satisfaction_rate_num}/{satisfaction_rate_den})"
    "*({w_resp!}+{w_res!}+{w_sat!})/(IF({response_rate_den}>0,{w_resp!},0)+{w_res!}+{w_sat!})"
    "-{p_overdue!}*{overdue}-{p_refused!}*{adjudication_refused}-{p_unjustified!}*{returns_unjustified}"
    "+MIN({p_praise!}*{praise},{praise_cap!}),2)")


def ranking_columns() -> list[Col]:
    return [Col("rank", "名次", INTEGER, 6, formula='=IF({score}="","",RANK({score},{score:range}))'),
            Col("unit", "单位", TEXT, 24), Col("assigned", "派单量", INTEGER, 7),
            *rate_cols("response_rate", "响应率"), *rate_cols("resolution_rate", "解决率"),
            *rate_cols("satisfaction_rate", "满意率"),
            Col("overdue", "超期", INTEGER, 6), Col("adjudication_refused", "推诿", INTEGER, 6),
            Col("returns_unjustified", "退单不成立", INTEGER, 8), Col("praise", "表扬", INTEGER, 6),
            Col("score", "得分", DECIMAL, 8, formula=SCORE_FORMULA),
            Col("previous_rank", "上月名次", INTEGER, 8, pdf=False),
            Col("change", "变化", CHANGE, 6, formula=_difference("previous_rank", "rank")),
            Col("note", "榜单/说明", TEXT, 16)]


def ranking_row(e: Entry) -> dict[str, Any]:
    row: dict[str, Any] = {"rank": e.rank, "unit": e.unit_name, "score": None if e.rank is None else float(e.score or 0),
                           "previous_rank": e.previous_rank, "change": e.change,
                           "note": str(LIST_LABELS[e.list]) if e.list else e.reason}
    for code in ("response_rate", "resolution_rate", "satisfaction_rate"):
        row.update(rate_cells(code, *e.figures[code]))
    for code in ("assigned", "overdue", "adjudication_refused", "returns_unjustified", "praise"):
        row[code] = e.count(code)
    if e.rank is None:
        row["_formula"] = {"score": None}
    return row


def scheme_parameters(s: Any) -> list[tuple[str, str, Any]]:
    """The scheme's weights and points, printed on the sheet for the score formula."""
    return [("w_resp", "响应率权重", float(s.weight_response)), ("w_res", "解决率权重", float(s.weight_resolution)),
            ("w_sat", "满意率权重", float(s.weight_satisfaction)), ("p_overdue", "每件超期扣分", float(s.points_overdue)),
            ("p_refused", "每次推诿认定扣分", float(s.points_refused)),
            ("p_unjustified", "每次退单不成立扣分", float(s.points_unjustified)),
            ("p_praise", "每件表扬加分", float(s.points_praise)), ("praise_cap", "表扬加分上限", float(s.praise_cap))]


@section("ranking", "单位综合评分排名", 20)
def ranking(month: Month) -> Part:
    result, tables, idle = month.ranking, [], 0
    for group in GROUPS:
        listed = result.of_group(group.code)
        entries = [e for e in listed if e.rank is not None or e.count("assigned")]
        idle += len(listed) - len(entries)
        if not entries:
            continue
        highlight = {i: "red" if e.list == RED else "amber" for i, e in enumerate(entries) if e.list}
        tables.append(Table(ranking_columns(), [ranking_row(e) for e in entries], caption=str(group.label),
                            highlight=highlight))
    s = result.scheme
    state = "本月排名已结束并存档，此后不再变化。" if result.stored else "本月尚未结束，排名按当前数据计算，仍会变化。"
    return Part("ranking", "单位综合评分排名", tables, parameters=scheme_parameters(result.scheme), parameters_title="计分参数",
                summary=(f"得分 = 响应率 × {float(s.weight_response):g} + 解决率 × {float(s.weight_resolution):g} + 满意率 × "
                         f"{float(s.weight_satisfaction):g} − 超期 {float(s.points_overdue):g} 分/件 − 推诿认定 {float(s.points_refused):g}"
                         f" 分/次 − 退单不成立 {float(s.points_unjustified):g} 分/次 + 表扬 {float(s.points_praise):g} 分/件（至多"
                         f" {float(s.praise_cap):g} 分）。{state}"),
                note=f"派单量少于 {s.minimum_assignments} 件或本月无接通回访的单位列出但不参与排名"
                     f"{f'（另有 {idle} 个单位本月无派单，未列出）' if idle else ''}；"
                     "县区分中心含其下级单位的数据。变化为较上月上升的名次。")


@section("lists", "红榜与黑榜", 30)
def red_and_black(month: Month) -> Part:
    columns = [Col("group", "类别", TEXT, 16), Col("list", "榜单", TEXT, 8), Col("rank", "名次", INTEGER, 6),
               Col("unit", "单位", TEXT, 26), Col("score", "得分", DECIMAL, 8), Col("change", "较上月", CHANGE, 8)]
    rows: list[dict[str, Any]] = []
    highlight: dict[int, str] = {}
    for group in GROUPS:
        for which in (RED, BLACK):
            for e in month.ranking.of_group(group.code):
                if e.list == which:
                    highlight[len(rows)] = "red" if which == RED else "amber"
                    rows.append({"group": str(group.label), "list": str(LIST_LABELS[which]), "rank": e.rank,
                                 "unit": e.unit_name, "score": float(e.score or 0), "change": e.change})
    size = month.ranking.scheme.list_size
    return Part("lists", "红榜与黑榜", [Table(columns, rows, highlight=highlight, empty="本月各组参与排名的单位不足，未设榜单。")],
                note=f"每组得分最高的 {size} 个单位上红榜、最低的 {size} 个上黑榜（参与排名的单位不足 {2 * size} 个时各取一半）。")


def _unit_table(month: Month, codes: list[str], columns: list[Col], keep: Any) -> Table:
    table = month.by("unit", codes)
    rows = []
    for group in table.groups:
        values = group.values
        row: dict[str, Any] = {"unit": group.label}
        for code in codes:
            v = values[code]
            if v.figure.kind == COUNT:
                row[code] = v.denominator
            else:
                row.update(rate_cells(code, v.numerator, v.denominator))
        if keep(row):
            rows.append(row)
    rows.sort(key=lambda r: tuple(-(r.get(c) or 0) for c in codes if c in r and isinstance(r.get(c), int)))
    if rows:
        total: dict[str, Any] = {"unit": "合计", "_total": True, "_formula": {}}
        for col in columns[1:]:
            if col.fmt == INTEGER or col.key.endswith("_num"):
                total[col.key] = sum(r.get(col.key) or 0 for r in rows)
                total["_formula"][col.key] = "=SUM({" + col.key + ":range})"
        for col in columns:
            if col.formula and col.key not in total:
                total[col.key] = rate(total.get(f"{col.key}_num", 0), total.get(f"{col.key}_den", 0))
        rows.append(total)
    return Table(columns, rows)


@section("overdue_returns", "超期件与退单不成立", 40)
def overdue_and_returns(month: Month) -> Part:
    columns = [Col("unit", "单位", TEXT, 26), Col("assigned", "主办派单", INTEGER, 9), Col("overdue", "超期件数", INTEGER, 9),
               Col("return_rate_num", "申请退单", INTEGER, 9), Col("return_rate_den", "退单率分母", INTEGER, 9, pdf=False),
               Col("return_rate", "退单率", PERCENT, 9, formula=ratio_formula("return_rate_num", "return_rate_den")),
               Col("returns_unjustified", "退单不成立", INTEGER, 10), Col("adjudication_refused", "推诿认定", INTEGER, 9)]
    codes = ["assigned", "overdue", "return_rate", "returns_unjustified", "adjudication_refused"]
    table = _unit_table(month, codes, columns, lambda r: r["overdue"] or r["returns_unjustified"]
                        or r["adjudication_refused"])
    table.empty = "本月无超期件、退单不成立或推诿认定。"
    return Part("overdue_returns", "超期件与退单不成立", [table],
                note="列出本月有超期件、退单不成立或被认定推诿的单位；超期按期限所在日计。")


@section("adjudications", "研判定性结果", 50)
def adjudications(month: Month) -> Part:
    rulings = (Adjudication.objects.filter(decided_at__gte=month.period.since, decided_at__lt=month.period.until)
               .select_related("ticket__category", "assignment__unit", "decided_unit")
               .prefetch_related(Prefetch("refusing_units", queryset=Unit.objects.only("name")))
               .order_by("decided_at", "id"))
    columns = [Col("number", "工单编号", TEXT, 19), Col("decided", "认定日期", TEXT, 11), Col("category", "诉求类别", TEXT, 14),
               Col("returning", "申请退单单位", TEXT, 20), Col("responsible", "认定承办单位", TEXT, 20),
               Col("refusing", "认定推诿单位", TEXT, 20)]
    rows = []
    for r in rulings:
        rows.append({"number": r.ticket.number, "decided": f"{timezone.localtime(r.decided_at):%m-%d}",
                     "category": r.ticket.category.name if r.ticket.category else "—",
                     "returning": r.assignment.unit.name, "responsible": r.decided_unit.name if r.decided_unit else "—",
                     "refusing": "、".join(u.name for u in r.refusing_units.all()) or "—"})
    upheld = sum(1 for r in rows if r["responsible"] == r["returning"])
    summary = (f"本月研判定性 {len(rows)} 件，其中认定仍由申请退单单位承办 {upheld} 件。" if rows else "")
    return Part("adjudications", "研判定性结果", [Table(columns, rows, empty="本月无研判定性。")], summary=summary)


@section("supervision", "督办情况", 60)
def supervision(month: Month) -> Part:
    columns = [Col("unit", "单位", TEXT, 26), Col("urged", "催办", INTEGER, 8), Col("prompted", "提示", INTEGER, 8),
               Col("warned", "预警", INTEGER, 8), Col("supervised", "督办", INTEGER, 8),
               Col("supervision_overdue", "督办超期", INTEGER, 9)]
    codes = [c.key for c in columns[1:]]
    orders = _unit_table(month, codes, columns, lambda r: any(r[c] for c in codes))
    orders.caption, orders.empty = "工单督办（按单位）", "本月无催办、提示、预警或督办。"
    steps = UnitStep.objects.filter(issued_at__gte=month.period.since, issued_at__lt=month.period.until)
    step_rows = [{"unit": s.unit.name, "level": s.get_level_display(), "issued": f"{timezone.localtime(s.issued_at):%m-%d}",
                  "due": f"{timezone.localtime(s.due_at):%m-%d}", "reason": s.reason[:60],
                  "state": "已整改" if s.closed_at else "整改中"} for s in steps.select_related("unit")]
    step_columns = [Col("unit", "单位", TEXT, 22), Col("level", "措施", TEXT, 8), Col("issued", "下达", TEXT, 8),
                    Col("due", "整改期限", TEXT, 9), Col("reason", "事由", TEXT, 34), Col("state", "状态", TEXT, 8)]
    open_orders = SupervisionOrder.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=month.period.until),
                                                  issued_at__lt=month.period.until).count()  # open at the month's end
    return Part("supervision", "督办情况", [orders, Table(step_columns, step_rows, caption="约谈与问责",
                                                      empty="本月无约谈、问责。")],
                summary=f"截至月末仍未办结的督办 {open_orders} 件。")


@section("hot_topics", "热点诉求", 70)
def hot_topics(month: Month) -> Part:
    return top_categories(month, "本月", "上月")


def top_categories(month: Month, this: str, last_word: str) -> Part:
    """The five categories most called about in the period against the one before; ``this`` and ``last_word``
    name them (本月/上月, 本周/上周: the weekly 热点 digest shares this part)."""
    total = month.figures.total["accepted"].denominator if "accepted" in month.figures.total else 0  # refreshes
    now = {g.key: g for g in month.by("category", ["accepted"]).groups}
    last = {g.key: g.values["accepted"].denominator for g in month.by("category", ["accepted"], previous=True).groups}
    top = sorted(now.values(), key=lambda g: (-g.values["accepted"].denominator, g.label))[:5]
    columns = [Col("rank", "序号", INTEGER, 6), Col("category", "诉求类别（大类）", TEXT, 22),
               Col("count", f"{this}受理", INTEGER, 10), Col("last", f"{last_word}受理", INTEGER, 10),
               Col("change", "变化", CHANGE, 8, formula="={count}-{last}"),
               Col("share", f"占{this}受理", PERCENT, 10, formula='=IF({total!}=0,"",{count}/{total!})')]
    rows = []
    for index, g in enumerate(top, start=1):
        count = g.values["accepted"].denominator
        rows.append({"rank": index, "category": g.label, "count": count, "last": last.get(g.key, 0),
                     "change": count - last.get(g.key, 0), "share": rate(count, total)})
    return Part("hot_topics", "热点诉求", [Table(columns, rows, empty=f"{this}无受理。")],
                parameters=[("total", f"{this}受理总量", total)],
                summary=f"{this}受理最多的五类诉求如下。" if rows else "")
