"""Torch modules and the one training loop shared by every estimator."""

from ._engine import GANTrainer
from ._modules import (
    ConvCritic,
    ConvGenerator,
    Discriminator,
    Encoder,
    Generator,
    build_module,
)

__all__ = [
    "ConvCritic",
    "ConvGenerator",
    "Discriminator",
    "Encoder",
    "GANTrainer",
    "Generator",
    "build_module",
]
