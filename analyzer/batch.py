"""Batch scoring: many inputs in, one report per conversation and summary tables out.

* **All cores**: conversations go to a pool of worker processes, each of which
  builds the pipeline (and loads its models) once. At most a few
  conversations per worker are in flight, so a folder of 100,000 files or a
  5 GB JSON Lines file is streamed, never held in memory.
* **Deterministic**: results are collected in input order, and a report
  depends only on its conversation, so any worker count gives the same bytes.
* **Resumable**: every finished conversation is appended to a journal in the
  output folder; `resume=True` skips those whose report is on disk. Reports
  are written to a temp file and renamed, so an interrupted run never leaves
  half a report.
* **Nothing silently dropped**: every input file yields reports or failure
  rows naming the file and why; `BatchResult.check()` verifies
  inputs = files with reports + files with failures.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from analyzer.model import PII_TYPES, TURN_CATEGORIES, Conversation
from analyzer.pipeline import Pipeline
from analyzer.readers import ReadError, ReadOptions, read_bytes, read_path
from analyzer.report import build_report, dumps_report, report_filename, write_atomic

SUMMARY_BASENAME = "summary"
FINDINGS_BASENAME = "findings"
JOURNAL = ".journal.jsonl"


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build its own pipeline (picklable, unlike the pipeline)."""

    profile: str = "default"
    config: str | None = None
    roles: tuple[tuple[str, str], ...] = ()
    policy: str | None = None
    redact: bool = False

    def build(self) -> Pipeline:
        """The pipeline for this spec, built once per process (the CLI's fail-fast check and an in-process
        run share it; each worker process builds its own)."""
        if self not in _BUILT:
            from analyzer.api import load_pipeline

            _BUILT[self] = load_pipeline(self.profile, Path(self.config) if self.config else None, dict(self.roles),
                                         Path(self.policy) if self.policy else None)
        return _BUILT[self]


_BUILT: dict[PipelineSpec, Pipeline] = {}


@dataclass
class BatchResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    files: int = 0
    skipped: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    first_report_seconds: float | None = None  # start-up: from the call to the first analysed conversation

    @property
    def failed(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["status"] != "ok"]

    @property
    def reports(self) -> int:
        return sum(1 for r in self.rows if r["status"] == "ok")

    def check(self) -> None:
        """Every input file is accounted for by at least one row (report or failure)."""
        sources = {r["source"] for r in self.rows}
        if len(sources) != self.files:
            raise AssertionError(f"{self.files} inputs but rows for {len(sources)}")


FileHook = Callable[[str, int], None]


# --------------------------------------------------------------------------- worker side

_WORKER: dict[str, Any] = {}


