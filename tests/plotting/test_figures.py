import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from skgan import GANOverSampler, WCGANOverSampler  # noqa: E402
from skgan.plotting import (  # noqa: E402
    plot_correlations,
    plot_history,
    plot_marginals,
    plot_pca,
)


@pytest.fixture
def tables(seed):
    rng = np.random.RandomState(seed)
    real = pd.DataFrame(
        {
            "a": rng.randn(300),
            "b": rng.exponential(size=300),
            "c": rng.choice(list("xy"), 300),
        }
    )
    fake = pd.DataFrame(
        {"a": rng.randn(200), "b": rng.randn(200), "c": rng.choice(list("xyz"), 200)}
    )
    return real, fake


def _drawn(fig, path):
    fig.savefig(path)
    assert path.stat().st_size > 5000
    return [ax for ax in fig.axes if ax.axison]


def test_plot_pca_draws_both_tables(tables, tmp_path):
    fig = plot_pca(*tables)
    (ax,) = _drawn(fig, tmp_path / "pca.png")
    assert [len(c.get_offsets()) for c in ax.collections] == [300, 200]
    assert "PC 1" in ax.get_xlabel()


@pytest.mark.parametrize("cumulative", [False, True])
def test_plot_marginals_one_panel_per_column(tables, tmp_path, cumulative):
    fig = plot_marginals(*tables, cumulative=cumulative)
    axes = _drawn(fig, tmp_path / "marginals.png")
    assert [ax.get_title() for ax in axes] == ["a", "b", "c"]
    # The categorical panel shows the invented category too.
    assert [t.get_text() for t in axes[2].get_xticklabels()] == ["x", "y", "z"]


def test_plot_correlations_three_heatmaps(tables, tmp_path):
    fig = plot_correlations(*tables)
    axes = _drawn(fig, tmp_path / "corr.png")
    titles = [ax.get_title() for ax in axes]
    assert titles[:3] == ["real", "synthetic", "synthetic - real"]
    # Two numeric columns: 2 x 2 matrices.
    assert axes[0].images[0].get_array().shape == (2, 2)


def test_plot_history_draws_a_line_per_class(tmp_path):
    # GANOverSampler's history_ has the shape of WCGANOverSampler's, with
    # the class of each record: one line per class.
    X = np.random.RandomState(0).randn(90, 3)
    y = np.r_[np.zeros(60, int), np.ones(20, int), np.full(10, 2)]
    sampler = GANOverSampler(max_iter=6, batch_size=16, random_state=0)
    sampler.fit_resample(X, y)
    fig = plot_history(sampler.history_)
    axes = _drawn(fig, tmp_path / "history.png")
    assert len(axes[0].lines) == 2
    assert [t.get_text() for t in axes[0].get_legend().get_texts()] == [
        "class 1",
        "class 2",
    ]


def test_plot_history_of_a_fitted_sampler(imbalanced, tmp_path):
    X, y = imbalanced
    sampler = WCGANOverSampler(max_iter=20, random_state=0)
    sampler.fit_resample(X, y)
    fig = plot_history(sampler.history_)
    axes = _drawn(fig, tmp_path / "history.png")
    assert [ax.get_title() for ax in axes] == [
        "generator loss",
        "discriminator loss",
        "wasserstein",
    ]
    assert len(axes[0].lines[0].get_xdata()) == len(sampler.history_) > 1
    with pytest.raises(ValueError, match="empty"):
        plot_history([])
