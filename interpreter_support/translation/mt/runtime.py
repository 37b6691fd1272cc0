"""Loaded models, and one translation step through one installed package.

Tokenization and decoding are argostranslate's (its SentencePiece or BPE tokenizer for
the package); sentence splitting is ours (splitter.py), and all sentences of a batch of
texts go to CTranslate2 in one call. argostranslate's own translate() is not used: it
would construct its MiniSBD splitter, which downloads a model when a package lacks one,
and it keeps a process-wide cache per language pair that outlives a removed package.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interpreter_support.translation.mt.packages import InstalledPackage
from interpreter_support.translation.mt.settings import (
    MTSettings,
    current_settings,
    load_argos,
    load_ctranslate2,
)
from interpreter_support.translation.mt.splitter import (
    fit_to_budget,
    split_paragraphs,
    split_sentences,
)

# Decoding options as argostranslate uses them, except the batch size: Argos counts it
# in tokens (32 tokens), which splits a batch of sentences into many small calls.
LENGTH_PENALTY = 0.2
MAX_BATCH_EXAMPLES = 32


@dataclass(frozen=True)
class LoadedModel:
    package: InstalledPackage
    tokenizer: Any  # argostranslate.tokenizer.Tokenizer
    translator: Any  # ctranslate2.Translator


_lock = threading.Lock()
_models: dict[Path, LoadedModel] = {}
_models_settings: MTSettings | None = None


def loaded_model(package: InstalledPackage) -> LoadedModel:
    """The package's model, loaded once per process and reloaded when it was replaced."""
    global _models_settings
    settings = current_settings()
    with _lock:
        if _models_settings != settings:
            _models.clear()  # reconfigured: release models of the previous folder
            _models_settings = settings
        model = _models.get(package.path)
        if model is None or model.package.model_id != package.model_id:
            model = _load(package, settings)
            _models[package.path] = model
    return model


def _load(package: InstalledPackage, settings: MTSettings) -> LoadedModel:
    argos_package = load_argos().Package(package.path)
    translator = load_ctranslate2().Translator(
        str(package.path / "model"),
        device="cpu",
        inter_threads=1,
        intra_threads=settings.threads,
    )
    return LoadedModel(package, argos_package.tokenizer, translator)


def translate_texts(package: InstalledPackage, texts: list[str]) -> list[str]:
    """Translate each text through one package, keeping its line structure."""
    settings = current_settings()
    model = loaded_model(package)
    layout = [_segment(model, text, settings.max_sentence_tokens) for text in texts]
    pieces = [piece for paragraphs in layout for paragraph in paragraphs for piece in paragraph]
    outputs = iter(_translate_pieces(model, pieces, settings))
    translated = []
    for paragraphs in layout:
        lines = [_decode(model, [next(outputs) for _ in paragraph]) for paragraph in paragraphs]
        translated.append("\n".join(lines))
    return translated


def _segment(model: LoadedModel, text: str, max_tokens: int) -> list[list[str]]:
    """Paragraphs of pieces: sentences, cut further where longer than max_tokens."""

    def count(piece: str) -> int:
        return len(model.tokenizer.encode(piece))

    paragraphs = []
    for paragraph in split_paragraphs(text):
        sentences = split_sentences(paragraph)
        paragraphs.append([p for s in sentences for p in fit_to_budget(s, count, max_tokens)])
    return paragraphs


def _translate_pieces(
    model: LoadedModel, pieces: list[str], settings: MTSettings
) -> list[list[str]]:
    if not pieces:
        return []
    tokens = [model.tokenizer.encode(piece) for piece in pieces]
    prefix = model.package.target_prefix
    results = model.translator.translate_batch(
        tokens,
        target_prefix=[[prefix]] * len(tokens) if prefix else None,
        beam_size=settings.beam_size,
        length_penalty=LENGTH_PENALTY,
        replace_unknowns=True,
        max_batch_size=MAX_BATCH_EXAMPLES,
        max_decoding_length=2 * settings.max_sentence_tokens,
    )
    hypotheses = [result.hypotheses[0] for result in results]
    if prefix:
        hypotheses = [h[1:] if h[:1] == [prefix] else h for h in hypotheses]
    return hypotheses


def _decode(model: LoadedModel, translated_pieces: list[list[str]]) -> str:
    """One paragraph: Argos decodes the pieces' tokens together, as it does itself."""
    tokens = [token for piece in translated_pieces for token in piece]
    return model.tokenizer.decode(tokens).strip() if tokens else ""
