"""Release a generator without pickle: safetensors weights plus a JSON schema."""

import hashlib
import json
import numbers
from pathlib import Path

import numpy as np
import torch
from safetensors import SafetensorError
from safetensors.torch import load_file, save_file

from ..nn import GANTrainer, Generator
from ..preprocessing import TabularTransformer
from ..utils import draw_seed, make_torch_generator, resolve_device

FORMAT = "skgan-generator"
#: 2: the schema carries a checksum of its own canonical content, so an edit
#: of any file of the export is refused (1 checked the weights only).
#: 3: no training value that occurs once is stored (quantile tables and
#: bounds are midpoints between adjacent values; rare categories recoded).
FORMAT_VERSION = 3
SCHEMA = "schema.json"
WEIGHTS = "generator.safetensors"

# Constructor parameters written to the schema for the record; those that are
# not plain JSON values (a RandomState, a torch.device) are left out.
_PLAIN = (str, numbers.Real, bool, type(None))


def check_export_path(path):
    """Refuse an export directory that holds files (a stale file would mix in).

    Parameters
    ----------
    path : str or Path
        The directory to write.

    Raises
    ------
    ValueError
        If ``path`` exists and is not an empty directory.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ValueError(
            f"{str(path)!r} exists and is not an empty directory; export to a new "
            "directory so that no stale file is mixed in."
        )


def write_export(synth, path, privacy):
    """Write ``synth``'s generator and schema to the directory ``path``."""
    path = Path(path)
    check_export_path(path)
    trainer = synth.trainer_
    generator = trainer.generator_
    meta, arrays = synth.transformer_._export_state()
    tensors = {
        f"generator.{name}": value.detach().cpu().contiguous()
        for name, value in generator.state_dict().items()
    }
    tensors.update(
        {
            f"transformer.{k}": torch.as_tensor(np.ascontiguousarray(v))
            for k, v in arrays.items()
        }
    )
    frequencies = getattr(trainer, "cond_frequencies_", None) or []
    for b, freq in enumerate(frequencies):
        tensors[f"conditions.{b}"] = freq.detach().cpu().double()
    widths = [m.out_features for m in generator.net if isinstance(m, torch.nn.Linear)]
    params = {
        k: (list(v) if isinstance(v, tuple) else v)
        for k, v in synth.get_params().items()
        if isinstance(v, (*_PLAIN, tuple, list))
    }
    schema = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skgan_version": _version(),
        "generator": {
            "latent_dim": generator.latent_dim,
            "cond_dim": generator.cond_dim,
            "hidden_dims": widths[:-1],
            "out_dim": widths[-1],
            "batch_norm": any(
                isinstance(m, torch.nn.BatchNorm1d) for m in generator.net
            ),
        },
        "output_blocks": [list(b) for b in trainer.output_blocks],
        "cond_spans": None
        if trainer.cond_spans_ is None
        else [list(s) for s in trainer.cond_spans_],
        "transformer": meta,
        "params": params,
        "release": release_card(synth, privacy),
    }
    try:
        # Checked before anything is written: no half-written export.
        json.dumps(schema, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"the model's schema cannot be written as JSON ({exc}); categories "
            "must be strings, numbers or booleans. Convert such columns with "
            "astype(str) before fitting."
        ) from None
    path.mkdir(parents=True, exist_ok=True)
    weights = path / WEIGHTS
    save_file(tensors, weights, metadata={"format": FORMAT})
    schema["weights_sha256"] = _sha256(weights)
    schema["schema_sha256"] = _schema_digest(schema)
    (path / SCHEMA).write_text(
        json.dumps(schema, indent=1, allow_nan=False), encoding="utf-8"
    )


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
        condition); it has no critic and cannot be trained further.

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
    from ._synthesizer import GANSynthesizer

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
    if version != FORMAT_VERSION:
        older = isinstance(version, int) and version < FORMAT_VERSION
        raise ValueError(
            f"{where} has export format {version!r}; this skgan ({_version()}) "
            f"reads format {FORMAT_VERSION}. "
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
        synth = _rebuild(schema, tensors, GANSynthesizer, device)
    except (SafetensorError, KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise ValueError(f"{where} is not a valid skgan export: {exc}") from None
    synth.trainer_._rng = make_torch_generator(draw_seed(random_state), device)
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
    synth.device_ = device
    synth.n_features_in_ = transformer.n_features_in_
    if transformer._frame_in:
        synth.feature_names_in_ = transformer.feature_names_in_
    synth.release_ = schema["release"]
    synth.privacy_ = synth.release_["measures"]
    synth.n_samples_fit_ = synth.release_["n_training_rows"]
    if synth.release_["epsilon"] != "none":
        # A private model stays private when exported again.
        synth.epsilon_ = float(synth.release_["epsilon"])
        synth.delta_ = float(synth.release_["delta"])
    return synth


#: What each measure of a release card means, written into the card.
DEFINITIONS = {
    "n_training_rows": "rows the generator was trained on (none is stored)",
    "epsilon": "differential-privacy budget spent in training; 'none' means "
    "no formal guarantee",
    "exact_copy_rate": "fraction of checked samples identical to a training row",
    "holdout_copy_rate": "fraction of held-out real rows identical to a training "
    "row: the rate fresh real rows copy at (ties in discrete data)",
    "dcr_ratio": "median distance from a sample to its closest training row over "
    "the same for a held-out real row; about 1 is healthy, well below 1 copies",
    "membership_inference_roc_auc": "ROC-AUC of the stronger of two attacks "
    "(k-nearest-neighbour density ratio, distance to the closest sample) at "
    "telling training rows from held-out rows with the samples; 0.5 is chance",
    "stored_values": "no training value that occurs only once is stored: numeric "
    "quantiles and bounds are midpoints between adjacent values, categories "
    "seen once are recoded",
}


def release_card(synth, report):
    """The release card of an export: what was trained on, and what leaks.

    Parameters
    ----------
    synth : GANSynthesizer
        The fitted model.
    report : dict or None
        Its privacy check (:meth:`~skgan.GANSynthesizer.check_privacy` with
        ``risk``), or None when no training rows were given.

    Returns
    -------
    card : dict
        JSON-able: ``n_training_rows``, ``model``, ``epsilon``, ``delta``,
        ``measures`` (the report, or None), ``risk`` and ``definitions``.
    """
    epsilon = getattr(synth, "epsilon_", None)
    return {
        "n_training_rows": getattr(synth, "n_samples_fit_", None),
        "model": {
            "estimator": type(synth).__name__,
            "loss": synth.loss,
            "conditional": bool(synth.conditional),
            "numeric": synth.numeric,
        },
        "epsilon": "none" if epsilon is None else float(epsilon),
        "delta": "none" if epsilon is None else float(synth.delta_),
        "measures": None
        if report is None
        else _json_safe({k: v for k, v in report.items() if k != "risk"}),
        "risk": [] if report is None else list(report.get("risk", [])),
        "definitions": DEFINITIONS,
    }


def format_card(card):
    """A release card as lines of text, for the command line.

    Parameters
    ----------
    card : dict
        From :func:`release_card`.

    Returns
    -------
    text : str
        One line per entry.
    """
    model = card["model"]
    lines = [
        f"model: {model['estimator']} (loss={model['loss']}, "
        f"conditional={model['conditional']}, numeric={model['numeric']})",
        f"training rows: {card['n_training_rows']} (none stored)",
        f"epsilon: {card['epsilon']}"
        + ("" if card["epsilon"] == "none" else f", delta: {card['delta']}"),
    ]
    measures = card["measures"]
    if measures is None:
        lines.append("measures: none (exported without the training rows)")
    else:
        for key in (
            "exact_copy_rate",
            "holdout_copy_rate",
            "dcr_ratio",
            "membership_inference_roc_auc",
        ):
            value = measures.get(key)
            shown = "n/a (no holdout)" if value is None else f"{float(value):.4f}"
            lines.append(f"{key}: {shown}")
    lines += [f"risk: {r}" for r in card["risk"]] or ["risk: none found"]
    return "\n".join(lines)


def _json_safe(report):
    """Non-finite numbers as strings ("inf"): JSON has no infinity."""
    return {
        k: str(v) if isinstance(v, float) and not np.isfinite(v) else v
        for k, v in report.items()
    }


def _schema_digest(schema):
    """SHA-256 of the schema's canonical JSON, without its own checksum."""
    content = {k: v for k, v in schema.items() if k != "schema_sha256"}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version():
    from .. import __version__

    return __version__
