"""Marginal calibration: a trained generator's columns moved onto the data's margins.

A GAN learns the joint shape of a table but its margins drift: categories
it favours come out too often (mode seeking), and numbers it draws in the
scaled space are not quite standard normal, so the quantile map sends them
to the wrong values. Both are repaired after training, from the generator's
own output, without changing what it learnt about how columns go together:

- each softmax block (a category, a number's point mass, a missing value)
  gets a bias on its logits, found by a few rounds of
  ``bias += log(target) - log(generated)`` on one fixed batch of draws,
  and folded into the generator's last layer (the export carries it);
- each quantile-scaled number gets a monotone map from the generator's own
  quantiles to the normal's, so that after the quantile map its values
  follow the training distribution; a monotone map keeps every rank, so
  the rank correlations between columns are those the generator learnt.

The numbers' target is the normal by construction of the quantile map, so
their calibration reads no training row; the categories' targets are the
training frequencies (with ``epsilon``: the noisy counts, or none).
"""

import numpy as np
import torch
from scipy.special import ndtri

from ..utils import make_torch_generator

#: Rounds of the logit bias on one fixed batch of draws; the generated
#: frequencies then sit within about 0.1 percentage point of their targets
#: (tests/synthesis/test_calibration.py).
ROUNDS = 4
#: Inner knots of each number's monotone map (probabilities (k + 0.5) /
#: KNOTS), beside the draws' minimum and maximum.
KNOTS = 512
#: A larger bias step than this per round is cut: a category the generator
#: never draws moves up gradually instead of jumping over its target.
_MAX_STEP = 2.0


def calibration_rows(n_rows):
    """Rows drawn to calibrate a model of ``n_rows`` training rows.

    Ten draws a training row, so that the drawn margins are finer than the
    training rows' own, within 10,000 and 50,000.
    """
    return int(min(50_000, max(10_000, 10 * n_rows)))


def numeric_outputs(encoder):
    """Each quantile-scaled number's output column and its gates.

    Parameters
    ----------
    encoder : TabularTransformer or NumericScaler
        The fitted encoding whose output the generator writes.

    Returns
    -------
    outputs : list of tuple
        ``(column, gates)``: the output column holding the scaled number, and
        the output columns that must be 1 for it to be used (the "other"
        state of a point mass, the "observed" state of a missing value).
    """
    scaler = _quantile_scaler(encoder)
    if scaler is None:
        return []
    if scaler is encoder:
        return [(j, []) for j in np.flatnonzero(~scaler.constant_mask_)]
    # The transformer's layout, numeric column by numeric column.
    return [
        (own, list(gates))
        for (own, gates), constant in zip(
            encoder._number_outputs, scaler.constant_mask_, strict=True
        )
        if not constant
    ]


def calibrate(trainer, encoder, targets, n_rows, seed):
    """Fold the discrete margins' repair into ``trainer``; return the numbers' maps.

    Parameters
    ----------
    trainer : GANTrainer
        The trained engine; its generator's last bias is changed in place.
    encoder : TabularTransformer or NumericScaler
        The fitted encoding whose output the generator writes.
    targets : dict
        Output column where a softmax block starts to the block's target
        frequencies (blocks not in it keep their logits).
    n_rows : int
        Rows drawn per round.
    seed : int
        Seeds the draws (a stream of their own: the model's is untouched).

    Returns
    -------
    maps : MarginMaps or None
        See :func:`numeric_maps`.
    """
    if targets:
        last = trainer.generator_.net[-1].bias
        for _ in range(ROUNDS):
            Z = draw_rows(trainer, n_rows, seed)
            step = torch.zeros_like(last)
            for start, target in targets.items():
                width = len(target)
                drawn = Z[:, start : start + width].mean(axis=0)
                delta = np.log(np.maximum(target, 1e-12)) - np.log(
                    np.maximum(drawn, 0.5 / n_rows)
                )
                delta = np.clip(delta - delta.mean(), -_MAX_STEP, _MAX_STEP)
                step[start : start + width] = torch.as_tensor(delta)
            with torch.no_grad():
                last.add_(step)
    if not numeric_outputs(encoder):
        return None
    return numeric_maps(draw_rows(trainer, n_rows, seed), encoder)


