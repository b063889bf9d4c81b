#!/usr/bin/env python3
"""Writes pii-corpus.jsonl, the tuned part of the PII corpus: labelled texts for `loom bench pii`
and CorpusScoreTests (one value or none per text). The first 128 rows are the original corpus,
unchanged but for its Swiss IBAN, fitted to Switzerland's registered length (pii_values.iban,
2026-12-08); the rows after them are drawn by pii_tuned.py. The held-out part is written by
generate-pii-holdout.py with its own seed and wording."""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pii_values import luhn_complete, luhn_broken, group, iban, aba_complete
import pii_tuned
random.seed(7)
rows = []
def add(kind, text, value, fmt="legacy", region=None):
    row = {"kind": kind, "text": text, "value": value, "format": fmt}
    if region: row["region"] = region
    rows.append(row)

# E-mail
emails = ["ana@example.com", "j.smith+orders@mail.example.co.uk", "SUPPORT@Example.ORG", "first_last@sub.domain.io",
          "o'brien@example.ie".replace("'", ""), "x@y.dev", "info-desk@company-name.de", "m.rossi@posta.it",
          "user123@example.net", "a.b.c@example.travel"]
ctx = ["Write to {} please.", "My e-mail is {}", "cc {} on the ticket", "Contact: {}.", "({}) is my address",
       "send the invoice to {}, thanks", "email={}", "<{}>", "Reply to {} asap", "reach me at {} or here"]
for i, e in enumerate(emails):
    add("EMAIL", ctx[i].format(e), e)
for t, v in [("See the logo file icon@2x on the page", None), ("Follow @example_store on social media", None),
             ("user at example dot com", None), ("The price is 5@3 for bulk", None), ("ping me on slack @ana", None)]:
    add(None, t, v)

# Phones
phones = [("Call me on +1 415 555 2671", "+1 415 555 2671"), ("phone: +44 20 7946 0958", "+44 20 7946 0958"),
          ("my mobile is +4915123456789", "+4915123456789"), ("Ring (415) 555-2671 after 5", "(415) 555-2671"),
          ("tel 415-555-2671", "415-555-2671"), ("Our office: 020 7946 0958", "020 7946 0958"),
          ("WhatsApp +34 612 34 56 78", "+34 612 34 56 78"), ("call +33 1 42 68 53 00 tomorrow", "+33 1 42 68 53 00"),
          ("you can reach me at 415.555.2671", "415.555.2671"), ("+61 2 9374 4000 is the Sydney desk", "+61 2 9374 4000"),
          ("Phone number 030 901820", "030 901820"), ("call me at +81-3-1234-5678", "+81-3-1234-5678")]
for t, v in phones: add("PHONE", t, v)
for t in ["The meeting is on 2024-05-12", "Order 4812 3311 was shipped", "Version 10.4.2.1 fixes it",
          "It costs 1,234,567.89 in total", "Tracking number 1Z999AA10123456784", "Invoice no. 2024-000123",
          "Build 20240512.3 is out", "ticket 58213 and 58214", "between 09:30 and 17:45", "the date 12/05/2024 works",
          "ISBN 978-3-16-148410-0", "case C-1001 is open", "order #100045873 arrived"]:
    add(None, t, None)

# Cards (Luhn)
cards = [("4", 16, [4, 4, 4, 4], " "), ("51", 16, [4, 4, 4, 4], "-"), ("37", 15, [4, 6, 5], " "), ("6011", 16, [16], ""),
         ("4", 16, [16], ""), ("55", 16, [4, 4, 4, 4], " "), ("4", 13, [13], ""), ("36", 14, [4, 6, 4], " "),
         ("35", 16, [4, 4, 4, 4], "-"), ("4", 19, [4, 4, 4, 4, 3], " ")]
for prefix, length, sizes, sep in cards:
    v = group(luhn_complete(prefix, length), sizes, sep)
    add("CARD", f"Please charge card {v} for the order", v)
for prefix, length, sizes, sep in cards[:8]:
    v = group(luhn_broken(prefix, length), sizes, sep)
    add(None, f"Your order number is {v}", None)

