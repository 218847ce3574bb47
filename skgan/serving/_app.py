"""An HTTP service that answers requests for rows from an exported generator."""

import json
import os

from .._version import __version__
from ..synthesis import load_generator

#: The response formats, by media type; the first is the default.
FORMATS = {
    "text/csv": "csv",
    "application/json": "json",
    "application/vnd.apache.parquet": "parquet",
}

#: Where ``skgan serve --workers K`` (K > 1) tells each worker process what
#: to load: uvicorn starts workers from an import string, not an object.
EXPORT_VARIABLE = "SKGAN_SERVE_EXPORT"
MAX_ROWS_VARIABLE = "SKGAN_SERVE_MAX_ROWS"


def create_app(path, *, max_rows=1_000_000):
    """A FastAPI application that samples the generator exported at ``path``.

    The export is loaded once, after its integrity check: an edited or
    foreign export raises before the service starts. Endpoints:

    - ``GET /health``: ``{"status": "ok"}``.
    - ``GET /schema``: the columns (name, dtype, kind, categories), the
      values each conditionable column may be asked for, ``max_rows`` and
      the release's privacy report.
    - ``POST /sample`` with the JSON body ``{"n_samples": int,
      "random_state": int or null, "conditions": {column: value} or null}``.
      The answer is CSV (``Accept: text/csv``, the default), JSON records
      (``application/json``) or Parquet (``application/vnd.apache.parquet``,
      needs pyarrow), streamed in blocks of 8,192 rows
      (:meth:`~skgan.GANSynthesizer.iter_samples`), so the rows for a seed
      are those of ``load_generator(path).sample(n_samples,
      random_state=seed)``.

    A series export (:meth:`GANSeriesSynthesizer.export_generator`) answers
    windows: ``/schema`` gives ``kind: "series"``, the window length and the
    channels; ``n_samples`` counts windows (each ``window_length`` rows
    against ``max_rows``), the only condition is ``{"class": label}`` for a
    model fitted per class, and the answer is a long table (``window``,
    ``step``, the channels).

    A bad request gets a 4xx answer whose JSON body is ``{"error": message}``;
    no answer carries a traceback.

    Parameters
    ----------
    path : str or path-like
        A directory written by :meth:`~skgan.GANSynthesizer.export_generator`
        or ``skgan fit``.
    max_rows : int, default=1_000_000
        Most rows one request may ask for (413 beyond).

    Returns
    -------
    app : fastapi.FastAPI
        The application, for uvicorn or any ASGI server.

    Raises
    ------
    ImportError
        If FastAPI is not installed (``pip install 'skgan[serve]'``).
    ValueError
        If ``path`` is not a valid, unmodified export.
    """
    try:
        from fastapi import FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import JSONResponse, StreamingResponse
        from pydantic import BaseModel, ConfigDict, Field
        from starlette.exceptions import HTTPException
    except ImportError:
        raise ImportError(
            "skgan serve needs FastAPI and uvicorn; install them with "
            "pip install 'skgan[serve]'."
        ) from None
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise ValueError(f"max_rows must be a positive integer; got {max_rows!r}.")
    model = load_generator(path)
    series = not hasattr(model, "transformer_")
    schema = _describe_series(model, max_rows) if series else _describe(model, max_rows)

    class SampleRequest(BaseModel):
        """The body of ``POST /sample``."""

        model_config = ConfigDict(extra="forbid")
        n_samples: int = Field(ge=0, strict=True)
        random_state: int | None = Field(default=None, ge=0, le=2**32 - 1)
        conditions: dict[str, str | int | float | bool | None] | None = None

    app = FastAPI(
        title="skgan",
        version=__version__,
        summary="Synthetic rows from an exported skgan generator.",
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc):
        sent = request.headers.get("content-type", "")
        if request.method == "POST" and "json" not in sent.lower():
            # FastAPI reads no other body: say so rather than what it missed.
            return JSONResponse(
                {
                    "error": "the body must be JSON sent with the header "
                    f"'Content-Type: application/json'; got {sent or 'no'} "
                    "Content-Type."
                },
                status_code=422,
            )
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}"
            for e in exc.errors()
        ]
        return JSONResponse(
            {"error": "; ".join(problems) or "invalid request"}, status_code=422
        )

    @app.exception_handler(HTTPException)
    async def _http(request, exc):
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(request, exc):
        # The service never answers with a traceback.
        return JSONResponse(
            {"error": f"internal error ({type(exc).__name__})"}, status_code=500
        )

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.get("/schema")
    def describe():
        return schema

    @app.post("/sample")
    def sample(body: SampleRequest, request: Request):
        kind = _negotiate(request.headers.get("accept"))
        if kind is None:
            return JSONResponse(
                {
                    "error": f"cannot answer in {request.headers.get('accept')!r}; "
                    f"ask for one of {sorted(FORMATS)}."
                },
                status_code=406,
            )
        rows = body.n_samples * (model.window_length_ if series else 1)
        if rows > max_rows:
            return JSONResponse(
                {
                    "error": f"n_samples={body.n_samples} is {rows} rows, more than "
                    f"this service's max_rows={max_rows}; ask in several requests."
                    if series
                    else f"n_samples={body.n_samples} is more than this "
                    f"service's max_rows={max_rows}; ask in several requests."
                },
                status_code=413,
            )
        if kind == "parquet" and not _has_pyarrow():
            return JSONResponse(
                {"error": "Parquet needs pyarrow on the server; ask for CSV or JSON."},
                status_code=406,
            )
        try:
            if series:
                blocks = _window_blocks(model, body)
            else:
                blocks = model.iter_samples(
                    body.n_samples,
                    conditions=body.conditions,
                    random_state=body.random_state,
                )
        except (ValueError, TypeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        encode = {"csv": _csv, "json": _json, "parquet": _parquet}[kind]
        media = next(m for m, k in FORMATS.items() if k == kind)
        return StreamingResponse(encode(blocks), media_type=media)

    return app


def app_from_environment():
    """The application for the export named by ``SKGAN_SERVE_EXPORT``.

    Used by ``skgan serve --workers K``: each uvicorn worker process builds
    its own application from the environment.

    Returns
    -------
    app : fastapi.FastAPI
        As :func:`create_app` returns it.
    """
    return create_app(
        os.environ[EXPORT_VARIABLE],
        max_rows=int(os.environ.get(MAX_ROWS_VARIABLE, 1_000_000)),
    )


def _describe(model, max_rows):
    """The body of ``GET /schema``."""
    transformer = model.transformer_
    rules = model.constraints_
    columns = []
    for column in [] if rules is not None else transformer.columns_:
        entry = {
            "name": column["name"],
            "dtype": column["dtype"],
            "kind": column["kind"],
            "missing": bool(column.get("missing", False)),
        }
        if column["kind"] == "categorical":
            entry["categories"] = column["categories"]
        columns.append(entry)
    if rules is not None:
        # The model learnt the table reparametrised; the client sees the rows.
        columns = rules.describe(transformer.columns_)
    shown = {c["name"] for c in columns}
    conditions = {}
    if model.trainer_.cond_spans_ is not None:
        for _, _, index in transformer.condition_blocks_:
            column = transformer.columns_[index]
            if column["name"] not in shown:
                continue
            conditions[column["name"]] = column["categories"] + (
                [None] if column["missing"] else []
            )
    return {
        "columns": columns,
        "conditions": conditions,
        "max_rows": max_rows,
        "constraints": [] if rules is None else [str(r) for r in rules.rules],
        **model.export_versions_,
        "release": model.release_,
    }


def _describe_series(model, max_rows):
    """The body of ``GET /schema`` for a series export."""
    names = getattr(model, "feature_names_in_", None)
    channels = (
        [str(c) for c in range(model.n_features_in_)] if names is None else list(names)
    )
    return {
        "kind": "series",
        "window_length": model.window_length_,
        "channels": channels,
        "conditions": {}
        if model.classes_ is None
        else {"class": [c.item() if hasattr(c, "item") else c for c in model.classes_]},
        "answer": "windows as a long table: window, step, then the channels; "
        "n_samples counts windows",
        "max_rows": max_rows,
        "constraints": model.release_.get("constraints", []),
        **model.export_versions_,
        "release": model.release_,
    }


def _window_blocks(model, body):
    """A series model's windows for ``POST /sample``, as long-table blocks
    (drawn at once, ``max_rows`` bounds them, so a bad class is refused
    before the answer starts)."""
    conditions = body.conditions or {}
    if set(conditions) - {"class"}:
        raise ValueError(
            "a series export takes one condition, 'class' (for a model fitted "
            f"per class); got {sorted(conditions)}."
        )
    return model.iter_samples(
        body.n_samples, y=conditions.get("class"), random_state=body.random_state
    )


def _negotiate(accept):
    """The format an ``Accept`` header asks for: CSV unless it names another."""
    if not accept:
        return "csv"
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for negative, _, media in sorted(ranked):
        if negative == 0:
            continue
        if media in FORMATS:
            return FORMATS[media]
        if media in ("*/*", "text/*"):
            return "csv"
        if media == "application/*":
            return "json"
    return None


def _has_pyarrow():
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _csv(blocks):
    for i, block in enumerate(blocks):
        yield block.to_csv(index=False, header=i == 0).encode("utf-8")


def _json(blocks):
    yield b"["
    first = True
    for block in blocks:
        if not len(block):
            continue
        # Python's shortest round-trip floats (40.2, as the CSV writes it,
        # not pandas' 40.200000000000003); missing values as null.
        cells = block.astype(object).where(block.notna(), None)
        records = json.dumps(cells.to_dict("records"), default=_plain, allow_nan=False)[
            1:-1
        ]
        yield (records if first else "," + records).encode("utf-8")
        first = False
    yield b"]"


def _plain(value):
    """NumPy scalars and timestamps as JSON values."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value.item()


class _Sink:
    """A write-only file that hands over what was written since last asked."""

    def __init__(self):
        self._parts, self._written, self.closed = [], 0, False

    def write(self, data):
        self._parts.append(bytes(data))
        self._written += len(data)
        return len(data)

    def tell(self):
        return self._written

    def flush(self):
        pass

    def close(self):
        self.closed = True

    def take(self):
        data, self._parts = b"".join(self._parts), []
        return data


def _parquet(blocks):
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink, writer = _Sink(), None
    for block in blocks:
        table = pa.Table.from_pandas(block, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(pa.PythonFile(sink, mode="w"), table.schema)
        writer.write_table(table)
        yield sink.take()
    writer.close()
    yield sink.take()
