"""The article editing form: the fields of a version plus the article's kind, unit, category and regions."""

from __future__ import annotations

import json
from typing import Any

from django import forms

from jiesu.knowledge.models import ArticleKind


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ArticleKind.choices)
    unit = forms.CharField(label="主管单位代码", max_length=32)
    category = forms.CharField(label="诉求分类代码", max_length=32, required=False)
    regions = forms.CharField(label="适用区划代码（空格分隔，留空为全市）", required=False)
    title = forms.CharField(label="标题", max_length=200)
    body_html = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 10}))
    legal_basis = forms.CharField(label="政策依据", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source_document = forms.CharField(label="来源文件", max_length=300, required=False)
    valid_from = forms.DateField(label="生效日期", required=False)
    valid_to = forms.DateField(label="失效日期", required=False)
    keywords = forms.CharField(label="关键词（分号分隔）", required=False)
    questions = forms.CharField(label="相似问法（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label="享受条件（JSON）", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_conditions(self) -> Any:
        text = (self.cleaned_data.get("conditions") or "").strip()
        try:
            return json.loads(text) if text else []
        except json.JSONDecodeError as exc:
            raise forms.ValidationError("享受条件须为 JSON 列表。") from exc

    def clean_questions(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("questions") or "").splitlines() if line.strip()]

    @staticmethod
    def initial_for(version: Any) -> dict[str, Any]:
        article = version.article
        return {
            "kind": article.kind, "unit": article.unit.code, "category": getattr(article.category, "code", ""),
            "regions": " ".join(article.regions.values_list("code", flat=True)), "title": version.title,
            "body_html": version.body_html, "legal_basis": version.legal_basis,
            "source_document": version.source_document, "valid_from": version.valid_from,
            "valid_to": version.valid_to, "keywords": "；".join(version.keywords),
            "questions": "\n".join(version.questions),
            "conditions": json.dumps(version.conditions, ensure_ascii=False) if version.conditions else "",
        }
