"""Adam for the engine's small networks, without torch.optim's overheads."""

import torch


class Adam:
    """Adam over a list of parameters: the update of ``torch.optim.Adam(fused=True)``.

    The same fused kernel, called directly. Building a :class:`torch.optim.Adam`
    imports ``torch._dynamo`` (about a second in a fresh process, paid again by
    every joblib worker), and its ``step`` wraps the kernel in profiler
    records, grouping by device and flag checks that cost as much as the
    arithmetic on networks of a few thousand weights.

    Parameters
    ----------
    params : iterable of torch.nn.Parameter
        The parameters to update, all on one device.
    lr : float
        Learning rate.
    betas : tuple of float
        Decay of the moving averages of the gradient and its square.
    eps : float, default=1e-8
        Added to the denominator.
    """

    def __init__(self, params, *, lr, betas, eps=1e-8):
        self.params = list(params)
        self.lr = float(lr)
        self.betas = tuple(float(b) for b in betas)
        self.eps = float(eps)
        self._exp_avgs = [torch.zeros_like(p) for p in self.params]
        self._exp_avg_sqs = [torch.zeros_like(p) for p in self.params]
        device = self.params[0].device if self.params else torch.device("cpu")
        # The fused kernel reads the step count from float32 tensors on the
        # parameters' device, as torch.optim.Adam keeps it.
        self._steps = [
            torch.zeros((), dtype=torch.float32, device=device) for _ in self.params
        ]
        self._fused = device.type in ("cpu", "cuda")

    def zero_grad(self):
        """Drop the gradients (``set_to_none``): the next backward writes them."""
        for param in self.params:
            param.grad = None

    @torch.no_grad()
    def step(self):
        """One Adam update of every parameter that has a gradient."""
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        params = [self.params[i] for i in live]
        grads = [p.grad for p in params]
        exp_avgs = [self._exp_avgs[i] for i in live]
        exp_avg_sqs = [self._exp_avg_sqs[i] for i in live]
        steps = [self._steps[i] for i in live]
        torch._foreach_add_(steps, 1)
        beta1, beta2 = self.betas
        if self._fused:
            torch._fused_adam_(
                params,
                grads,
                exp_avgs,
                exp_avg_sqs,
                [],
                steps,
                amsgrad=False,
                lr=self.lr,
                beta1=beta1,
                beta2=beta2,
                weight_decay=0.0,
                eps=self.eps,
                maximize=False,
                grad_scale=None,
                found_inf=None,
            )
            return
        # Other devices (MPS, XPU): the same update in foreach operations.
        torch._foreach_lerp_(exp_avgs, grads, 1.0 - beta1)
        torch._foreach_mul_(exp_avg_sqs, beta2)
        torch._foreach_addcmul_(exp_avg_sqs, grads, grads, 1.0 - beta2)
        for param, exp_avg, exp_avg_sq, step in zip(
            params, exp_avgs, exp_avg_sqs, steps, strict=True
        ):
            t = step.item()
            bias1 = 1.0 - beta1**t
            bias2 = 1.0 - beta2**t
            denom = (exp_avg_sq.sqrt() / bias2**0.5).add_(self.eps)
            param.addcdiv_(exp_avg, denom, value=-self.lr / bias1)
