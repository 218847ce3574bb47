"""Anomaly scoring with a GAN trained on normal data."""

from ._detector import GANAnomalyDetector

__all__ = ["GANAnomalyDetector"]
