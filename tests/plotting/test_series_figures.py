import numpy as np
import pytest

pytest.importorskip("matplotlib")

from skgan.plotting import (  # noqa: E402
    plot_autocorrelation,
    plot_windows,
    plot_windows_embedding,
)


@pytest.fixture
def windows(seed):
    """Real windows of two slow cycles and synthetic windows of noise."""
    rng = np.random.RandomState(seed)
    t = np.arange(20)
    phase = rng.uniform(0, 2 * np.pi, size=(150, 1))
    real = np.stack([np.sin(t / 3 + phase), np.cos(t / 5 + phase)], axis=2)
    return real, rng.randn(120, 20, 2)


def test_plot_windows_one_row_per_channel(windows, tmp_path):
    fig = plot_windows(*windows, n_windows=3)
    fig.savefig(tmp_path / "windows.png")
    assert (tmp_path / "windows.png").stat().st_size > 5000
    assert len(fig.axes) == 4
    assert [len(ax.lines) for ax in fig.axes] == [3, 3, 3, 3]
    assert fig.axes[0].get_title() == "real windows"


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_plot_windows_embedding_draws_both_sides(windows, method):
    real, fake = windows
    fig = plot_windows_embedding(real, fake, method=method, max_points=100)
    (ax,) = fig.axes
    real_points, fake_points = (c.get_offsets() for c in ax.collections)
    assert len(real_points) == 100 and len(fake_points) == 100
    with pytest.raises(ValueError, match="'pca' or 'tsne'"):
        plot_windows_embedding(real, fake, method="umap")


def test_plot_autocorrelation_shows_the_real_memory(windows):
    real, fake = windows
    fig = plot_autocorrelation(real, fake, max_lag=5)
    assert len(fig.axes) == 2
    real_curve, fake_curve = (line.get_ydata() for line in fig.axes[0].lines[:2])
    assert len(real_curve) == 5
    # A slow cycle stays correlated with itself; noise does not.
    assert real_curve[0] > 0.5 and abs(fake_curve[0]) < 0.2


def test_series_figures_reject_windows_of_another_shape(windows):
    real, fake = windows
    with pytest.raises(ValueError, match="same shape"):
        plot_windows(real, fake[:, :10])
    with pytest.raises(ValueError, match="n_windows, window_length"):
        plot_autocorrelation(real[:, :, 0], fake[:, :, 0])