#: The probabilities of a map's knots. The draws' extremes are knots too, so
#: the map runs to the ends instead of flattening the last half-knot of each
#: tail.
LEVELS = np.r_[0.0, (np.arange(KNOTS) + 0.5) / KNOTS, 1.0]


def draw_knots(values):
    """A map's knots on the generator's scale: the draws' quantiles at ``LEVELS``.

    Parameters
    ----------
    values : ndarray of shape (n_draws,) or (n_draws, n_columns)
        Generated values (a column per map).

    Returns
    -------
    knots : ndarray of shape (len(LEVELS),) or (len(LEVELS), n_columns)
        Increasing in each column: ties (a generator stuck on one value) are
        spread, so that the map stays a function; it is then flat there.
    """
    knots = np.quantile(values, LEVELS, axis=0)
    tied = ~np.all(np.diff(knots, axis=0) > 0, axis=0)
    if np.any(tied):
        steps = 1e-9 * np.arange(len(LEVELS)).reshape(-1, *[1] * (knots.ndim - 1))
        knots = np.where(tied, np.maximum.accumulate(knots + steps, axis=0), knots)
    return knots


def numeric_maps(Z, encoder, target=None):
    """The monotone maps that move generated numbers onto the data's margins.

    Parameters
    ----------
    Z : ndarray of shape (n_draws, n_outputs)
        The generator's draws (at least ``KNOTS + 2`` of a number's rows).
    encoder : TabularTransformer or NumericScaler
        The fitted encoding whose output the generator writes.
    target : ndarray of shape (n_rows, n_outputs), default=None
        Encoded rows whose margins to map onto, where the encoding is shared
        with other rows (one class of several); None maps onto the margins
        the encoder was fitted on.

    Returns
    -------
    maps : MarginMaps or None
        The calibrated output columns and the knots of their monotone maps,
        or None when no number is calibrated.
    """
    outputs = numeric_outputs(encoder)
    if not outputs:
        return None
    refs = _quantile_scaler(encoder).references_
    # Probabilities the quantile map spans: the data's scaled values are
    # uniform between its first and last reference.
    z_to = ndtri(refs[0] + (refs[-1] - refs[0]) * LEVELS)
    columns, z_from = [], []
    targets = []
    for own, gates in outputs:
        used = np.all(Z[:, gates] > 0.5, axis=1) if gates else slice(None)
        values = Z[used, own].astype(np.float64)
        if len(values) < len(LEVELS):
            continue  # too few draws for a map finer than the data's
        if target is not None:
            seen = np.all(target[:, gates] > 0.5, axis=1) if gates else slice(None)
            rows = target[seen, own].astype(np.float64)
            if len(rows) < 2:
                continue  # nothing of the rows' own margin to map onto
            targets.append(np.quantile(rows, LEVELS))
        columns.append(own)
        z_from.append(draw_knots(values))
    if not columns:
        return None
    return MarginMaps(
        np.asarray(columns, dtype=np.int64),
        np.column_stack(z_from),
        np.column_stack(targets)
        if target is not None
        else np.repeat(z_to[:, None], len(columns), axis=1),
    )


#: The most a map read off its table may miss a knot by (on the normal's
#: scale) before the map is read exactly.
_MAX_TABLE_ERROR = 1e-3
#: The arrays of a :class:`MarginMaps`, in its constructor's order.
MARGIN_ARRAYS = ("columns", "z_from", "z_to")


