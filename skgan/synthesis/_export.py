"""Release a generator without pickle: safetensors weights plus a JSON schema."""

import hashlib
import json
import numbers
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file

from .._version import __version__
from ._card import release_card

FORMAT = "skgan-generator"
#: 2: the schema carries a checksum of its own canonical content, so an edit
#: of any file of the export is refused (1 checked the weights only).
#: 3: no training value that occurs once is stored (quantile tables and
#: bounds are midpoints between adjacent values; rare categories recoded).
#: 4: the constraints' reparametrisation (``constraints``, null without).
#: 5: the numbers' marginal calibration (``calibration.*`` arrays) and a
#: series' channel axes (``rotation``), each absent without; a reader of 4
#: would sample without them in silence.
FORMAT_VERSION = 5
#: Formats this version reads: 3 is 4 without constraints, 4 is 5 without
#: calibration.
READABLE_VERSIONS = (3, 4, 5)
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
    rules = getattr(synth, "constraints_", None)
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
    maps = getattr(synth, "calibration_", None)
    for name, value in ({} if maps is None else maps.arrays()).items():
        tensors[f"calibration.{name}"] = torch.as_tensor(np.ascontiguousarray(value))
    frequencies = getattr(trainer, "cond_frequencies_", None) or []
    for b, freq in enumerate(frequencies):
        tensors[f"conditions.{b}"] = freq.detach().cpu().double()
    widths = [m.out_features for m in generator.net if isinstance(m, torch.nn.Linear)]
    schema = {
        **header(synth),
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
        "constraints": None if rules is None else rules.to_state(),
        "release": release_card(synth, privacy),
    }
    write_files(path, tensors, schema)


def header(synth):
    """The schema entries every export starts with: format, versions, params."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "skgan_version": __version__,
        "params": {
            k: (list(v) if isinstance(v, tuple) else v)
            for k, v in synth.get_params().items()
            # The rules are stored apart, with their fitted state.
            if isinstance(v, (*_PLAIN, tuple, list)) and k != "constraints"
        },
    }


def write_files(path, tensors, schema):
    """Write the weights and the schema, with their checksums, or nothing."""
    path = Path(path)
    try:
        # Checked before anything is written: no half-written export.
        json.dumps(schema, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"the model's schema cannot be written as JSON ({exc}); categories "
            "must be strings, numbers or booleans. Convert such columns with "
            "astype(str) before fitting."
        ) from None
    created = not path.exists()
    path.mkdir(parents=True, exist_ok=True)
    weights = path / WEIGHTS
    try:
        save_file(tensors, weights, metadata={"format": FORMAT})
        schema["weights_sha256"] = _sha256(weights)
        schema["schema_sha256"] = _schema_digest(schema)
        (path / SCHEMA).write_text(
            json.dumps(schema, indent=1, allow_nan=False), encoding="utf-8"
        )
    except BaseException:
        # A full disk or Ctrl-C: no half-written export is left.
        for name in (WEIGHTS, SCHEMA):
            (path / name).unlink(missing_ok=True)
        if created:
            path.rmdir()
        raise


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
