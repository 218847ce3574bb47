import pickle

import numpy as np
import pytest
import torch
from numpy.testing import assert_array_equal

from skgan.exceptions import TrainingDivergedError
from skgan.nn import GANTrainer


def _data(seed, n=120, d=3):
    return np.random.RandomState(seed).randn(n, d).astype(np.float32)


def _small(**params):
    defaults = dict(
        epochs=3, batch_size=32, generator_dims=(16,), discriminator_dims=(16,)
    )
    defaults.update(params)
    return GANTrainer(**defaults)


@pytest.mark.parametrize("loss", ["gan", "wgan-gp"])
def test_engine_same_seed_same_samples(loss, seed):
    X = _data(seed)
    a = _small(loss=loss, seed=seed).fit(X).sample(50)
    b = _small(loss=loss, seed=seed).fit(X).sample(50)
    c = _small(loss=loss, seed=seed + 1).fit(X).sample(50)
    assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_engine_leaves_global_rngs_untouched(seed):
    torch_state = torch.random.get_rng_state()
    np_state = np.random.get_state()[1].copy()  # noqa: NPY002
    _small(seed=seed).fit(_data(seed)).sample(10)
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    assert_array_equal(np.random.get_state()[1], np_state)  # noqa: NPY002


def test_engine_history_records_every_epoch(seed):
    wgan = _small(loss="wgan-gp", epochs=4, seed=seed).fit(_data(seed))
    assert [h["epoch"] for h in wgan.history_] == [1, 2, 3, 4]
    assert {"generator_loss", "discriminator_loss", "wasserstein", "seconds"} <= set(
        wgan.history_[0]
    )
    gan = _small(loss="gan", seed=seed).fit(_data(seed))
    assert "wasserstein" not in gan.history_[0]
    assert all(np.isfinite(h["discriminator_loss"]) for h in gan.history_)


def test_engine_samples_in_eval_mode_one_row_at_a_time(seed):
    # Batch norm in train mode cannot take a single row; eval mode can, and
    # uses the running statistics learnt in training.
    model = _small(seed=seed).fit(_data(seed))
    assert not model.generator_.training
    assert model.sample(1).shape == (1, 3)
    assert model.sample(0).shape == (0, 3)


@pytest.mark.parametrize("batch_norm", [True, False])
def test_generator_folded_layers_match_the_eval_forward_pass(seed, batch_norm):
    # Sampling runs the generator with batch norm folded into the linear
    # layers; it must compute what the module computes in eval mode.
    model = _small(seed=seed, batch_norm=batch_norm, generator_dims=(16, 8))
    model.fit(_data(seed), np.eye(2, dtype=np.float32)[np.arange(120) % 2])
    generator = model.generator_
    x = torch.randn(50, generator.latent_dim + generator.cond_dim)
    h = x
    for i, (weight, bias) in enumerate(generator.folded_layers()):
        h = h @ weight.T + bias
        if i < len(generator.folded_layers()) - 1:
            h = torch.nn.functional.leaky_relu(h, 0.2)
    with torch.no_grad():
        expected = generator.net(x)
    torch.testing.assert_close(h, expected, rtol=1e-4, atol=1e-5)


def test_engine_conditional_and_weighted_rows(seed):
    X = _data(seed, n=100)
    cond = np.eye(2, dtype=np.float32)[np.r_[np.zeros(90, int), np.ones(10, int)]]
    weights = np.r_[np.full(90, 1 / 90), np.full(10, 1 / 10)]
    model = _small(seed=seed).fit(X, cond, row_weights=weights, epoch_rows=20)
    assert len(model.history_) == 3
    out = model.sample(5, np.eye(2, dtype=np.float32)[[1] * 5])
    assert out.shape == (5, 3)


def test_engine_divergence_raises_clear_error(seed):
    X = _data(seed) * 1e30
    model = _small(loss="gan", generator_lr=1e30, discriminator_lr=1e30, seed=seed)
    with pytest.raises(TrainingDivergedError, match="diverged"):
        model.fit(X)


def test_engine_pickle_round_trip_keeps_sampling_stream(seed):
    model = _small(seed=seed).fit(_data(seed))
    clone = pickle.loads(pickle.dumps(model))
    assert_array_equal(model.sample(20), clone.sample(20))


@pytest.mark.gpu
def test_engine_trains_and_samples_on_cuda(seed):
    model = _small(seed=seed, device="cuda").fit(_data(seed))
    assert next(model.generator_.parameters()).is_cuda
    out = pickle.loads(pickle.dumps(model)).sample(10)
    assert out.shape == (10, 3) and np.isfinite(out).all()


@pytest.mark.gpu
def test_engine_fitted_on_cuda_unpickles_with_every_tensor_on_the_cpu(seed):
    # The blocks' index grids (a list of tensors) once stayed on the GPU.
    rng = np.random.RandomState(seed)
    X = np.hstack([rng.randn(200, 1), np.eye(3)[rng.randint(0, 3, 200)]])
    blocks = [("numeric", 1), ("softmax", 3)]
    model = _small(seed=seed, device="cuda", output_blocks=blocks).fit(X)
    model.sample(5)
    clone = pickle.loads(pickle.dumps(model))

    def tensors(value):
        if isinstance(value, torch.Tensor):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from tensors(item)

    found = [t for value in vars(clone).values() for t in tensors(value)]
    assert all(t.device.type == "cpu" for t in found)
    assert_array_equal(clone.sample(50)[:, 1:].sum(axis=1), 1.0)


