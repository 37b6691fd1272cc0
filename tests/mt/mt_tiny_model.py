"""Build real, tiny Argos Translate packages whose output tests can predict exactly.

A package holds a character-level SentencePiece model and a one-layer CTranslate2
Transformer written through ``ctranslate2.specs``. The weights are constructed, not
trained: one-hot token embeddings, sinusoid-like position codes whose dot product peaks
at equal positions (so decoding step t attends source position t), and an output
projection that maps every source piece p to ``mapping(p)``. The "translation" is thus a
per-character mapping such as upper-casing, and tests can compute the expected output.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import transformer_spec

PREFIX_TOKEN = "__yy__"
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_POSITION_FREQUENCIES = 11  # codes stay distinct for 2**11 positions (> 1024 input tokens)
_MAX_POSITIONS = 1100
_ATTENTION_SHARPNESS = 40.0
_OUTPUT_SHARPNESS = 30.0

_SUBJECTS = ["the client", "the interpreter", "my therapist", "she", "he", "we", "they"]
_VERBS = ["feels", "trusts", "understands", "listens to", "meets", "talks with"]
_OBJECTS = ["safe", "the clinician", "the family", "everyone", "me", "the group"]


def upper(piece: str) -> str:
    return piece.upper()


def lower(piece: str) -> str:
    return piece.lower()


def shift_forward(piece: str) -> str:
    """Caesar shift of lower-case letters: the made-up language "xx"."""
    return _shift(piece, 1)


def shift_back(piece: str) -> str:
    return _shift(piece, -1)


def _shift(piece: str, offset: int) -> str:
    if piece in _ALPHABET and len(piece) == 1:
        return _ALPHABET[(_ALPHABET.index(piece) + offset) % len(_ALPHABET)]
    return piece


def shift_text(text: str, offset: int = 1) -> str:
    """What the xx language looks like for an English text."""
    return "".join(_shift(char, offset) for char in text)


def generated_sentences() -> Iterator[str]:
    """A few hundred sentences in both cases, plus every character we use."""
    for subject in _SUBJECTS:
        for verb in _VERBS:
            for obj in _OBJECTS:
                sentence = f"{subject} {verb} {obj}."
                yield sentence
                yield sentence.upper()
    yield _ALPHABET + " " + _ALPHABET.upper() + " 0123456789 .,;:?!'\"-_()"


def train_tokenizer(path: Path) -> Path:
    """Train a character SentencePiece model (the piece vocabulary is the model's)."""
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=generated_sentences(),
        model_writer=buffer,
        model_type="char",
        vocab_size=200,
        hard_vocab_limit=False,
        character_coverage=1.0,
        user_defined_symbols=[PREFIX_TOKEN],
        minloglevel=2,
    )
    path.write_bytes(buffer.getvalue())
    return path


def _position_codes(dims: int, offset: int) -> np.ndarray:
    """Rows (cos, sin, -cos, -sin) per frequency; the +/- copies keep each row's mean
    at zero so the layer norms cannot make attention depend on the position."""
    codes = np.zeros((_MAX_POSITIONS, dims), np.float32)
    steps = np.arange(_MAX_POSITIONS)
    for k in range(_POSITION_FREQUENCIES):
        omega = 2 * np.pi / 2 ** (k + 1)
        column = offset + 4 * k
        codes[:, column] = np.cos(omega * steps)
        codes[:, column + 1] = np.sin(omega * steps)
        codes[:, column + 2] = -np.cos(omega * steps)
        codes[:, column + 3] = -np.sin(omega * steps)
    return codes


def _position_reader(dims: int, offset: int, shift: int, scale: float) -> np.ndarray:
    """Linear map from a hidden state to its position code moved back by ``shift`` steps.

    It reads (x_cos - x_-cos) / 2, which cancels the layer-norm mean, then rotates."""
    weight = np.zeros((dims, dims), np.float32)
    for k in range(_POSITION_FREQUENCIES):
        angle = -shift * 2 * np.pi / 2 ** (k + 1)
        c, s = np.cos(angle), np.sin(angle)
        column = offset + 4 * k
        rotation = np.array([[c, -s], [s, c]]) * scale / 2
        for sign, row in ((1, column), (-1, column + 2)):
            block = sign * rotation
            weight[row : row + 2, column : column + 2] += block
            weight[row : row + 2, column + 2 : column + 4] -= block
    return weight


def _set_layer_norm(spec, dims: int) -> None:
    spec.gamma = np.ones(dims, np.float32)
    spec.beta = np.zeros(dims, np.float32)


