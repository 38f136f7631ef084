"""Demo step: Siping's category taxonomy and a dispatch catalog for the demo units (idempotent).

Rules are keyed by a readable ``rule_key`` ("demo-heating" …), so loading twice changes nothing. A rule whose
unit or region is not in the demo data is skipped with a warning instead of failing the whole demo.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from jiesu.catalog import services
from jiesu.catalog.models import Category, DispatchRule
from jiesu.catalog.taxonomy import import_categories, read_taxonomy

SEED_FROM = date(2025, 1, 1)

# rule_key, category code, region code ("" = city-wide), lead unit, co-units, priority, legal basis, source
RULES: list[tuple[str, str, str, str, tuple[str, ...], int, str, str]] = [
    ("demo-heating", "0101", "", "heating", (), 0,
     "《吉林省城市供热条例》第五条、第二十六条：供热单位负责供热设施运行维护，保证供热质量。", "《吉林省城市供热条例》"),
    ("demo-heating-fee", "010103", "", "heating", ("housing",), 0,
     "《吉林省城市供热条例》第三十四条；供热价格由价格主管部门会同供热主管部门制定。", "《吉林省城市供热条例》"),
    ("demo-property", "0102", "", "housing", (), 0,
     "《物业管理条例》第五条：县级以上地方人民政府房地产行政主管部门负责本行政区域内物业管理活动的监督管理。",
     "三定方案"),
    ("demo-property-tiexi", "0102", "220302", "tiexi-housing", (), 0,
     "铁西区住房和城乡建设局三定方案：负责辖区物业服务企业监督管理。", "三定方案"),
    ("demo-housing-tiedong", "0103", "220303", "tiedong-housing", (), 0,
     "铁东区住房和城乡建设局三定方案：负责辖区房屋安全和老旧小区改造。", "三定方案"),
    ("demo-illegal-building", "0202", "", "urban", (), 0,
     "《吉林省城乡规划条例》《城市管理执法办法》：城市管理执法部门依法查处违法建设。", "权责清单"),
    ("demo-illegal-building-tiexi", "0202", "220302", "tiexi", (), 0,
     "分级派单：铁西区辖区违法建设由铁西区12345分中心二次派发至街道和区城市管理局。", "四平市12345分级派单办法"),
    ("demo-street-vending", "0203", "", "urban", (), 0,
     "《城市市容和环境卫生管理条例》第十四条：未经批准不得占用道路摆摊设点。", "权责清单"),
    ("demo-street-vending-tiexi", "0203", "220302", "tiexi-urban", (), 0,
     "铁西区城市管理局三定方案：负责辖区占道经营的查处。", "三定方案"),
    ("demo-city-appearance", "0201", "", "urban", (), 0,
     "《城市市容和环境卫生管理条例》第四条：城市人民政府市容环境卫生行政主管部门负责本行政区域市容环境卫生管理。",
     "权责清单"),
    ("demo-noise", "0204", "", "urban", ("police",), 0,
     "《中华人民共和国噪声污染防治法》第六十二条、第六十五条；社会生活噪声由公安机关和城市管理部门依职责处理。",
     "权责清单"),
    ("demo-municipal", "0205", "", "urban", (), 0,
     "《城市道路管理条例》第六条：市政工程行政主管部门负责城市道路及附属设施的管理。", "权责清单"),
    ("demo-bus", "0301", "", "transport", (), 0,
     "《城市公共交通条例》第四条：城市公共交通主管部门负责本行政区域城市公共交通管理。", "三定方案"),
    ("demo-taxi", "0302", "", "transport", (), 0,
     "《巡游出租汽车经营服务管理规定》第五条：县级以上地方交通运输主管部门负责出租汽车管理。", "三定方案"),
    ("demo-road", "0303", "", "transport", ("urban",), 0,
     "《公路法》第八条；城区道路养护由城市管理部门协办。", "权责清单"),
    ("demo-wages", "0401", "", "hrss", (), 0,
     "《保障农民工工资支付条例》第十条：人力资源社会保障行政部门负责保障农民工工资支付工作的组织协调、管理和指导。",
     "《保障农民工工资支付条例》"),
    ("demo-social-insurance", "0402", "", "hrss", (), 0,
     "《中华人民共和国社会保险法》第七条：县级以上地方人民政府社会保险行政部门负责本行政区域的社会保险管理工作。",
     "三定方案"),
    ("demo-pension", "0403", "", "hrss", (), 0,
     "《中华人民共和国社会保险法》第七条。", "三定方案"),
    ("demo-minimum-allowance", "0501", "", "civil", (), 0,
     "《社会救助暂行办法》第四条：县级以上地方人民政府民政部门负责本行政区域内的最低生活保障工作。",
     "《社会救助暂行办法》"),
    ("demo-minimum-allowance-lishu", "0501", "220322", "lishu-civil", (), 0,
     "《社会救助暂行办法》第十一条：低保申请由户籍或常住地乡镇人民政府、街道办事处受理，县级民政部门审批。",
     "《社会救助暂行办法》"),
    ("demo-minimum-allowance-shuangliao", "0501", "220382", "shuangliao-civil", (), 0,
     "《社会救助暂行办法》第十一条。", "《社会救助暂行办法》"),
    ("demo-extreme-poverty", "0502", "", "civil", (), 0,
     "《社会救助暂行办法》第十四条至第十九条：特困人员供养由县级民政部门审批。", "《社会救助暂行办法》"),
    ("demo-orphans", "0503", "", "civil", (), 0,
     "《国务院办公厅关于加强孤儿保障工作的意见》；民政部门负责孤儿基本生活保障。", "三定方案"),
    ("demo-old-age-allowance", "0504", "", "civil", (), 0,
     "《吉林省老年人权益保障条例》：对八十周岁以上老年人发放高龄津贴。", "《吉林省老年人权益保障条例》"),
    ("demo-hospital", "0601", "", "health", (), 0,
     "《医疗机构管理条例》第五条：县级以上地方卫生健康行政部门负责本行政区域内医疗机构的监督管理。", "三定方案"),
    ("demo-medical-insurance", "0602", "", "medins", (), 0,
     "《医疗保障基金使用监督管理条例》第五条：医疗保障行政部门负责本行政区域的医疗保障基金使用监督管理。",
     "三定方案"),
    ("demo-school-fees", "0701", "", "edu", ("market",), 0,
     "《中华人民共和国教育法》；教育收费由教育行政部门管理，价格违法由市场监管部门查处。", "权责清单"),
    ("demo-enrolment", "0702", "", "edu", (), 0,
     "《中华人民共和国义务教育法》第十二条：县级人民政府教育行政部门保障适龄儿童在户籍所在地就近入学。",
     "《中华人民共和国义务教育法》"),
    ("demo-air", "0801", "", "eco", (), 0,
     "《中华人民共和国大气污染防治法》第五条：地方人民政府生态环境主管部门对大气污染防治实施统一监督管理。",
     "三定方案"),
    ("demo-cooking-fumes", "080102", "", "urban", ("eco",), 10,
     "《吉林省大气污染防治条例》：餐饮服务业油烟污染由城市管理部门查处（相对集中行政处罚权）。", "权责清单"),
    ("demo-water-pollution", "0802", "", "eco", (), 0,
     "《中华人民共和国水污染防治法》第九条。", "三定方案"),
    ("demo-noise-pollution", "0803", "", "eco", (), 0,
     "《中华人民共和国噪声污染防治法》第八条：生态环境主管部门对噪声污染防治实施统一监督管理。", "三定方案"),
    ("demo-consumer", "0901", "", "market", (), 0,
     "《中华人民共和国消费者权益保护法》第三十二条：市场监督管理部门依法处理消费者投诉。", "三定方案"),
    ("demo-food-safety", "0903", "", "market", (), 0,
     "《中华人民共和国食品安全法》第六条。", "三定方案"),
    ("demo-tourism", "0902", "", "commerce", (), 0,
     "四平市商务局（旅游）三定方案：负责旅游市场秩序和旅游投诉。", "三定方案"),
    ("demo-parking", "1001", "", "traffic", (), 0,
     "《中华人民共和国道路交通安全法》第五条、第九十三条：公安机关交通管理部门负责道路交通安全管理，查处违法停车。",
     "《中华人民共和国道路交通安全法》"),
    ("demo-signals", "1002", "", "traffic", (), 0,
     "《中华人民共和国道路交通安全法》第二十五条、第二十九条。", "《中华人民共和国道路交通安全法》"),
    ("demo-hukou", "1003", "", "police", (), 0,
     "《中华人民共和国户口登记条例》第三条：户口登记工作由各级公安机关主管。", "三定方案"),
    ("demo-water", "11", "", "water", (), 0,
     "《城市供水条例》第二十二条：城市自来水供水企业应当保持不间断供水，确保水质水压。", "《城市供水条例》"),
    ("demo-gas", "12", "", "gas", (), 0,
     "《城镇燃气管理条例》第二十条、第四十一条：燃气经营者负责燃气设施运行、维护和抢修。", "《城镇燃气管理条例》"),
    ("demo-land", "13", "", "nature", (), 0,
     "《中华人民共和国土地管理法》第五条：县级以上地方人民政府自然资源主管部门负责本行政区域内土地的管理监督。",
     "三定方案"),
]


def load(ctx: Any) -> None:
    counts = import_categories(None, read_taxonomy())
    _log(ctx, f"诉求分类 {Category.objects.count()} 个（新增 {counts['created']}，更新 {counts['updated']}）")
    created, missing = 0, []
    for row in RULES:
        outcome = _load_rule(ctx, *row)
        if outcome == "created":
            created += 1
        elif outcome:
            missing.append(outcome)
    _log(ctx, f"派单规则：新增 {created} 条，当前共 {DispatchRule.objects.filter(is_current=True).count()} 条")
    for warning in missing:
        _log(ctx, f"警告：{warning}")


def _load_rule(ctx: Any, key: str, category_code: str, region_code: str, lead_code: str,
               co_codes: tuple[str, ...], priority: int, basis: str, source: str) -> str:
    """'created', '' (already there) or a warning naming what is missing."""
    if DispatchRule.objects.filter(rule_key=key).exists():
        return ""
    try:
        lead = ctx.unit(lead_code)
        co = [ctx.unit(code) for code in co_codes]
        region = ctx.region(region_code) if region_code else None
        category = Category.objects.get(code=category_code) if category_code else None
    except ObjectDoesNotExist as exc:  # a unit/region the org demo does not have: skip this rule only
        return f"跳过派单规则 {key}（缺少单位、区划或分类：{exc}）"
    services.create_rule(None, category=category, region=region, lead_unit=lead, co_units=co,
                         priority=priority, legal_basis=basis, source=source,
                         valid_from=SEED_FROM, reason="演示数据", rule_key=key)
    return "created"


def _log(ctx: Any, message: str) -> None:
    report = getattr(ctx, "progress", None) or getattr(ctx, "log", None)
    if report is not None:
        report(message)