class MarginMaps:
    """Monotone maps of generated numbers, each by its knots.

    Parameters
    ----------
    columns : ndarray of shape (c,)
        The output columns the maps move.
    z_from : ndarray of shape (n_knots, c)
        Each map's knots on the generator's scale (increasing).
    z_to : ndarray of shape (n_knots, c)
        Where each knot goes.

    Notes
    -----
    ``np.interp`` column by column searches the knots for every value; the
    maps are instead read off a table of ``CELLS`` equal steps between each
    map's first and last knot, by arithmetic, for all columns at once as
    the quantile map does. A step is about a 2,000th of a standard
    deviation; a map whose knots crowd closer than that (a generator with
    far outliers) is read with ``np.interp`` instead.
    """

    #: Equal steps of the lookup table between a map's first and last knot.
    CELLS = 16_384

    def __init__(self, columns, z_from, z_to):
        self.columns = np.asarray(columns, dtype=np.int64)
        self.z_from = np.asarray(z_from, dtype=np.float64)
        self.z_to = np.asarray(z_to, dtype=np.float64)
        self._lookup = None

    def arrays(self):
        """The maps as named arrays (what an export stores)."""
        return {name: getattr(self, name) for name in MARGIN_ARRAYS}

    def __getstate__(self):
        return {**self.__dict__, "_lookup": None}  # rebuilt on first use

    def _table(self):
        if self._lookup is None:
            low, high = self.z_from[0], self.z_from[-1]
            steps = np.linspace(0.0, 1.0, self.CELLS + 1)[:, None]
            grid = low + (high - low) * steps
            table = np.column_stack(
                [
                    np.interp(grid[:, i], self.z_from[:, i], self.z_to[:, i])
                    for i in range(len(self.columns))
                ]
            )
            flat = table.T.ravel()  # column after column
            rise = np.diff(flat, append=flat[-1:])
            scale = self.CELLS / np.maximum(high - low, 1e-12)
            offsets = np.arange(len(self.columns)) * (self.CELLS + 1)
            self._lookup = (low, scale, flat, rise, offsets, None)
            # A map whose knots crowd within a step (a generator with far
            # outliers widens the steps) is read exactly instead.
            error = np.abs(self._read(self.z_from) - self.z_to).max(axis=0)
            exact = np.flatnonzero(error > _MAX_TABLE_ERROR)
            self._lookup = (low, scale, flat, rise, offsets, exact)
        return self._lookup

    def _read(self, values):
        """The table's reading of ``values`` (one column per map)."""
        low, scale, flat, rise, offsets, _ = self._lookup
        position = np.array(values, dtype=np.float64)
        position -= low
        position *= scale
        np.clip(position, 0, self.CELLS, out=position)
        index = position.astype(np.intp)
        np.minimum(index, self.CELLS - 1, out=index)
        position -= index
        index += offsets
        position *= rise.take(index)
        position += flat.take(index)
        return position

    def apply(self, Z):
        """Move the mapped columns of finite rows ``Z`` in place; return ``Z``."""
        exact = self._table()[-1]
        values = Z[:, self.columns]
        out = self._read(values)
        for i in exact:
            out[:, i] = np.interp(values[:, i], self.z_from[:, i], self.z_to[:, i])
        Z[:, self.columns] = out
        return Z


def apply_maps(Z, maps):
    """Move the scaled numbers of generated rows ``Z`` through ``maps`` (or not)."""
    return Z if maps is None else maps.apply(Z)


def frequencies(Z, blocks):
    """Each softmax block's frequencies in the encoded rows ``Z``.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_outputs)
        Encoded training rows.
    blocks : list of tuple
        The transformer's ``output_blocks_``.

    Returns
    -------
    targets : dict
        Start column of each softmax block to its frequencies.
    """
    targets, start = {}, 0
    for kind, width in blocks:
        if kind == "softmax":
            targets[start] = Z[:, start : start + width].mean(axis=0)
        start += width
    return targets


def calibration_targets(Z, transformer, trainer, private):
    """The frequencies a synthesizer's discrete blocks are calibrated to.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_outputs)
        The encoded training rows.
    transformer : TabularTransformer
        Their encoding.
    trainer : GANTrainer
        The trained engine.
    private : bool
        Whether the fit is differentially private: then only the conditioned
        columns are calibrated, on the noisy counts the conditions already
        use (no more budget), and ``Z`` is not read.

    Returns
    -------
    targets : dict
        Start column of each calibrated softmax block to its frequencies.
    """
    if not private:
        return frequencies(Z, transformer.output_blocks_)
    spans = trainer.cond_spans_ or []
    return {
        start: trainer.cond_frequencies_[b].cpu().numpy().astype(np.float64)
        for b, (_, start, _) in enumerate(spans)
    }


def draw_rows(trainer, n_rows, seed):
    """``n_rows`` rows from ``trainer`` on a stream of their own."""
    kept = trainer._rng
    trainer._rng = make_torch_generator(seed, trainer.device)
    try:
        return trainer.sample(n_rows)
    finally:
        trainer._rng = kept


def _quantile_scaler(encoder):
    """The quantile scaler behind ``encoder``, or None (standard, gmm)."""
    scaler = (
        getattr(encoder, "scaler_", encoder)
        if hasattr(encoder, "columns_")
        else encoder
    )
    if scaler is None or getattr(scaler, "method", None) != "quantile":
        return None
    return scaler
