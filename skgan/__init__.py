"""skgan: GANs for tabular data as scikit-learn and imbalanced-learn estimators."""

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
from ._version import __version__
from .anomaly import GANAnomalyDetector
from .evaluation import (
    EvaluationReport,
    SeriesEvaluationReport,
    evaluate,
    evaluate_series,
)
from .over_sampling import GANOverSampler, WCGANOverSampler
from .synthesis import GANSeriesSynthesizer, GANSynthesizer, load_generator

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
