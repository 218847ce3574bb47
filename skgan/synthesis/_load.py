"""Load an exported generator: checked safetensors weights plus a JSON schema."""

import json
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file

from .._version import __version__
from ..constraints._apply import ConstraintSet
from ..nn import GANTrainer, Generator
from ..nn._calibration import MARGIN_ARRAYS, MarginMaps
from ..preprocessing import TabularTransformer
from ..utils import draw_seed, make_torch_generator, resolve_device
from ._export import (
    FORMAT,
    READABLE_VERSIONS,
    SCHEMA,
    WEIGHTS,
    _schema_digest,
    _sha256,
)
from ._series import GANSeriesSynthesizer
from ._series_export import KIND, read_series_export
from ._synthesizer import GANSynthesizer


def load_generator(path, *, device="cpu", random_state=None):
    """Load a generator written by :meth:`GANSynthesizer.export_generator`.

    Nothing is unpickled: the weights are read with safetensors, the rest
    from JSON. Both files are checked before any of them is used: the
    weights against their checksum in the schema, the schema against the
    checksum of its own content, so an edited (a category label, a column
    name, the privacy report), truncated or foreign export is refused with a
    :class:`ValueError`. The checksums catch edits, not forgery: whoever can
    run skgan can write a consistent export.

    Parameters
    ----------
    path : str or path-like
        The export directory (``generator.safetensors`` and ``schema.json``).
    device : str or torch.device, default="cpu"
        Where the generator runs.
    random_state : int, RandomState instance or None, default=None
        Seeds the loaded model's random stream (``sample`` also takes its own
        ``random_state``).

    Returns
    -------
    synthesizer : GANSynthesizer
        A synthesizer that can :meth:`~GANSynthesizer.sample` (also on a
        condition); it has no critic and cannot be trained further. Its
        ``release_`` is the export's release card (exporting it again, or
        :func:`skgan.integrations.mlflow.log_model`, carries the card
        unchanged) and ``export_versions_`` the export's format and skgan
        versions.

    Raises
    ------
    ValueError
        If the directory is not a complete, unmodified skgan export.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from skgan import GANSynthesizer, load_generator
    >>> df = pd.DataFrame({"x": [0.5, 1.5, 2.5, 3.5] * 5, "k": list("abab") * 5})
    >>> synth = GANSynthesizer(epochs=1, random_state=0).fit(df)
    >>> folder = tempfile.mkdtemp() + "/model"
    >>> synth.export_generator(folder)
    >>> load_generator(folder).sample(3).columns.tolist()
    ['x', 'k']
    """
    path = Path(path)
    where = f"{str(path)!r}"
    if not path.is_dir():
        raise ValueError(
            f"{where} is not a directory; pass the folder written by "
            "GANSynthesizer.export_generator."
        )
    for name in (SCHEMA, WEIGHTS):
        if not (path / name).is_file():
            raise ValueError(f"{where} is not a skgan generator export: no {name}.")
    try:
        schema = json.loads((path / SCHEMA).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{where}: {SCHEMA} is not valid JSON ({exc}).") from None
    if not isinstance(schema, dict) or schema.get("format") != FORMAT:
        raise ValueError(f"{where}: {SCHEMA} is not a skgan generator schema.")
    version = schema.get("format_version")
    if version not in READABLE_VERSIONS:
        older = isinstance(version, int) and version < min(READABLE_VERSIONS)
        raise ValueError(
            f"{where} has export format {version!r}; this skgan ({__version__}) "
            f"reads formats {READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]}. "
            + (
                "Older formats stored training values (format 1 did not "
                "check its schema for edits either): export the generator "
                "again with this version."
                if older
                else "Upgrade skgan."
            )
        )
    if schema.get("schema_sha256") != _schema_digest(schema):
        raise ValueError(
            f"{where}: {SCHEMA} does not match its checksum; a column name, a "
            "category, a parameter or the privacy report was edited. Export the "
            "generator again."
        )
    if schema.get("weights_sha256") != _sha256(path / WEIGHTS):
        raise ValueError(
            f"{where}: {WEIGHTS} does not match the checksum in {SCHEMA}; the "
            "file was modified or truncated. Export the generator again."
        )
    device = resolve_device(device)
    try:
        tensors = load_file(path / WEIGHTS, device="cpu")
        if schema.get("kind") == KIND:
            synth = read_series_export(
                schema, tensors, GANSeriesSynthesizer, device, draw_seed(random_state)
            )
        else:
            synth = _rebuild(schema, tensors, GANSynthesizer, device)
            synth.trainer_._rng = make_torch_generator(draw_seed(random_state), device)
    except (SafetensorError, KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise ValueError(f"{where} is not a valid skgan export: {exc}") from None
    synth.export_versions_ = {
        "format_version": schema["format_version"],
        "skgan_version": schema.get("skgan_version"),
    }
    return synth


def _rebuild(schema, tensors, synthesizer_class, device):
    spec = schema["generator"]
    # Built on the CPU inside fork_rng (torch's global generator ends as it
    # was) rather than on the meta device, whose first use imports sympy.
    with torch.random.fork_rng(devices=[]):
        generator = Generator(
            int(spec["latent_dim"]),
            int(spec["cond_dim"]),
            tuple(int(w) for w in spec["hidden_dims"]),
            int(spec["out_dim"]),
            batch_norm=bool(spec["batch_norm"]),
        )
    state = {
        k.removeprefix("generator."): v
        for k, v in tensors.items()
        if k.startswith("generator.")
    }
    generator.load_state_dict(state, strict=True)
    generator.eval()
    arrays = {
        k.removeprefix("transformer."): v.numpy()
        for k, v in tensors.items()
        if k.startswith("transformer.")
    }
    transformer = TabularTransformer._from_state(schema["transformer"], arrays)
    blocks = [(str(kind), int(width)) for kind, width in schema["output_blocks"]]
    if blocks != list(transformer.output_blocks_):
        raise ValueError("the output blocks disagree with the columns")
    trainer = GANTrainer(
        latent_dim=generator.latent_dim, output_blocks=blocks, device=device
    )
    trainer.generator_ = generator.to(device)
    trainer._set_blocks(int(spec["out_dim"]))
    trainer.cond_spans_ = None
    widths = sum(int(s[2]) for s in schema["cond_spans"] or [])
    if widths != generator.cond_dim:
        raise ValueError("the conditions disagree with the generator's input")
    if schema["cond_spans"] is not None:
        trainer.cond_spans_ = [tuple(int(v) for v in s) for s in schema["cond_spans"]]
        trainer.cond_frequencies_ = [
            tensors[f"conditions.{b}"].float().to(device)
            for b in range(len(trainer.cond_spans_))
        ]
        trainer._set_cond_grid()
    params = schema.get("params", {})
    synth = synthesizer_class(
        **{
            k: tuple(v) if isinstance(v, list) and k.endswith("_dims") else v
            for k, v in params.items()
            if k in synthesizer_class().get_params()
        }
    )
    synth.transformer_ = transformer
    synth.trainer_ = trainer
    synth.calibration_ = None
    if "calibration.columns" in tensors:
        synth.calibration_ = MarginMaps(
            *(tensors[f"calibration.{name}"].numpy() for name in MARGIN_ARRAYS)
        )
        if synth.calibration_.columns.max() >= int(spec["out_dim"]):
            raise ValueError("the calibration names a column the generator lacks")
    synth.device_ = device
    synth.n_features_in_ = transformer.n_features_in_
    if transformer._frame_in:
        synth.feature_names_in_ = transformer.feature_names_in_
    synth.constraints_ = None
    if schema.get("constraints") is not None:
        synth.constraints_ = ConstraintSet.from_state(
            schema["constraints"], transformer.columns_
        )
        synth.constraints = list(synth.constraints_.rules)
        synth.n_features_in_ = len(synth.constraints_.columns_)
        synth.feature_names_in_ = np.asarray(synth.constraints_.columns_, object)
    synth.release_ = schema["release"]
    synth.privacy_ = synth.release_["measures"]
    synth.n_samples_fit_ = synth.release_["n_training_rows"]
    if isinstance(synth.release_.get("clipped"), dict):
        synth.clipped_ = synth.release_["clipped"]
    if synth.release_["epsilon"] != "none":
        # A private model stays private when exported again.
        synth.epsilon_ = float(synth.release_["epsilon"])
        synth.delta_ = float(synth.release_["delta"])
    return synth
