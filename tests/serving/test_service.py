"""``skgan serve``: a real server process, a real HTTP client."""

import io
import socket
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from skgan import GANSynthesizer, load_generator
from skgan.exceptions import PrivacyRiskWarning
from skgan.synthesis._export import FORMAT_VERSION

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

SMALL = dict(epochs=2, batch_size=40, latent_dim=8, generator_dims=(16,), pac=4)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 200
    table = pd.DataFrame(
        {
            "kind": rng.choice(["cat", "dog", "fox"], n),
            "weight": np.where(np.arange(n) % 9 == 0, np.nan, rng.normal(9, 3, n)),
            "age": rng.integers(1, 40, n),
            "indoor": rng.random(n) < 0.6,
        }
    )
    path = tmp_path_factory.mktemp("serve") / "model"
    synth = GANSynthesizer(conditional=True, random_state=0, **SMALL).fit(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PrivacyRiskWarning)
        synth.export_generator(path, X=table)
    return path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(export):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "skgan", "serve", str(export), "--port", str(port)]
        + ["--max-rows", "50000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(process.stdout.read().decode())
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not start in 30 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _expected(export, n, seed, conditions=None):
    rows = load_generator(export).sample(n, random_state=seed, conditions=conditions)
    return pd.read_csv(io.StringIO(rows.to_csv(index=False)))


def test_health_and_schema(server):
    assert httpx.get(f"{server}/health").json() == {"status": "ok"}
    schema = httpx.get(f"{server}/schema").json()
    assert [c["name"] for c in schema["columns"]] == ["kind", "weight", "age", "indoor"]
    kinds = {c["name"]: c["kind"] for c in schema["columns"]}
    assert kinds["weight"] == "numeric" and kinds["kind"] == "categorical"
    assert schema["conditions"]["kind"] == ["cat", "dog", "fox"]
    assert schema["max_rows"] == 50_000
    assert schema["format_version"] == FORMAT_VERSION
    assert schema["release"]["n_training_rows"] == 200
    assert "exact_copy_rate" in schema["release"]["measures"]


def test_csv_rows_are_those_of_the_same_seed_in_process(server, export):
    # More than one block of 8,192 rows: streamed in chunks, same rows.
    n = 20_000
    answer = httpx.post(f"{server}/sample", json={"n_samples": n, "random_state": 3})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    got = pd.read_csv(io.StringIO(answer.text))
    pd.testing.assert_frame_equal(got, _expected(export, n, 3))


def test_json_and_parquet_answers(server, export):
    body = {"n_samples": 300, "random_state": 5, "conditions": {"kind": "dog"}}
    expected = load_generator(export).sample(
        300, random_state=5, conditions={"kind": "dog"}
    )
    answer = httpx.post(
        f"{server}/sample", json=body, headers={"Accept": "application/json"}
    )
    assert answer.headers["content-type"].startswith("application/json")
    records = pd.DataFrame(answer.json())
    assert (records["kind"] == "dog").all()
    # The case that broke: JSON wrote 40.200000000000003 where CSV wrote
    # 40.2. Both now write the shortest text that reads back exactly.
    np.testing.assert_array_equal(records["weight"], expected["weight"])
    csv = httpx.post(f"{server}/sample", json=body)
    np.testing.assert_array_equal(
        pd.read_csv(io.StringIO(csv.text), float_precision="round_trip")["weight"],
        records["weight"],
    )
    assert "0000000000" not in answer.text
    pytest.importorskip("pyarrow")
    answer = httpx.post(
        f"{server}/sample",
        json=body,
        headers={"Accept": "application/vnd.apache.parquet"},
    )
    assert answer.status_code == 200
    table = pd.read_parquet(io.BytesIO(answer.content))
    pd.testing.assert_frame_equal(table, expected)
    # Zero rows: a header, an empty list.
    empty = httpx.post(f"{server}/sample", json={"n_samples": 0})
    assert empty.text.strip() == "kind,weight,age,indoor"
    empty = httpx.post(
        f"{server}/sample",
        json={"n_samples": 0},
        headers={"Accept": "application/json"},
    )
    assert empty.json() == []


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"n_samples": -1}, 422, "n_samples"),
        ({"n_samples": "ten"}, 422, "n_samples"),
        ({"n_samples": 10**9}, 413, "max_rows=50000"),
        ({"n_samples": 5, "colour": 1}, 422, "colour"),
        ({"n_samples": 5, "conditions": {"size": "big"}}, 400, "'size'"),
        ({"n_samples": 5, "conditions": {"kind": "owl"}}, 400, "'owl'"),
        ({"n_samples": 5, "random_state": -3}, 422, "random_state"),
    ],
)
def test_bad_requests_get_a_json_error_naming_the_problem(
    server, body, status, message
):
    answer = httpx.post(f"{server}/sample", json=body)
    assert answer.status_code == status
    assert message in answer.json()["error"]
    assert "Traceback" not in answer.text


def test_malformed_json_and_unknown_formats_are_refused(server):
    answer = httpx.post(
        f"{server}/sample",
        content=b"{n_samples: 3",
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 422 and "error" in answer.json()
    answer = httpx.post(
        f"{server}/sample", json={"n_samples": 3}, headers={"Accept": "image/png"}
    )
    assert answer.status_code == 406
    assert "text/csv" in answer.json()["error"]


def test_concurrent_requests_are_all_answered_correctly(server, export):
    seeds = range(8)

    def ask(seed):
        answer = httpx.post(
            f"{server}/sample",
            json={"n_samples": 10_000, "random_state": seed},
            timeout=120,
        )
        return pd.read_csv(io.StringIO(answer.text))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, seeds))
    for seed, got in zip(seeds, answers, strict=True):
        pd.testing.assert_frame_equal(got, _expected(export, 10_000, seed))


def test_serve_refuses_an_edited_export_before_starting(export, tmp_path):
    import shutil

    edited = tmp_path / "edited"
    shutil.copytree(export, edited)
    schema = edited / "schema.json"
    schema.write_text(schema.read_text().replace('"kind"', '"sort"'))
    result = subprocess.run(
        [sys.executable, "-m", "skgan", "serve", str(edited), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "checksum" in result.stderr and "Traceback" not in result.stderr


def test_a_body_without_the_json_content_type_is_named(server):
    # The case that broke: a 422 that did not name the header.
    answer = httpx.post(f"{server}/sample", content='{"n_samples": 5}')
    assert answer.status_code == 422
    assert "Content-Type: application/json" in answer.json()["error"]
