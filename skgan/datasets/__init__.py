"""Small data sets for demos and tests (shipped with scikit-learn, no download)."""

from ._breast_cancer import load_imbalanced_breast_cancer

__all__ = ["load_imbalanced_breast_cancer"]
