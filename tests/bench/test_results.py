"""The bench's results writer: valid JSON, the Markdown table in the README between its
markers (the rest of the README kept), the targets reported from the figures."""

import json

from bench.results import BEGIN, END, write
from bench.scenarios import SCENARIOS


def level(p95: float, rps: float, errors: int = 0) -> dict:
    return {"clients": 1, "requests": 100, "errors": errors, "seconds": 10.0, "rps": rps,
            "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95 * 1.5, "bytes": 2048}


def results() -> dict:
    pages = {
        scenario.name: {
            "path": scenario.path, "status": 200, "queries": 7, "bytes": 20480,
            "c1": level(40.0, 25.0), "c16": level(180.0, 50.0),
        }
        for scenario in SCENARIOS
    }
    pages["healthz"]["c16"] = level(20.0, 400.0)
    pages["feedback_search"]["c1"] = level(320.0, 3.1)
    pages["dashboard"]["c16"] = level(900.0, 12.0, errors=3)
    return {
        "date": "2026-12-02 16:00 UTC",
        "machine": {"cpu": "Test CPU", "cores": 2, "ram_gb": 23.4, "load_average": "1.0",
                    "note": "shared"},
        "config": {"workers": 5, "duration": 10, "scale": 1},
        "bench_data_seconds": 200,
        "pages": pages,
        "workers": [{"pid": 10, "rss_mb": 120.5}, {"pid": 11, "rss_mb": 210.0}],
        "page_weight": {
            "member_page": {"requests": 9, "bytes": {"html": 30000, "css": 50000},
                            "total_bytes": 80000, "static_ok": True, "static": []},
        },
    }


def test_writes_json_and_the_table_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Bench\n\nHow to run it.\n\n{BEGIN}\nold table\n{END}\n\nAfter.\n")
    output = tmp_path / "results" / "latest.json"
    write(results(), output, readme)

    data = json.loads(output.read_text())
    assert data["pages"]["dashboard"]["ratio"]["c16"] == 0.03  # 12 / 400
    assert data["pages"]["healthz"]["ratio"]["c16"] == 1.0
    met = {check["target"]: check["met"] for check in data["targets"]}
    assert met["overview p95 < 100 ms at 1 client"] is True
    assert met["full-text search on 200,000 items p95 < 150 ms at 1 client"] is False
    assert met["no error at 16 clients"] is False
    assert met["each gunicorn worker < 200 MB"] is False

    text = readme.read_text()
    assert text.startswith("# Bench\n\nHow to run it.\n")
    assert text.rstrip().endswith("After.")
    assert "old table" not in text
    table = text[text.index(BEGIN):text.index(END)]
    assert "Test CPU, 2 cores, 23.4 GB RAM" in table
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    assert "| dashboard | 7 | 20.0 | 20 / 40 / 60 | 25 | 450 / 900 / 1350 | 12 | 0.03 | 3 |" in rows
    assert "| no error at 16 clients | dashboard: 3 | **no** |" in rows
    assert "| member_page | 9 | 29.3 | 48.8 | 0.0 | 0.0 | 0.0 | 78.1 |" in rows
    assert "120.5, 210" in table


def test_writing_again_replaces_the_table(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Bench\n")
    output = tmp_path / "latest.json"
    write(results(), output, readme)
    second = results()
    second["date"] = "2026-12-03 09:00 UTC"
    write(second, output, readme)
    text = readme.read_text()
    assert text.count(BEGIN) == text.count(END) == 1
    assert "2026-12-03 09:00 UTC" in text and "2026-12-02 16:00 UTC" not in text
    assert json.loads(output.read_text())["date"] == "2026-12-03 09:00 UTC"