def _silence_layer(layer, dims: int, query_key_value_rows: int) -> None:
    """Zero the self-attention and feed-forward outputs: the residual passes unchanged."""
    _set_layer_norm(layer.self_attention.layer_norm, dims)
    layer.self_attention.linear[0].weight = np.zeros((query_key_value_rows, dims), np.float32)
    layer.self_attention.linear[1].weight = np.zeros((dims, dims), np.float32)
    _set_layer_norm(layer.ffn.layer_norm, dims)
    layer.ffn.linear_0.weight = np.zeros((1, dims), np.float32)
    layer.ffn.linear_1.weight = np.zeros((dims, 1), np.float32)


def build_model(
    out_dir: Path, vocabulary: list[str], mapping: Callable[[str], str], shift: int = 0
) -> Path:
    """Write a CTranslate2 model that outputs mapping(piece) for every source piece.

    Hidden layout: [input token one-hot | copied source token | position codes].
    ``shift`` makes step t read source position t - shift (a forced target prefix)."""
    size = len(vocabulary)
    index = {piece: i for i, piece in enumerate(vocabulary)}
    position_offset = 2 * size
    dims = position_offset + 4 * _POSITION_FREQUENCIES
    embeddings = np.zeros((size, dims), np.float32)
    embeddings[np.arange(size), np.arange(size)] = 1.0

    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=1)
    encoder, decoder = spec.encoder, spec.decoder
    for part in (encoder, decoder):
        part.scale_embeddings = False
        part.position_encodings.encodings = _position_codes(dims, position_offset)
        _set_layer_norm(part.layer_norm, dims)
    encoder.embeddings[0].weight = embeddings
    decoder.embeddings.weight = embeddings
    _silence_layer(encoder.layer[0], dims, 3 * dims)
    _silence_layer(decoder.layer[0], dims, 3 * dims)

    cross = decoder.layer[0].attention
    _set_layer_norm(cross.layer_norm, dims)
    cross.linear[0].weight = _position_reader(dims, position_offset, shift, _ATTENTION_SHARPNESS)
    keys_values = np.zeros((2 * dims, dims), np.float32)
    keys_values[:dims] = _position_reader(dims, position_offset, 0, 1.0)
    keys_values[dims + size : dims + 2 * size, :size] = np.eye(size)  # value: copy the token
    cross.linear[1].weight = keys_values
    cross.linear[2].weight = np.eye(dims, dtype=np.float32)

    projection = np.zeros((size, dims), np.float32)
    for source_id, piece in enumerate(vocabulary):
        projection[index.get(mapping(piece), source_id), size + source_id] = _OUTPUT_SHARPNESS
    decoder.projection.weight = projection

    spec.config.add_source_eos = True  # source position n holds </s>, which maps to </s>
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    out_dir.mkdir(parents=True)
    spec.save(str(out_dir))
    return out_dir


def vocabulary_of(tokenizer_path: Path) -> list[str]:
    processor = spm.SentencePieceProcessor(model_file=str(tokenizer_path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def build_package(
    dest: Path,
    tokenizer_path: Path,
    from_code: str,
    to_code: str,
    mapping: Callable[[str], str],
    *,
    version: str = "1.0",
    target_prefix: str = "",
) -> Path:
    """Write ``dest`` (.argosmodel): one top-level folder, as Argos packages are laid out."""
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    staging = dest.parent / f"{dest.stem}-staging"
    root = staging / folder
    shift = 1 if target_prefix else 0
    build_model(root / "model", vocabulary_of(tokenizer_path), mapping, shift)
    shutil.copy(tokenizer_path, root / "sentencepiece.model")
    metadata = {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": f"Test {from_code}",
        "to_code": to_code,
        "to_name": f"Test {to_code}",
        "type": "translate",
        "target_prefix": target_prefix,
    }
    (root / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (root / "README.md").write_text("Constructed test model.\n", encoding="utf-8")
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(root.rglob("*")):
            archive.write(file, file.relative_to(staging).as_posix())
    shutil.rmtree(staging)
    return dest


def load_direct(package_archive: Path, into: Path) -> tuple[ctranslate2.Translator, Path]:
    """Unpack a package and load its model with plain CTranslate2 (for comparisons)."""
    with zipfile.ZipFile(package_archive) as archive:
        archive.extractall(into)
    root = next(path for path in into.iterdir() if path.is_dir())
    translator = ctranslate2.Translator(str(root / "model"), inter_threads=1, intra_threads=1)
    return translator, root / "sentencepiece.model"
