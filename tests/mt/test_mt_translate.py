"""Translation through real Argos packages and CTranslate2: direct, pivot, memory, batch."""

from __future__ import annotations

import mt_tiny_model as tiny
import pytest
import sentencepiece as spm

from interpreter_support.translation import mt
from interpreter_support.translation.mt import engine

TEXT = "The client feels safe. Dr. Smith listens to me.\n\nShe trusts the interpreter"


@pytest.fixture
def model_calls(monkeypatch) -> list[list[str]]:
    """Every batch of texts that reaches a model (memory hits never do)."""
    calls: list[list[str]] = []
    real = engine.translate_texts

    def counting(package, texts):
        calls.append(list(texts))
        return real(package, texts)

    monkeypatch.setattr(engine, "translate_texts", counting)
    return calls


def test_direct_translation_keeps_sentences_and_lines(install) -> None:
    install("en_yy")
    result = mt.translate(TEXT, "en", "yy")
    package = mt.list_packages()[0]
    assert result == mt.Translation(TEXT.upper(), package.model_id, (("en", "yy"),), False)


def test_characters_the_model_does_not_know_are_copied(install) -> None:
    install("en_yy")
    assert mt.translate("the café – ok", "en", "yy").text == "THE CAFé – OK"


def test_pivot_through_english_when_no_direct_package(install) -> None:
    install("xx_en", "en_yy")
    result = mt.translate(tiny.shift_text(TEXT), "xx", "yy")
    into, out_of = (mt.find_route("xx", "en")[0], mt.find_route("en", "yy")[0])
    assert result.text == TEXT.upper()
    assert result.route == (("xx", "en"), ("en", "yy"))
    assert result.model_id == f"{into.model_id} > {out_of.model_id}"
    assert mt.find_route("xx", "yy") == [into, out_of]


def test_a_direct_package_wins_over_the_pivot(install, build_archive) -> None:
    install("xx_en", "en_yy")
    direct = mt.install_package(build_archive("xx", "yy", tiny.upper))
    assert mt.find_route("xx", "yy") == [direct]
    assert mt.translate("uif", "xx", "yy").text == "UIF"


def test_missing_pair_or_half_raises_no_route(install) -> None:
    install("xx_en")
    with pytest.raises(mt.NoRoute) as raised:
        mt.translate("uif", "xx", "yy")
    assert (raised.value.from_code, raised.value.to_code) == ("xx", "yy")
    with pytest.raises(mt.NoRoute):
        mt.find_route("en", "xx")  # only xx -> en is installed: no reverse, no pivot


def test_no_route_names_dari_and_pashto(install) -> None:
    install("en_yy")
    with pytest.raises(mt.NoRoute, match=r"from Dari \(prs\) to English \(en\)"):
        mt.translate("salaam", "fa_AF", "en")
    with pytest.raises(mt.NoRoute, match=r"from English \(en\) to Pashto \(ps\)"):
        mt.find_route("en", "ps")


def test_same_language_is_refused(configured) -> None:
    with pytest.raises(ValueError, match="both zh"):
        mt.find_route("zh_Hans", "zh")


def test_memory_answers_repeats_without_the_model(install, model_calls) -> None:
    install("en_yy")
    memory = mt.InMemoryTranslationMemory()
    first = mt.translate(TEXT, "en", "yy", memory=memory)
    second = mt.translate(TEXT, "en", "yy", memory=memory)
    assert (first.from_memory, second.from_memory) == (False, True)
    assert second.text == first.text
    assert model_calls == [[TEXT]]
    key = mt.MemoryKey.for_text(first.model_id, "en", "yy", TEXT)
    assert memory.get(key) == TEXT.upper()
    memory.put(key, "a reviewer's stored draft")
    assert mt.translate(TEXT, "en", "yy", memory=memory).text == "a reviewer's stored draft"


def test_memory_does_not_serve_another_model_version(install, build_archive, model_calls):
    install("en_yy")
    memory = mt.InMemoryTranslationMemory()
    mt.translate("we", "en", "yy", memory=memory)
    mt.install_package(build_archive("en", "yy", tiny.upper, version="1.1"))
    again = mt.translate("we", "en", "yy", memory=memory)
    assert not again.from_memory
    assert len(model_calls) == 2
    assert len(memory) == 2


def test_batch_keeps_order_translates_each_text_once_and_reports_progress(
    install, model_calls
) -> None:
    install("en_yy")
    memory = mt.InMemoryTranslationMemory()
    mt.translate("she", "en", "yy", memory=memory)
    texts = [f"item {n}." for n in range(70)] + ["she", "item 3."]
    seen: list[tuple[int, int]] = []
    results = mt.translate_many(
        texts, "en", "yy", memory=memory, progress=lambda done, total: seen.append((done, total))
    )
    assert [r.text for r in results] == [text.upper() for text in texts]
    assert [r.from_memory for r in results][-2:] == [True, False]
    assert sorted(t for call in model_calls[1:] for t in call) == sorted(set(texts) - {"she"})
    # "she" came from memory; the repeated "item 3." is done with the first batch
    assert seen == [(1, 72), (34, 72), (66, 72), (72, 72)]


def test_empty_batch_and_blank_text(install) -> None:
    install("en_yy")
    assert mt.translate_many([], "en", "yy") == []
    assert mt.translate(" \n", "en", "yy").text == "\n"


def test_long_sentences_are_translated_in_full(install, archives, tmp_path) -> None:
    """CTranslate2 stops decoding at 256 tokens; the engine cuts long sentences first."""
    install("en_yy")
    sentence = ", ".join(f"the client feels safe with interpreter {n}" for n in range(12)) + "."
    translator, tokenizer_path = tiny.load_direct(archives["en_yy"], tmp_path / "direct")
    tokenizer = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
    tokens = tokenizer.encode(sentence, out_type=str)
    cut = translator.translate_batch([tokens], beam_size=4)[0].hypotheses[0]
    assert len(tokens) > 400
    assert len(cut) == 256  # the trap, called directly
    assert mt.translate(sentence, "en", "yy").text == sentence.upper()


def test_underscores_come_back_as_spaces(install) -> None:
    """A known Argos limitation (its decoder replaces "_"): keep placeholders out of MT."""
    install("en_yy")
    assert mt.translate("client_code", "en", "yy").text == "CLIENT CODE"


def test_target_prefix_packages_drop_the_prefix(configured, build_archive) -> None:
    mt.install_package(build_archive("en", "zz", tiny.upper, target_prefix=tiny.PREFIX_TOKEN))
    assert mt.translate(TEXT, "en", "zz").text == TEXT.upper()
