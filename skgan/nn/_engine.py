"""The one GAN training loop that every skgan estimator composes.

The loop, its updates and sampling live here; the concerns around it in
mixins of their own: the one-hot blocks and conditions (``_blocks``), the
snapshot selection (``_selection``) and the inversion for anomaly scores
(``_inversion``).
"""

import copy
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from ..exceptions import TrainingDivergedError
from ..utils._denormals import flushed_denormals
from ..utils._threads import threaded
from ._blocks import _BlockLayout
from ._inversion import _Inversion
from ._modules import (
    SAMPLE_BATCH,
    ConvCritic,
    ConvGenerator,
    Discriminator,
    Generator,
    build_module,
)
from ._optim import Adam
from ._private import PrivateCriticMixin
from ._selection import _SnapshotSelection

#: Windows per forward pass when sampling windows: a fixed batch, so that a
#: window's values do not depend on how many were asked for.
WINDOW_BLOCK = 256


class GANTrainer(_BlockLayout, _SnapshotSelection, _Inversion, PrivateCriticMixin):
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
        ``n_critic`` discriminator updates. Ignored when ``max_iter`` is set.
    max_iter : int or None, default=None
        Generator updates in all, whatever the number of rows: the cost of a
        fit no longer grows with the table. The history still has one record
        per pass over the rows (the last one may be partial). None trains
        ``epochs`` passes.
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
    window_differences : bool, default=False
        With ``window_length``: the critic also reads each window's step
        changes and their distribution within the window
        (``ConvCritic(differences=True)``), what the strong judge of
        protocol 5 tells generated windows by. The series synthesizer turns
        it on; the anomaly detector leaves it off (on the NAB series it
        scored 0.701 and 0.676 against 0.703 and 0.681 without,
        ``benchmarks/results/anomaly_nab_difference_critic_2026-12-03.md``).
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
    n_threads : int, default=1
        Torch intra-op threads while the engine trains or samples; the
        caller's setting is restored afterwards. The arithmetic (and so the
        result of a seed) depends on it.
    epsilon : float or None, default=None
        Train the critic with DP-SGD (opacus) within this privacy budget
        (with ``delta``); the generator learns only through the critic. Needs
        ``loss="gan"``, ``pac=1`` and no ``validation_fraction``.
    delta : float or None, default=None
        The DP-SGD ``delta``; required with ``epsilon``.
    max_grad_norm : float, default=1.0
        Per-row gradient clipping norm of DP-SGD.

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
    n_iter_ : int
        Generator updates made.
    best_epoch_ : int
        The epoch of the kept generator (the last one without
        ``validation_fraction``).
    best_detection_accuracy_ : float or None
        Its detection accuracy on the held-out rows (None without
        ``validation_fraction``).
    epsilon_ : float
        With ``epsilon``: the budget spent, by opacus's Rényi accountant
        (never above ``epsilon``).
    noise_multiplier_ : float
        With ``epsilon``: DP-SGD's noise standard deviation over the clipping
        norm.
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
        window_differences=False,
        output_blocks=None,
        pac=1,
        ema_decay=None,
        max_iter=None,
        n_threads=1,
        epsilon=None,
        delta=None,
        max_grad_norm=1.0,
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
        self.window_differences = window_differences
        self.output_blocks = None if output_blocks is None else list(output_blocks)
        self.pac = pac
        self.ema_decay = ema_decay
        self.max_iter = max_iter
        self.n_threads = n_threads
        self.epsilon = epsilon
        self.delta = delta
        self.max_grad_norm = max_grad_norm

    @threaded
    @flushed_denormals()
    def fit(
        self,
        X,
        cond=None,
        row_weights=None,
        epoch_rows=None,
        cond_blocks=None,
        decode=None,
        cond_frequencies=None,
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
        cond_frequencies : list of ndarray, default=None
            With ``cond_blocks``: the frequency of each value of each block,
            used to draw conditions, in place of the counts in ``X`` (for
            example counts released with differential privacy).

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
            cond_dim = self._set_cond_blocks(data, cond_blocks, cond_frequencies)
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
                ConvCritic,
                length,
                per_step,
                differences=self.window_differences,
                device=device,
                generator=self._rng,
            )
        betas = (0.5, 0.9) if self.loss == "wgan-gp" else (0.5, 0.999)
        opt_g = Adam(self.generator_.parameters(), lr=self.generator_lr, betas=betas)
        opt_d = Adam(
            self.discriminator_.parameters(), lr=self.discriminator_lr, betas=betas
        )
        batch = min(self.batch_size, n_rows)
        if self.pac > 1:
            batch = max(self.pac, batch - batch % self.pac)
        steps = max(1, math.ceil((epoch_rows or n_rows) / batch))
        self.steps_per_epoch_ = steps
        if self.max_iter is None:
            n_epochs, budget = self.epochs, self.epochs * steps
        else:
            n_epochs, budget = math.ceil(self.max_iter / steps), self.max_iter
        if probs is not None:
            # Inverse-CDF draws: a binary search per row, so the cost of a
            # batch does not grow with the number of rows (multinomial
            # rebuilds the distribution at every call).
            cdf = torch.cumsum(probs.double(), 0)
            cdf = (cdf / cdf[-1]).float()

        private = self.epsilon is not None
        if private:
            self._dp_check(probs=probs, cond=cond, holdout=holdout)
            self._dp_setup(n_rows, batch, budget * self.n_critic)

        def draw(n):
            if private:
                # The generator's conditions come from the released
                # frequencies: no training row reaches it but through the
                # private critic.
                return None, self._dp_conditions(n)
            if probs is None:
                idx = torch.randint(n_rows, (n,), generator=self._rng, device=device)
            else:
                u = torch.rand(n, generator=self._rng, device=device)
                idx = torch.searchsorted(cdf, u, right=True).clamp_(max=n_rows - 1)
            if self.cond_spans_ is not None:
                return data[idx], self._own_conditions(data[idx])
            return data[idx], None if conds is None else conds[idx]

        self.history_ = []
        self.n_iter_ = 0
        self.best_epoch_, self.best_detection_accuracy_ = n_epochs, None
        best_state, best_auc, stale = None, None, 0
        self.generator_.train()
        g_params = list(self.generator_.parameters())
        ema = None
        if self.ema_decay:
            ema = [p.detach().clone() for p in g_params]
        # The bar counts generator updates: an epoch of a few windows is one
        # step of a long fit, and 0/1 then 1/1 told nothing.
        bar = tqdm(
            total=min(budget, n_epochs * steps),
            disable=not self.verbose,
            desc="GAN",
            unit="updates",
            leave=False,
        )
        for epoch in range(1, n_epochs + 1):
            start = time.perf_counter()
            totals = torch.zeros(3, device=device)
            n_steps = min(steps, budget - self.n_iter_)
            for _ in range(n_steps):
                if private:
                    for _ in range(self.n_critic):
                        d_loss, w_est = self._dp_discriminator_step(data, opt_d)
                else:
                    d_loss, w_est = self._critic_updates(draw, batch, opt_d)
                _, c = draw(batch)
                g_loss = self._generator_step(batch, c, opt_g)
                if ema is not None:
                    with torch.no_grad():
                        torch._foreach_lerp_(ema, g_params, 1.0 - self.ema_decay)
                totals += torch.stack([g_loss, d_loss, w_est])
            self.n_iter_ += n_steps
            bar.update(n_steps)
            g_mean, d_mean, w_mean = (totals / n_steps).tolist()
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
            if private:
                record["epsilon"] = self._dp_spent()
            if self.loss == "wgan-gp":
                record["wasserstein"] = w_mean
            if holdout is not None and (
                epoch % self.eval_every == 0 or epoch == n_epochs
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
        bar.close()
        self._decode = None
        if private:
            self.epsilon_ = self._dp_spent()
            self._dp_module.remove_hooks()
            del self._dp_module, self._dp_accountant
        if best_state is not None:
            self.generator_.load_state_dict(best_state)
        elif ema is not None:
            with torch.no_grad():
                torch._foreach_copy_(g_params, ema)
            self._recalibrate_batch_norm(draw, batch)
        self.generator_.eval()
        return self

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

    def _sample_windows(self, n_samples):
        chunks = []
        for start in range(0, n_samples, SAMPLE_BATCH):
            size = min(SAMPLE_BATCH, n_samples - start)
            # Whole blocks of a fixed size: the convolutions' arithmetic (and
            # so the last bits of a window) varies with the batch's size.
            noise = self._sample_noise(-(-size // WINDOW_BLOCK) * WINDOW_BLOCK)
            out = [self.generator_(block) for block in noise.split(WINDOW_BLOCK)]
            chunks.append(torch.cat(out)[:size].cpu())
        n_columns = self.window_length * self.generator_.n_features
        out = torch.cat(chunks).numpy() if chunks else np.empty((0, n_columns))
        if not np.isfinite(out).all():
            raise TrainingDivergedError(
                "the generator produced non-finite values; lower the learning rates."
            )
        return out

    def __getstate__(self):
        # Pickle on the CPU so that a model fitted on a GPU loads anywhere; the
        # random generator is kept as its state so sampling continues where
        # it stopped.
        state = self.__dict__.copy()
        # The measurements' decoder belongs to one fit (a fit that raised
        # may leave it): it is not part of the model.
        state.pop("_decode", None)
        # The blocks' index grids are rebuilt on first use, on the new device.
        state.pop("_grids", None)
        state.pop("_softmax_cols", None)
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

    def _critic_updates(self, draw, batch, optimizer):
        """``n_critic`` critic updates; the last one's loss and estimate."""
        # The generator is fixed during the critic updates, so the fake rows
        # of all of them can come from one forward pass.
        reals, cs = draw(self.n_critic * batch)
        with torch.no_grad():
            fakes = self._activate(self.generator_(self._noise(len(reals)), cs))
        for k in range(self.n_critic):
            rows = slice(k * batch, (k + 1) * batch)
            d_loss, w_est = self._discriminator_step(
                reals[rows],
                fakes[rows],
                None if cs is None else cs[rows],
                optimizer,
            )
        return d_loss, w_est

    def _noise(self, n):
        return torch.randn(n, self.latent_dim, generator=self._rng, device=self.device)

    def _sample_noise(self, n):
        """Noise of ``n`` rows whose first rows do not depend on ``n``.

        Torch's CPU normal draws fill whole blocks of 16 values and redraw the
        last block of any other size, so the draw is rounded up to a block:
        the same seed then gives the same first rows (windows) for
        ``sample(3)`` and ``sample(20)``.
        """
        size = n * self.latent_dim
        whole = max(16, -(-size // 16) * 16)
        noise = torch.randn(whole, generator=self._rng, device=self.device)
        return noise[:size].view(n, self.latent_dim)

    def _discriminator_step(self, real, fake, cond, optimizer):
        n = len(real)
        if self.loss == "wgan-gp":
            alpha = torch.rand(n, 1, generator=self._rng, device=real.device)
            mixed = (alpha * real + (1.0 - alpha) * fake).requires_grad_(True)
            # Real and fake rows in one critic pass (the critic has no batch
            # statistics, so rows do not interact); the interpolated rows in a
            # pass of their own, so that the penalty's double backward runs
            # over them alone (a third of the arithmetic of one joint pass).
            both = None if cond is None else torch.cat([cond, cond])
            d_real, d_fake = self.discriminator_(
                self._pack(torch.cat([real, fake])), self._pack(both)
            ).split(n // self.pac)
            d_mixed = self.discriminator_(self._pack(mixed), self._pack(cond))
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
        optimizer.zero_grad()
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
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.detach()

    @threaded
    @torch.inference_mode()
    def sample(self, n_samples, cond=None, allowed=None):
        """Generate scaled rows with the generator in eval mode.

        Parameters
        ----------
        n_samples : int
            Number of rows.
        cond : ndarray of shape (n_samples, n_conditions), default=None
            One-hot condition of each row to generate.
        allowed : ndarray of bool of shape (n_features,), default=None
            The columns of the softmax blocks that may be drawn (for example
            the categories one class shows); every block needs one allowed
            column. None allows all.

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
        if allowed is not None:
            allowed = torch.as_tensor(
                np.asarray(allowed, dtype=bool), device=self.device
            )
        for start in range(0, n_samples, SAMPLE_BATCH):
            stop = min(start + SAMPLE_BATCH, n_samples)
            h = self._sample_noise(stop - start)
            if n_cond:
                c = torch.as_tensor(cond[start:stop], dtype=torch.float32)
                h = torch.cat([h, c.to(self.device)], dim=1)
            for weight, bias in layers[:-1]:
                h = F.leaky_relu_(torch.addmm(bias, h, weight.T), slope)
            weight, bias = layers[-1]
            out[start:stop] = self._activate(
                torch.addmm(bias, h, weight.T), hard=True, allowed=allowed
            ).cpu()
        out = out.numpy()
        if not np.isfinite(out).all():
            raise TrainingDivergedError(
                "the generator produced non-finite values; lower the learning "
                "rates or use loss='wgan-gp'."
            )
        return out
