"""CTGAN as an imbalanced-learn sampler, for the baseline column (optional)."""

import numpy as np
import pandas as pd
from imblearn.over_sampling.base import BaseOverSampler


class CTGANOverSampler(BaseOverSampler):
    """Train CTGAN (default settings) on the rows of each class to oversample."""

    _parameter_constraints = {**BaseOverSampler._parameter_constraints}

    def __init__(self, *, sampling_strategy="auto", epochs=300, random_state=0):
        super().__init__(sampling_strategy=sampling_strategy)
        self.epochs = epochs
        self.random_state = random_state

    def _fit_resample(self, X, y):
        from ctgan import CTGAN

        X_parts, y_parts = [X], [y]
        for label, n in self.sampling_strategy_.items():
            if n == 0:
                continue
            rows = pd.DataFrame(
                X[y == label], columns=[f"x{i}" for i in range(X.shape[1])]
            )
            model = CTGAN(
                epochs=self.epochs, batch_size=min(500, len(rows) // 10 * 10 or 10)
            )
            model.set_random_state(self.random_state)
            model.fit(rows)
            X_parts.append(model.sample(n).to_numpy(dtype=X.dtype))
            y_parts.append(np.full(n, label, dtype=y.dtype))
        return np.vstack(X_parts), np.hstack(y_parts)
