"""Inverting a trained generator, and scoring rows with it and the critic."""

import copy
import math

import numpy as np
import torch
import torch.nn.functional as F

from ..exceptions import TrainingDivergedError
from ..utils._threads import threaded
from ._modules import SAMPLE_BATCH, ConvCritic, Encoder, build_module
from ._optim import Adam


class _Inversion:
    """The encoder of f-AnoGAN and the per-row scores of the anomaly detector.

    A mixin of :class:`~skgan.nn.GANTrainer`.
    """

    @threaded
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
        optimizer = Adam(self.encoder_.parameters(), lr=lr, betas=(0.9, 0.999))
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
                    optimizer.zero_grad()
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

    @threaded
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

    @threaded
    @torch.inference_mode()
    def encode(self, X):
        """The encoder's latent code of each row, in float64.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Scaled rows.

        Returns
        -------
        codes : ndarray of shape (n_samples, latent_dim)
            ``E(x)`` for each row.
        """
        return self._batched(copy.deepcopy(self.encoder_).double(), X)

    @threaded
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
