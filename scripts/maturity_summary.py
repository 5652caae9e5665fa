#!/usr/bin/env python3
"""Prints the maturity lines of an `mlaudit audit --format json` report read from stdin."""
import json
import sys

report = json.load(sys.stdin)
if not report["relevant"]:
    print("not an ML/LLM workspace:", report["relevance"]["reason"])
    sys.exit(0)
print("overall maturity:", report["overall"]["level"], "/ 5")
for area in report["areas"]:
    note = "" if area["assessable"] else " (not assessed)"
    print("  %-15s %s%s" % (area["id"], area["explanation"], note.replace(" (", " [").replace(")", "]")))
