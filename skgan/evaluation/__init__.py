"""Evaluate synthetic data in one call and write an HTML report."""

from ._report import EvaluationReport, evaluate
from ._series import SeriesEvaluationReport, evaluate_series

__all__ = ["EvaluationReport", "SeriesEvaluationReport", "evaluate", "evaluate_series"]