def limit_threads(threads: int) -> None:
    """Cap this process's native thread pools (the sentence encoder's OpenMP, torch) at `threads`.

    Workers share the cores: if each native library also started one thread per core, N workers would
    run N × cores threads and thrash. The environment covers libraries loaded later (the encoder loads
    lazily); threadpoolctl and torch cover those already loaded (numpy's OpenBLAS, scikit-learn's OpenMP).
    """
    from threadpoolctl import threadpool_limits

    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    threadpool_limits(limits=threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


def default_threads(workers: int) -> int:
    """Threads per worker so that workers × threads = cores."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _build_capped(spec: PipelineSpec, threads: int | None) -> Pipeline:
    """`spec.build()` with native threads capped before the build and again after it (for the libraries
    the build loaded); `threads=None` leaves the process as it is."""
    if threads is not None:
        limit_threads(threads)
    pipeline = spec.build()
    if threads is not None:
        limit_threads(threads)
    return pipeline


def _init_worker(spec: PipelineSpec, outdir: str, include_timings: bool, threads: int) -> None:
    _WORKER.update(pipeline=_build_capped(spec, threads), spec=spec, outdir=Path(outdir), timings=include_timings)


def _analyse(source: str, conversation: Conversation) -> dict[str, Any]:
    """Analyse one conversation in a worker: write its report, return its summary row and findings."""
    pipeline: Pipeline = _WORKER["pipeline"]
    try:
        doc = pipeline(conversation, timed=True)
        started = time.perf_counter()
        report = build_report(doc, profile=pipeline.profile, components=pipeline.names,
                              include_timings=_WORKER["timings"])
        if _WORKER["spec"].redact:
            from analyzer.redact import redact_report

            report = redact_report(report)
    except Exception as error:  # noqa: BLE001 - one bad conversation must not stop the batch
        row = failure_row(source, f"analysis failed: {type(error).__name__}: {error}", conversation.id)
        return {"row": row, "findings": [], "stages": {}, "pid": os.getpid(), "rss_mb": _rss_mb()}
    path = _WORKER["outdir"] / report_filename(conversation.id)
    write_atomic(path, dumps_report(report))
    doc.stage_seconds["report"] = time.perf_counter() - started
    return {"row": summary_row(report, source, path), "findings": finding_rows(report), "stages": doc.stage_seconds,
            "pid": os.getpid(), "rss_mb": _rss_mb()}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- main side


def iter_conversations(source: str, options: ReadOptions) -> Iterator[Conversation]:
    if source == "-":
        yield from read_bytes(sys.stdin.buffer.read(), "<stdin>", options)
    else:
        yield from read_path(Path(source), options)


@dataclass
class _Task:
    source: str
    conversation: Conversation | None = None
    row: dict[str, Any] | None = None  # a ready-made row: read failure, duplicate, resumed


def _tasks(sources: Iterable[str], options: ReadOptions, done: Mapping[str, dict[str, Any]],
           result: BatchResult) -> Iterator[_Task]:
    seen: dict[str, str] = {}
    for source in sources:
        result.files += 1
        count = 0
        try:
            for conversation in iter_conversations(source, options):
                count += 1
                if conversation.id in seen:
                    reason = f"duplicate conversation id (first seen in {seen[conversation.id]})"
                    yield _Task(source, row=failure_row(source, reason, conversation.id))
                    continue
                seen[conversation.id] = source
                previous = done.get(conversation.id)
                if previous is not None and previous["source"] == source:
                    result.skipped += 1
                    yield _Task(source, row=previous)
                else:
                    yield _Task(source, conversation)
        except ReadError as error:
            yield _Task(source, row=failure_row(source, error.reason))
            count = -1
        if count == 0:
            yield _Task(source, row=failure_row(source, "no conversations in file"))
        yield _Task(source)  # end-of-file marker, for progress


def score_files(
    sources: Iterable[str],
    outdir: Path,
    spec: PipelineSpec | Pipeline | None = None,
    read_options: ReadOptions | None = None,
    *,
    workers: int = 1,
    resume: bool = False,
    include_timings: bool = False,
    on_file_done: FileHook | None = None,
    threads: int | None = None,
) -> BatchResult:
    """Score every source file into `outdir`; see the module docstring for the guarantees.

    `threads` caps each worker's native threads (default: cores // workers). With one worker the run is
    in-process, so the cap only holds for models not loaded yet (see `limit_threads`).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    spec = spec if spec is not None else PipelineSpec()
    journal = Journal(outdir / JOURNAL)
    done = journal.finished(outdir) if resume else {}
    journal.start(append=resume)
    result = BatchResult()
    started = time.perf_counter()
    run = _Runner(spec, outdir, workers, include_timings, threads)
    files_done: dict[str, int] = {}
    try:
        for task, outcome in run.map(_tasks(sources, read_options or ReadOptions(), done, result)):
            if task.conversation is None and task.row is None:
                if on_file_done:
                    on_file_done(task.source, files_done.pop(task.source, 0))
                continue
            files_done[task.source] = files_done.get(task.source, 0) + 1
            if outcome is not None and result.first_report_seconds is None:
                result.first_report_seconds = time.perf_counter() - started
            _record(result, journal, task, outcome)
    finally:
        run.close()
        journal.close()
    return result


def _record(result: BatchResult, journal: Journal, task: _Task, outcome: dict[str, Any] | None) -> None:
    if outcome is None:  # a ready-made row: a failure, or a conversation finished by an earlier run
        row = task.row or {}
        findings = journal.findings_of(row) if row.get("status") == "ok" else []
    else:
        row, findings = outcome["row"], outcome["findings"]
        for stage, seconds in outcome["stages"].items():
            result.stage_seconds[stage] = result.stage_seconds.get(stage, 0.0) + seconds
        result.peak_rss_mb[outcome["pid"]] = max(result.peak_rss_mb.get(outcome["pid"], 0.0), outcome["rss_mb"])
    result.rows.append(row)
    result.findings.extend(findings)
    if outcome is not None or row.get("status") != "ok":
        journal.add(row, findings)


class _Runner:
    """Runs `_analyse` in-process (1 worker) or in a process pool, keeping input order."""

    def __init__(self, spec: PipelineSpec | Pipeline, outdir: Path, workers: int, include_timings: bool,
                 threads: int | None = None) -> None:
        self.workers = max(1, workers)
        self.pool: ProcessPoolExecutor | None = None
        if self.workers == 1 or isinstance(spec, Pipeline):
            self.workers = 1
            _WORKER.update(pipeline=spec if isinstance(spec, Pipeline) else _build_capped(spec, threads),
                           spec=spec if isinstance(spec, PipelineSpec) else PipelineSpec(), outdir=outdir,
                           timings=include_timings)
        else:
            threads = threads or default_threads(self.workers)
            self.pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"), initializer=_init_worker,
                                            initargs=(spec, str(outdir), include_timings, threads))

    def map(self, tasks: Iterable[_Task]) -> Iterator[tuple[_Task, dict[str, Any] | None]]:
        if self.pool is None:
            for task in tasks:
                yield task, _analyse(task.source, task.conversation) if task.conversation else None
            return
        window: deque[tuple[_Task, Future[dict[str, Any]] | None]] = deque()
        limit = 4 * self.workers
        for task in tasks:
            future = self.pool.submit(_analyse, task.source, task.conversation) if task.conversation else None
            window.append((task, future))
            while len(window) > limit or (window and (window[0][1] is None or window[0][1].done())):
                head, pending = window.popleft()
                yield head, pending.result() if pending else None
        for head, pending in window:
            yield head, pending.result() if pending else None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class Journal:
    """Append-only record of finished conversations (one JSON line each), for `--resume`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: Any = None
        self._findings: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def finished(self, outdir: Path) -> dict[str, dict[str, Any]]:
        """Conversation id → summary row, for conversations whose report is on disk (the last entry wins)."""
        done: dict[str, dict[str, Any]] = {}
        if not self.path.exists():
            return done
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a kill
                row = entry["row"]
                conversation_id = row.get("conversation_id")
                if conversation_id is None:
                    continue
                if row["status"] == "ok" and (outdir / report_filename(conversation_id)).exists():
                    done[conversation_id] = row
                    self._findings[(row["source"], conversation_id)] = entry.get("findings", [])
                else:
                    done.pop(conversation_id, None)
        return done

    def findings_of(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        return self._findings.get((row["source"], row["conversation_id"]), [])

    def start(self, append: bool) -> None:
        self.handle = open(self.path, "a" if append else "w", encoding="utf-8")  # noqa: SIM115 - kept open

    def add(self, row: Mapping[str, Any], findings: list[dict[str, Any]]) -> None:
        self.handle.write(json.dumps({"row": row, "findings": findings}, ensure_ascii=False, default=str) + "\n")
        self.handle.flush()

    def close(self) -> None:
        if self.handle:
            self.handle.close()


def failure_row(source: str, reason: str, conversation_id: str | None = None) -> dict[str, Any]:
    return {"source": source, "conversation_id": conversation_id, "status": "failed", "error": reason}


def summary_row(report: Mapping[str, Any], source: str, path: Path | None = None) -> dict[str, Any]:
    """One flat row per conversation, for pandas and spreadsheets."""
    counts = report.get("counts", {})
    row: dict[str, Any] = {
        "source": source,
        "conversation_id": report["conversation_id"],
        "status": "ok",
        "error": None,
        "report": str(path) if path else None,
        "format": (report.get("source") or {}).get("format"),
        "channel": report.get("channel"),
        "languages": ";".join(report.get("languages", [])),
        "turns": len(report.get("turns", [])),
        "risk_score": report.get("risk_score"),
    }
    for key, value in sorted((report.get("metadata") or {}).items()):
        if isinstance(value, str | int | float | bool) or value is None:
            row[key if key == "agent_id" else f"meta_{key}"] = value
    for category in TURN_CATEGORIES:
        row[category] = counts.get("findings", {}).get(category, 0)
    missing = [d["id"] for d in report.get("disclaimers", []) if d["required"] and not d["present"]]
    row["missing_disclaimers"] = ";".join(missing)
    row["missing_disclaimer_count"] = len(missing)
    for pii_type in PII_TYPES:
        row[f"pii_{pii_type.lower()}"] = counts.get("pii", {}).get(pii_type, 0)
    row["pii_total"] = sum(row[f"pii_{t.lower()}"] for t in PII_TYPES)
    return row


def finding_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One flat row per finding, with the conversation's id, agent and the turn's speaker and language."""
    metadata = report.get("metadata") or {}
    turns = report.get("turns", [])
    rows = []
    for finding in report.get("findings", []):
        turn = turns[finding["turn"]] if finding["turn"] < len(turns) else {}
        rows.append({
            "conversation_id": report["conversation_id"],
            "agent_id": metadata.get("agent_id"),
            "recorded_at": metadata.get("recorded_at"),
            "category": finding["category"],
            "turn": finding["turn"],
            "start": finding["start"],
            "end": finding["end"],
            "text": finding.get("text"),
            "role": finding.get("role"),
            "speaker": turn.get("speaker"),
            "language": turn.get("language"),
            "confidence": finding.get("confidence"),
            "evidence": finding.get("evidence"),
            "detector": finding.get("detector"),
            "risk_score": report.get("risk_score"),
        })
    return rows


FINDING_COLUMNS = ["conversation_id", "agent_id", "recorded_at", "category", "turn", "start", "end", "text", "role",
                   "speaker", "language", "confidence", "evidence", "detector", "risk_score"]


def write_tables(result: BatchResult, outdir: Path) -> list[Path]:
    """summary.csv/.parquet (one row per conversation or failed input) and findings.csv/.parquet."""
    import pandas as pd

    outdir.mkdir(parents=True, exist_ok=True)
    summary = pd.DataFrame(result.rows)
    if "conversation_id" in summary:
        summary["conversation_id"] = summary["conversation_id"].astype("string")
    findings = pd.DataFrame(result.findings, columns=FINDING_COLUMNS)
    paths = []
    for frame, base in ((summary, SUMMARY_BASENAME), (findings, FINDINGS_BASENAME)):
        frame.to_csv(outdir / f"{base}.csv", index=False)
        frame.to_parquet(outdir / f"{base}.parquet", index=False)
        paths += [outdir / f"{base}.csv", outdir / f"{base}.parquet"]
    return paths
