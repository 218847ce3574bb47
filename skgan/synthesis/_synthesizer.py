"""GANSynthesizer: learn a mixed-type table, sample any number of new rows."""

import threading
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples, check_is_fitted

from ..constraints import Inequality
from ..constraints._apply import ConstraintSet
from ..nn import GANTrainer
from ..nn._calibration import (
    apply_maps,
    calibrate,
    calibration_rows,
    calibration_targets,
)
from ..nn._modules import SAMPLE_BATCH
from ..preprocessing import TabularTransformer
from ..preprocessing._private import resolve_delta
from ..utils import draw_seed, make_torch_generator, resolve_device
from ..utils._docstrings import N_JOBS_DOC, fill_doc
from ..utils._validation import (
    ENGINE_CONSTRAINTS,
    KEEP_CONSTRAINTS,
    check_memory,
    engine_params,
)
from ._budget import training_budget
from ._conditions import parse_condition
from ._release import ReleaseMixin

#: With ``epsilon``: the share of the budget spent on the discrete columns'
#: noisy counts; the critic's DP-SGD gets the rest.
_PREPROCESSING_SHARE = 0.2
#: Held while a block is drawn: the engine draws from one swapped stream.
_SAMPLING = threading.Lock()


@fill_doc(n_jobs=N_JOBS_DOC)
class GANSynthesizer(ReleaseMixin, BaseEstimator):
    """Learn a table of numbers, categories and missing values; sample new rows.

    A :class:`~skgan.preprocessing.TabularTransformer` encodes the table
    (numeric columns scaled, discrete ones one-hot, missing values as
    indicators) and a WGAN-GP learns the encoded rows: discrete columns come
    out of Gumbel-softmax blocks, the critic judges ``pac`` rows at once
    (PacGAN) against mode collapse, and the generator is conditioned on one
    discrete column's value at a time (CTGAN's training by sampling), which
    makes sampling on a category exact. :meth:`sample` returns a DataFrame
    with the original columns and dtypes; only categories seen in ``fit``
    come out.

    To share data without sharing records, fit where the data lives and hand
    out only the generator: :meth:`export_generator` writes its weights
    (safetensors) and a JSON schema, checks the samples for copies of the
    training rows first, and :func:`skgan.load_generator` loads the export
    anywhere, without pickle.

    Read more in the :ref:`synthesis guide <synthesis>`.

    Parameters
    ----------
    loss : {"gan", "wgan-gp"}, default="gan"
        ``"gan"``: the non-saturating cross-entropy loss, the one measured in
        the synthesis benchmark. ``"wgan-gp"``: Wasserstein loss with
        gradient penalty (slower per update: the penalty needs a second
        backward pass).
    conditional : bool, default=True
        Condition the generator on the values of the discrete columns during
        training (needed for ``conditions`` in :meth:`sample`). Has no effect
        on a table without discrete columns.
    epochs : int or "auto", default="auto"
        Passes over the training rows. ``"auto"``: the generator updates of
        300 passes, but at least 1,500 (on the 172 rows of half the
        penguins: 1,500 updates of 170 rows) and at most 10,000, so that
        the cost of a large table follows the updates rather than its rows
        (on 27,000 rows, 75 passes); ``n_iter_`` says how many were made.
    batch_size : int or "auto", default="auto"
        Rows per update (rounded down to a multiple of ``pac``). ``"auto"``:
        200 (at most the table's rows); with ``epsilon``, between 50 and 150
        rows, at most half the table. On the two tables of the TabSyn /
        TabDiff protocol batches of 200 instead of 50 lowered the XGBoost
        detection accuracy from 0.971 to 0.954 (Default) and 0.866 to 0.852
        (Beijing) and Beijing's Trend error from 2.95 to 1.81 points, for
        2.7x and 1.9x the fit before training flushed denormals
        (``benchmarks/results/tables_batch_*.md``; 77 s and 47 s since,
        ``tables_denormals*_2026-12-02.md``);
        on the penguins and six ADBench tables their detection accuracy was
        lower or level (``synthesis_batch*_2026-12-02.md``).
    latent_dim : int, default=64
        Size of the generator's noise input.
    generator_dims : tuple of int, default=(256, 256)
        Hidden widths of the generator.
    discriminator_dims : tuple of int, default=(256, 256)
        Hidden widths of the critic.
    generator_lr : float, default=1e-3
        Adam learning rate of the generator.
    discriminator_lr : float, default=1e-3
        Adam learning rate of the critic.
    n_critic : int, default=1
        Critic updates per generator update.
    gp_weight : float, default=10.0
        Weight of the gradient penalty.
    pac : int, default=5
        Rows the critic judges together (PacGAN); 1 turns packing off.
    ema_decay : float in (0, 1) or None, default=0.995
        End with an exponential moving average of the generator's weights
        (decay per update), which smooths the oscillation of training; see
        :class:`~skgan.nn.GANTrainer`.
    numeric : {"quantile", "standard", "gmm"}, default="quantile"
        Normalisation of the numeric columns, see
        :class:`~skgan.preprocessing.TabularTransformer`.
    categorical_columns : list of str or int, default=None
        More numeric columns to model as categories.
    identifier_columns : list of str or int, default=None
        Columns that identify a record (a name, a patient number): none of
        their values is learnt, stored or sampled; each sampled row gets a
        fresh identifier of the same shape. Other discrete columns with a
        distinct value in nearly every row are refused with an error that
        names them (see :class:`~skgan.preprocessing.TabularTransformer`).
    max_integer_categories : int, default=10
        Whole-number columns with at most this many distinct values (each
        seen twice on average) are categories, so a 0/1 label keeps its
        proportions and the generator also trains conditioned on each of
        their values; 0 turns the rule off. See
        :class:`~skgan.preprocessing.TabularTransformer`, and the synthesis
        guide for 24 (hours and months: more realistic, slower to sample).
    min_category_count : int, default=2
        Categories seen fewer times are recoded to their column's most
        frequent category before training, so that no category that occurs
        once (one record's rare value) is stored in the model or its export
        or sampled; 1 keeps every category. Numeric columns need no such
        setting: their stored quantiles and bounds are midpoints between
        adjacent training values.
    point_mass_share : float in (0, 1) or None, default=0.1
        A numeric column whose commonest value holds at least this share of
        the rows (the zeros of a payment) learns that value as a state of its
        own beside the number; see
        :class:`~skgan.preprocessing.TabularTransformer`. On the two tables
        of the TabSyn / TabDiff protocol it lowered the Shape error from 3.75
        to 2.36 points (Default) and 2.97 to 2.49 (Beijing) and the Trend
        error from 9.25 to 6.81 and 7.71 to 2.94
        (``benchmarks/results/tables_point_mass_2026-12-02.md``). None turns
        it off. Not used with ``epsilon``.
    calibrate_marginals : bool, default=True
        After training, move the generator's margins onto the data's: a bias
        on each discrete block's logits so that categories (and point masses
        and missing values) come out at their training frequencies, and a
        monotone map per number from the generator's own quantiles to those
        of the data. Both are fitted on draws of the trained generator (ten
        per training row, between 10,000 and 50,000); monotone maps keep
        every rank, so what the generator learnt about pairs of columns is
        kept. With ``epsilon`` only the numbers
        (whose target is fixed by the private quantile map) and the
        conditioned columns (on their noisy counts) are calibrated. On the
        two tables of the TabSyn / TabDiff protocol (three draws each) it
        lowered the Shape error from 2.28 to 0.66 points (Default) and 2.55
        to 0.61 (Beijing) and the Trend error from 7.14 to 6.50 and 3.49 to
        3.14, and raised C2ST from 0.79 to 0.98 and 0.92 to 1.00; the
        XGBoost detector reads the same
        (``benchmarks/results/tables_calibration_repeats_2026-12-02.md``).
    epsilon : float or None, default=None
        Train with differential privacy: the whole fit, encoding included,
        is ``(epsilon, delta)``-differentially private, and the spent budget
        is ``epsilon_``. A fifth goes to noisy counts: of each discrete
        column's values (only values whose noisy count clears a threshold
        are kept, and conditions are drawn with those counts), of a numeric
        column's histogram between its bounds (its quantile map) and of each
        column's missing values; the rest to
        DP-SGD of the critic through opacus (``pip install
        'skgan[privacy]'``), so the generator sees the data only through a
        private critic. Numeric columns then need public ``bounds``; the
        column kinds come from the dtypes; ``loss`` must be ``"gan"``,
        ``validation_fraction`` None and ``identifier_columns`` empty;
        ``pac`` is not used (a pack would mix records in one gradient).
        See the guide's "Differential privacy".
        With ``epochs="auto"``, 30 passes over batches of at least 150 rows
        (at most half the rows): under DP-SGD every update spends budget.
    delta : float or None, default=None
        The ``delta`` of the guarantee; ``1 / (10 * n_rows)`` when None.
        Refused without ``epsilon``.
    bounds : dict or None, default=None
        With ``epsilon``: ``{column: (low, high)}`` for every numeric column,
        known without looking at the data (a valid range of ages, say);
        values beyond are clipped, and generated values stay within.
        Refused without ``epsilon``, and so are bounds that are not two
        finite numbers with ``low < high`` or that name a column that is not
        in the table or is categorical: private settings are all or nothing.
    max_grad_norm : float, default=1.0
        With ``epsilon``: DP-SGD's per-row gradient clipping norm.
    constraints : list or None, default=None
        Rules every generated row holds, from :mod:`skgan.constraints`:
        ``Inequality(low="Low", high="High")``,
        ``FixedCombinations(["species", "island"])``, ``Range("age", 0, 120)``.
        Learnt by reparametrising the table, not by rejecting rows; the
        training rows must hold them (refused otherwise, with the count of
        rows that break each). Needs a DataFrame; stored in the export and
        its card. ``Inequality`` rules are refused with ``epsilon``.
    random_state : int, RandomState instance or None, default=None
        Seeds training and sampling through a local :class:`torch.Generator`;
        the same integer gives the same model and rows on CPU.
    device : {"cpu", "cuda", "auto"} or str, default="cpu"
        Where to train; the fitted model pickles and exports on the CPU.
    verbose : bool, default=False
        Show a progress bar with the losses.
    %(n_jobs)s
    validation_fraction : float in (0, 1) or None, default=None
        Hold out this fraction of rows and keep the generator whose samples an
        XGBoost detector finds hardest to tell from them (see
        :class:`~skgan.nn.GANTrainer`).
    eval_every : int, default=10
        Epochs between two detection measurements.
    n_iter_no_change : int or None, default=None
        Stop after this many measurements without a better generator.

    Attributes
    ----------
    transformer_ : TabularTransformer
        The fitted encoding of the table.
    trainer_ : GANTrainer
        The trained engine (generator, critic, history).
    history_ : list of dict
        Per-epoch losses (and detection accuracy with ``validation_fraction``).
    n_iter_ : int
        Generator updates made.
    device_ : torch.device
        Where the networks were trained.
    n_samples_fit_ : int
        Number of training rows (recorded in an export's release card).
    calibration_ : MarginMaps or None
        With ``calibrate_marginals``: the numbers' monotone maps (the encoded
        output ``columns`` and the knots ``z_from`` and ``z_to`` of each),
        applied to every generated row and carried by the export; the
        discrete blocks' biases are in the generator's last layer. None
        without.
    epsilon_ : float
        With ``epsilon``: the privacy budget spent (noisy counts plus
        DP-SGD by opacus's Rényi accountant), never above ``epsilon``.
    delta_ : float
        With ``epsilon``: the ``delta`` of the guarantee.
    clipped_ : dict
        With ``epsilon``: per numeric column, the rows found ``"below"`` and
        ``"above"`` its ``bounds`` and clipped to them, as noisy counts (two
        more bins of the column's private histogram, so they spend no more
        budget). Shown on the release card; a bound that clips more than a
        tenth of a column's rows warns at fit.
    release_ : dict
        Only on a model from :func:`~skgan.load_generator`: the export's
        release card (see :meth:`export_generator`).
    n_features_in_ : int
        Number of columns seen in ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen in ``fit``, when ``X`` is a DataFrame.

    See Also
    --------
    skgan.load_generator : Load an exported generator.
    skgan.WCGANOverSampler : Oversample the minority classes of numeric data.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan import GANSynthesizer
    >>> df = pd.DataFrame({"size": [1.2, 3.4, 2.2, 5.1, 4.4, 2.8] * 5,
    ...                    "kind": ["a", "b", "a", "b", "a", "c"] * 5})
    >>> synth = GANSynthesizer(epochs=2, random_state=0).fit(df)
    >>> rows = synth.sample(4, random_state=0)
    >>> rows.shape, rows["kind"].isin(["a", "b", "c"]).all()
    ((4, 2), np.True_)
    >>> synth.sample(3, conditions={"kind": "c"})["kind"].tolist()
    ['c', 'c', 'c']
    """

    _parameter_constraints: dict = {
        **ENGINE_CONSTRAINTS,
        "loss": [StrOptions({"wgan-gp", "gan"})],
        "conditional": ["boolean"],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "n_critic": [Interval(Integral, 1, None, closed="left")],
        "gp_weight": [Interval(Real, 0, None, closed="left")],
        "pac": [Interval(Integral, 1, None, closed="left")],
        "numeric": [StrOptions({"quantile", "standard", "gmm"})],
        "categorical_columns": ["array-like", None],
        "identifier_columns": ["array-like", None],
        "max_integer_categories": [Interval(Integral, 0, None, closed="left")],
        "min_category_count": [Interval(Integral, 1, None, closed="left")],
        "point_mass_share": [Interval(Real, 0, 1, closed="neither"), None],
        "calibrate_marginals": ["boolean"],
        "epsilon": [Interval(Real, 0, None, closed="neither"), None],
        "delta": [Interval(Real, 0, 1, closed="neither"), None],
        "bounds": [dict, None],
        "max_grad_norm": [Interval(Real, 0, None, closed="neither")],
        "constraints": [list, None],
        **KEEP_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        loss="gan",
        conditional=True,
        epochs="auto",
        batch_size="auto",
        latent_dim=64,
        generator_dims=(256, 256),
        discriminator_dims=(256, 256),
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        n_critic=1,
        gp_weight=10.0,
        pac=5,
        ema_decay=0.995,
        numeric="quantile",
        categorical_columns=None,
        identifier_columns=None,
        max_integer_categories=10,
        min_category_count=2,
        point_mass_share=0.1,
        calibrate_marginals=True,
        epsilon=None,
        delta=None,
        bounds=None,
        max_grad_norm=1.0,
        constraints=None,
        random_state=None,
        device="cpu",
        verbose=False,
        validation_fraction=None,
        eval_every=10,
        n_iter_no_change=None,
        n_jobs=None,
    ):
        self.loss = loss
        self.conditional = conditional
        self.epochs = epochs
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.pac = pac
        self.ema_decay = ema_decay
        self.numeric = numeric
        self.categorical_columns = categorical_columns
        self.identifier_columns = identifier_columns
        self.max_integer_categories = max_integer_categories
        self.min_category_count = min_category_count
        self.point_mass_share = point_mass_share
        self.calibrate_marginals = calibrate_marginals
        self.epsilon = epsilon
        self.delta = delta
        self.bounds = bounds
        self.max_grad_norm = max_grad_norm
        self.constraints = constraints
        self.random_state = random_state
        self.device = device
        self.verbose = verbose
        self.validation_fraction = validation_fraction
        self.eval_every = eval_every
        self.n_iter_no_change = n_iter_no_change
        self.n_jobs = n_jobs

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the table.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The rows to learn: numeric, boolean, categorical, string or object
            columns; NaN and None are learnt as missing values.
        y : None
            Ignored; a column to condition on belongs in ``X``.

        Returns
        -------
        self : GANSynthesizer
            The fitted synthesizer.
        """
        try:
            return self._fit(X)
        except BaseException:
            # Nothing half-trained is left behind.
            for name in [a for a in vars(self) if a.endswith("_")]:
                delattr(self, name)
            raise

    def _check_private_settings(self):
        """Private settings are all or nothing, refused before any training.

        Bounds themselves are checked where they are used, in the private
        encoding, which also runs before training.
        """
        if self.epsilon is None:
            given = [n for n in ("bounds", "delta") if getattr(self, n) is not None]
            if given:
                raise ValueError(
                    f"{' and '.join(given)} only apply to a differentially private "
                    "model, but epsilon is None: without epsilon the model would "
                    "train without any privacy guarantee. Set epsilon (for example "
                    f"epsilon=3.0) to train privately, or drop {' and '.join(given)}."
                )

    def _fit(self, X):
        seed = draw_seed(self.random_state)
        self.device_ = resolve_device(self.device)
        min_rows = max(2, self.pac)
        if _num_samples(X) < min_rows:
            raise ValueError(
                f"GANSynthesizer needs at least {min_rows} rows (pac={self.pac}); "
                f"got n_samples={_num_samples(X)}. Lower pac or pass more rows."
            )
        self.constraints_ = None
        if self.epsilon is not None and any(
            isinstance(rule, Inequality) for rule in self.constraints or []
        ):
            # Their gaps, decimals and signs would be read off the data
            # outside the privacy budget.
            raise ValueError(
                "Inequality constraints cannot be combined with epsilon: the "
                "gaps they learn are read off the data without noise. Drop "
                "them, or train without epsilon."
            )
        if self.constraints:
            # The table is learnt reparametrised; sample() undoes it.
            self.constraints_ = ConstraintSet(self.constraints).fit(X)
            X = self.constraints_.transform(X)
        transformer = TabularTransformer(
            self.numeric,
            categorical_columns=self.categorical_columns,
            identifier_columns=self.identifier_columns,
            max_integer_categories=self.max_integer_categories,
            min_category_count=self.min_category_count,
            point_mass_share=self.point_mass_share,
            random_state=seed,
        )
        private = self.epsilon is not None
        self._check_private_settings()
        pac = 1 if private else self.pac
        frequencies = None
        blocks = [] if private else None
        if private:
            # A fifth of the budget for the columns' noisy counts (values,
            # frequencies, quantiles), the rest for the critic's DP-SGD.
            delta = resolve_delta(self.delta, _num_samples(X))
            spent = transformer._fit_private(
                X,
                bounds=self.bounds,
                epsilon=_PREPROCESSING_SHARE * self.epsilon,
                delta=delta / 2,
                rng=np.random.default_rng(seed),
                whole=None
                if self.constraints_ is None
                else self.constraints_.combined_columns(),
            )
            budget = (self.epsilon - spent[0], delta - spent[1])
        else:
            transformer.fit(X)
        blocks = [(s, w) for s, w, _ in transformer.condition_blocks_]
        if private and self.conditional:
            frequencies = [
                transformer.private_counts_[transformer.columns_[i]["name"]]
                for _, _, i in transformer.condition_blocks_
            ]
        Z = transformer.transform(X)
        engine = engine_params(self)
        epochs, engine["batch_size"], max_iter = training_budget(
            self.epochs, self.batch_size, len(Z), pac=pac, private=private
        )
        if max_iter is not None:
            engine["max_iter"] = max_iter
        trainer = GANTrainer(
            **engine,
            loss=self.loss,
            epochs=epochs,
            device=self.device_,
            seed=seed,
            output_blocks=transformer.output_blocks_,
            pac=pac,
            epsilon=budget[0] if private else None,
            delta=budget[1] if private else None,
            max_grad_norm=self.max_grad_norm,
        )
        trainer.fit(
            Z,
            cond_blocks=blocks if self.conditional else None,
            cond_frequencies=frequencies,
            decode=lambda Z, _: transformer.transform(transformer.inverse_transform(Z)),
        )
        self.calibration_ = None
        if self.calibrate_marginals:
            self.calibration_ = calibrate(
                trainer,
                transformer,
                calibration_targets(Z, transformer, trainer, private),
                calibration_rows(len(Z)),
                int(np.random.SeedSequence([seed, 1]).generate_state(1)[0]),
            )
        if private:
            self.epsilon_ = spent[0] + trainer.epsilon_
            self.delta_ = spent[1] + budget[1]
            self.clipped_ = transformer.clipped_
            _warn_clipping(self.clipped_, transformer._as_frame(X, reset=False))
        self.transformer_ = transformer
        self.trainer_ = trainer
        self.history_ = trainer.history_
        self.n_iter_ = trainer.n_iter_
        self.n_samples_fit_ = len(Z)
        self.n_features_in_ = transformer.n_features_in_
        if hasattr(transformer, "feature_names_in_"):
            self.feature_names_in_ = transformer.feature_names_in_
        if self.constraints_ is not None:
            self.n_features_in_ = len(self.constraints_.columns_)
            self.feature_names_in_ = np.asarray(self.constraints_.columns_, object)
        return self

    def sample(self, n_samples, *, conditions=None, random_state=None):
        """Generate new rows.

        Parameters
        ----------
        n_samples : int
            Number of rows.
        conditions : dict, default=None
            ``{column: value}`` for one discrete column: every row has that
            value, exactly, and the other columns follow their distribution
            given it (no rejection sampling). Needs ``conditional=True``.
        random_state : int, RandomState instance or None, default=None
            Seeds this call alone (the same integer gives the same rows);
            None continues the model's own random stream.

        Returns
        -------
        rows : DataFrame or ndarray of shape (n_samples, n_features)
            A DataFrame with the fitted columns and dtypes when ``fit`` got a
            DataFrame, else an array.

        See Also
        --------
        iter_samples : The same rows, block by block.
        """
        seed, forced = self._sampling_plan(n_samples, conditions, random_state)
        transformer = self.transformer_
        # The encoded rows (float32) and the decoded ones (a column of 8-byte
        # values or references each), both held at the end.
        width = 4 * sum(w for _, w in transformer.output_blocks_)
        width += 16 * transformer.n_features_in_
        check_memory(
            int(n_samples) * width,
            f"sample({n_samples})",
            "write them block by block with iter_samples (skgan sample does).",
        )
        if not any(c["kind"] == "identifier" for c in transformer.columns_):
            # Decoding is row by row: the blocks' rows decoded at once are
            # the blocks decoded one by one, without a frame per block.
            raw = [Z for Z, _ in self._raw_blocks(int(n_samples), forced, seed)]
            return self._ruled(transformer._decode(np.concatenate(raw), [seed, 0]))
        blocks = list(self._blocks(int(n_samples), forced, seed))
        if transformer._frame_in:
            return pd.concat(blocks, ignore_index=True)
        return np.concatenate(blocks)

    def iter_samples(self, n_samples, *, conditions=None, random_state=None):
        """Generate the rows of :meth:`sample` block by block.

        Each block of 8,192 rows is drawn from its own stream, seeded by the
        call's seed and the block's position, so the blocks concatenated are
        exactly what :meth:`sample` returns with the same arguments, and a
        million rows can be written out (to a file, an HTTP response)
        without being held in memory at once.

        Parameters
        ----------
        n_samples : int
            Number of rows in all.
        conditions : dict, default=None
            As in :meth:`sample`.
        random_state : int, RandomState instance or None, default=None
            As in :meth:`sample`.

        Returns
        -------
        blocks : iterator of DataFrame or ndarray
            Consecutive blocks of at most 8,192 rows; one empty block when
            ``n_samples`` is 0. The arguments are checked before this
            returns.
        """
        seed, forced = self._sampling_plan(n_samples, conditions, random_state)
        return self._blocks(int(n_samples), forced, seed)

    def _sampling_plan(self, n_samples, conditions, random_state):
        """The arguments checked: the call's seed and its condition."""
        check_is_fitted(self, "trainer_")
        if (
            not isinstance(n_samples, Integral)
            or isinstance(n_samples, bool)
            or n_samples < 0
        ):
            raise ValueError(
                f"n_samples must be a non-negative integer; got {n_samples!r}."
            )
        forced = parse_condition(
            conditions,
            self.transformer_,
            self.trainer_,
            getattr(self, "constraints_", None),
        )
        trainer = self.trainer_
        if random_state is None:
            # The model's own stream advances, so successive calls differ.
            with _SAMPLING:
                seed = int(
                    torch.randint(
                        np.iinfo(np.int32).max,
                        (1,),
                        generator=trainer._rng,
                        device=trainer._rng.device,
                    ).item()
                )
        else:
            seed = draw_seed(random_state)
        return seed, forced

    def _blocks(self, n_samples, forced, seed):
        for Z, b in self._raw_blocks(n_samples, forced, seed):
            yield self._ruled(self.transformer_._decode(Z, [seed, b]))

    def _ruled(self, rows):
        """Generated rows with the constraints' reparametrisation undone."""
        rules = getattr(self, "constraints_", None)
        return rows if rules is None else rules.inverse_transform(rows)

    def _raw_blocks(self, n_samples, forced, seed):
        """The generator's encoded rows, block by block, each from its stream."""
        trainer = self.trainer_
        for b, start in enumerate(range(0, max(n_samples, 1), SAMPLE_BATCH)):
            n = min(SAMPLE_BATCH, n_samples - start)
            block_seed = int(np.random.SeedSequence([seed, b]).generate_state(1)[0])
            # The engine draws from trainer._rng: swapped for this block's
            # stream under a lock, so that concurrent calls (a server's
            # requests) cannot interleave their draws.
            with _SAMPLING:
                kept = trainer._rng
                trainer._rng = make_torch_generator(block_seed, trainer.device)
                try:
                    cond = None
                    if forced is not None:
                        cond = trainer.conditions(n, *forced[:2])
                    Z = apply_maps(
                        trainer.sample(n, cond), getattr(self, "calibration_", None)
                    )
                finally:
                    trainer._rng = kept
            if forced is not None:
                _, value, start_col, width = forced
                Z[:, start_col : start_col + width] = 0.0
                Z[:, start_col + value] = 1.0
            yield Z, b

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.non_deterministic = False
        return tags


def _warn_clipping(clipped, frame):
    """Warn of bounds that clip more than a tenth of a column's values."""
    for name, counts in clipped.items():
        share = (counts["below"] + counts["above"]) / max(1, frame[name].count())
        if share > 0.1:
            warnings.warn(
                f"bounds[{name!r}] clipped about {min(share, 1.0):.0%} of the "
                f"column's values ({counts['below']} below, {counts['above']} "
                "above, noisy counts): the generated values pile up at the "
                "bounds. Widen them to cover the column's public range.",
                UserWarning,
                stacklevel=5,
            )
