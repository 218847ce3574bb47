"""Helpers shared by the estimators: device, random state, validation."""

from ._device import resolve_device
from ._random import draw_seed, make_torch_generator
from ._validation import check_numeric_input

__all__ = [
    "check_numeric_input",
    "draw_seed",
    "make_torch_generator",
    "resolve_device",
]
