"""Differentially private critic updates: DP-SGD through opacus."""

import warnings

import torch
import torch.nn.functional as F

#: Opacus's note that the accountant's best order is at an end of its range:
#: the bound it returns still holds (looser), and it would repeat per update.
_ALPHA_WARNING = "Optimal order is the (largest|smallest) alpha"


class PrivateCriticMixin:
    """DP-SGD for :class:`~skgan.nn.GANTrainer`'s discriminator.

    The generator never sees a training row: it learns only through the
    critic, whose every update is differentially private. Each update draws
    its real rows by Poisson sampling (each row with probability
    ``batch_size / n_rows``), computes one gradient per row with opacus's
    :class:`~opacus.GradSampleModule`, clips each to ``max_grad_norm``, and
    adds Gaussian noise of standard deviation ``noise_multiplier_ *
    max_grad_norm`` to their sum. The noise multiplier is the smallest that
    keeps the planned number of updates within ``(epsilon, delta)`` by
    opacus's Rényi accountant, which then counts every update made.
    """

    def _dp_check(self, *, probs, cond, holdout):
        problems = []
        if self.loss != "gan":
            problems.append(
                "loss='gan' (the gradient penalty of WGAN-GP needs a second "
                "backward pass per row)"
            )
        if self.pac != 1:
            problems.append("pac=1 (a pack mixes several records in one gradient)")
        if probs is not None or cond is not None:
            problems.append("no row weights or explicit conditions")
        if holdout is not None:
            problems.append(
                "validation_fraction=None (choosing a generator by held-out "
                "training rows spends privacy the accountant does not count)"
            )
        if self.window_length is not None:
            problems.append("window_length=None")
        if problems:
            raise ValueError(
                "differentially private training (epsilon) needs "
                + "; ".join(problems)
                + "."
            )

    def _dp_setup(self, n_rows, batch, n_updates):
        try:
            from opacus import GradSampleModule
            from opacus.accountants import RDPAccountant
            from opacus.accountants.utils import get_noise_multiplier
        except ImportError:
            raise ImportError(
                "epsilon needs opacus; install it with pip install 'skgan[privacy]'."
            ) from None
        self._dp_rate = min(1.0, batch / n_rows)
        self._dp_batch = batch
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", _ALPHA_WARNING)
            try:
                sigma = get_noise_multiplier(
                    target_epsilon=self.epsilon,
                    target_delta=self.delta,
                    sample_rate=self._dp_rate,
                    steps=n_updates,
                    accountant="rdp",
                    epsilon_tolerance=0.01,
                )
            except ValueError as exc:
                if "budget is too low" not in str(exc):
                    raise
                # opacus's own words name neither the parameter nor a fix.
                raise ValueError(
                    f"epsilon is too small to train: the critic's share of it "
                    f"({self.epsilon:.3g}) cannot cover {n_updates} DP-SGD updates "
                    f"drawing {self._dp_rate:.3g} of {n_rows} rows each at any "
                    "noise level. Raise epsilon (1 to 10 is usual), or train "
                    "fewer epochs."
                ) from None
            self.noise_multiplier_ = float(sigma)
        self._dp_accountant = RDPAccountant()
        self._dp_module = GradSampleModule(self.discriminator_, loss_reduction="sum")
        self._dp_module.disable_hooks()

    def _dp_conditions(self, n):
        """Conditions drawn from the (private) frequencies, not from rows."""
        if self.cond_spans_ is None:
            return None
        return torch.as_tensor(self.conditions(n), device=self.device)

    def _dp_discriminator_step(self, data, optimizer):
        device = data.device
        chosen = torch.rand(len(data), generator=self._rng, device=device)
        real = data[chosen < self._dp_rate]
        fake_cond = self._dp_conditions(self._dp_batch)
        with torch.no_grad():
            fake = self._activate(
                self.generator_(self._noise(self._dp_batch), fake_cond)
            )
        cond = None
        if self.cond_spans_ is not None:
            cond = torch.cat([self._own_conditions(real), fake_cond])
        target = torch.cat(
            [
                torch.full((len(real),), 1.0 - self.label_smoothing, device=device),
                torch.zeros(len(fake), device=device),
            ]
        )
        module = self._dp_module
        module.enable_hooks()
        try:
            logits = module(torch.cat([real, fake]), cond)
            loss = F.binary_cross_entropy_with_logits(logits, target, reduction="sum")
            optimizer.zero_grad()
            with warnings.catch_warnings():
                # opacus's hooks on a first layer whose input needs no
                # gradient: expected, and the per-row gradients are right.
                warnings.filterwarnings("ignore", "Full backward hook")
                loss.backward()
        finally:
            module.disable_hooks()
        params = [p for p in self.discriminator_.parameters() if p.requires_grad]
        samples = [p.grad_sample for p in params]
        norms = torch.stack([g.flatten(1).norm(dim=1) for g in samples], 1).norm(dim=1)
        factor = (self.max_grad_norm / (norms + 1e-6)).clamp(max=1.0)
        std = self.noise_multiplier_ * self.max_grad_norm
        for p, g in zip(params, samples, strict=True):
            total = torch.einsum("i,i...->...", factor, g)
            total += std * torch.randn(
                p.shape, generator=self._rng, device=device, dtype=total.dtype
            )
            # The expected number of rows of each kind: real and generated.
            p.grad = total / (2 * self._dp_batch)
            p.grad_sample = None
        optimizer.step()
        self._dp_accountant.step(
            noise_multiplier=self.noise_multiplier_, sample_rate=self._dp_rate
        )
        mean = loss.detach() / max(1, len(target))
        return mean, torch.zeros((), device=device)

    def _dp_spent(self):
        """The privacy budget spent so far: opacus's RDP accountant."""
        if not len(self._dp_accountant):
            return 0.0
        with warnings.catch_warnings():
            # A tighter order may exist beyond opacus's grid: the bound stays
            # valid (only looser), so the notice is not the user's concern.
            warnings.filterwarnings("ignore", _ALPHA_WARNING)
            return float(self._dp_accountant.get_epsilon(self.delta))
