"""Synthetic tables: fit a GAN where the data lives, release only its generator."""

from ._load import load_generator
from ._series import GANSeriesSynthesizer
from ._synthesizer import GANSynthesizer

__all__ = ["GANSeriesSynthesizer", "GANSynthesizer", "load_generator"]
