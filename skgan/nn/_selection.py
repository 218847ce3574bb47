"""Snapshot selection: hold rows out and judge the generator on them."""

import copy

import numpy as np
import torch
from sklearn.metrics import roc_auc_score

from ..metrics._detection import detector as make_detector


class _SnapshotSelection:
    """The engine's detection measurements (``validation_fraction``).

    A mixin of :class:`~skgan.nn.GANTrainer`.
    """

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
