"""Anomaly scoring with a GAN trained on normal data."""

from ._detector import GANAnomalyDetector, make_windows

__all__ = ["GANAnomalyDetector", "make_windows"]
