"""skgan: GANs for tabular data as scikit-learn and imbalanced-learn estimators."""

from . import (
    datasets,
    exceptions,
    metrics,
    nn,
    over_sampling,
    preprocessing,
    utils,
)
from .over_sampling import GANOverSampler, WCGANOverSampler

__version__ = "0.1.0.dev0"

__all__ = [
    "GANOverSampler",
    "WCGANOverSampler",
    "__version__",
    "datasets",
    "exceptions",
    "metrics",
    "nn",
    "over_sampling",
    "preprocessing",
    "utils",
]