def test_engine_verbose_shows_a_progress_bar_with_the_losses(seed, capsys):
    _small(loss="wgan-gp", verbose=True, seed=seed).fit(_data(seed))
    err = capsys.readouterr().err
    # The bar counts generator updates: 3 epochs of 4 batches.
    assert "GAN" in err and "12/12 " in err and "updates" in err
    assert "generator_loss" in err and "wasserstein" in err


def test_engine_keeps_the_generator_hardest_to_detect(seed):
    model = _small(seed=seed, epochs=12, validation_fraction=0.3, eval_every=4)
    model.fit(_data(seed, n=200))
    measured = {
        h["epoch"]: (h["detection_roc_auc"], h["detection_accuracy"])
        for h in model.history_
        if "detection_accuracy" in h
    }
    assert list(measured) == [4, 8, 12]
    # The lowest ROC-AUC picks the snapshot; its accuracy is reported.
    auc, accuracy = measured[model.best_epoch_]
    assert auc == min(a for a, _ in measured.values())
    assert model.best_detection_accuracy_ == accuracy
    assert all(0 <= a <= 1 and 0 <= b <= 1 for a, b in measured.values())
    assert not model.generator_.training


def test_engine_snapshot_is_the_generator_that_was_measured(seed):
    # Training 8 epochs and keeping epoch 4 must give epoch 4's generator:
    # the same weights as a run stopped at epoch 4 with the same seed and
    # the same measurements.
    X = _data(seed, n=200)
    long = _small(seed=seed, epochs=8, validation_fraction=0.3, eval_every=4)
    long._detection = lambda *rows: (
        (0.5, 0.5) if len(long.history_) == 3 else (0.9, 0.9)
    )
    long.fit(X)
    assert long.best_epoch_ == 4
    short = _small(seed=seed, epochs=4, validation_fraction=0.3, eval_every=4)
    short.fit(X)
    for a, b in zip(
        long.generator_.state_dict().values(),
        short.generator_.state_dict().values(),
        strict=True,
    ):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize("ema_decay", [None, 0.9])
def test_engine_measurements_do_not_change_training(seed, ema_decay):
    # The detector's fresh rows come from their own random stream: the
    # generator kept at epoch 4 of an 8-epoch run is the one a 4-epoch run
    # ends with, and with ema_decay it is the average of the weights up to
    # epoch 4 (what was measured), not the live weights.
    X = _data(seed, n=200)
    params = dict(seed=seed, validation_fraction=0.3, eval_every=4)
    long = _small(epochs=8, ema_decay=ema_decay, **params)
    long._detection = lambda *rows: (
        (0.5, 0.5) if len(long.history_) == 3 else (0.9, 0.9)
    )
    long.fit(X)
    short = _small(epochs=4, ema_decay=ema_decay, **params).fit(X)
    assert long.best_epoch_ == short.best_epoch_ == 4
    for a, b in zip(
        long.generator_.state_dict().values(),
        short.generator_.state_dict().values(),
        strict=True,
    ):
        torch.testing.assert_close(a, b)


def test_engine_measures_decoded_samples(seed):
    # Counts in the data are point masses; the detector must see generated
    # rows decoded the same way, or it tells them apart by their ties alone.
    X = np.round(_data(seed, n=200) * 2)
    seen = []

    def decode(Z, cond):
        seen.append((Z.shape, cond))
        return np.round(Z)

    model = _small(seed=seed, epochs=4, validation_fraction=0.3, eval_every=2)
    model.fit(X, decode=decode)
    # Two measurements, each decoding the detector's training and test rows.
    assert len(seen) == 4 and all(cond is None for _, cond in seen)
    assert seen[0][0] == (min(140, 4 * 60), 3) and seen[1][0] == (600, 3)
    pickle.loads(pickle.dumps(model))  # the decoder is not kept


def test_engine_stops_when_detection_stops_improving(seed):
    model = _small(
        seed=seed, epochs=50, validation_fraction=0.3, eval_every=1, n_iter_no_change=2
    )
    model._detection = lambda *rows: (0.6, 0.6)  # never better than the first
    model.fit(_data(seed, n=200))
    assert len(model.history_) == 3
    assert model.best_epoch_ == 1


def test_engine_validation_needs_enough_rows(seed):
    with pytest.raises(ValueError, match="at least 6 training rows"):
        _small(seed=seed, validation_fraction=0.2).fit(_data(seed, n=5))


