"""Multi-layer perceptron generator and discriminator / critic."""

import torch
from torch import nn

#: Rows generated per forward pass when sampling: small enough that the
#: activations stay in the CPU's cache.
SAMPLE_BATCH = 8192


class _MLP(nn.Module):
    """Linear layers with optional batch norm and LeakyReLU between them."""

    def __init__(self, in_dim, hidden_dims, out_dim, *, batch_norm, negative_slope):
        super().__init__()
        layers = []
        width = in_dim
        for hidden in hidden_dims:
            layers.append(nn.Linear(width, hidden))
            if batch_norm:
                layers.append(nn.BatchNorm1d(hidden))
            layers.append(nn.LeakyReLU(negative_slope))
            width = hidden
        layers.append(nn.Linear(width, out_dim))
        self.net = nn.Sequential(*layers)

    def forward(self, x, cond=None):
        if cond is not None:
            x = torch.cat([x, cond], dim=1)
        return self.net(x)


class Generator(_MLP):
    """Map latent noise (and an optional condition) to a row of scaled data.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    cond_dim : int
        Size of the one-hot condition (0 for none).
    hidden_dims : sequence of int
        Widths of the hidden layers, for example ``(32, 64, 128)``.
    out_dim : int
        Number of output columns.
    batch_norm : bool, default=True
        Batch normalisation after each hidden linear layer.
    negative_slope : float, default=0.2
        Slope of the LeakyReLU activations.
    """

    def __init__(
        self,
        latent_dim,
        cond_dim,
        hidden_dims,
        out_dim,
        *,
        batch_norm=True,
        negative_slope=0.2,
    ):
        super().__init__(
            latent_dim + cond_dim,
            hidden_dims,
            out_dim,
            batch_norm=batch_norm,
            negative_slope=negative_slope,
        )
        self.latent_dim = latent_dim
        self.cond_dim = cond_dim

    @torch.no_grad()
    def folded_layers(self):
        """The eval-mode network as ``(weight, bias)`` pairs, batch norm folded in.

        In eval mode a batch norm is an affine map, so it merges into the
        linear layer before it; sampling then costs one matrix product and one
        activation per layer.

        Returns
        -------
        layers : list of tuple of Tensor
            ``(weight, bias)`` of each linear layer, in order; a LeakyReLU
            follows every one but the last.
        """
        layers = []
        for module in self.net:
            if isinstance(module, nn.Linear):
                layers.append([module.weight.clone(), module.bias.clone()])
            elif isinstance(module, nn.BatchNorm1d):
                scale = module.weight / torch.sqrt(module.running_var + module.eps)
                weight, bias = layers[-1]
                weight.mul_(scale[:, None])
                bias.sub_(module.running_mean).mul_(scale).add_(module.bias)
        return [tuple(layer) for layer in layers]


class Discriminator(_MLP):
    """Score a row (and an optional condition): a logit or a critic value.

    Batch normalisation is never used: the gradient penalty of WGAN-GP is
    defined per sample and batch statistics would couple the samples.

    Parameters
    ----------
    in_dim : int
        Number of data columns.
    cond_dim : int
        Size of the one-hot condition (0 for none).
    hidden_dims : sequence of int
        Widths of the hidden layers, for example ``(128, 64, 32, 32, 16)``.
    negative_slope : float, default=0.2
        Slope of the LeakyReLU activations.
    """

    def __init__(self, in_dim, cond_dim, hidden_dims, *, negative_slope=0.2):
        super().__init__(
            in_dim + cond_dim,
            hidden_dims,
            1,
            batch_norm=False,
            negative_slope=negative_slope,
        )

    def forward(self, x, cond=None):
        return super().forward(x, cond).squeeze(1)

    def features(self, x, cond=None):
        """Activations of the last hidden layer (for feature matching).

        Parameters
        ----------
        x : Tensor of shape (n_samples, in_dim)
            Rows.
        cond : Tensor of shape (n_samples, cond_dim), default=None
            Their condition.

        Returns
        -------
        h : Tensor of shape (n_samples, hidden_dims[-1])
            The input of the output layer.
        """
        if cond is not None:
            x = torch.cat([x, cond], dim=1)
        return self.net[:-1](x)


class Encoder(_MLP):
    """Map a row to the latent code whose generation reconstructs it.

    Trained after the GAN with the generator and critic fixed (as in
    f-AnoGAN), so that reconstructing a row is one forward pass.

    Parameters
    ----------
    in_dim : int
        Number of data columns.
    hidden_dims : sequence of int
        Widths of the hidden layers.
    latent_dim : int
        Size of the latent code (the generator's noise input).
    negative_slope : float, default=0.2
        Slope of the LeakyReLU activations.
    """

    def __init__(self, in_dim, hidden_dims, latent_dim, *, negative_slope=0.2):
        super().__init__(
            in_dim,
            hidden_dims,
            latent_dim,
            batch_norm=False,
            negative_slope=negative_slope,
        )


