#!/usr/bin/env python3
"""Renders `mlaudit audit --format json` (read from stdin, docs/audit-json.md) as a short Markdown
maturity summary: the overall level, one row per area, the findings by severity. Used by the
GitHub Action (scripts/github_action.sh) for $GITHUB_STEP_SUMMARY."""
import json
import sys
from collections import Counter

SEVERITIES = ["Critical", "High", "Medium", "Low", "Info"]


def cell(text):
    """A Markdown table cell: pipes escaped, one line."""
    return str(text).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def render(report):
    lines = ["## mlaudit: AI/ML maturity", ""]
    if not report["relevant"]:
        lines.append("Not an ML/LLM workspace, so the AI/ML Infrastructure Audit does not apply: "
                     + cell(report["relevance"].get("reason", "")))
        return "\n".join(lines) + "\n"
    level = report["overall"]["level"]
    overall = f"**{level} / 5**" if level is not None else "**not assessable** (no checklist area has evidence)"
    lines.append(f"Overall maturity: {overall}. {cell(report['overall'].get('rule', ''))}")
    lines += ["", "| Area | Level | Why |", "|---|---|---|"]
    for area in report["areas"]:
        shown = str(area["level"]) if area["assessable"] and area["level"] is not None else "not assessed"
        lines.append(f"| {cell(area['id'])} | {shown} | {cell(area.get('explanation', ''))} |")
    counts = Counter(f["severity"] for f in report.get("findings", []))
    total = sum(counts.values())
    lines.append("")
    if total:
        parts = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        lines.append(f"Findings: {total} ({parts}).")
    else:
        lines.append("Findings: none.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(json.load(sys.stdin)))
