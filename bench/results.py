"""The bench's results: targets checked (reported, never asserted), the JSON file and the
Markdown table written into bench/README.md between its two markers."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.scenarios import MEMBER_P95_MS, SCENARIOS, SEARCH_P95_MS, WORKER_RSS_MB

BEGIN = "<!-- bench:results -->"
END = "<!-- /bench:results -->"
CEILING = "healthz"


def ratios(pages: dict) -> None:
    """Each page's throughput as a share of /healthz's at the same level."""
    ceiling = pages.get(CEILING, {})
    for line in pages.values():
        for level in ("c1", "c16"):
            top = ceiling.get(level, {}).get("rps") or 0
            rps = line.get(level, {}).get("rps") or 0
            line.setdefault("ratio", {})[level] = round(rps / top, 2) if top else None


def targets(results: dict) -> list[dict]:
    """Each target with what was measured and whether it is met."""
    pages = results["pages"]
    checks = []
    for scenario in SCENARIOS:
        line = pages.get(scenario.name)
        if line is None or scenario.target_ms is None:
            continue
        p95 = line["c1"]["p95_ms"]
        what = (
            f"full-text search on 200,000 items p95 < {SEARCH_P95_MS} ms at 1 client"
            if scenario.target_ms == SEARCH_P95_MS
            else f"{scenario.name} p95 < {MEMBER_P95_MS} ms at 1 client"
        )
        checks.append({
            "target": what, "measured": f"{p95} ms",
            "met": p95 is not None and p95 < scenario.target_ms,
        })
    errors = {name: line["c16"]["errors"] for name, line in pages.items()}
    wrong = {name: line.get("status") for name, line in pages.items()
             if line.get("status") not in (None, 200)}
    checks.append({
        "target": "no error at 16 clients",
        "measured": ", ".join(f"{k}: {v}" for k, v in errors.items() if v) or "0 errors",
        "met": not any(errors.values()) and not wrong,
    })
    workers = results.get("workers", [])
    biggest = max((worker["rss_mb"] for worker in workers), default=None)
    checks.append({
        "target": f"each gunicorn worker < {WORKER_RSS_MB} MB",
        "measured": f"largest {biggest} MB of {len(workers)} workers",
        "met": biggest is not None and biggest < WORKER_RSS_MB,
    })
    weight = results.get("page_weight", {})
    if weight:
        checks.append({
            "target": "static files compressed and cached under hashed names",
            "measured": ", ".join(
                f"{name}: {'yes' if page['static_ok'] else 'no'}" for name, page in weight.items()
            ),
            "met": all(page["static_ok"] for page in weight.values()),
        })
    return checks


def _ms(line: dict) -> str:
    values = [line.get(key) for key in ("p50_ms", "p95_ms", "p99_ms")]
    return " / ".join("–" if value is None else f"{value:g}" for value in values)


def _kb(size: int | None) -> str:
    return "–" if size is None else f"{size / 1024:.1f}"


def markdown(results: dict) -> str:
    machine = results["machine"]
    config = results.get("config", {})
    lines = [
        f"Run of {results['date']} on {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['ram_gb']} GB RAM (load average {machine.get('load_average', '?')} at the "
        f"start; {machine.get('note', '')}). gunicorn: {config.get('workers', '?')} sync "
        f"workers; {config.get('duration', '?')} s per page and level; data scale "
        f"{config.get('scale', '?')}, built in {results.get('bench_data_seconds', '?')} s.",
        "",
        "| page | SQL queries | HTML/JSON (KB) | p50 / p95 / p99 ms, 1 client | rps, 1 | "
        "p50 / p95 / p99 ms, 16 clients | rps, 16 | rps ÷ healthz, 16 | errors, 16 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, line in results["pages"].items():
        c1, c16 = line["c1"], line["c16"]
        ratio = line.get("ratio", {}).get("c16")
        lines.append(
            f"| {name} | {line.get('queries', '–')} | {_kb(line.get('bytes'))} | {_ms(c1)} | "
            f"{c1['rps']:g} | {_ms(c16)} | {c16['rps']:g} | "
            f"{'–' if ratio is None else f'{ratio:.2f}'} | {c16['errors']} |"
        )
    lines += ["", "| target | measured | met |", "| --- | --- | --- |"]
    for check in results.get("targets", []):
        lines.append(f"| {check['target']} | {check['measured']} | "
                     f"{'yes' if check['met'] else '**no**'} |")
    weight = results.get("page_weight", {})
    if weight:
        lines += [
            "", "Page weight, first load with an empty cache, bytes as served (KB):", "",
            "| page | requests | HTML | CSS | JS | fonts | images | total |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, page in weight.items():
            sizes = page["bytes"]
            lines.append(
                f"| {name} | {page['requests']} | "
                + " | ".join(_kb(sizes.get(kind, 0)) for kind in
                             ("html", "css", "js", "fonts", "images"))
                + f" | {_kb(page['total_bytes'])} |"
            )
    workers = results.get("workers", [])
    if workers:
        lines += ["", "gunicorn workers' memory (RSS, MB) after the run: "
                  + ", ".join(f"{worker['rss_mb']:g}" for worker in workers) + "."]
    return "\n".join(lines) + "\n"


def write(results: dict, json_path: Path, readme_path: Path) -> None:
    """Complete the results (ratios, targets), write the JSON and the README's table."""
    ratios(results["pages"])
    results["targets"] = targets(results)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    readme = readme_path.read_text() if readme_path.exists() else f"{BEGIN}\n{END}\n"
    if BEGIN not in readme:
        readme += f"\n{BEGIN}\n{END}\n"
    table = f"{BEGIN}\n{markdown(results)}{END}"
    readme_path.write_text(
        re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _m: table, readme,
               flags=re.S)
    )
