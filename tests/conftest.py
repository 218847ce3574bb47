import numpy as np
import pytest
import torch


@pytest.fixture
def seed():
    return 0


@pytest.fixture
def imbalanced(seed):
    """A small binary problem with a 10% minority."""
    from sklearn.datasets import make_classification

    return make_classification(
        n_samples=300, n_features=6, n_informative=4, weights=[0.9], random_state=seed
    )


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip_gpu = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)


# Keep doctest output stable across numpy versions.
@pytest.fixture(autouse=True)
def _doctest_numpy(doctest_namespace):
    doctest_namespace["np"] = np