def test_engine_ends_with_the_averaged_generator(seed):
    X = _data(seed)
    live = _small(seed=seed).fit(X)
    averaged = _small(seed=seed, ema_decay=0.9).fit(X)
    # Same training, other final weights: the average, not the last step.
    assert not torch.equal(
        live.generator_.net[0].weight, averaged.generator_.net[0].weight
    )
    # Batch norm statistics are recomputed for the averaged weights: they match
    # the batch statistics of fresh noise through those weights (within the
    # noise of the 50 recalibration batches; seeded, so not flaky).
    norm = averaged.generator_.net[1]
    noise = torch.randn(
        65536, averaged.latent_dim, generator=torch.Generator().manual_seed(seed)
    )
    with torch.no_grad():
        h = averaged.generator_.net[0](noise)
    np.testing.assert_allclose(norm.running_mean, h.mean(dim=0), atol=0.15)
    assert np.isfinite(averaged.sample(100)).all()


def test_engine_discrete_blocks_sample_one_hot_and_condition_exactly(seed):
    rng = np.random.RandomState(seed)
    codes = rng.randint(0, 3, 200)
    X = np.c_[rng.randn(200, 1), np.eye(3)[codes], np.eye(2)[codes % 2]]
    blocks = [("numeric", 1), ("softmax", 3), ("softmax", 2)]
    trainer = _small(seed=seed, output_blocks=blocks, pac=4)
    trainer.fit(X.astype(np.float32), cond_blocks=[(1, 3), (4, 2)])
    Z = trainer.sample(300)
    assert_array_equal(Z[:, 1:4].sum(axis=1), 1.0)
    assert set(np.unique(Z[:, 1:6])) == {0.0, 1.0}
    # Conditions of the training layout: a value of the first block for all.
    cond = trainer.conditions(50, block=0, value=2)
    assert cond.shape == (50, 5)
    assert_array_equal(cond.argmax(axis=1), 2)
    with pytest.raises(ValueError, match="output_blocks describe 4 columns"):
        _small(output_blocks=[("numeric", 1), ("softmax", 3)]).fit(X)


def test_engine_blocks_of_many_widths_sample_one_value_each(seed):
    # Beijing's hour (24 values) beside two-way point masses: one grid padded
    # to the widest block made 168 entries for 59 columns; the blocks are now
    # grouped by width, and each still gets exactly one value per row.
    rng = np.random.RandomState(seed)
    widths = [2, 24, 2, 5, 12]
    parts = [rng.randn(300, 1)]
    for width in widths:
        parts.append(np.eye(width)[rng.randint(0, width, 300)])
    X = np.hstack(parts).astype(np.float32)
    blocks = [("numeric", 1)] + [("softmax", w) for w in widths]
    trainer = _small(seed=seed, output_blocks=blocks, pac=4).fit(X)
    assert [tuple(grid.shape) for grid, _, _ in trainer._grids] == [
        (2, 2),
        (1, 5),
        (1, 12),
        (1, 24),
    ]
    Z = trainer.sample(500)
    starts = np.cumsum([1, *widths[:-1]])
    for start, width in zip(starts, widths, strict=True):
        assert_array_equal(Z[:, start : start + width].sum(axis=1), 1.0)
    assert set(np.unique(Z[:, 1:])) == {0.0, 1.0}
    # A model pickled before the grids by width existed rebuilds them.
    del trainer._grids
    assert_array_equal(pickle.loads(pickle.dumps(trainer)).sample(5).shape, (5, 46))


def test_engine_flushes_denormals_while_training_and_restores_the_setting():
    from skgan.utils._denormals import _flushing

    assert not _flushing()
    seen = []
    trainer = _small(epochs=1)
    original = trainer._critic_updates

    def spy(*args):
        seen.append(_flushing())
        return original(*args)

    trainer._critic_updates = spy
    trainer.fit(_data(0))
    assert seen and all(seen)
    assert not _flushing()
    # A fit that raises restores it too.
    with pytest.raises(ValueError):
        _small(output_blocks=[("softmax", 5)]).fit(_data(0))
    assert not _flushing()


def test_a_window_critic_can_read_the_changes_and_their_distribution():
    from skgan.nn import ConvCritic

    rng = np.random.default_rng(0)
    windows = np.cumsum(rng.normal(size=(64, 12, 2)), axis=1).astype(np.float32)
    flat = windows.reshape(64, -1)
    plain = GANTrainer(window_length=12, max_iter=3, batch_size=16).fit(flat)
    assert plain.discriminator_.trunk[0].in_channels == 2
    reads = GANTrainer(
        window_length=12, window_differences=True, max_iter=3, batch_size=16
    ).fit(flat)
    # The window, its changes and the changes sorted: three views a channel.
    assert reads.discriminator_.trunk[0].in_channels == 6
    again = GANTrainer(
        window_length=12, window_differences=True, max_iter=3, batch_size=16
    ).fit(flat)
    assert_array_equal(reads.sample(20), again.sample(20))
    critic = ConvCritic(12, 2, differences=True)
    x = torch.as_tensor(flat[:4])
    assert critic.features(x).shape == (4, 64)
    # A critic pickled before the option reads the window alone.
    del critic.differences
    critic.trunk[0] = torch.nn.Conv1d(2, 32, 5, padding=2)
    assert critic.features(x).shape == (4, 64)
