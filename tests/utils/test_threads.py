import numpy as np
import pytest
import torch

from skgan import GANOverSampler, GANSynthesizer
from skgan.utils._threads import effective_n_threads, torch_threads


@pytest.fixture
def two_threads():
    previous = torch.get_num_threads()
    torch.set_num_threads(2)
    yield 2
    torch.set_num_threads(previous)


def test_effective_n_threads_follows_scikit_learn():
    assert effective_n_threads(None) == 1
    assert effective_n_threads(3) == 3
    assert effective_n_threads(-1) >= 1
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        effective_n_threads(0)


def test_torch_threads_restores_the_callers_setting_even_on_error(two_threads):
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    with pytest.raises(RuntimeError), torch_threads(1):
        raise RuntimeError("boom")
    assert torch.get_num_threads() == 2


def test_sampler_fit_runs_on_one_thread_and_restores_the_setting(
    two_threads, imbalanced
):
    X, y = imbalanced
    sampler = GANOverSampler(max_iter=2, generator_dims=(8,), random_state=0)
    sampler.fit_resample(X, y)
    assert torch.get_num_threads() == 2
    # Record the thread setting while the engine draws its noise.
    model, seen = sampler.models_[1], []
    noise = model._sample_noise
    model._sample_noise = lambda n: seen.append(torch.get_num_threads()) or noise(n)
    model.sample(5)
    model.n_threads = 2
    model.sample(5)
    assert seen == [1, 2] and torch.get_num_threads() == 2


def test_n_jobs_zero_is_refused_with_the_fix(imbalanced):
    X, y = imbalanced
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        GANOverSampler(max_iter=2, n_jobs=0).fit_resample(X, y)
    frame = np.c_[X[:, :2], y]
    with pytest.raises(ValueError, match="n_jobs must be a non-zero integer"):
        GANSynthesizer(epochs=1, n_jobs=0).fit(frame)
