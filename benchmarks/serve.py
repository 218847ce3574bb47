"""``skgan serve`` against sampling in process: speed, memory, concurrency.

Usage::

    python benchmarks/serve.py --out benchmarks/results/serve_<date>.md

A default ``GANSynthesizer`` is fitted on the penguins and exported; a server
process (``python -m skgan serve``, one worker) is started on it. Measured in
the same run, each the best of three:

1. 100,000 rows as CSV: in process (``load_generator(...).sample(100_000)``
   then ``to_csv``) against ``POST /sample`` read to the end by httpx.
2. One million rows streamed as CSV: the server's resident memory before the
   request and its peak (``VmHWM`` of ``/proc/PID/status``) after.
3. 8 concurrent requests of 10,000 rows with different seeds: each answer
   compared with the in-process rows of its seed.
"""

import argparse
import io
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from _common import machine_line  # noqa: E402

from skgan import GANSynthesizer, load_generator  # noqa: E402
from skgan.exceptions import PrivacyRiskWarning  # noqa: E402


def _memory(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # MiB
    raise KeyError(field)


def _best(function, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    args = parser.parse_args()
    from palmerpenguins import load_penguins

    penguins = load_penguins()
    folder = Path(tempfile.mkdtemp())
    path = folder / "model"
    synth = GANSynthesizer(random_state=0).fit(penguins)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(path, X=penguins)
    model = load_generator(path)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "skgan", "serve", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)

        def over_http(n, seed=0):
            with httpx.stream(
                "POST",
                f"{url}/sample",
                json={"n_samples": n, "random_state": seed},
                timeout=600,
            ) as answer:
                answer.raise_for_status()
                return sum(len(chunk) for chunk in answer.iter_bytes())

        over_http(1000)  # warm-up
        in_process = _best(
            lambda: model.sample(100_000, random_state=0).to_csv(index=False)
        )
        http = _best(lambda: over_http(100_000))
        rows.append(
            {
                "measure": "100,000 rows as CSV (s)",
                "in process": f"{in_process:.2f}",
                "over HTTP": f"{http:.2f}",
                "ratio": f"{http / in_process:.2f}x",
                "target": "<= 3x",
            }
        )
        before = _memory(server.pid, "VmRSS")
        start = time.perf_counter()
        size = over_http(1_000_000)
        seconds = time.perf_counter() - start
        peak = _memory(server.pid, "VmHWM")
        rows.append(
            {
                "measure": "1,000,000 rows streamed: server memory growth (MiB)",
                "in process": "",
                "over HTTP": f"{peak - before:.0f} (RSS {before:.0f} before, "
                f"peak {peak:.0f}; {size / 2**20:.0f} MiB sent in {seconds:.1f} s)",
                "ratio": "",
                "target": "< 200",
            }
        )

        def ask(seed):
            answer = httpx.post(
                f"{url}/sample",
                json={"n_samples": 10_000, "random_state": seed},
                timeout=600,
            )
            got = pd.read_csv(io.StringIO(answer.text))
            expected = pd.read_csv(
                io.StringIO(model.sample(10_000, random_state=seed).to_csv(index=False))
            )
            return got.equals(expected)

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            correct = list(pool.map(ask, range(8)))
        rows.append(
            {
                "measure": "8 concurrent requests of 10,000 rows: answered correctly",
                "in process": "",
                "over HTTP": f"{sum(correct)} of 8 "
                f"({time.perf_counter() - start:.1f} s with the checks)",
                "ratio": "",
                "target": "8 of 8",
            }
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = "\n".join(
        [
            "# skgan serve",
            "",
            f"- machine: {machine_line()}",
            f"- command: `{' '.join(sys.argv)}`",
            "- model: default `GANSynthesizer` on the penguins (344 rows, 8 columns), "
            "one server worker",
            "",
            pd.DataFrame(rows).to_markdown(index=False),
            "",
        ]
    )
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
