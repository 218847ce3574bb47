"""skgan: GANs for tabular data as scikit-learn and imbalanced-learn estimators."""

from . import (
    anomaly,
    datasets,
    evaluation,
    exceptions,
    metrics,
    nn,
    over_sampling,
    plotting,
    preprocessing,
    utils,
)
from .anomaly import GANAnomalyDetector
from .evaluation import EvaluationReport, evaluate
from .over_sampling import GANOverSampler, WCGANOverSampler

__version__ = "0.1.0.dev0"

__all__ = [
    "EvaluationReport",
    "GANAnomalyDetector",
    "GANOverSampler",
    "WCGANOverSampler",
    "__version__",
    "anomaly",
    "datasets",
    "evaluate",
    "evaluation",
    "exceptions",
    "metrics",
    "nn",
    "over_sampling",
    "plotting",
    "preprocessing",
    "utils",
]
