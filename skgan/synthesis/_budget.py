"""GANSynthesizer's automatic batch size and number of updates."""

import math

#: With ``epsilon`` and ``epochs="auto"``: passes. Under DP-SGD every update
#: costs budget and its noise shrinks with the batch: fewer updates over
#: larger batches (benchmarks/results/privacy_*.md).
AUTO_PRIVATE_EPOCHS = 30
#: With ``epsilon``: batches of at least ``AUTO_PRIVATE_MIN_BATCH`` rows (for
#: ``batch_size="auto"``) and up to ``AUTO_PRIVATE_BATCH`` rows, at most half
#: the table.
AUTO_PRIVATE_BATCH = 150
AUTO_PRIVATE_MIN_BATCH = 50

#: ``batch_size="auto"``: rows per update (scikit-learn's MLPs take 200 too).
AUTO_BATCH = 200

#: ``epochs="auto"``: the updates of 300 passes, at least 1,500 (a small
#: table) and at most 10,000 (a large one), so that the cost follows updates,
#: not rows (the shape of the samplers' rule, floor, passes and cap;
#: benchmarks/results/tables_*.md). Counted in updates: whole passes gave
#: the penguins' 172 rows 1,483 passes of 2 updates, 2,966 in all
#: (benchmarks/results/sweep_synthesis_updates_2026-12-03.md).
AUTO_EPOCHS = 300
AUTO_UPDATES = 1500
AUTO_MAX_UPDATES = 10_000


def training_budget(epochs, batch_size, n_rows, *, pac, private):
    """Passes, rows per update and the most updates for one fit.

    Parameters
    ----------
    epochs : int or "auto"
        The estimator's ``epochs``.
    batch_size : int or "auto"
        The estimator's ``batch_size``.
    n_rows : int
        Training rows.
    pac : int
        Rows the critic judges together; a batch is a multiple of it.
    private : bool
        Whether the fit runs under ``epsilon``.

    Returns
    -------
    epochs : int
        Passes over the rows.
    batch_size : int
        Rows per update.
    max_iter : int or None
        The generator updates (with ``epochs="auto"``, they set the length
        of the fit and ``epochs`` is ignored); None: ``epochs`` passes.

    Examples
    --------
    >>> from skgan.synthesis._budget import training_budget
    >>> training_budget("auto", "auto", 27_000, pac=5, private=False)
    (300, 200, 10000)
    >>> training_budget("auto", "auto", 172, pac=5, private=False)
    (300, 200, 1500)
    >>> training_budget("auto", "auto", 400, pac=1, private=True)
    (30, 150, None)
    """
    if private:
        half = min(AUTO_PRIVATE_BATCH, n_rows // 2)
        if batch_size == "auto":
            batch_size = max(AUTO_PRIVATE_MIN_BATCH, half)
        elif epochs == "auto":
            batch_size = max(batch_size, half)
        return (AUTO_PRIVATE_EPOCHS if epochs == "auto" else epochs), batch_size, None
    if batch_size == "auto":
        batch_size = AUTO_BATCH
    if epochs != "auto":
        return epochs, batch_size, None
    batch = min(batch_size, n_rows)
    batch = max(pac, batch - batch % pac)
    updates = AUTO_EPOCHS * math.ceil(n_rows / batch)
    return AUTO_EPOCHS, batch_size, min(max(updates, AUTO_UPDATES), AUTO_MAX_UPDATES)
