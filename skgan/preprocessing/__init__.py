"""Reversible transformers that sit in front of the networks."""

from ._numeric import NumericScaler
from ._tabular import TabularTransformer

__all__ = ["NumericScaler", "TabularTransformer"]
