"""Rules every generated row holds: ``GANSynthesizer(constraints=[...])``.

Each rule is learnt by reparametrising the table where that is possible
(an inequality as a non-negative difference, fixed combinations as one
discrete column), so no generated row is rejected; the rules are stored in
an export and its release card, honoured by ``sample``, ``skgan serve`` and
MLflow, and :func:`skgan.evaluate` reports the share of rows that hold each.
"""

from ._rules import FixedCombinations, Inequality, Range

__all__ = ["FixedCombinations", "Inequality", "Range"]
