"""Make the figures of docs/evaluation.rst (run by hand; the PNGs are committed).

Usage::

    python docs/make_figures.py

Fits WCGANOverSampler on the malignant rows of breast-cancer-10% minus a
holdout, evaluates its rows, and saves the report's figures.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

import skgan
from skgan.plotting import plot_history

OUT = Path(__file__).parent / "_static" / "evaluation"


def main():
    data = load_breast_cancer(as_frame=True)
    X, y = data.data, data.target
    malignant = X[y == 0]
    train, holdout = train_test_split(malignant, test_size=0.3, random_state=0)
    X_fit = pd.concat([X[y == 1], train])
    y_fit = np.r_[np.zeros((y == 1).sum(), int), np.ones(len(train), int)]
    n = len(train) + len(holdout)
    sampler = skgan.WCGANOverSampler(
        sampling_strategy={1: len(train) + n}, random_state=0
    )
    X_res, _ = sampler.fit_resample(X_fit, y_fit)
    synthetic = X_res.iloc[len(X_fit) :]
    report = skgan.evaluate(train, synthetic, holdout=holdout)
    print(report.summary()[["score", "ideal"]])
    OUT.mkdir(parents=True, exist_ok=True)
    names = {
        "Principal components": "pca.png",
        "Marginal distributions": "marginals.png",
        "Cumulative distributions": "cumulative.png",
        "Correlations": "correlations.png",
    }
    for title, fig in report.figures().items():
        fig.savefig(OUT / names[title], dpi=70)
    plot_history(sampler.history_).savefig(OUT / "history.png", dpi=70)
    (OUT / "summary.txt").write_text(
        report.summary()[["score", "ideal"]].to_string(float_format="{:.3f}".format)
    )


if __name__ == "__main__":
    main()
