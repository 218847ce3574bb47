"""Anomaly scoring with a GAN trained on normal data."""

from ._detector import GANAnomalyDetector
from ._windows import make_windows

__all__ = ["GANAnomalyDetector", "make_windows"]
