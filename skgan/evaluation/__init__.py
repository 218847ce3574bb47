"""Evaluate synthetic data in one call and write an HTML report."""

from ._report import EvaluationReport, evaluate

__all__ = ["EvaluationReport", "evaluate"]
