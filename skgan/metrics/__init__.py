"""Measures of synthetic data: realism, similarity, utility and privacy.

Every function takes the real and the synthetic rows as arrays or
DataFrames with the same columns; categorical columns are compared as
categories. Where SDMetrics defines the same measure, the docstring names it.
"""

from ._detection import detection_score
from ._membership import membership_inference
from ._privacy import (
    dcr_ratio,
    distance_to_closest_record,
    exact_copy_rate,
    nearest_neighbor_distance_ratio,
)
from ._series import (
    autocorrelation_distance,
    cross_correlation_distance,
    discriminative_score,
    predictive_score,
    window_detection_score,
)
from ._similarity import (
    correlation_difference,
    correlation_similarity,
    describe_side_by_side,
    ks_complement,
    marginal_similarity,
    pair_trend_similarity,
    pair_trends,
    tv_complement,
)
from ._utility import augmentation_curve, train_synthetic_test_real

__all__ = [
    "augmentation_curve",
    "autocorrelation_distance",
    "cross_correlation_distance",
    "discriminative_score",
    "predictive_score",
    "window_detection_score",
    "correlation_difference",
    "correlation_similarity",
    "dcr_ratio",
    "describe_side_by_side",
    "detection_score",
    "distance_to_closest_record",
    "exact_copy_rate",
    "ks_complement",
    "marginal_similarity",
    "membership_inference",
    "nearest_neighbor_distance_ratio",
    "pair_trend_similarity",
    "pair_trends",
    "train_synthetic_test_real",
    "tv_complement",
]
