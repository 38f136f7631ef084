"""The staff forms of the knowledge base: an article (its version's fields plus kind, unit, category and regions)
and the caller's situation for 政策找人."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.models import Category
from jiesu.catalog.queries import category_choices
from jiesu.knowledge import eligibility
from jiesu.knowledge.models import ArticleKind
from jiesu.org.models import Region, Unit

UNKNOWN_CHOICE = ("", _("未填写"))
CONDITIONS_HELP = _('高级选项，通常留空。每条条件写成 {"field": 条件项, "op": 比较方式, "value": 比较值}，例如 '
                    '[{"field": "age", "op": ">=", "value": 80}, {"field": "hukou", "op": "in", "value": ["220302"]}]；'
                    '收入可与保障标准比较：{"field": "household_income_per_capita", "op": "<=", '
                    '"standard": "dibao_urban"}。')


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * max(obj.path.count("/") - 2, 0) + obj.name


def region_label(region: Region) -> str:
    """铁西区, 铁西区 / 北沟街道: a street is shown under its district."""
    if region.level > Region.Level.DISTRICT and region.parent is not None:
        return f"{region.parent.name} / {region.name}"
    return str(region.name)


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return region_label(obj)

    def clean(self, value: Any) -> Any:
        """An empty entry (``regions=``, as the old free-text field sent) means no region, not a wrong one."""
        return super().clean([v for v in value or [] if v] if isinstance(value, list | tuple) else value)


def region_queryset(extra_codes: list[str] | tuple[str, ...] = ()) -> Any:
    """Active districts and streets (in code order, so each district's streets follow it), plus ``extra_codes``."""
    levels = [Region.Level.DISTRICT, Region.Level.STREET]
    wanted = Q(is_active=True, level__in=levels) | Q(code__in=list(extra_codes))
    return Region.objects.filter(wanted).select_related("parent").order_by("code")


def _category_options(current: str = "") -> list[tuple[str, Any]]:
    """(code, "城乡建设 / 供热 / 暖气不热") of every active category (and the current one, if no longer active)."""
    codes = dict(Category.objects.filter(is_active=True).values_list("pk", "code"))
    options: list[tuple[str, Any]] = [(codes[pk], label) for pk, label in category_choices()]
    if current and current not in {code for code, _label in options}:
        old = Category.objects.filter(code=current).first()
        options += [(old.code, old.full_name)] if old else []
    return [("", _("不指定")), *options]


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ArticleKind.choices)
    unit = UnitChoiceField(label=_("主管单位"), queryset=Unit.objects.none(), to_field_name="code",
                           empty_label=_("请选择"), error_messages={"invalid_choice": _("请选择主管单位。")})
    category = forms.ChoiceField(label=_("诉求分类"), required=False)
    regions = RegionChoiceField(label=_("适用区划（不选为全市）"), queryset=Region.objects.none(),
                                to_field_name="code", required=False,
                                help_text=_("按住 Ctrl（Mac 上按 ⌘）可选多个。"),
                                widget=forms.SelectMultiple(attrs={"size": 8}))
    title = forms.CharField(label=_("标题"), max_length=200)
    body_html = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 10}))
    legal_basis = forms.CharField(label=_("政策依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source_document = forms.CharField(label=_("来源文件"), max_length=300, required=False)
    valid_from = forms.DateField(label=_("生效日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_to = forms.DateField(label=_("失效日期"), required=False, help_text=_("留空表示长期有效。"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    keywords = forms.CharField(label=_("关键词（分号分隔）"), required=False)
    questions = forms.CharField(label=_("相似问法（每行一个）"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("享受条件（JSON）"), required=False, help_text=CONDITIONS_HELP,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = str(self.initial.get("unit") or "")
        self.fields["unit"].queryset = Unit.objects.filter(Q(is_active=True) | Q(code=unit)).order_by("path")  # type: ignore[attr-defined]
        self.fields["category"].choices = _category_options(str(self.initial.get("category") or ""))  # type: ignore[attr-defined]
        self.fields["regions"].queryset = region_queryset(self.initial.get("regions") or ())  # type: ignore[attr-defined]

    def clean_conditions(self) -> Any:
        text = (self.cleaned_data.get("conditions") or "").strip()
        try:
            conditions = json.loads(text) if text else []
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("享受条件须为 JSON 列表，请对照下方的例子检查括号和引号。")) from exc
        if problems := eligibility.validate_conditions(conditions):
            raise forms.ValidationError(problems)
        return conditions

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("questions") or "").splitlines() if line.strip()]

    def article_values(self) -> dict[str, Any]:
        """The cleaned form as the keyword arguments of ``services.create_draft`` (with unit) or ``edit_draft``."""
        data = dict(self.cleaned_data)
        code = data.pop("category", "")
        data["category"] = Category.objects.filter(code=code).first() if code else None
        data["regions"] = list(data["regions"])
        return data

    @staticmethod
    def initial_for(version: Any) -> dict[str, Any]:
        article = version.article
        return {
            "kind": article.kind, "unit": article.unit.code, "category": getattr(article.category, "code", ""),
            "regions": list(article.regions.values_list("code", flat=True)), "title": version.title,
            "body_html": version.body_html, "legal_basis": version.legal_basis,
            "source_document": version.source_document, "valid_from": version.valid_from,
            "valid_to": version.valid_to, "keywords": "；".join(version.keywords),
            "questions": "\n".join(version.questions),
            "conditions": json.dumps(version.conditions, ensure_ascii=False) if version.conditions else "",
        }


NUMBER_LIMITS: dict[str, tuple[int | None, int | None, Any]] = {
    "age": (0, 150, _("年龄须在 0 到 150 岁之间。")),
    "disability_grade": (1, 4, _("残疾等级须为 1 到 4 级（1 级最重）。")),
    "household_income_per_capita": (0, None, _("收入不能为负数。")),
}
BENEFIT_HELP = {"household_income_per_capita": _("单位：元/月"), "disability_grade": _("1–4 级，1 级最重")}


def _situation_field(name: str, label: Any, kind: str) -> forms.Field:
    if kind == eligibility.NUMBER:
        low, high, problem = NUMBER_LIMITS.get(name, (None, None, ""))
        messages = {"min_value": problem, "max_value": problem, "invalid": _("请填写数字。")}
        cls = forms.DecimalField if name == "household_income_per_capita" else forms.IntegerField
        return cls(label=label, required=False, min_value=low, max_value=high, error_messages=messages,
                   help_text=BENEFIT_HELP.get(name, ""), widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    if kind == eligibility.BOOL:
        choices: list[tuple[str, Any]] = [UNKNOWN_CHOICE, ("1", _("是")), ("0", _("否"))]
    elif kind == eligibility.CHOICE:
        choices = [UNKNOWN_CHOICE, *eligibility.CHOICES.get(name, {}).items()]
    else:
        choices = [UNKNOWN_CHOICE, *((r.code, region_label(r)) for r in region_queryset())]
    return forms.ChoiceField(label=label, required=False, choices=choices)


class BenefitForm(forms.Form):
    """A caller's situation. Whatever is left at 未填写 stays unknown: the benefit is then listed as 需核实."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, kind) in eligibility.FIELDS.items():
            self.fields[name] = _situation_field(name, label, kind)

    def situation(self) -> dict[str, Any]:
        """The facts given (call after ``is_valid``); yes/no answers as booleans, nothing for 未填写."""
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, ""):
                continue
            out[name] = value == "1" if eligibility.FIELDS[name][1] == eligibility.BOOL else value
        return out
