"""Evaluate synthetic windows of a series in one call, with an HTML report."""

import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..metrics import (
    autocorrelation_distance,
    cross_correlation_distance,
    discriminative_score,
    predictive_score,
    window_detection_score,
)
from ..metrics._series import _check_windows, check_updates, shuffled_steps
from ..metrics._verdict import privacy_measures
from ._report import FOOT, HEAD, _Report, figure_sections, privacy_rows

#: Above this share of holdout windows repeating training ones, the DCR ratio
#: is flagged (a periodic series held out by a later stretch repeats itself).
_MOST_REPEATED = 0.1

#: GRU updates of TimeGAN's protocol: discriminative, predictive score.
PROTOCOL_UPDATES = (2000, 5000)

#: Least score of the judge's control (real windows against their own steps
#: shuffled) for the judge to have learnt anything.
MIN_CONTROL = 0.1


def evaluate_series(
    real,
    synthetic,
    *,
    holdout=None,
    gru_updates=None,
    random_state=0,
    verbose=False,
):
    """Measure how real and how private synthetic windows of a series are.

    TimeGAN's discriminative and predictive scores (each channel min-max
    scaled by the real windows' range, as the protocol says), the stricter
    XGBoost detector on windows and their first differences, the
    autocorrelation and cross-correlation distances and, with holdout
    windows, the DCR ratio on flattened windows (copied windows must not
    pass as realistic ones).

    Parameters
    ----------
    real : array-like of shape (n_windows, window_length, n_features)
        The real windows the generator was trained on.
    synthetic : array-like of shape (n_synthetic, window_length, n_features)
        Generated windows.
    holdout : array-like of shape (n_holdout, window_length, n_features), default=None
        Real windows the generator never saw: the detector is then tested on
        them, the predictive score is read on them beside the real windows'
        own score, and the DCR ratio is computed.
    gru_updates : int or None, default=None
        Updates of the discriminative and predictive GRUs; None: the
        protocol's 2,000 and 5,000. At least 1: an untrained GRU would report
        the ideal. The discriminative GRU is trained twice: once more on its
        control (the real windows against their own steps shuffled), which
        flags a judge that learnt nothing.
    random_state : int, default=0
        Seeds the GRUs, the detector and the splits.
    verbose : bool, default=False
        Show progress bars of the GRUs' updates.

    Returns
    -------
    report : SeriesEvaluationReport
        The measures; see :meth:`SeriesEvaluationReport.summary`.

    Examples
    --------
    >>> import numpy as np
    >>> import skgan
    >>> rng = np.random.RandomState(0)
    >>> real, holdout, fake = rng.randn(3, 200, 12, 2)
    >>> report = skgan.evaluate_series(real, fake, holdout=holdout, gru_updates=50)
    >>> float(report.summary().loc["DCR ratio", "ideal"])
    1.0
    """
    start = time.perf_counter()
    if gru_updates is not None:
        check_updates("gru_updates", gru_updates)
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    if holdout is not None:
        holdout = _check_windows("holdout", holdout, real)
    updates = PROTOCOL_UPDATES if gru_updates is None else (gru_updates,) * 2
    low = real.min(axis=(0, 1))
    span = np.where(real.max(axis=(0, 1)) > low, real.max(axis=(0, 1)) - low, 1.0)

    def scaled(windows):
        return np.clip((windows - low) / span, 0.0, 1.0)

    detection = window_detection_score(
        real, synthetic, holdout=holdout, random_state=random_state
    )
    judge = dict(max_iter=updates[0], random_state=random_state, verbose=verbose)
    # The judge's control: the real windows against themselves with their
    # steps shuffled. A GRU that cannot tell those apart learnt nothing, and
    # its score on the synthetic windows (near 0, "ideal") means nothing.
    control = discriminative_score(
        scaled(real), shuffled_steps(scaled(real), random_state), **judge
    )
    caution = (
        f"UNRELIABLE: the GRU could not tell real windows from their own steps "
        f"shuffled (control {control:.3f} < {MIN_CONTROL}); raise gru_updates. "
        if control < MIN_CONTROL
        else ""
    )
    rows = [
        (
            "discriminative score",
            discriminative_score(scaled(real), scaled(synthetic), **judge),
            0.0,
            caution + "TimeGAN's: |accuracy - 0.5| of a post-hoc GRU telling real "
            "from synthetic windows",
        ),
        (
            "discriminative control",
            control,
            None,
            "the same GRU telling real windows from the same windows with their "
            f"steps shuffled; below {MIN_CONTROL} the judge learnt nothing",
        ),
        (
            "window detection accuracy",
            detection.accuracy,
            0.5,
            "XGBoost on the windows and their first differences; far stricter "
            "than the GRU",
        ),
    ]
    test = real if holdout is None else holdout
    reference = None
    if holdout is not None and real.shape[2] >= 2:
        reference = predictive_score(
            scaled(holdout),
            scaled(real),
            max_iter=updates[1],
            random_state=random_state,
        )
    if real.shape[2] >= 2:
        rows.append(
            (
                "predictive score",
                predictive_score(
                    scaled(test),
                    scaled(synthetic),
                    max_iter=updates[1],
                    random_state=random_state,
                    verbose=verbose,
                ),
                reference,
                "TimeGAN's: MAE of a GRU trained on synthetic windows predicting "
                "the real next step (ideal: the same GRU trained on real windows)",
            )
        )
    rows += [
        (
            "autocorrelation distance",
            autocorrelation_distance(real, synthetic),
            0.0,
            "mean |difference| of the channels' autocorrelations, lags 1 to 10",
        ),
        (
            "cross-correlation distance",
            cross_correlation_distance(real, synthetic),
            0.0,
            "mean |difference| of the correlations between channels",
        ),
    ]
    flat = [
        None if w is None else w.reshape(len(w), -1) for w in (real, synthetic, holdout)
    ]
    privacy = privacy_measures(*flat, random_state=random_state)
    if holdout is not None:
        repeated = privacy["holdout_copy_rate"]
        if repeated > _MOST_REPEATED:
            warnings.warn(
                f"{repeated:.0%} of the holdout windows repeat a training window "
                "(a periodic series, or a holdout cut from the training stretch): "
                "the DCR ratio means little against it. Hold out a later stretch "
                "that does not repeat the training one.",
                UserWarning,
                stacklevel=2,
            )
        rows.append(
            (
                "holdout windows repeating training ones",
                repeated,
                0.0,
                "share of the holdout windows within a hundredth of a standard "
                "deviation per value of a training window; the DCR ratio needs "
                "a holdout that does not repeat",
            )
        )
    rows += privacy_rows(privacy)
    summary = pd.DataFrame(rows, columns=["measure", "score", "ideal", "meaning"])
    return SeriesEvaluationReport(
        summary.set_index("measure"),
        real,
        synthetic,
        0 if holdout is None else len(holdout),
        time.perf_counter() - start,
    )


