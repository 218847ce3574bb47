"""skgan: GANs for tabular data as scikit-learn and imbalanced-learn estimators."""

import importlib
from typing import TYPE_CHECKING

from ._version import __version__

# Subpackages and names load on first use (PEP 562): ``import skgan`` and the
# command line's refusals stay fast, and torch loads only when a model does.
_SUBPACKAGES = (
    "anomaly",
    "constraints",
    "datasets",
    "evaluation",
    "exceptions",
    "metrics",
    "nn",
    "over_sampling",
    "plotting",
    "preprocessing",
    "serving",
    "synthesis",
    "utils",
)
_NAMES = {
    "GANAnomalyDetector": "anomaly",
    "EvaluationReport": "evaluation",
    "SeriesEvaluationReport": "evaluation",
    "evaluate": "evaluation",
    "evaluate_series": "evaluation",
    "GANOverSampler": "over_sampling",
    "WCGANOverSampler": "over_sampling",
    "GANSeriesSynthesizer": "synthesis",
    "GANSynthesizer": "synthesis",
    "load_generator": "synthesis",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from . import (
        anomaly,
        constraints,
        datasets,
        evaluation,
        exceptions,
        metrics,
        nn,
        over_sampling,
        plotting,
        preprocessing,
        serving,
        synthesis,
        utils,
    )
    from .anomaly import GANAnomalyDetector
    from .evaluation import (
        EvaluationReport,
        SeriesEvaluationReport,
        evaluate,
        evaluate_series,
    )
    from .over_sampling import GANOverSampler, WCGANOverSampler
    from .synthesis import GANSeriesSynthesizer, GANSynthesizer, load_generator


def __getattr__(name):
    if name in _SUBPACKAGES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skgan' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "EvaluationReport",
    "SeriesEvaluationReport",
    "GANAnomalyDetector",
    "GANOverSampler",
    "GANSeriesSynthesizer",
    "GANSynthesizer",
    "WCGANOverSampler",
    "__version__",
    "anomaly",
    "constraints",
    "datasets",
    "evaluate",
    "evaluate_series",
    "evaluation",
    "load_generator",
    "exceptions",
    "metrics",
    "nn",
    "over_sampling",
    "plotting",
    "preprocessing",
    "serving",
    "synthesis",
    "utils",
]
