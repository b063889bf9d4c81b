#!/usr/bin/env python3
"""Writes pii-holdout2.jsonl: the second held-out part of the PII corpus, written and committed
before the detector changes it scores (the fixes for the first held-out part's false positives).
Its own seed, its own sentences (support tickets, CRM exports, chat, SMS gateway and web server
logs, JSON bodies, TOML, Markdown tables, tel: and wa.me links), fifteen countries no other part
shows (pii_phones2.NEW), new layouts of six that are shown (pii_phones2.EXTRA), other types in new
layouts, and look-alikes of new shapes (pii_lookalikes2). Valid values are built by each format's
rule (Luhn, mod-97, ABA weights, SSA ranges); nothing here calls or imports the detectors.
Read its scores; never tune on them."""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pii_values import digits, group, luhn_complete, iban, aba_valid, ssn_valid, ipv4, ipv6, IPV6_FORMS
from pii_phones2 import NEW, EXTRA
import pii_lookalikes2

random.seed(20261215)
rows = []


def add(kind, text, value, fmt, region=None):
    row = {"kind": kind, "text": text, "value": value, "format": fmt}
    if region:
        row["region"] = region
    rows.append(row)


PHONE_PROSE = ["Customer asked us to phone back on {} after six.", "Her WhatsApp is {}.", "pls call me {} thx",
               "Mobile number changed to {}; the old one is disconnected.", "Caller ID showed {} twice this morning.",
               "You can also reach the branch office at {}.", "Tel. {} (office hours only)", "Can someone ring {}?",
               "Callback requested — {}", "Text me at {} when the courier is outside"]
PHONE_DATA = ['{{"customer": {{"mobile": "{}", "tier": "gold"}}}}', '{{"contact_number":"{}"}}',
              "2025-02-11 08:14:55.120 WARN sms.gateway delivery failed to={} code=30003",
              'level=info msg="otp sent" recipient={}', "id,name,mobile\n17,Ana Lima,{}",
              '<Phone type="mobile">{}</Phone>', 'mobile = "{}"', "| Ana Lima | {} | Gold |",
              "Phone {} | Email n/a | Preferred: call"]
PHONE_LINKS = ["tel:{}", "https://wa.me/{}?text=hi", "GET /v2/customers/search?phone={} 200 34ms"]


def phone_rows():
    for plans in (NEW, EXTRA):
        for region, plan in plans.items():
            for layout, value in plan():
                compact = value.replace(" ", "")
                pools = [PHONE_PROSE, PHONE_DATA] + ([PHONE_LINKS] if value == compact else [])
                text = random.choice(random.choice(pools))
                desk = random.choice([region, "US"]) if value.startswith("+") else region
                add("PHONE", text.format(value), value, f"phone:{region}:{layout}", desk)


def ssn_rows():
    for _ in range(8):
        value = "-".join(ssn_valid())
        text = random.choice(["Employee SSN: {}.", '{{"tax_id_ssn": "{}"}}', "W-2 shows SSN {} for 2024", "ssn:{}",
                              "| Kai Roe | {} | active |"])
        add("SSN", text.format(value), value, "ssn:hyphens")
    for sep, name in [(" ", "spaces"), (".", "dots"), ("", "none")]:
        for _ in range(4):
            value = sep.join(ssn_valid())
            text = random.choice(["last SSN on record {}", "Social Security number — {}.", "SSN#{} (verify)",
                                  '"ssn": "{}"'])
            add("SSN", text.format(value), value, f"ssn:{name}")


def aba_rows():
    shapes = [("plain", lambda v: v), ("dashes", lambda v: f"{v[:3]}-{v[3:6]}-{v[6:]}"),
              ("dots", lambda v: f"{v[:3]}.{v[3:6]}.{v[6:]}"), ("spaces", lambda v: f"{v[:3]} {v[3:6]} {v[6:]}"),
              ("four-four-one-dashes", lambda v: f"{v[:4]}-{v[4:8]}-{v[8]}")]
    for name, shape in shapes:
        for _ in range(3):
            value = shape(aba_valid())
            text = random.choice(["Routing {} / Account 000123456789", '{{"aba_routing": "{}"}}',
                                  "ACH transfer, RTN: {}.",
                                  "wire instructions: transit number {}"])
            add("ABA", text.format(value), value, f"aba:{name}")


