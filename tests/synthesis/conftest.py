import pytest

#: Small networks and few epochs: these tests check behaviour, not quality.
SMALL = dict(
    epochs=3,
    batch_size=40,
    latent_dim=8,
    generator_dims=(32,),
    discriminator_dims=(32,),
    pac=4,
)


@pytest.fixture
def small():
    return dict(SMALL)
