"""Page weight: the first load of a member page and of the public stats page in headless
Chromium (empty cache), every response counted as served (compressed bytes on the wire),
by kind; and whether each static file is compressed and cached under a hashed name.

Usage: python -m bench.weight PROBE_JSON OUTPUT_JSON
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from bench.scenarios import WEIGHED

# whitenoise's manifest: name.<12 hex>.ext
HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
COMPRESSIBLE = {"stylesheet", "script"}
KINDS = {"document": "html", "stylesheet": "css", "script": "js", "font": "fonts",
         "image": "images"}


def weigh(context, url: str) -> dict:
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    # The fonts are fetched once the layout asks for them: wait until they are in.
    page.evaluate("() => document.fonts.ready.then(() => document.fonts.size)")
    page.wait_for_load_state("networkidle")
    totals: dict[str, int] = {}
    uncompressed: dict[str, int] = {}
    statics = []
    for response in responses:
        request = response.request
        kind = KINDS.get(request.resource_type, "other")
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        totals[kind] = totals.get(kind, 0) + body
        try:
            raw = len(response.body())
        except Exception:  # noqa: BLE001 - a redirect has no body
            raw = 0
        uncompressed[kind] = uncompressed.get(kind, 0) + raw
        path = urlsplit(response.url).path
        if path.startswith("/static/"):
            headers = response.headers
            statics.append({
                "path": path,
                "kind": kind,
                "bytes": body,
                "encoding": headers.get("content-encoding", ""),
                "cache_control": headers.get("cache-control", ""),
                "hashed": bool(HASHED.search(path)),
            })
    page.close()
    return {
        "requests": len(responses),
        "bytes": totals,
        "total_bytes": sum(totals.values()),
        "uncompressed_bytes": uncompressed,
        "static": statics,
        "static_ok": all(
            item["hashed"] and "immutable" in item["cache_control"]
            and (item["kind"] not in {"css", "js"} or item["encoding"] in {"br", "gzip"})
            for item in statics
        ),
    }


def main() -> None:
    probe = json.loads(open(sys.argv[1]).read())
    host = os.environ.get("BENCH_HOST", "http://127.0.0.1:8765")
    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        for name, path in WEIGHED.items():
            context = browser.new_context(locale="fr-FR")
            if name == "member_page":
                context.add_cookies([{
                    "name": probe["session_cookie"], "value": probe["session"],
                    "url": host,
                }])
            results[name] = weigh(context, host + path)
            context.close()
        browser.close()
    with open(sys.argv[2], "w") as output:
        json.dump(results, output, indent=2)


if __name__ == "__main__":
    main()
