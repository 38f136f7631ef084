import numpy as np

from jiesu.intelligence.features import FeatureConfig, TextFeaturizer

DOCS = [["公交", "线路", "调整"], ["学校", "收费", "问题"], ["公交", "司机", "态度"], ["学校", "食堂", "卫生"]]
EXTRA = [["供热", "暖气", "不热"], ["供热", "公司"]]


def test_fit_transform_matches_fit_then_transform():
    cfg = FeatureConfig(min_df=1)
    one_pass = TextFeaturizer(cfg).fit_transform_tokens(DOCS, presegmented=True)
    two_pass = TextFeaturizer(cfg).fit_tokens(DOCS, presegmented=True).transform_tokens(DOCS)
    assert one_pass.shape == two_pass.shape
    assert np.allclose(one_pass.toarray(), two_pass.toarray())


def test_unlabelled_text_widens_vocabulary_but_adds_no_rows():
    cfg = FeatureConfig(min_df=1)
    plain = TextFeaturizer(cfg).fit_tokens(DOCS, presegmented=True)
    wide = TextFeaturizer(cfg)
    X = wide.fit_transform_tokens(DOCS, presegmented=True, extra_docs=EXTRA)
    assert X.shape[0] == len(DOCS)
    assert "供热" in wide.word_.vocabulary_ and "供热" not in plain.word_.vocabulary_
    assert wide.transform_tokens([["暖气", "不热"]]).nnz > 0
    assert plain.transform_tokens([["暖气", "不热"]]).nnz == 0


def test_vocabulary_filter_drops_unseen_words_only_when_asked():
    on = TextFeaturizer(FeatureConfig(min_df=1, vocab_filter="on")).fit_tokens(DOCS, presegmented=False)
    off = TextFeaturizer(FeatureConfig(min_df=1)).fit_tokens(DOCS, presegmented=True)
    assert on.filter([["公交", "的", "线路"]]) == [["公交", "线路"]]
    assert off.filter([["公交", "的", "线路"]]) == [["公交", "的", "线路"]]
