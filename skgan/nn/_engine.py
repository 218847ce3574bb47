"""The one GAN training loop that every skgan estimator composes."""

import copy
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import roc_auc_score
from torch import nn
from tqdm.auto import tqdm

from ..exceptions import TrainingDivergedError
from ..metrics._detection import detector as make_detector
from ._modules import (
    ConvCritic,
    ConvGenerator,
    Discriminator,
    Encoder,
    Generator,
    build_module,
)

#: Rows generated per forward pass when sampling: small enough that the
#: activations stay in the CPU's cache.
SAMPLE_BATCH = 8192

#: Temperature of the Gumbel-softmax of discrete blocks in training (CTGAN's).
_TAU = 0.2


class GANTrainer:
    """Train a (conditional) tabular GAN and sample from it.

    This is the engine behind every skgan estimator. It works on data that
    is already scaled (see :class:`skgan.preprocessing.NumericScaler`) and
    on an optional one-hot condition per row; estimators own the scaling,
    the conditions and the scikit-learn contract.

    Parameters
    ----------
    loss : {"gan", "wgan-gp"}, default="wgan-gp"
        ``"gan"``: non-saturating cross-entropy loss. ``"wgan-gp"``:
        Wasserstein loss with a gradient penalty on the critic.
    epochs : int, default=300
        Passes over the training rows. Each pass makes
        ``ceil(n_rows / batch_size)`` generator updates, each preceded by
        ``n_critic`` discriminator updates.
    batch_size : int, default=64
        Rows per update (capped at the number of training rows).
    latent_dim : int, default=32
        Size of the generator's noise input.
    generator_dims : tuple of int, default=(128, 128)
        Hidden widths of the generator.
    discriminator_dims : tuple of int, default=(128, 128)
        Hidden widths of the discriminator / critic.
    generator_lr, discriminator_lr : float, default=1e-3
        Adam learning rates.
    n_critic : int, default=5
        Discriminator updates per generator update.
    gp_weight : float, default=10.0
        Weight of the gradient penalty (``"wgan-gp"`` only).
    label_smoothing : float, default=0.0
        One-sided label smoothing of the real labels (``"gan"`` only): real
        rows are labelled ``1 - label_smoothing``.
    batch_norm : bool, default=True
        Batch normalisation in the generator.
    device : str or torch.device, default="cpu"
        Where the networks are trained.
    seed : int, default=0
        Seed of the local :class:`torch.Generator`; the same seed gives the
        same networks and samples on CPU.
    verbose : bool, default=False
        Show a tqdm progress bar with the losses.
    validation_fraction : float or None, default=None
        Keep the best generator: this fraction of the rows (drawn with
        ``row_weights``) is held out of training, and every ``eval_every``
        epochs an XGBoost detector learns up to four times as many training
        rows vs fresh samples and is scored on the held-out rows vs ten times
        as many other fresh samples (protocol 2 of the benchmarks). The fresh
        rows come from a noise stream of their own, the same at every
        measurement, so snapshots are compared on the same noise and the
        measurements do not change training. The generator with the lowest
        detection ROC-AUC is kept. None trains without holding out and keeps
        the last generator.
    eval_every : int, default=10
        Epochs between two detection measurements.
    n_iter_no_change : int or None, default=None
        Stop when this many measurements in a row did not lower the best
        detection accuracy; None trains all ``epochs``.
    window_length : int or None, default=None
        Rows are flattened windows of a multivariate series, ``window_length``
        time steps each: the generator and critic (and the encoder) are then
        1-D convolutional (:class:`ConvGenerator`, :class:`ConvCritic`, with
        their default 32 channels; ``generator_dims`` and
        ``discriminator_dims`` do not apply). Convolutions are costly in the
        gradient penalty's double backward on CPU, so keep them narrow.
    output_blocks : list of tuple or None, default=None
        Layout of a row, as :attr:`TabularTransformer.output_blocks_
        <skgan.preprocessing.TabularTransformer>`: ``("numeric", 1)`` columns
        stay linear, each ``("softmax", k)`` block becomes a Gumbel-softmax
        (temperature 0.2) in training and a one-hot draw from the block's
        softmax when sampling. None: every column is numeric.
    ema_decay : float or None, default=None
        Keep an exponential moving average of the generator's weights with
        this decay per update (for example 0.995) and end with it, batch norm
        statistics recomputed for the averaged weights: it smooths the
        oscillation of adversarial training. With ``validation_fraction`` the
        averaged weights are what is measured and kept. None ends with the
        last weights.
    pac : int, default=1
        PacGAN's packing: the critic judges ``pac`` rows at once (the batch
        is rounded down to a multiple of it), which lets it see a lack of
        diversity and so guards against mode collapse on discrete columns.

    Attributes
    ----------
    generator_ : Generator
        The trained generator (in eval mode).
    discriminator_ : Discriminator
        The trained discriminator / critic.
    history_ : list of dict
        One dict per epoch with ``epoch``, ``generator_loss``,
        ``discriminator_loss``, ``wasserstein`` (``"wgan-gp"`` only: the
        critic's estimate of the Wasserstein distance, which should fall and
        level off as training converges), ``seconds``, and on measured
        epochs (``validation_fraction``) ``detection_accuracy`` and
        ``detection_roc_auc``.
    steps_per_epoch_ : int
        Generator updates per epoch.
    best_epoch_ : int
        The epoch of the kept generator (the last one without
        ``validation_fraction``).
    best_detection_accuracy_ : float or None
        Its detection accuracy on the held-out rows (None without
        ``validation_fraction``).
    """

    def __init__(
        self,
        *,
        loss="wgan-gp",
        epochs=300,
        batch_size=64,
        latent_dim=32,
        generator_dims=(128, 128),
        discriminator_dims=(128, 128),
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        n_critic=5,
        gp_weight=10.0,
        label_smoothing=0.0,
        batch_norm=True,
        device="cpu",
        seed=0,
        verbose=False,
        validation_fraction=None,
        eval_every=10,
        n_iter_no_change=None,
        window_length=None,
        output_blocks=None,
        pac=1,
        ema_decay=None,
    ):
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_dims = tuple(generator_dims)
        self.discriminator_dims = tuple(discriminator_dims)
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.n_critic = n_critic
        self.gp_weight = gp_weight
        self.label_smoothing = label_smoothing
        self.batch_norm = batch_norm
        self.device = torch.device(device)
        self.seed = seed
        self.verbose = verbose
        self.validation_fraction = validation_fraction
        self.eval_every = eval_every
        self.n_iter_no_change = n_iter_no_change
        self.window_length = window_length
        self.output_blocks = None if output_blocks is None else list(output_blocks)
        self.pac = pac
        self.ema_decay = ema_decay

    def fit(
        self,
        X,
        cond=None,
        row_weights=None,
        epoch_rows=None,
        cond_blocks=None,
        decode=None,
    ):
        """Train the networks.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Scaled training data.
        cond : ndarray of shape (n_samples, n_conditions), default=None
            One-hot condition of each row, fed to both networks.
        row_weights : ndarray of shape (n_samples,), default=None
            Relative probability of drawing each row into a batch (for example
            to balance classes). Uniform when None.
        epoch_rows : int, default=None
            Rows that make one epoch (``n_samples`` when None); with
            ``row_weights`` this keeps an epoch one pass over the rows that
            matter rather than over every row.
        cond_blocks : list of tuple, default=None
            ``(start, width)`` of one-hot blocks of ``X`` to condition on, in
            place of ``cond`` (CTGAN's training by sampling): each drawn row is
            conditioned on its own value of one of these blocks, picked at
            random, and the generator also learns, by cross-entropy, to
            produce the value it is conditioned on. :meth:`sample` then takes
            conditions of the same layout (see :meth:`conditions`).
        decode : callable, default=None
            ``decode(Z, cond)`` maps generated rows (and their conditions) to
            the form of ``X`` for the detection measurements of
            ``validation_fraction``: the scaler's round trip, so that values
            that are tied in the data (counts, codes) are point masses in
            generated rows too and the detector cannot tell real rows by their
            ties alone. None compares generated rows as they come.

        Returns
        -------
        self : GANTrainer
            The trained engine.

        Raises
        ------
        TrainingDivergedError
            If a loss becomes NaN or infinite.
        """
        device = self.device
        self._rng = torch.Generator(device=device).manual_seed(self.seed)
        holdout = None
        self._decode = decode
        if self.validation_fraction:
            X, cond, row_weights, holdout = self._hold_out(
                X, cond, row_weights, epoch_rows
            )
        data = torch.as_tensor(X, dtype=torch.float32, device=device)
        n_rows, n_features = data.shape
        conds = None
        cond_dim = 0
        self._set_blocks(n_features)
        self.cond_spans_ = None
        if cond_blocks:
            if cond is not None:
                raise ValueError("pass either cond or cond_blocks, not both.")
            cond_dim = self._set_cond_blocks(data, cond_blocks)
        elif cond is not None:
            conds = torch.as_tensor(cond, dtype=torch.float32, device=device)
            cond_dim = conds.shape[1]
        probs = None
        if row_weights is not None:
            probs = torch.as_tensor(row_weights, dtype=torch.float32, device=device)
            probs = probs / probs.sum()

        if self.window_length is None:
            self.generator_ = build_module(
                Generator,
                self.latent_dim,
                cond_dim,
                self.generator_dims,
                n_features,
                batch_norm=self.batch_norm,
                device=device,
                generator=self._rng,
            )
            self.discriminator_ = build_module(
                Discriminator,
                n_features * self.pac,
                cond_dim * self.pac,
                self.discriminator_dims,
                device=device,
                generator=self._rng,
            )
        else:
            length, per_step = self._window_shape(n_features, cond_dim)
            self.generator_ = build_module(
                ConvGenerator,
                self.latent_dim,
                length,
                per_step,
                device=device,
                generator=self._rng,
            )
            self.discriminator_ = build_module(
                ConvCritic, length, per_step, device=device, generator=self._rng
            )
        betas = (0.5, 0.9) if self.loss == "wgan-gp" else (0.5, 0.999)
        opt_g = torch.optim.Adam(
            self.generator_.parameters(),
            lr=self.generator_lr,
            betas=betas,
            fused=True,
        )
        opt_d = torch.optim.Adam(
            self.discriminator_.parameters(),
            lr=self.discriminator_lr,
            betas=betas,
            fused=True,
        )
        batch = min(self.batch_size, n_rows)
        if self.pac > 1:
            batch = max(self.pac, batch - batch % self.pac)
        steps = max(1, math.ceil((epoch_rows or n_rows) / batch))
        self.steps_per_epoch_ = steps

        def draw(n):
            if probs is None:
                idx = torch.randint(n_rows, (n,), generator=self._rng, device=device)
            else:
                idx = torch.multinomial(probs, n, replacement=True, generator=self._rng)
            if self.cond_spans_ is not None:
                return data[idx], self._own_conditions(data[idx])
            return data[idx], None if conds is None else conds[idx]

        self.history_ = []
        self.best_epoch_, self.best_detection_accuracy_ = self.epochs, None
        best_state, best_auc, stale = None, None, 0
        self.generator_.train()
        g_params = list(self.generator_.parameters())
        ema = None
        if self.ema_decay:
            ema = [p.detach().clone() for p in g_params]
        bar = tqdm(
            range(1, self.epochs + 1), disable=not self.verbose, desc="GAN", leave=False
        )
        for epoch in bar:
            start = time.perf_counter()
            totals = torch.zeros(3, device=device)
            for _ in range(steps):
                # The generator is fixed during the critic updates, so the fake
                # rows of all of them can come from one forward pass.
                reals, cs = draw(self.n_critic * batch)
                with torch.no_grad():
                    fakes = self._activate(self.generator_(self._noise(len(reals)), cs))
                for k in range(self.n_critic):
                    rows = slice(k * batch, (k + 1) * batch)
                    d_loss, w_est = self._discriminator_step(
                        reals[rows],
                        fakes[rows],
                        None if cs is None else cs[rows],
                        opt_d,
                    )
                _, c = draw(batch)
                g_loss = self._generator_step(batch, c, opt_g)
                if ema is not None:
                    with torch.no_grad():
                        torch._foreach_lerp_(ema, g_params, 1.0 - self.ema_decay)
                totals += torch.stack([g_loss, d_loss, w_est])
            g_mean, d_mean, w_mean = (totals / steps).tolist()
            if not (math.isfinite(g_mean) and math.isfinite(d_mean)):
                raise TrainingDivergedError(
                    f"GAN training diverged at epoch {epoch}: generator loss "
                    f"{g_mean}, discriminator loss {d_mean}. Lower generator_lr "
                    "and discriminator_lr, or use loss='wgan-gp'."
                )
            record = {
                "epoch": epoch,
                "generator_loss": g_mean,
                "discriminator_loss": d_mean,
            }
            if self.loss == "wgan-gp":
                record["wasserstein"] = w_mean
            if holdout is not None and (
                epoch % self.eval_every == 0 or epoch == self.epochs
            ):
                (accuracy, auc), state = self._judge(holdout, ema, draw, batch)
                record["detection_accuracy"] = accuracy
                record["detection_roc_auc"] = auc
                if best_auc is None or auc < best_auc:
                    self.best_epoch_, self.best_detection_accuracy_ = epoch, accuracy
                    best_auc, best_state = auc, state
                    stale = 0
                else:
                    stale += 1
            record["seconds"] = time.perf_counter() - start
            self.history_.append(record)
            if self.verbose:
                bar.set_postfix(
                    {
                        k: f"{v:.3f}"
                        for k, v in record.items()
                        if k.endswith(("loss", "wasserstein", "accuracy"))
                    }
                )
            if self.n_iter_no_change is not None and stale >= self.n_iter_no_change:
                break
        self._decode = None
        if best_state is not None:
            self.generator_.load_state_dict(best_state)
        elif ema is not None:
            with torch.no_grad():
                torch._foreach_copy_(g_params, ema)
            self._recalibrate_batch_norm(draw, batch)
        self.generator_.eval()
        return self

    def _set_blocks(self, n_features):
        """Index the softmax blocks of a row, padded to one (block, width) grid.

        ``_softmax`` lists ``(start, width)``; ``_grid`` holds the columns of
        every block padded to the widest (``_grid_valid`` marks real entries),
        so that all blocks are activated in a few tensor operations.
        """
        blocks = self.output_blocks or [("numeric", 1)] * n_features
        widths = [width for _, width in blocks]
        if sum(widths) != n_features or any(
            kind not in ("numeric", "softmax") for kind, _ in blocks
        ):
            raise ValueError(
                f"output_blocks describe {sum(widths)} columns but the rows have "
                f"{n_features}; pass the blocks of the transformer that made them."
            )
        starts = np.cumsum([0, *widths[:-1]])
        self._softmax = [
            (int(start), int(width))
            for (kind, width), start in zip(blocks, starts, strict=True)
            if kind == "softmax"
        ]
        self._grid, self._grid_valid = _padded_grid(self._softmax, self.device)
        self._grid_cols = self._grid[self._grid_valid]

    def _set_cond_blocks(self, data, cond_blocks):
        """Conditioning spans and the frequency of each value in the data."""
        spans, frequencies, offset = [], [], 0
        for start, width in cond_blocks:
            spans.append((offset, int(start), int(width)))
            counts = data[:, start : start + width].sum(dim=0)
            frequencies.append(counts / counts.sum())
            offset += int(width)
        self.cond_spans_ = spans
        self.cond_frequencies_ = frequencies
        self._set_cond_grid()
        return offset

    def _set_cond_grid(self):
        """Index tensors of the conditioning blocks (see :meth:`_set_blocks`)."""
        spans = self.cond_spans_
        device = self.device
        # Row columns of each condition column, and the block it belongs to.
        self._cond_cols = torch.tensor(
            [start + i for _, start, width in spans for i in range(width)],
            device=device,
        )
        self._cond_block = torch.tensor(
            [b for b, (_, _, width) in enumerate(spans) for _ in range(width)],
            device=device,
        )
        self._cond_grid, self._cond_valid = _padded_grid(
            [(start, width) for _, start, width in spans], device
        )
        self._cond_grid_in_cond, _ = _padded_grid(
            [(offset, width) for offset, _, width in spans], device
        )

    def _own_conditions(self, rows):
        """Condition each row on its own value of one block picked at random."""
        pick = torch.randint(
            len(self.cond_spans_),
            (len(rows), 1),
            generator=self._rng,
            device=rows.device,
        )
        return rows[:, self._cond_cols] * (self._cond_block == pick)

    def conditions(self, n_samples, block=None, value=None):
        """Condition vectors for sampling after ``fit(..., cond_blocks=...)``.

        Parameters
        ----------
        n_samples : int
            Number of rows to condition.
        block : int, default=None
            Index into ``cond_blocks``; with ``value`` every row asks for that
            value of that block. None draws, per row, a block uniformly and
            its value with its training frequency, which reproduces the
            training distribution.
        value : int, default=None
            Position of the value within the block.

        Returns
        -------
        cond : ndarray of shape (n_samples, n_conditions)
            One-hot conditions for :meth:`sample`.
        """
        width = sum(w for _, _, w in self.cond_spans_)
        cond = torch.zeros(n_samples, width)
        if block is not None:
            offset = self.cond_spans_[block][0]
            cond[:, offset + value] = 1.0
            return cond.numpy()
        pick = torch.randint(len(self.cond_spans_), (n_samples,), generator=self._rng)
        for b, (offset, _, _) in enumerate(self.cond_spans_):
            rows = torch.nonzero(pick == b).squeeze(1)
            if len(rows):
                freq = self.cond_frequencies_[b].cpu()
                values = torch.multinomial(
                    freq, len(rows), replacement=True, generator=self._rng
                )
                cond[rows, offset + values] = 1.0
        return cond.numpy()

    def _activate(self, raw, hard=False):
        """Gumbel-softmax (training) or one-hot draws (``hard``) per softmax block.

        The Gumbel noise comes from the local generator, not from
        :func:`torch.nn.functional.gumbel_softmax`'s global one.
        """
        if not self._softmax:
            return raw
        logits = raw[:, self._grid]
        # Gumbel noise is -log(Exp(1)); padding entries can never win.
        log_exp = torch.empty_like(logits).exponential_(generator=self._rng).log_()
        noisy = (logits - log_exp).masked_fill_(~self._grid_valid, -torch.inf)
        if hard:
            values = torch.zeros_like(noisy).scatter_(
                2, noisy.argmax(dim=2, keepdim=True), 1.0
            )
            out = raw  # a fresh output when sampling: written in place
        else:
            values = torch.softmax(noisy / _TAU, dim=2)
            out = raw.clone()  # the logits stay for the condition loss
        out[:, self._grid_cols] = values[:, self._grid_valid]
        return out

    def _condition_loss(self, raw, cond):
        """Cross-entropy of each row's conditioned block against the asked value."""
        if self.cond_spans_ is None:
            return 0.0
        asked = cond[:, self._cond_grid_in_cond] * self._cond_valid
        logits = raw[:, self._cond_grid].masked_fill(~self._cond_valid, -torch.inf)
        log_p = torch.log_softmax(logits, dim=2)
        target = asked.argmax(dim=2, keepdim=True)
        nll = -log_p.gather(2, target).squeeze(2)
        return (nll * asked.sum(dim=2)).sum() / len(raw)

    def _pack(self, x):
        """PacGAN: ``pac`` consecutive rows side by side as one critic input."""
        if x is None or self.pac == 1:
            return x
        return x.reshape(len(x) // self.pac, -1)

    @torch.no_grad()
    def _recalibrate_batch_norm(self, draw, batch, n_batches=50):
        """Batch norm statistics of the current weights (after averaging them).

        The running statistics were gathered with other weights; a
        cumulative average over fresh batches replaces them.
        """
        norms = [m for m in self.generator_.modules() if isinstance(m, nn.BatchNorm1d)]
        if not norms:
            return
        momenta = [norm.momentum for norm in norms]
        for norm in norms:
            norm.reset_running_stats()
            norm.momentum = None
        self.generator_.train()
        for _ in range(n_batches):
            _, c = draw(batch)
            self.generator_(self._noise(batch), c)
        for norm, momentum in zip(norms, momenta, strict=True):
            norm.momentum = momentum

    def _window_shape(self, n_columns, cond_dim=0):
        if cond_dim:
            raise ValueError(
                "windows of a series cannot be conditioned; pass cond=None."
            )
        if n_columns % self.window_length:
            raise ValueError(
                f"rows of {n_columns} values are not windows of {self.window_length} "
                "time steps; pass flattened (n_windows, window_length * n_features) "
                "rows."
            )
        return self.window_length, n_columns // self.window_length

    def fit_encoder(
        self, X, *, epochs=50, hidden_dims=None, lr=1e-3, feature_weight=1.0
    ):
        """Learn an encoder that inverts the trained generator (f-AnoGAN's izi_f).

        With the generator and critic fixed, the encoder ``E`` minimises
        ``|x - G(E(x))|^2 + feature_weight * |f(x) - f(G(E(x)))|^2`` over the
        training rows, where ``f`` is the critic's last hidden layer. A row is
        then reconstructed in one forward pass (:meth:`reconstruct`).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Scaled training rows (those the GAN was trained on).
        epochs : int, default=50
            Passes over the rows.
        hidden_dims : tuple of int, default=None
            Hidden widths of the encoder; the discriminator's when None.
        lr : float, default=1e-3
            Adam learning rate.
        feature_weight : float, default=1.0
            Weight of the critic-feature term.

        Returns
        -------
        self : GANTrainer
            With ``encoder_`` and ``encoder_history_`` (one dict per epoch
            with ``epoch`` and ``reconstruction_loss``).
        """
        device = self.device
        data = torch.as_tensor(X, dtype=torch.float32, device=device)
        n_rows, n_features = data.shape
        if self.window_length is None:
            self.encoder_ = build_module(
                Encoder,
                n_features,
                tuple(hidden_dims or self.discriminator_dims),
                self.latent_dim,
                device=device,
                generator=self._rng,
            )
        else:
            self.encoder_ = build_module(
                ConvCritic,
                *self._window_shape(n_features),
                out_dim=self.latent_dim,
                device=device,
                generator=self._rng,
            )
        optimizer = torch.optim.Adam(self.encoder_.parameters(), lr=lr, fused=True)
        batch = min(self.batch_size, n_rows)
        self.generator_.eval()
        frozen = [*self.generator_.parameters(), *self.discriminator_.parameters()]
        for param in frozen:
            param.requires_grad_(False)
        self.encoder_history_ = []
        try:
            for epoch in range(1, epochs + 1):
                order = torch.randperm(n_rows, generator=self._rng, device=device)
                total = torch.zeros((), device=device)
                for start in range(0, n_rows, batch):
                    x = data[order[start : start + batch]]
                    x_hat = self.generator_(self.encoder_(x))
                    loss = F.mse_loss(x_hat, x) + feature_weight * F.mse_loss(
                        self.discriminator_.features(x_hat),
                        self.discriminator_.features(x),
                    )
                    optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    optimizer.step()
                    total += loss.detach() * len(x)
                mean = (total / n_rows).item()
                if not math.isfinite(mean):
                    raise TrainingDivergedError(
                        f"encoder training diverged at epoch {epoch}; lower its "
                        "learning rate."
                    )
                self.encoder_history_.append(
                    {"epoch": epoch, "reconstruction_loss": mean}
                )
        finally:
            for param in frozen:
                param.requires_grad_(True)
        self.encoder_.eval()
        return self

    @torch.inference_mode()
    def reconstruct(self, X):
        """Rows as the generator reproduces them from their encoding.

        Computed in float64, so that a row's result does not depend on the
        other rows of the batch (float32 matrix products round differently
        for different batch sizes).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Scaled rows.

        Returns
        -------
        X_hat : ndarray of shape (n_samples, n_features)
            ``G(E(x))`` for each row.
        """
        self.generator_.eval()
        encoder = copy.deepcopy(self.encoder_).double()
        generator = copy.deepcopy(self.generator_).double()
        return self._batched(lambda x: generator(encoder(x)), X)

    @torch.inference_mode()
    def critic(self, X):
        """The discriminator / critic output for each row, in float64.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Scaled rows.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Higher for rows the critic finds more like the training data.
        """
        if self.pac != 1:
            raise ValueError("the critic scores single rows only with pac=1.")
        return self._batched(copy.deepcopy(self.discriminator_).double(), X)

    def _batched(self, function, X):
        data = torch.as_tensor(np.asarray(X), dtype=torch.float64)
        outputs = [
            function(data[start : start + SAMPLE_BATCH].to(self.device)).cpu()
            for start in range(0, len(data), SAMPLE_BATCH)
        ]
        return torch.cat(outputs).numpy() if outputs else np.empty(0)

    def _sample_windows(self, n_samples):
        chunks = [
            self.generator_(self._noise(min(SAMPLE_BATCH, n_samples - start))).cpu()
            for start in range(0, n_samples, SAMPLE_BATCH)
        ]
        n_columns = self.window_length * self.generator_.n_features
        out = torch.cat(chunks).numpy() if chunks else np.empty((0, n_columns))
        if not np.isfinite(out).all():
            raise TrainingDivergedError(
                "the generator produced non-finite values; lower the learning rates."
            )
        return out

    def _hold_out(self, X, cond, row_weights, epoch_rows):
        """Split off the held-out rows and the detector's training rows.

        Both are drawn without replacement with the batches' row weights, so a
        class-balanced model is judged on every class alike.
        """
        X = np.asarray(X)
        n_rows = len(X)
        p = np.ones(n_rows) if row_weights is None else np.asarray(row_weights, float)
        rng = np.random.default_rng(self.seed)
        n_val = round(self.validation_fraction * (epoch_rows or n_rows))
        n_val = min(max(n_val, 2), (n_rows - 2) // 2)
        if n_val < 2:
            raise ValueError(
                f"validation_fraction needs at least 6 training rows; got {n_rows}. "
                "Set validation_fraction=None for so few rows."
            )
        val = rng.choice(n_rows, n_val, replace=False, p=p / p.sum())
        train = np.setdiff1d(np.arange(n_rows), val)
        p_train = p[train] / p[train].sum()
        # The detector learns on up to four times as many training rows.
        n_ref = min(len(train), 4 * n_val)
        ref = train[rng.choice(len(train), n_ref, replace=False, p=p_train)]
        c = (lambda rows: None) if cond is None else (lambda rows: cond[rows])
        holdout = (X[ref], c(ref), X[val], c(val))
        weights = None if row_weights is None else p[train]
        return X[train], c(train), weights, holdout

    def _judge(self, holdout, ema, draw, batch):
        """Detection scores of the current generator, and a copy of it.

        With ``ema`` the averaged weights are judged (and copied), batch norm
        statistics recomputed for them; the training weights are then put
        back. The fresh rows come from a torch generator of their own, seeded
        the same at every measurement, so that two snapshots are compared on
        the same noise and training draws the same batches as without
        measurements.
        """
        train_rng = self._rng
        self._rng = torch.Generator(device=self.device).manual_seed(self.seed + 1)
        saved = None
        try:
            if ema is not None:
                saved = copy.deepcopy(self.generator_.state_dict())
                with torch.no_grad():
                    torch._foreach_copy_(list(self.generator_.parameters()), ema)
                self._recalibrate_batch_norm(draw, batch, n_batches=20)
            scores = self._detection(*holdout)
            state = copy.deepcopy(self.generator_.state_dict())
        finally:
            if saved is not None:
                self.generator_.load_state_dict(saved)
            self._rng = train_rng
            self.generator_.train()
        return scores, state

    def _detection(self, real_a, cond_a, real_b, cond_b):
        """Protocol 2 on the scaled data, made steadier for picking snapshots.

        An XGBoost detector learns the training rows A against as many fresh
        rows, then scores the held-out rows B against ten times as many fresh
        rows. Returns the accuracy on that test set with both classes weighted
        alike (0.5 is ideal) and the ROC-AUC (0.5 is ideal), which is less
        coarse than an accuracy on a few dozen held-out rows.
        """
        n_fake = 10
        cond_f = None if cond_b is None else np.tile(cond_b, (n_fake, 1))
        fake_a = self.sample(len(real_a), cond_a)
        fake_b = self.sample(n_fake * len(real_b), cond_f)
        self.generator_.train()
        if self._decode is not None:
            fake_a, fake_b = self._decode(fake_a, cond_a), self._decode(fake_b, cond_f)

        def features(rows, c):
            return rows if c is None else np.hstack([rows, c])

        # A lighter detector than the protocol's: it runs every eval_every
        # epochs.
        detector = make_detector(self.seed, n_estimators=100, max_depth=3)
        detector.fit(
            np.vstack([features(real_a, cond_a), features(fake_a, cond_a)]),
            np.r_[np.ones(len(real_a)), np.zeros(len(fake_a))],
        )
        p_real = detector.predict_proba(features(real_b, cond_b))[:, 1]
        p_fake = detector.predict_proba(features(fake_b, cond_f))[:, 1]
        accuracy = 0.5 * (np.mean(p_real >= 0.5) + np.mean(p_fake < 0.5))
        labels = np.r_[np.ones(len(p_real)), np.zeros(len(p_fake))]
        return float(accuracy), float(roc_auc_score(labels, np.r_[p_real, p_fake]))

    def __getstate__(self):
        # Pickle on the CPU so that a model fitted on a GPU loads anywhere; the
        # random generator is kept as its state so sampling continues where
        # it stopped.
        state = self.__dict__.copy()
        # The measurements' decoder belongs to one fit (a fit that raised
        # may leave it): it is not part of the model.
        state.pop("_decode", None)
        for name in ("generator_", "discriminator_", "encoder_"):
            if name in state and self.device.type != "cpu":
                # Module.to() moves in place: copy first, the live model stays.
                state[name] = copy.deepcopy(state[name]).to("cpu")
        for name, value in state.items():
            # Index tensors of the blocks, the condition frequencies.
            if isinstance(value, torch.Tensor):
                state[name] = value.cpu()
            elif name == "cond_frequencies_" and value is not None:
                state[name] = [freq.cpu() for freq in value]
        if "_rng" in state:
            # A CUDA generator's state does not fit a CPU generator: reseed.
            cpu = self.device.type == "cpu"
            state["_rng"] = state["_rng"].get_state() if cpu else None
        state["device"] = torch.device("cpu")
        return state

    def __setstate__(self, state):
        has_rng = "_rng" in state
        rng_state = state.pop("_rng", None)
        self.__dict__.update(state)
        if has_rng:
            self._rng = torch.Generator(device="cpu").manual_seed(self.seed)
            if rng_state is not None:
                self._rng.set_state(rng_state)

    def _noise(self, n):
        return torch.randn(n, self.latent_dim, generator=self._rng, device=self.device)

    def _discriminator_step(self, real, fake, cond, optimizer):
        n = len(real)
        if self.loss == "wgan-gp":
            alpha = torch.rand(n, 1, generator=self._rng, device=real.device)
            mixed = (alpha * real + (1.0 - alpha) * fake).requires_grad_(True)
            # One critic pass over real, fake and interpolated rows; the critic
            # has no batch statistics, so rows do not interact.
            both = None if cond is None else torch.cat([cond, cond, cond])
            d_real, d_fake, d_mixed = self.discriminator_(
                self._pack(torch.cat([real, fake, mixed])), self._pack(both)
            ).split(n // self.pac)
            (grad,) = torch.autograd.grad(d_mixed.sum(), mixed, create_graph=True)
            penalty = ((self._pack(grad).norm(2, dim=1) - 1.0) ** 2).mean()
            w_est = d_real.mean() - d_fake.mean()
            loss = -w_est + self.gp_weight * penalty
        else:
            both = None if cond is None else torch.cat([cond, cond])
            d_real, d_fake = self.discriminator_(
                self._pack(torch.cat([real, fake])), self._pack(both)
            ).split(n // self.pac)
            target = torch.full_like(d_real, 1.0 - self.label_smoothing)
            loss = F.binary_cross_entropy_with_logits(
                d_real, target
            ) + F.binary_cross_entropy_with_logits(d_fake, torch.zeros_like(d_fake))
            w_est = torch.zeros((), device=real.device)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.detach(), w_est.detach()

    def _generator_step(self, n, cond, optimizer):
        raw = self.generator_(self._noise(n), cond)
        d_fake = self.discriminator_(self._pack(self._activate(raw)), self._pack(cond))
        if self.loss == "wgan-gp":
            loss = -d_fake.mean()
        else:
            loss = F.binary_cross_entropy_with_logits(d_fake, torch.ones_like(d_fake))
        loss = loss + self._condition_loss(raw, cond)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.detach()

    @torch.inference_mode()
    def sample(self, n_samples, cond=None):
        """Generate scaled rows with the generator in eval mode.

        Parameters
        ----------
        n_samples : int
            Number of rows.
        cond : ndarray of shape (n_samples, n_conditions), default=None
            One-hot condition of each row to generate.

        Returns
        -------
        Z : ndarray of shape (n_samples, n_features)
            Generated rows on the scaled space, as float32.

        Raises
        ------
        TrainingDivergedError
            If the generator produces NaN or infinite values.
        """
        self.generator_.eval()
        if cond is None and getattr(self, "cond_spans_", None) is not None:
            cond = self.conditions(n_samples)
        if self.window_length is not None:
            return self._sample_windows(n_samples)
        layers = self.generator_.folded_layers()
        slope = self.generator_.net[-2].negative_slope if len(layers) > 1 else 0.0
        out = torch.empty(n_samples, layers[-1][0].shape[0])
        n_cond = 0 if cond is None else cond.shape[1]
        for start in range(0, n_samples, SAMPLE_BATCH):
            stop = min(start + SAMPLE_BATCH, n_samples)
            h = self._noise(stop - start)
            if n_cond:
                c = torch.as_tensor(cond[start:stop], dtype=torch.float32)
                h = torch.cat([h, c.to(self.device)], dim=1)
            for weight, bias in layers[:-1]:
                h = F.leaky_relu_(torch.addmm(bias, h, weight.T), slope)
            weight, bias = layers[-1]
            out[start:stop] = self._activate(
                torch.addmm(bias, h, weight.T), hard=True
            ).cpu()
        out = out.numpy()
        if not np.isfinite(out).all():
            raise TrainingDivergedError(
                "the generator produced non-finite values; lower the learning "
                "rates or use loss='wgan-gp'."
            )
        return out


def _padded_grid(spans, device):
    """Columns of ``(start, width)`` spans padded to the widest, and a mask.

    Returns
    -------
    grid : LongTensor of shape (n_spans, max_width)
        Column indices (padding repeats the span's first column).
    valid : BoolTensor of shape (n_spans, max_width)
        True on real entries.
    """
    width = max((w for _, w in spans), default=0)
    grid = torch.zeros(len(spans), width, dtype=torch.long)
    valid = torch.zeros(len(spans), width, dtype=torch.bool)
    for b, (start, w) in enumerate(spans):
        grid[b] = start
        grid[b, :w] = torch.arange(start, start + w)
        valid[b, :w] = True
    return grid.to(device), valid.to(device)
