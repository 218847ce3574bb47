"""Release a series generator: its convolutional generators, the scaling, a card."""

import json

import numpy as np
import torch

from ..constraints._apply import ConstraintSet
from ..nn import GANTrainer
from ..nn._calibration import MARGIN_ARRAYS, MarginMaps
from ..nn._modules import ConvGenerator
from ..preprocessing import NumericScaler
from ..utils import make_torch_generator
from ._card import release_card
from ._export import check_export_path, header, write_files
from ._series_levels import MIXTURE_ARRAYS

#: The schema's ``kind`` of a series export (a table's has none).
KIND = "series"
#: The calibration's maps of each class, in ``calibration_``'s order.
MAP_PARTS = ("changes", "levels")


def write_series_export(synth, path, privacy):
    """Write ``synth``'s generators, scaling and card to the directory ``path``."""
    check_export_path(path)
    tensors = {}
    for i, model in enumerate(synth.models_.values()):
        for name, value in model.generator_.state_dict().items():
            tensors[f"generator.{i}.{name}"] = value.detach().cpu().contiguous()
    meta, arrays = synth.scaler_._export_state()
    for name, value in arrays.items():
        tensors[f"scaler.{name}"] = torch.as_tensor(np.ascontiguousarray(value))
    if getattr(synth, "rotation_", None) is not None:
        tensors["rotation"] = torch.as_tensor(np.ascontiguousarray(synth.rotation_))
    calibration = getattr(synth, "calibration_", None) or {}
    for i, label in enumerate(synth.models_):
        for part, maps in zip(MAP_PARTS, calibration.get(label, ()), strict=False):
            for name, value in maps.arrays().items():
                tensors[f"calibration.{i}.{part}.{name}"] = torch.as_tensor(
                    np.ascontiguousarray(value)
                )
    mixtures = getattr(synth, "level_mixtures_", None) or {}
    for i, label in enumerate(synth.models_):
        for name, value in mixtures.get(label, {}).items():
            tensors[f"levels.{i}.{name}"] = torch.as_tensor(np.ascontiguousarray(value))
    first = next(iter(synth.models_.values())).generator_
    classes = list(synth.models_)
    rules = synth.constraints_
    schema = {
        **header(synth),
        "kind": KIND,
        "generator": {
            "latent_dim": first.latent_dim,
            "window_length": synth.window_length_,
            "n_features": synth.n_features_in_,
            # Each channel's movement and level: twice the channels.
            "per_step": first.n_features,
            "channels": first.channels,
        },
        "classes": None if synth.classes_ is None else [_plain(c) for c in classes],
        "scaler": meta,
        # Midpoints next to the extremes, so that no training value seen
        # once is stored; the fitted model samples in the same range.
        "channel_range": [v.tolist() for v in synth.channel_range_],
        "channel_decimals": synth.channel_decimals_.tolist(),
        "channels": None
        if not hasattr(synth, "feature_names_in_")
        else {"names": list(synth.feature_names_in_), "dtypes": synth._dtypes},
        "constraints": None if rules is None else rules.to_state(),
        "release": release_card(synth, privacy),
    }
    write_files(path, tensors, schema)


def read_series_export(schema, tensors, synthesizer_class, device, seed):
    """The series synthesizer that :func:`write_series_export` wrote."""
    spec = schema["generator"]
    length, n_features = int(spec["window_length"]), int(spec["n_features"])
    params = schema.get("params", {})
    synth = synthesizer_class(
        **{k: v for k, v in params.items() if k in synthesizer_class().get_params()}
    )
    labels = [None] if schema["classes"] is None else schema["classes"]
    synth.models_ = {}
    for i, label in enumerate(labels):
        with torch.random.fork_rng(devices=[]):
            generator = ConvGenerator(
                int(spec["latent_dim"]),
                length,
                int(spec["per_step"]),
                int(spec["channels"]),
            )
        prefix = f"generator.{i}."
        state = {
            k.removeprefix(prefix): v
            for k, v in tensors.items()
            if k.startswith(prefix)
        }
        generator.load_state_dict(state, strict=True)
        generator.eval()
        model = GANTrainer(
            latent_dim=int(spec["latent_dim"]), window_length=length, device=device
        )
        model.generator_ = generator.to(device)
        model.cond_spans_ = None
        model._rng = make_torch_generator(seed + i, device)
        synth.models_[label] = model
    synth.classes_ = None if schema["classes"] is None else np.asarray(labels)
    synth.scaler_ = NumericScaler._from_state(
        schema["scaler"],
        {
            k.removeprefix("scaler."): v.numpy()
            for k, v in tensors.items()
            if k.startswith("scaler.")
        },
    )
    synth.window_length_, synth.n_features_in_ = length, n_features
    synth.rotation_ = None
    if "rotation" in tensors:
        synth.rotation_ = tensors["rotation"].numpy()
        if synth.rotation_.shape != (2 * n_features, 2 * n_features):
            raise ValueError("the rotation disagrees with the channels")
    synth.calibration_ = _read_maps(tensors, list(synth.models_))
    synth.level_mixtures_ = None
    if any(k.startswith("levels.") for k in tensors):
        synth.level_mixtures_ = {
            label: {
                name: tensors[f"levels.{i}.{name}"].numpy() for name in MIXTURE_ARRAYS
            }
            for i, label in enumerate(synth.models_)
        }
    synth.channel_range_ = np.asarray(schema["channel_range"], dtype=float)
    synth.channel_decimals_ = np.asarray(schema["channel_decimals"], dtype=np.int64)
    synth.device_ = device
    synth.history_ = []
    if schema["channels"] is not None:
        synth.feature_names_in_ = np.asarray(schema["channels"]["names"], object)
        synth._dtypes = list(schema["channels"]["dtypes"])
    synth.constraints_ = None
    if schema["constraints"] is not None:
        columns = [{"name": str(c)} for c in range(n_features)]
        synth.constraints_ = ConstraintSet.from_state(schema["constraints"], columns)
    synth.release_ = schema["release"]
    synth.n_samples_fit_ = synth.release_["n_training_rows"]
    return synth


def _read_maps(tensors, labels):
    """Each class's calibration maps, or None when the export has none."""
    if not any(k.startswith("calibration.") for k in tensors):
        return None
    out = {}
    for i, label in enumerate(labels):
        out[label] = tuple(
            MarginMaps(
                *(
                    tensors[f"calibration.{i}.{part}.{name}"].numpy()
                    for name in MARGIN_ARRAYS
                )
            )
            for part in MAP_PARTS
        )
    return out


def _plain(value):
    value = value.item() if isinstance(value, np.generic) else value
    json.dumps(value)  # a class label must be a JSON value
    return value