class SeriesEvaluationReport(_Report):
    """What :func:`skgan.evaluate_series` measured, as a table, a dict or HTML.

    Parameters
    ----------
    summary : DataFrame
        One row per measure (index), with ``score``, ``ideal`` and ``meaning``.
    real, synthetic : ndarray of shape (n, window_length, n_features)
        The compared windows, for the figures.
    n_holdout : int
        Number of holdout windows used (0 for none).
    seconds : float
        Time the measures took.
    """

    def to_dict(self):
        """The measures as plain Python data (JSON-serialisable).

        Returns
        -------
        data : dict
            ``summary`` and ``ideal`` (measure to value), ``n_real``,
            ``n_synthetic``, ``n_holdout`` and ``window_shape``.
        """
        return {**self._plain_summary(), "window_shape": list(self.real.shape[1:])}

    def figures(self):
        """The report's figures, by title (needs matplotlib).

        Returns
        -------
        figures : dict of str to matplotlib.figure.Figure
            Real and synthetic windows, their principal components and the
            channels' autocorrelations.
        """
        from ..plotting import (
            plot_autocorrelation,
            plot_windows,
            plot_windows_embedding,
        )

        figures = {
            "Windows": plot_windows(self.real, self.synthetic),
            "Principal components": plot_windows_embedding(self.real, self.synthetic),
        }
        if self.real.shape[1] >= 2:
            figures["Autocorrelation"] = plot_autocorrelation(self.real, self.synthetic)
        return figures

    def to_html(self, path):
        """Write one self-contained HTML file, figures embedded as PNG.

        Parameters
        ----------
        path : str or path-like
            Where to write the file.

        Returns
        -------
        path : pathlib.Path
            The written file.
        """
        length, channels = self.real.shape[1:]
        body = (
            "<h1>How good are these synthetic windows?</h1>\n"
            f"<p>{len(self.real)} real windows, {len(self.synthetic)} synthetic "
            f"windows, {self.n_holdout} holdout windows, of {length} steps and "
            f"{channels} channels. Read the detection accuracy beside the DCR "
            "ratio: copied windows also fool a detector.</p>\n<h2>Summary</h2>\n"
            + self._summary.reset_index().to_html(
                index=False, float_format=lambda v: f"{v:.3f}", na_rep=""
            )
            + "\n"
            + "\n".join(figure_sections(self.figures))
            + "\n"
        )
        path = Path(path)
        path.write_text(HEAD.format() + body + FOOT.format(), encoding="utf-8")
        return path
