"""Torch modules and the one training loop shared by every estimator."""

from ._engine import GANTrainer
from ._modules import Discriminator, Encoder, Generator, build_module

__all__ = ["Discriminator", "Encoder", "GANTrainer", "Generator", "build_module"]