def card_rows():
    networks = [("4", 16, [4, 4, 4, 4]), ("2221", 16, [4, 4, 4, 4]), ("34", 15, [4, 6, 5]), ("65", 16, [4, 4, 4, 4]),
                ("3530", 16, [4, 4, 4, 4]), ("36", 14, [4, 6, 4])]
    for prefix, length, sizes in networks:
        for sep, name in [(" ", "spaces"), ("", "compact")]:
            value = group(luhn_complete(prefix, length), sizes, sep)
            text = random.choice(["Please refund to the card {}.", '{{"pan":"{}","exp":"09/28"}}',
                                  "payment pan={} status=declined",
                                  "card ending... no wait, full number is {}"])
            add("CARD", text.format(value), value, f"card:{name}")


def iban_rows():
    plans = [("PL", lambda: digits(24)), ("PT", lambda: digits(21)), ("NO", lambda: digits(11)),
             ("AT", lambda: digits(16)),
             ("IE", lambda: "AIBK" + digits(14)), ("TR", lambda: digits(5) + "0" + digits(16))]
    for country, bban in plans:
        for grouped in (True, False):
            value = iban(country, bban())
            if grouped:
                value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
            text = random.choice(["Beneficiary IBAN: {}.", '{{"iban":"{}"}}', "please wire it to {} by Friday"])
            add("IBAN", text.format(value), value, f"iban:{'grouped' if grouped else 'compact'}")


def address_rows():
    for form in IPV6_FORMS:
        value = ipv6(form)
        text = random.choice(["client [{}]:443 closed the stream", '{{"remote_addr": "{}"}}', "Which host is {}?",
                              "audit: login ok from {}"])
        add("IPV6", text.format(value), value, f"ipv6:{form}")
    for context, name in [("GET http://{}/admin 403", "url"), ("client={}:51544 reset", "log-port"),
                          ('{{"ip":"{}"}}', "json"), ("Is {} on the allow list?", "question")]:
        for _ in range(3):
            value = ipv4()
            add("IPV4", context.format(value), value, f"ipv4:{name}")


def email_rows():
    users = ["chidi.okafor", "ayu+billing", "Lars.Nilsen", "m_kowalski", "aoife"]
    domains = ["mail.example.ng", "example.co.id", "EXAMPLE.PT", "sub.example.at", "example.ie"]
    for context, name in [("From: Ana <{}>", "header"), ("mailto:{}", "url"), ('{{"email":"{}"}}', "json"),
                          ("I've written to {}.", "sentence-end")]:
        for _ in range(3):
            value = f"{random.choice(users)}{random.randint(1, 9)}@{random.choice(domains)}"
            add("EMAIL", context.format(value), value, f"email:{name}")


LOOKALIKE_TEXTS = ["Your {label} {value} has been dispatched.", "{label} #{value}", '{{"{key}": "{value}"}}',
                   "GET /api/{key}/{value} 200 12ms", "ERROR {key}={value} not found", "Ref: {label} {value}",
                   "{value}", "Thanks! ({label}: {value})", "| {label} | {value} |", "{label} {value}?"]


def lookalike_rows(count):
    regions = list(NEW) + list(EXTRA)
    for i in range(count):
        maker = pii_lookalikes2.MAKERS[(i * 3) % len(pii_lookalikes2.MAKERS)]
        fmt, value, label = maker()
        key = label.lower().replace(" ", "_").replace(".", "").replace("-", "_")
        text = random.choice(LOOKALIKE_TEXTS).format(label=label, key=key, value=value)
        add(None, text, None, f"lookalike:{fmt}", random.choice(["US"] + regions))


phone_rows()
ssn_rows()
aba_rows()
card_rows()
iban_rows()
address_rows()
email_rows()
lookalike_rows(160)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-holdout2.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
print(len(rows), sum(1 for r in rows if r["kind"]), "positives")