# SSN
for v in ["123-45-6789", "078-05-1120", "219-09-9999", "536-22-1234", "001-01-0001", "772-11-4321", "665-12-3456", "899-99-9998"]:
    add("SSN", f"SSN {v} on file", v)
for v in ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000"]:
    add(None, f"reference {v} in the ledger", None)

# IBAN
ibans = [iban("DE", "370400440532013000"), iban("GB", "NWBK60161331926819"), iban("FR", "20041010050500013M02606"),
         iban("NL", "ABNA0417164300"), iban("ES", "21000418450200051332"), iban("IT", "X0542811101000000123456"),
         iban("BE", "539007547034"), iban("CH", "0483000000012345")]
for i, v in enumerate(ibans):
    shown = " ".join(v[j:j+4] for j in range(0, len(v), 4)) if i % 2 == 0 else v
    add("IBAN", f"Refund to IBAN {shown} please", shown)
for v in ibans[:5]:
    bad = v[:2] + f"{(int(v[2:4]) + 1) % 100:02d}" + v[4:]
    add(None, f"the account {bad} looks wrong", None)

# ABA routing numbers
abas = [aba_complete("02100002"), aba_complete("01100001"), aba_complete("12100035"), aba_complete("26107332"),
        aba_complete("07100001"), aba_complete("32227162")]
ctxs = ["routing number {}", "ABA {} for the wire", "RTN: {}", "bank routing {} and account 12345678", "transit/routing no. {}", "Routing # {}"]
for v, c in zip(abas, ctxs): add("ABA", c.format(v), v)
for v in ["021000022", "011000016", "123456789"]:
    add(None, f"routing number {v} was rejected as invalid", None)
add(None, f"order {aba_complete('02100002')} shipped", None)  # passes the checksum, but nothing says routing

# IPs
for t, v in [("Login from 192.168.1.20 failed", "192.168.1.20"), ("server 10.0.0.1 is down", "10.0.0.1"),
             ("client ip=203.0.113.195", "203.0.113.195"), ("blocked 8.8.8.8 twice", "8.8.8.8")]:
    add("IPV4", t, v)
for t in ["Update to version 1.2.3.4", "v2.10.0.1 is the release", "address 256.1.1.1 is invalid", "section 4.2.1 says so"]:
    add(None, t, None)
for t, v in [("from 2001:db8::8a2e:370:7334 at noon", "2001:db8::8a2e:370:7334"), ("host fe80::1ff:fe23:4567:890a%eth0", "fe80::1ff:fe23:4567:890a"),
             ("IPv6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 logged", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"), ("loopback ::1 answered", "::1")]:
    add("IPV6", t, v)
for t in ["the time 12:30:45 is fine", "ratio 3:2:1 works", "see Luke 2:14", "MAC 00:1a:2b:3c:4d:5e noted"]:
    add(None, t, None)

# Cases written after the detectors, to keep the figures honest: formats the rules do not cover
# and look-alikes they were not tuned on.
for t, v in [("my number is 07911 123456", "07911 123456"), ("call 555 123 4567 tonight", "555 123 4567"),
             ("Phone: 1-800-555-0199", "1-800-555-0199"), ("mobile +1 (415) 555-2671", "+1 (415) 555-2671")]:
    add("PHONE", t, v)
add("CARD", "card number 4111111111111111 expires 09/27", "4111111111111111")
add("EMAIL", "email: anna.oneil@example.com.", "anna.oneil@example.com")
add("IPV4", "proxy at 172.16.254.1:8080 refused", "172.16.254.1")
add("IPV6", "route 2001:db8::1/64 added", "2001:db8::1")
for t in ["Version 2024.05.12.1 is live", "coordinates 40.7128, -74.0060", "price: 1.299.000,00 COP", "SKU 123-45-6789-X in stock",
          "the parts list 4012-8888-8888", "call extension 4471", "page 978 of 1200", "flight LH 400 at 10:45:00",
          "batch 0044 0532 ready", "account 12345678 at the branch"]:
    add(None, t, None)

pii_tuned.add_rows(add)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-corpus.jsonl"), "w") as f:
    for r in rows: f.write(json.dumps(r) + "\n")
print(len(rows), sum(1 for r in rows if r["kind"]), "positives")