class _Windows(nn.Module):
    """Flattened windows ``(n, L * F)`` <-> channels-first ``(n, F, L)``."""

    def __init__(self, window_length, n_features):
        super().__init__()
        self.window_length = window_length
        self.n_features = n_features

    def to_channels(self, x):
        return x.reshape(len(x), self.window_length, self.n_features).transpose(1, 2)

    def to_flat(self, h):
        return h.transpose(1, 2).reshape(len(h), -1)


class ConvGenerator(_Windows):
    """Generate a window of a multivariate series from latent noise.

    A linear layer spreads the noise over the time steps, then two 1-D
    convolutions (kernel 5) shape the movement of each feature. Input and
    output are flattened windows, so the engine treats them as rows.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    window_length : int
        Time steps per window.
    n_features : int
        Features per time step.
    channels : int, default=32
        Convolution channels.
    negative_slope : float, default=0.2
        Slope of the LeakyReLU activations.
    """

    def __init__(
        self, latent_dim, window_length, n_features, channels=32, *, negative_slope=0.2
    ):
        super().__init__(window_length, n_features)
        self.latent_dim = latent_dim
        self.cond_dim = 0
        self.channels = channels
        self.project = nn.Linear(latent_dim, channels * window_length)
        self.net = nn.Sequential(
            nn.LeakyReLU(negative_slope),
            nn.Conv1d(channels, channels, 5, padding=2),
            nn.LeakyReLU(negative_slope),
            nn.Conv1d(channels, n_features, 5, padding=2),
        )

    def forward(self, z, cond=None):
        h = self.project(z).reshape(len(z), self.channels, self.window_length)
        return self.to_flat(self.net(h))


class ConvCritic(_Windows):
    """Score a window of a multivariate series (1-D convolutions, then an MLP).

    Parameters
    ----------
    window_length : int
        Time steps per window.
    n_features : int
        Features per time step.
    channels : int, default=32
        Convolution channels.
    hidden : int, default=64
        Width of the dense layer.
    out_dim : int, default=1
        1 for a critic; the latent size for an encoder.
    negative_slope : float, default=0.2
        Slope of the LeakyReLU activations.
    differences : bool, default=False
        Read, beside the window, its step-to-step changes and their
        distribution within the window (each feature's changes sorted):
        what gave generated windows away to the strong judge of protocol 5
        (``benchmarks/results/series_diagnosis_rotated_2026-12-02.md``), read
        directly rather than left for two convolutions to find.
    """

    def __init__(
        self,
        window_length,
        n_features,
        channels=32,
        hidden=64,
        out_dim=1,
        *,
        negative_slope=0.2,
        differences=False,
    ):
        super().__init__(window_length, n_features)
        reduced = (window_length + 1) // 2
        self.differences = differences
        inputs = 3 * n_features if differences else n_features
        self.trunk = nn.Sequential(
            nn.Conv1d(inputs, channels, 5, padding=2),
            nn.LeakyReLU(negative_slope),
            nn.Conv1d(channels, channels, 5, stride=2, padding=2),
            nn.LeakyReLU(negative_slope),
            nn.Flatten(),
            nn.Linear(channels * reduced, hidden),
            nn.LeakyReLU(negative_slope),
        )
        self.head = nn.Linear(hidden, out_dim)
        self.out_dim = out_dim

    def features(self, x, cond=None):
        """Activations of the last hidden layer (for feature matching).

        Parameters
        ----------
        x : Tensor of shape (n_samples, window_length * n_features)
            Flattened windows.
        cond : None
            Unused; sequences are not conditioned.

        Returns
        -------
        h : Tensor of shape (n_samples, hidden)
            The input of the output layer.
        """
        h = self.to_channels(x)
        # Models pickled before the option read the window alone.
        if getattr(self, "differences", False):
            # The first step's change is 0, so the changes keep the length.
            changes = torch.diff(h, dim=2, prepend=h[:, :, :1])
            h = torch.cat([h, changes, torch.sort(changes, dim=2).values], dim=1)
        return self.trunk(h)

    def forward(self, x, cond=None):
        out = self.head(self.features(x))
        return out.squeeze(1) if self.out_dim == 1 else out


def build_module(cls, *args, device, generator, **kwargs):
    """Build a module on ``device`` with He-initialised weights from ``generator``.

    Construction's default initialisation runs inside
    :func:`torch.random.fork_rng`, so torch's global random number generator
    ends as it was; every weight is then drawn from the local ``generator``.
    (Building on the meta device would avoid those draws too, but its first
    use imports sympy: half a second in every fresh process.)

    Parameters
    ----------
    cls : type
        :class:`Generator` or :class:`Discriminator`.
    *args
        Positional arguments of ``cls``.
    device : torch.device
        Where the module lives.
    generator : torch.Generator
        The local random number generator (on ``device``).
    **kwargs
        Keyword arguments of ``cls``.

    Returns
    -------
    module : torch.nn.Module
        The initialised module.
    """
    with torch.random.fork_rng(devices=[]):
        module = cls(*args, **kwargs).to(device)
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv1d)):
            nn.init.kaiming_uniform_(
                layer.weight, a=0.2, nonlinearity="leaky_relu", generator=generator
            )
            nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm1d):
            layer.reset_parameters()
    return module
