"""GAN oversamplers with imbalanced-learn's ``fit_resample`` contract."""

from ._gan import GANOverSampler
from ._wcgan import WCGANOverSampler

__all__ = ["GANOverSampler", "WCGANOverSampler"]
