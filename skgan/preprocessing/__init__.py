"""Reversible transformers that sit in front of the networks."""

from ._numeric import NumericScaler

__all__ = ["NumericScaler"]
