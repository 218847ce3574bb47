import pytest
import torch

from skgan.nn._optim import Adam


@pytest.mark.parametrize("betas", [(0.5, 0.9), (0.9, 0.999)])
def test_adam_matches_torch_fused_adam_exactly(betas):
    # Same kernel as torch.optim.Adam(fused=True): the same weights after
    # several steps on the same gradients, bit for bit.
    torch.manual_seed(0)
    ours = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Linear(7, 1))
    theirs = torch.nn.Sequential(torch.nn.Linear(5, 7), torch.nn.Linear(7, 1))
    theirs.load_state_dict(ours.state_dict())
    opt_ours = Adam(ours.parameters(), lr=1e-2, betas=betas)
    opt_theirs = torch.optim.Adam(theirs.parameters(), lr=1e-2, betas=betas, fused=True)
    x = torch.randn(32, 5)
    for _ in range(5):
        for model, opt in ((ours, opt_ours), (theirs, opt_theirs)):
            opt.zero_grad()
            model(x).square().mean().backward()
            opt.step()
    for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert torch.equal(a, b)
    assert not torch.equal(ours[0].weight, torch.zeros_like(ours[0].weight))


def test_adam_skips_parameters_without_gradient():
    frozen, live = torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)
    before = frozen.weight.detach().clone()
    opt = Adam([*frozen.parameters(), *live.parameters()], lr=0.1, betas=(0.5, 0.9))
    live(torch.ones(3, 2)).sum().backward()
    opt.step()
    assert torch.equal(frozen.weight, before)
    opt.zero_grad()
    assert live.weight.grad is None
