"""The measures, once the server runs (bench/run starts it): probe (sessions, token, SQL
queries), load (locust), page weight (Chromium), workers' memory; then the results.

Each step runs in its own process: locust patches the standard library with gevent, and
Playwright's sync API runs an event loop, neither of which suits Django's ORM.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from bench.results import write

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
NOTE = (
    "the machine is shared with other engineers' test runs, and the load generator, "
    "gunicorn, PostgreSQL and Redis share its cores: figures are pessimistic and vary "
    "between runs"
)


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kb = next(
            int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except OSError:
        memory_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average": " ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "note": NOTE,
    }


def workers_rss(master: int) -> list[dict]:
    """The resident memory of each child of the gunicorn master."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) == master:
            rss_kb = int(fields.get("VmRSS", "0 kB").split()[0])
            workers.append({"pid": int(status.parent.name), "rss_mb": round(rss_kb / 1024, 1)})
    return sorted(workers, key=lambda worker: worker["pid"])


def step(module: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", module, *args], check=True, cwd=ROOT)


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    host = f"http://127.0.0.1:{os.environ.get('BENCH_PORT', '8765')}"
    os.environ["BENCH_HOST"] = host
    info = machine()
    probe_path, load_path, weight_path = (
        RESULTS / ".probe.json", RESULTS / ".load.json", RESULTS / ".weight.json"
    )
    print("bench: probe (SQL queries per request, sign-in, API token)", file=sys.stderr)
    with probe_path.open("w") as output:
        subprocess.run([sys.executable, "-m", "bench.probe"], check=True, cwd=ROOT,
                       stdout=output)
    probe = json.loads(probe_path.read_text())
    print("bench: load (locust)", file=sys.stderr)
    step("bench.load", str(probe_path), str(load_path))
    master = int(os.environ.get("BENCH_GUNICORN_PID", "0"))
    workers = workers_rss(master) if master else []
    print("bench: page weight (Chromium)", file=sys.stderr)
    try:
        step("bench.weight", str(probe_path), str(weight_path))
        weight = json.loads(weight_path.read_text())
    except subprocess.CalledProcessError:
        print("bench: page weight failed (no Chromium?)", file=sys.stderr)
        weight = {}
    load = json.loads(load_path.read_text())
    pages = {}
    from bench.scenarios import SCENARIOS

    for scenario in SCENARIOS:
        pages[scenario.name] = {
            "path": scenario.path, "method": scenario.method,
            **probe["pages"][scenario.name], **load[scenario.name],
        }
    seconds_file = RESULTS / ".bench_data_seconds"
    log_file = RESULTS / ".bench_data.log"
    built = log_file.exists() and "already built" not in log_file.read_text()
    results = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": info,
        "config": {
            "workers": int(os.environ.get("BENCH_WORKERS", "0")) or None,
            "duration": float(os.environ.get("BENCH_DURATION", "10")),
            "scale": float(os.environ.get("BENCH_SCALE", "1")),
            "server": "gunicorn (sync workers), DEBUG off, PostgreSQL, Redis",
        },
        "bench_data_seconds": (
            float(seconds_file.read_text().strip()) if built and seconds_file.exists()
            else _previous_build_seconds()
        ),
        "pages": pages,
        "workers": workers,
        "page_weight": weight,
    }
    write(results, RESULTS / "latest.json", ROOT / "bench" / "README.md")
    print(f"bench: wrote {RESULTS / 'latest.json'} and the table in bench/README.md",
          file=sys.stderr)


def _previous_build_seconds() -> float | None:
    """The data was built by an earlier run: keep the time that run measured."""
    try:
        return json.loads((RESULTS / "latest.json").read_text()).get("bench_data_seconds")
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    main()
