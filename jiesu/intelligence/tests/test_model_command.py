import json

import pytest
from django.core.management import CommandError, call_command

from jiesu.core.models import Event
from jiesu.intelligence import classifier
from jiesu.intelligence.models import ModelVersion
from jiesu.intelligence.tests import synthetic

COLS = "留言主题,留言详情"


def run(capsys, *args):
    call_command("model", *args)
    return capsys.readouterr()


@pytest.fixture
def files(tmp_path):
    data = synthetic.rows()
    return {
        "csv": synthetic.write_csv(tmp_path / "train.csv", data),
        "gbk": synthetic.write_csv(tmp_path / "train_gbk.csv", data, encoding="gb18030"),
        "xlsx": synthetic.write_xlsx(tmp_path / "train.xlsx", data),
        "test": synthetic.write_csv(tmp_path / "test.csv", synthetic.rows(per_label=8, seed=7)),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    classifier.clear_cache()
    yield
    classifier.clear_cache()


def train(capsys, files, tmp_path, kind="csv", name="m1", *extra):
    out = tmp_path / name
    res = run(capsys, "train", "--task", "topic", "--data", str(files[kind]), "--text-cols", COLS,
              "--label-col", "label", "--out", str(out), "--json", *extra)
    return out, json.loads(res.out), res.err


@pytest.mark.django_db
def test_train_writes_artefact_registers_and_reports_progress(capsys, files, tmp_path):
    out, meta, err = train(capsys, files, tmp_path)
    assert (out / "model.joblib").is_file() and (out / "meta.json").is_file()
    assert meta["task"] == "topic" and meta["text_cols"] == ["留言主题", "留言详情"]
    assert meta["training_data"]["rows"] == 72 and meta["training_data"]["label_counts"]["交通运输"] == 24
    assert len(meta["training_data"]["sha256"]) == 64
    assert meta["metrics"]["cv"]["macro_f1"] > 0.9 and 0 < meta["threshold"] <= 1
    assert "交叉验证" in err and "用时" in err
    mv = ModelVersion.objects.get(version=meta["version"])
    assert not mv.is_active and mv.metrics["cv"]["n"] == 72


@pytest.mark.django_db
def test_eval_prints_one_json_object(capsys, files, tmp_path):
    out, _, _ = train(capsys, files, tmp_path, "xlsx")
    res = run(capsys, "eval", "--model", str(out), "--data", str(files["test"]), "--text-cols", COLS,
              "--label-col", "label", "--json")
    result = json.loads(res.out)
    assert result["n"] == 24 and result["macro_f1"] > 0.9 and result["accuracy"] > 0.9
    assert set(result["per_label"]) == set(synthetic.WORDS)
    assert set(result["per_label"]["教育文体"]) == {"precision", "recall", "f1", "support"}


@pytest.mark.django_db
def test_gb18030_csv_trains_too(capsys, files, tmp_path):
    _, meta, _ = train(capsys, files, tmp_path, "gbk", "m2", "--cv-folds", "0", "--model-kind", "lr")
    assert meta["labels"] == sorted(synthetic.WORDS) and meta["metrics"]["cv"] is None


@pytest.mark.django_db
def test_activate_then_predict_topic_and_abstain(capsys, files, tmp_path):
    assert classifier.predict_topic("公交线路").abstained  # no active model yet
    out1, meta1, _ = train(capsys, files, tmp_path, "csv", "m1")
    out2, meta2, _ = train(capsys, files, tmp_path, "csv", "m2")
    run(capsys, "activate", meta1["version"])
    run(capsys, "activate", str(out2))
    active = ModelVersion.objects.filter(task="topic", is_active=True)
    assert list(active.values_list("version", flat=True)) == [meta2["version"]]
    assert Event.objects.filter(subject_type="model_version", action="activated").count() == 2

    pred = classifier.predict_topic("公交线路调整，车站太远，司机态度差", top_k=2)
    assert pred.model_version == meta2["version"] and not pred.abstained
    assert pred.label == "交通运输" and len(pred.candidates) == 2
    assert pred.candidates[0][1] >= pred.candidates[1][1] and sum(p for _, p in pred.candidates) <= 1.0001
    unsure = classifier.predict_topic("今天天气")
    assert unsure.abstained and unsure.label is None

    listing = json.loads(run(capsys, "list", "--json").out)
    assert [r["active"] for r in listing if r["version"] == meta2["version"]] == [True]


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--data", "/no/such.csv", "--text-cols", COLS, "--label-col", "label"], "找不到数据文件"),
    (["--text-cols", "标题", "--label-col", "label"], "没有列：标题"),
    (["--text-cols", COLS, "--label-col", "类别"], "没有列：类别"),
])
def test_bad_files_and_columns_fail_in_chinese(files, args, message):
    if "--data" not in args:
        args = ["--data", str(files["csv"]), *args]
    with pytest.raises(CommandError, match=message):
        call_command("model", "train", *args)
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
def test_activate_unknown_version_fails(tmp_path):
    with pytest.raises(CommandError, match="找不到模型版本"):
        call_command("model", "activate", "topic-nope")
