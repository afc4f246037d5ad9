"""The load: each scenario alone, warmed up, then measured at 1 and at 16 clients with
locust (as a library, FastHttpUser, no think time: each client sends its next request as
soon as the last one answered).

Usage: python -m bench.load PROBE_JSON OUTPUT_JSON (host, duration from the environment).
Latencies are every request's own time (locust's request event), not locust's rounded
histogram; rps is the requests answered divided by the measured seconds.
"""

from __future__ import annotations

import json
import os
import sys
import time

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from bench.scenarios import SCENARIOS, Scenario  # noqa: E402

LEVELS = (1, 16)
WARM_UP_SECONDS = 3


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def headers_for(scenario: Scenario, probe: dict) -> dict[str, str]:
    # gunicorn's sync workers close every connection: say so, or the client may first try a
    # connection the server already closed.
    headers = {"Accept-Encoding": "gzip, br", "Connection": "close"}
    if scenario.auth == "member":
        headers["Cookie"] = f"{probe['session_cookie']}={probe['session']}"
    elif scenario.auth == "api":
        headers["Authorization"] = f"Bearer {probe['token']}"
        headers["Content-Type"] = "application/json"
    return headers


def run(host: str, scenario: Scenario, probe: dict, users: int, seconds: float) -> dict:
    headers = headers_for(scenario, probe)
    samples: list[tuple[float, int, bool]] = []

    class Client(FastHttpUser):
        wait_time = constant(0)

        @task
        def one(self) -> None:
            with self.client.request(
                scenario.method, scenario.path, headers=headers, data=scenario.body(),
                name=scenario.name, catch_response=True, allow_redirects=False,
            ) as response:
                if response.status_code != scenario.expected_status:
                    response.failure(f"status {response.status_code}")

    Client.host = host
    env = Environment(user_classes=[Client])

    def on_request(response_time, response_length, exception, **_kwargs) -> None:
        samples.append((response_time, response_length or 0, exception is None))

    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(0.5)  # all clients started
    samples.clear()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    measured = list(samples)
    runner.quit()
    times = [sample[0] for sample in measured]
    errors = sum(1 for sample in measured if not sample[2])
    return {
        "clients": users,
        "requests": len(measured),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round(len(measured) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _round(percentile(times, 0.50)),
        "p95_ms": _round(percentile(times, 0.95)),
        "p99_ms": _round(percentile(times, 0.99)),
        "bytes": round(sum(s[1] for s in measured) / len(measured)) if measured else 0,
    }


def drain(host: str, workers: int) -> None:
    """Wait until the server has worked through what the last run left queued: clients
    stopped by locust leave requests in gunicorn's backlog, which the next page's first
    requests would wait behind. As many /healthz at once as there are clients, queued
    behind them (first come, first served), all answered: the backlog is gone."""
    import urllib.request

    def one() -> None:
        with urllib.request.urlopen(f"{host}/healthz", timeout=300) as response:
            response.read()

    gevent.joinall([gevent.spawn(one) for _ in range(max(LEVELS) + workers)], timeout=300)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def main() -> None:
    probe = json.loads(open(sys.argv[1]).read())
    host = os.environ.get("BENCH_HOST", "http://127.0.0.1:8765")
    seconds = float(os.environ.get("BENCH_DURATION", "10"))
    results: dict[str, dict] = {}
    workers = int(os.environ.get("BENCH_WORKERS", "5"))
    for scenario in SCENARIOS:
        run(host, scenario, probe, 1, WARM_UP_SECONDS)  # warm-up: caches, connections
        results[scenario.name] = {}
        for users in LEVELS:
            drain(host, workers)
            results[scenario.name][f"c{users}"] = run(host, scenario, probe, users, seconds)
        drain(host, workers)
        line = results[scenario.name]
        print(
            f"  {scenario.name}: p95 {line['c1']['p95_ms']} ms at 1, "
            f"{line['c16']['rps']} rps at 16, {line['c16']['errors']} errors",
            file=sys.stderr, flush=True,
        )
    with open(sys.argv[2], "w") as output:
        json.dump(results, output, indent=2)


if __name__ == "__main__":
    main()
