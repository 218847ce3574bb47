"""Where a row's one-hot blocks are, and their activation and conditioning."""

import numpy as np
import torch

#: Temperature of the Gumbel-softmax of discrete blocks in training (CTGAN's).
_TAU = 0.2


class _BlockLayout:
    """The engine's handling of softmax blocks and of training by sampling.

    A mixin of :class:`~skgan.nn.GANTrainer`: it reads ``output_blocks``,
    ``pac``, ``device`` and the engine's random generator ``_rng``.
    """

    def _set_blocks(self, n_features):
        """Index the softmax blocks of a row, in padded grids of similar widths.

        ``_softmax`` lists ``(start, width)``; ``_grids`` holds the blocks'
        columns in a few ``(block, width)`` grids (see :func:`_width_grids`),
        so that all blocks are activated in a few tensor operations.
        """
        blocks = self.output_blocks or [("numeric", 1)] * n_features
        widths = [width for _, width in blocks]
        if sum(widths) != n_features or any(
            kind not in ("numeric", "softmax") for kind, _ in blocks
        ):
            raise ValueError(
                f"output_blocks describe {sum(widths)} columns but the rows have "
                f"{n_features}; pass the blocks of the transformer that made them."
            )
        starts = np.cumsum([0, *widths[:-1]])
        self._softmax = [
            (int(start), int(width))
            for (kind, width), start in zip(blocks, starts, strict=True)
            if kind == "softmax"
        ]
        self._grids = _width_grids(self._softmax, self.device)
        self._softmax_cols = None

    def _block_grids(self):
        """The softmax blocks as grids of similar widths (see :func:`_width_grids`)."""
        if getattr(self, "_grids", None) is None:  # pickled before they existed
            self._grids = _width_grids(self._softmax, self.device)
        return self._grids

    def _set_cond_blocks(self, data, cond_blocks, given=None):
        """Conditioning spans and each value's frequency (``given`` or counted)."""
        spans, frequencies, offset = [], [], 0
        for b, (start, width) in enumerate(cond_blocks):
            spans.append((offset, int(start), int(width)))
            if given is None:
                counts = data[:, start : start + width].sum(dim=0)
            else:
                counts = torch.as_tensor(
                    given[b], dtype=torch.float32, device=data.device
                )
            frequencies.append(counts / counts.sum())
            offset += int(width)
        self.cond_spans_ = spans
        self.cond_frequencies_ = frequencies
        self._set_cond_grid()
        return offset

    def _set_cond_grid(self):
        """Index tensors of the conditioning blocks (see :meth:`_set_blocks`)."""
        spans = self.cond_spans_
        device = self.device
        # Row columns of each condition column, and the block it belongs to.
        self._cond_cols = torch.tensor(
            [start + i for _, start, width in spans for i in range(width)],
            device=device,
        )
        self._cond_block = torch.tensor(
            [b for b, (_, _, width) in enumerate(spans) for _ in range(width)],
            device=device,
        )
        self._cond_grid, self._cond_valid = _padded_grid(
            [(start, width) for _, start, width in spans], device
        )
        self._cond_grid_in_cond, _ = _padded_grid(
            [(offset, width) for offset, _, width in spans], device
        )

    def _own_conditions(self, rows):
        """Condition each row on its own value of one block picked at random."""
        pick = torch.randint(
            len(self.cond_spans_),
            (len(rows), 1),
            generator=self._rng,
            device=rows.device,
        )
        return rows[:, self._cond_cols] * (self._cond_block == pick)

    def conditions(self, n_samples, block=None, value=None):
        """Condition vectors for sampling after ``fit(..., cond_blocks=...)``.

        Parameters
        ----------
        n_samples : int
            Number of rows to condition.
        block : int, default=None
            Index into ``cond_blocks``; with ``value`` every row asks for that
            value of that block. None draws, per row, a block uniformly and
            its value with its training frequency, which reproduces the
            training distribution.
        value : int, default=None
            Position of the value within the block.

        Returns
        -------
        cond : ndarray of shape (n_samples, n_conditions)
            One-hot conditions for :meth:`sample`.
        """
        width = sum(w for _, _, w in self.cond_spans_)
        cond = torch.zeros(n_samples, width)
        if block is not None:
            offset = self.cond_spans_[block][0]
            cond[:, offset + value] = 1.0
            return cond.numpy()
        pick = torch.randint(len(self.cond_spans_), (n_samples,), generator=self._rng)
        for b, (offset, _, _) in enumerate(self.cond_spans_):
            rows = torch.nonzero(pick == b).squeeze(1)
            if len(rows):
                freq = self.cond_frequencies_[b].cpu()
                values = torch.multinomial(
                    freq, len(rows), replacement=True, generator=self._rng
                )
                cond[rows, offset + values] = 1.0
        return cond.numpy()

    def _activate(self, raw, hard=False, allowed=None):
        """Gumbel-softmax (training) or one-hot draws (``hard``) per softmax block.

        The Gumbel noise comes from the local generator, not from
        :func:`torch.nn.functional.gumbel_softmax`'s global one. ``allowed``
        (a bool tensor over the output columns) keeps the draws to those
        columns.
        """
        if not self._softmax:
            return raw
        grids = self._block_grids()
        noisy = []
        for grid, valid, _ in grids:
            logits = raw[:, grid]
            # Gumbel noise is -log(Exp(1)), and -log(U) is Exp(1): uniform
            # draws, cheaper than exponential_ on the CPU. Padding entries
            # never win.
            log_exp = torch.empty_like(logits).uniform_(generator=self._rng)
            log_exp.log_().neg_().log_()
            keep = valid if allowed is None else valid & allowed[grid]
            noisy.append((logits - log_exp).masked_fill_(~keep, -torch.inf))
        if hard:
            # Sampling writes in place: the blocks' columns cleared, then a
            # one at each block's winning column (no one-hot grid is built).
            raw.index_fill_(1, self._softmax_columns(), 0.0)
            for (grid, _, _), values in zip(grids, noisy, strict=True):
                winners = grid.expand(len(raw), -1, -1).gather(
                    2, values.argmax(dim=2, keepdim=True)
                )
                raw.scatter_(1, winners.squeeze(2), 1.0)
            return raw
        # In training the logits stay for the condition loss. The grids'
        # columns are disjoint.
        out = raw.clone()
        for (_, valid, columns), values in zip(grids, noisy, strict=True):
            out[:, columns] = _softmax_over_blocks(values / _TAU)[:, valid]
        return out

    def _softmax_columns(self):
        """The output columns of all softmax blocks, as one index tensor."""
        if getattr(self, "_softmax_cols", None) is None:
            self._softmax_cols = torch.cat(
                [columns for _, _, columns in self._block_grids()]
            )
        return self._softmax_cols

    def _condition_loss(self, raw, cond):
        """Cross-entropy of each row's conditioned block against the asked value."""
        if self.cond_spans_ is None:
            return 0.0
        asked = cond[:, self._cond_grid_in_cond] * self._cond_valid
        logits = raw[:, self._cond_grid].masked_fill(~self._cond_valid, -torch.inf)
        log_p = _softmax_over_blocks(logits, log=True)
        target = asked.argmax(dim=2, keepdim=True)
        nll = -log_p.gather(2, target).squeeze(2)
        return (nll * asked.sum(dim=2)).sum() / len(raw)

    def _pack(self, x):
        """PacGAN: ``pac`` consecutive rows side by side as one critic input."""
        if x is None or self.pac == 1:
            return x
        return x.reshape(len(x) // self.pac, -1)


def _softmax_over_blocks(x, log=False):
    """(Log-)softmax of ``(rows, blocks, width)`` over the width.

    Taken over the middle axis of a contiguous ``(rows, width, blocks)``
    copy: a block is a few dozen values at most, and over the last axis
    torch's CPU kernel loops over them one short row at a time; over the
    middle one it runs along the blocks.
    """
    moved = x.transpose(1, 2).contiguous()
    out = torch.log_softmax(moved, dim=1) if log else torch.softmax(moved, dim=1)
    return out.transpose(1, 2)


def _width_grids(spans, device):
    """The blocks in grids by width, each padded to its widest (a power of two).

    One grid padded to the widest block wastes most of its entries when an
    hour of the day (24 values) sits beside two-way point masses: Beijing's
    seven blocks made 168 entries for 59 columns, and sampling drew noise
    and maxima over all of them.

    Returns
    -------
    grids : list of tuple
        ``(grid, valid, columns)`` per width class: the padded grid and its
        mask (see :func:`_padded_grid`) and the output columns it writes, in
        the order of ``grid[valid]``.
    """
    classes = {}
    for start, width in spans:
        classes.setdefault(max(1, width - 1).bit_length(), []).append((start, width))
    grids = []
    for key in sorted(classes):
        grid, valid = _padded_grid(classes[key], device)
        grids.append((grid, valid, grid[valid]))
    return grids


def _padded_grid(spans, device):
    """Columns of ``(start, width)`` spans padded to the widest, and a mask.

    Returns
    -------
    grid : LongTensor of shape (n_spans, max_width)
        Column indices (padding repeats the span's first column).
    valid : BoolTensor of shape (n_spans, max_width)
        True on real entries.
    """
    width = max((w for _, w in spans), default=0)
    grid = torch.zeros(len(spans), width, dtype=torch.long)
    valid = torch.zeros(len(spans), width, dtype=torch.bool)
    for b, (start, w) in enumerate(spans):
        grid[b] = start
        grid[b, :w] = torch.arange(start, start + w)
        valid[b, :w] = True
    return grid.to(device), valid.to(device)
