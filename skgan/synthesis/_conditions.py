"""A sampling condition, ``{column: value}``, checked against a fitted model."""

import numpy as np

from ..constraints import FixedCombinations


def parse_condition(conditions, transformer, trainer, rules=None):
    """``(block, value, start, width)`` of a ``{column: value}`` condition.

    Parameters
    ----------
    conditions : dict or None
        One discrete column and the value every generated row must have.
    transformer : TabularTransformer
        The model's fitted encoding.
    trainer : GANTrainer
        The model's engine (its ``cond_spans_`` say whether it was trained
        on conditions).
    rules : ConstraintSet or None, default=None
        The model's constraints: a column learnt inside a
        :class:`~skgan.constraints.FixedCombinations` cannot be a condition.

    Returns
    -------
    condition : tuple or None
        The condition block's position among the conditions, the value's
        position in the block, and the block's output columns; None for no
        condition.

    Raises
    ------
    ValueError
        If the condition is not one known value of one discrete column of a
        conditional model.
    """
    if conditions is None:
        return None
    if not isinstance(conditions, dict) or len(conditions) != 1:
        raise ValueError(
            "conditions must be a dict with one column, for example "
            f"{{'species': 'Adelie'}}; got {conditions!r}."
        )
    ((column, value),) = conditions.items()
    for rule in [] if rules is None else rules.rules:
        if isinstance(rule, FixedCombinations) and column in rule.columns:
            raise ValueError(
                f"column {column!r} is learnt in {rule!r}, so it cannot be a "
                "condition; condition on another discrete column, or drop the "
                "rule."
            )
    columns = transformer.columns_
    names = [c["name"] for c in columns]
    discrete = {
        columns[index]["name"]: (block, start, width)
        for block, (start, width, index) in enumerate(transformer.condition_blocks_)
    }
    if str(column) not in names:
        raise ValueError(
            f"conditions names column {column!r}, which the model does not "
            f"have; its columns are {names}."
        )
    if str(column) not in discrete:
        raise ValueError(
            f"column {column!r} is not a discrete column with several values; "
            f"conditions work on {sorted(discrete)}."
        )
    if trainer.cond_spans_ is None:
        raise ValueError(
            "this model was fitted with conditional=False; refit with "
            "conditional=True to sample on a condition."
        )
    block, start, width = discrete[str(column)]
    spec = columns[names.index(str(column))]
    values = spec["categories"]
    matches = [i for i, v in enumerate(values) if v == value or str(v) == str(value)]
    if value is None or (isinstance(value, float) and np.isnan(value)):
        if not spec["missing"]:
            raise ValueError(f"column {column!r} has no missing values to ask for.")
        matches = [len(values)]
    if not matches:
        raise ValueError(
            f"{value!r} is not a value of column {column!r} seen in fit; its "
            f"values are {values}."
        )
    return block, matches[0], start, width
