"""Throughput of the full pipeline: conversations/s and turns/s for 1 and 2 workers, per profile.

Generates N realistic conversations (default 2,000 of 30 turns, all four
languages, some code-mixed) from the bundled samples' turns and the training
data's turns (10% of turns drawn from flagged examples, the rest ordinary or
hard negatives), seeded, then scores them with `analyzer.batch.score_files`
exactly as `analyzer score` does, each run in a fresh process (models load
inside the timed run, as they would for a user). Prints, side by side for the
default and the fast profile: conversations/s and turns/s per worker count,
peak memory per worker, the time per stage, and (when the dev set is beside
the repo) each profile's dev-set F1 and the fast/default ratio.

Workers run one native thread each (`--threads 1`), so "1 worker" is one
core and the speed-up of 2 workers measures how the batch scales with cores.
One more row per profile shows a single worker given every core's threads
(what `analyzer score --workers 1` does on this machine): the encoder's
OpenMP then parallelises inside one conversation, which is how one worker
can use more than one core.

    .venv/bin/python bench/throughput.py                 # 2,000 × 30 turns
    .venv/bin/python bench/throughput.py -n 200 --turns 30 --profiles fast
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analyzer.batch import PipelineSpec, score_files  # noqa: E402
from analyzer.readers import iter_input_files, read_path  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


POSITIVE_SHARE = 0.1  # share of turns drawn from labelled (flagged) training turns; real calls are mostly ordinary


def turn_pools(seed: int) -> dict[str, dict[str, list[str]]]:
    """Real turns by language and role ("agent", "client"; "+agent" etc. for labelled ones)."""
    pools: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in iter_input_files([str(ROOT / "data" / "samples")]):
        for conversation in read_path(Path(path)):
            language = conversation.language or "en"
            for turn in conversation.turns:
                pools[language][turn.role or "client"].append(turn.text)
    for path in sorted((ROOT / "data" / "train").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pools[row["lang"]][("+" if row["labels"] else "") + row["role"]].append(row["text"])
            if row["context"]:
                pools[row["lang"]][row["context_role"] or "client"].append(row["context"])
    return pools


def generate(n: int, turns: int, seed: int, folder: Path) -> Path:
    rng = random.Random(seed)
    pools = turn_pools(seed)
    languages = ["vi", "ru", "zh", "en"]
    path = folder / "bench.jsonl"
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            language = languages[i % 4]
            mixed = rng.random() < 0.15
            conversation = {"id": f"bench-{i:06d}", "channel": rng.choice(["call", "meeting", "chat"]),
                            "metadata": {"agent_id": f"A-{rng.randrange(40):02d}"}, "turns": []}
            for t in range(turns):
                role = "agent" if t % 2 == 0 else "client"
                lang = rng.choice(languages) if mixed and rng.random() < 0.3 else language
                pool = pools[lang]["+" + role] if rng.random() < POSITIVE_SHARE else pools[lang][role]
                text = rng.choice(pool or pools[lang]["client"])
                conversation["turns"].append({"speaker": f"{role}-{i}", "role": role, "text": text})
            handle.write(json.dumps(conversation, ensure_ascii=False) + "\n")
    return path


def run(path: Path, profile: str, workers: int, threads: int, out: Path) -> dict:
    """One timed run in a fresh interpreter, so that each starts cold and no run inherits loaded models."""
    job = json.dumps({"path": str(path), "profile": profile, "workers": workers, "threads": threads, "out": str(out)})
    done = subprocess.run([sys.executable, __file__, "--one", job], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def run_here(path: Path, profile: str, workers: int, threads: int, out: Path) -> dict:
    started = time.perf_counter()
    result = score_files([str(path)], out, PipelineSpec(profile), workers=workers, threads=threads)
    seconds = time.perf_counter() - started
    read_started = time.perf_counter()
    sum(1 for _ in read_path(path))
    result.stage_seconds["read"] = time.perf_counter() - read_started
    turns = sum(r.get("turns", 0) for r in result.rows)
    startup = result.first_report_seconds or 0.0
    return {"seconds": seconds, "conversations": result.reports, "turns": turns, "startup": startup,
            "conv_s": result.reports / seconds, "turns_s": turns / seconds,
            "steady_conv_s": (result.reports - 1) / max(seconds - startup, 1e-9), "failed": len(result.failed),
            "peak_mb": max(result.peak_rss_mb.values(), default=0.0), "stages": result.stage_seconds}


def dev_f1(profile: str) -> dict[str, float]:
    from analyzer.api import load_pipeline
    from analyzer.evaluation import read_gold, score
    from analyzer.model import Conversation
    from analyzer.report import build_report

    gold = read_gold(DEV)
    pipeline = load_pipeline(profile)
    reports = {}
    for data in gold:
        report = build_report(pipeline(Conversation.from_dict(data)))
        reports[report["conversation_id"]] = report
    table = score(gold, reports)
    cats = ["flattery", "pressure", "rebate_request", "rebate_offer", "pii_disclosure"]
    out = {c: table[("category", c, "all")].prf()[2] for c in cats}
    out["PII"] = table[("pii", "ALL", "all")].prf()[2]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=2000, help="conversations (default 2000)")
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profiles", nargs="+", default=["default", "fast"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: one run, JSON in and out
    args = parser.parse_args()
    if args.one:
        job = json.loads(args.one)
        print(json.dumps(run_here(Path(job["path"]), job["profile"], job["workers"], job["threads"], Path(job["out"]))))
        return
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = generate(args.n, args.turns, args.seed, folder)
        print(f"{args.n} conversations × {args.turns} turns, vi/ru/zh/en (15% code-mixed), seed {args.seed}, "
              f"{cores} cores")
        results = {}
        for profile in args.profiles:
            for workers, threads in [(w, 1) for w in args.workers] + ([(1, cores)] if cores > 1 else []):
                out = folder / f"{profile}-{workers}-{threads}"
                results[(profile, workers, threads)] = run(path, profile, workers, threads, out)
        print_table(results, args)
    if DEV.exists():
        f1 = {p: dev_f1(p) for p in args.profiles}
        print("\ndev-set F1 (turn-level categories, PII spans):")
        names = list(next(iter(f1.values())))
        print(f"{'':<16}" + "".join(f"{p:>10}" for p in args.profiles) + ("     ratio" if len(f1) > 1 else ""))
        for name in [*names, "mean"]:
            values = [f1[p][name] if name != "mean" else sum(f1[p].values()) / len(f1[p]) for p in args.profiles]
            ratio = f"{values[-1] / values[0]:>10.2f}" if len(values) > 1 and values[0] else ""
            print(f"{name:<16}" + "".join(f"{v:>10.3f}" for v in values) + ratio)


def print_table(results: dict, args: argparse.Namespace) -> None:
    """conv/s counts the whole run, model loading included; "steady" leaves out the start-up (time to the first
    report), which is what a batch of millions sees."""
    header = (f"{'profile':<9}{'workers':>8}{'threads':>8}{'conv/s':>9}{'turns/s':>9}{'start-up s':>11}"
              f"{'steady conv/s':>14}{'speed-up':>9}{'steady speed-up':>16}{'peak MB/worker':>15}")
    print(f"\n{header}{'failed':>7}")
    for (profile, workers, threads), r in results.items():
        base = results.get((profile, args.workers[0], 1)) or r
        print(f"{profile:<9}{workers:>8}{threads:>8}{r['conv_s']:>9.1f}{r['turns_s']:>9.0f}{r['startup']:>11.1f}"
              f"{r['steady_conv_s']:>14.1f}{r['conv_s'] / base['conv_s']:>8.2f}×"
              f"{r['steady_conv_s'] / base['steady_conv_s']:>15.2f}×{r['peak_mb']:>15.0f}{r['failed']:>7}")
    print("\ntime per stage (share of analysis time, 1 worker × 1 thread):")
    for profile in args.profiles:
        r = results.get((profile, args.workers[0], 1))
        if not r:
            continue
        total = sum(r["stages"].values()) or 1.0
        parts = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(r["stages"].items(), key=lambda kv: -kv[1]))
        print(f"  {profile}: {parts}; per conversation {1000 * total / max(r['conversations'], 1):.1f} ms")


if __name__ == "__main__":
    main()
