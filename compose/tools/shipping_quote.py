#!/usr/bin/python3
"""A sample command tool: a shipping quote from a table, no network, no state.

Reads the validated arguments as JSON on stdin and writes one JSON value on stdout. It runs in a
fresh sandbox per call (see docs/security.md), as any `command` capability does.
"""
import json
import sys

RATES = {"DE": (4.90, 2), "FR": (6.50, 3), "GB": (9.90, 4), "US": (19.00, 7)}

request = json.load(sys.stdin)
country = request["country"].upper()
if country not in RATES:
    print(json.dumps({"success": False, "code": "no_rate", "error": "no shipping to %s" % country}))
    sys.exit(0)
base, days = RATES[country]
weight = float(request.get("weightKg", 1))
print(json.dumps({"country": country, "price": round(base + 1.20 * max(weight - 1, 0), 2), "currency": "EUR",
                  "days": days}))
