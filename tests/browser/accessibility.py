"""axe-core in the browser tests: the rules of WCAG 2.0/2.1 A and AA (JIS X 8341-3:2016 AA),
run on the page as the user sees it. axe-core comes from npm (tests/browser/package-lock.json),
installed by `make browser`; it is injected by the driver, so the page's own
Content-Security-Policy does not block it."""

import json
import os
from pathlib import Path

import pytest

AXE_SCRIPT = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(driver, *, tags=WCAG_AA, impacts=None):
    """The violations axe-core finds on the page now, as readable lines (rule, impact, where).
    `impacts` limits them, e.g. {"serious", "critical"}."""
    if not AXE_SCRIPT.exists():
        message = "needs axe-core from npm (make browser installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then(r => done(JSON.stringify(r.violations)),"
        " e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e),"
        " nodes: []}])));",
        options,
    )
    lines = []
    for violation in json.loads(result):
        if impacts and violation["impact"] not in impacts:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines
