#!/usr/bin/env python3
"""Writes pii-holdout3.jsonl: the third held-out part of the PII corpus, written and committed
before it was scored. Its own seed and its own sentence styles (helpdesk macros, e-mail
signatures, YAML, XML attributes, query strings, syslog and journald lines, Slack-style
markdown, quoted CSV, HTTP headers, stack traces, values closed by . ! ? ; : brackets and
quotes), twelve countries no other part shows (pii_phones3.NEW), new layouts of four shown ones
(pii_phones3.MORE), wa.me links with the international number in digits, the other types in new
layouts and IBAN countries, and look-alikes of new shapes (pii_lookalikes3). Valid values are
built by each format's rule (numbering plans, Luhn, mod-97, ABA weights, SSA ranges); nothing
here calls or imports the detectors. Read its scores; never tune on them."""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pii_values import digits, group, luhn_complete, iban, aba_valid, ssn_valid, ipv4, ipv6, IPV6_FORMS
from pii_phones3 import NEW, MORE
import pii_lookalikes3

random.seed(20261208)
rows = []
MACRO = "Hi {{ticket.requester.first_name}},\n"
SIGNATURE = "--\nMira Halonen\nHead of Operations, Acme Oy\n"
TRACE = 'Traceback (most recent call last):\n  File "/srv/app/jobs.py", line 88, in run\n'
SYSLOG = "Dec  8 09:14:22 web-03 "


def add(kind, text, value, fmt, region=None):
    if value is not None:
        assert text.count(value) == 1, (text, value)
    row = {"kind": kind, "text": text, "value": value, "format": fmt}
    if region:
        row["region"] = region
    rows.append(row)


def fill(template, value):
    return template.replace("{}", value)


PHONE_TEXTS = [MACRO + "we tried to call you on {} but could not get through.",
               SIGNATURE + "Mobile {}", "owner:\n  name: Mira Halonen\n  phone: \"{}\"",
               '<contact kind="mobile" number="{}" verified="true"/>',
               SYSLOG + "sms-relay[2231]: delivery queued dest={} segments=2",
               '{"_SYSTEMD_UNIT":"sms-relay.service","MESSAGE":"otp resent to {}"}',
               "*Callback:* `{}` :phone: asap!", 'id,"name","phone"\n17,"Halonen, Mira","{}"',
               "X-Caller-Number: {}", TRACE + "InvalidStateError: line busy for {}",
               "Could you try {}?", "New number: {}!", "Please call the desk ({}).", "She said: \"ring {}\".",
               "Best reached on [{}]; evenings only.", "Home phone \u2014 {}:"]
PHONE_COMPACT = ["GET /v2/callbacks?number={}&lang=fi HTTP/2", '<a href="tel:{}">Call the desk</a>']
PHONE_DIGITS = ["https://wa.me/{}", "[WhatsApp me](https://wa.me/{}?text=Hei)", "msisdn={} status=DELIVRD",
                "Chat on WhatsApp: https://wa.me/{}!"]


def phone_rows():
    for plans in (NEW, MORE):
        for region, plan in plans.items():
            for layout, value in plan():
                if layout == "intl-digits":
                    pool = PHONE_DIGITS
                elif value.startswith("+") and value[1:].isdigit():
                    pool = PHONE_TEXTS + PHONE_COMPACT
                else:
                    pool = PHONE_TEXTS
                international = value.startswith(("+", "00")) or layout == "intl-digits"
                desk = random.choice([region, "US"]) if international else region
                add("PHONE", fill(random.choice(pool), value), value, f"phone:{region}:{layout}", desk)


def ssn_rows():
    texts = [MACRO + "we could not match SSN {} to the W-2. Please re-check it!", '<applicant ssn="{}" state="TX"/>',
             'applicant:\n  ssn: "{}"', "X-Applicant-SSN: {}", 'name,"ssn"\n"Lopez, Maria","{}"',
             TRACE + "DuplicateError: SSN {} already on file", "*SSN:* `{}` (verified)", "Is SSN {} yours?",
             "Social Security number: {};", "Her social security no. is {}."]
    for sep, name, count in [("-", "hyphens", 8), (" ", "spaces", 4), (".", "dots", 4), ("", "none", 4)]:
        for _ in range(count):
            value = sep.join(ssn_valid())
            add("SSN", fill(random.choice(texts), value), value, f"ssn:{name}")


def aba_rows():
    texts = [MACRO + "please use routing number {} for the direct deposit.", '<bank routing="{}" type="checking"/>',
             "payroll:\n  aba_routing: '{}'", "X-ACH-Routing: {}", 'bank,"routing number"\n"First Example Bank","{}"',
             "*ABA:* `{}` \u2014 is that right?", "Wire it via RTN {}!", "(routing {})"]
    shapes = [("plain", lambda v: v), ("dashes", lambda v: f"{v[:3]}-{v[3:6]}-{v[6:]}"),
              ("dots", lambda v: f"{v[:3]}.{v[3:6]}.{v[6:]}"), ("spaces", lambda v: f"{v[:3]} {v[3:6]} {v[6:]}"),
              ("four-four-one", lambda v: f"{v[:4]} {v[4:8]} {v[8]}")]
    for name, shape in shapes:
        for _ in range(3):
            value = shape(aba_valid())
            add("ABA", fill(random.choice(texts), value), value, f"aba:{name}")


def card_rows():
    texts = [MACRO + "the card {} was declined by the issuer.", '<payment pan="{}" exp="08/29"/>',
             'payment:\n  card_number: "{}"', TRACE + "CardError: card {} declined (insufficient_funds)",
             '"Maria Lopez","{}","declined"', "*Card:* `{}` charged twice?!", "Card number: {}.", "card [{}]"]
    networks = [("4", 19, [4, 4, 4, 4, 3]), ("25", 16, [4, 4, 4, 4]), ("37", 15, [4, 6, 5]), ("644", 16, [4, 4, 4, 4]),
                ("3589", 16, [4, 4, 4, 4]), ("62", 16, [4, 4, 4, 4])]
    for prefix, length, sizes in networks:
        for sep, name in [(" ", "spaces"), ("-", "dashes")]:
            value = group(luhn_complete(prefix, length), sizes, sep)
            add("CARD", fill(random.choice(texts), value), value, f"card:{name}")


def iban_rows():
    texts = [MACRO + "we refunded the amount to IBAN {}.", '<creditor iban="{}" name="Acme Oy"/>', "sepa:\n  iban: {}",
             '"Halonen, Mira","{}","SEPA"', "*IBAN:* `{}`; thanks!", "Is {} still your account?", "IBAN ({})"]
    plans = [("FI", lambda: digits(14)), ("GR", lambda: digits(23)), ("CZ", lambda: digits(20)),
             ("HU", lambda: digits(24)), ("RO", lambda: "BTRLRONCRT" + digits(10)), ("HR", lambda: digits(17))]
    for country, bban in plans:
        for grouped in (True, False):
            value = iban(country, bban())
            if grouped:
                value = " ".join(value[i:i + 4] for i in range(0, len(value), 4))
            add("IBAN", fill(random.choice(texts), value), value, f"iban:{'grouped' if grouped else 'compact'}")


def address_rows():
    contexts = [("header", "X-Real-IP: {}"), ("access-log", '{} - - [08/Dec/2026:09:14:22 +0000] "GET /login" 401 87'),
                ("syslog", SYSLOG + "sshd[3121]: Connection closed by {} port 50522 [preauth]"),
                ("yaml", 'allow_from:\n  - "{}"'), ("slack", "*blocked* `{}` after 5 failures!"),
                ("xml-attribute", '<peer addr="{}" proto="tcp"/>'), ("question", "Who owns {}?"),
                ("trace", TRACE + "ConnectionRefusedError: {} refused the connection")]
    for form in IPV6_FORMS:
        value = ipv6(form)
        add("IPV6", fill(random.choice(contexts)[1], value), value, f"ipv6:{form}")
    value = ipv6("compressed")
    add("IPV6", f"curl: (7) Failed to connect to [{value}]:8443 after 3 ms", value, "ipv6:url-brackets")
    value = ipv6("link-local")
    add("IPV6", f"MESSAGE=neighbour {value}%wlan0 unreachable", value, "ipv6:zone")
    for name, text in contexts[:7]:
        for _ in range(2):
            value = ipv4()
            add("IPV4", fill(text, value), value, f"ipv4:{name}")


def email_rows():
    users = ["mira.halonen", "j-p.lefevre", "ops+oncall", "noreply-billing", "K.Nakamura", "dimitra_p"]
    domains = ["example.fi", "mail.example.gr", "example-group.cz", "corp.example.co.il", "example.com.my",
               "example.photography"]
    contexts = [("signature", SIGNATURE + "{}"), ("slack", "@here please add *{}* to #ops-alerts"),
                ("csv-quoted", '"Halonen, Mira","{}","FI"'), ("header", "X-Forwarded-Email: {}"),
                ("yaml-list", "owners:\n  - {}\n  - team-billing"), ("macro", MACRO + "we'll reply from {}."),
                ("trace", TRACE + "UserNotFound: no account for '{}'")]
    for name, text in contexts:
        for _ in range(2):
            value = f"{random.choice(users)}{random.randint(1, 9)}@{random.choice(domains)}"
            add("EMAIL", fill(text, value), value, f"email:{name}")


LOOKALIKE_TEXTS = [MACRO + "your {label} is {value}. Let us know if anything looks off!",
                   SIGNATURE + "{label}: {value}",
                   "{key}: \"{value}\"\nretries: 3", '<entry {key}="{value}" status="ok"/>',
                   SYSLOG + "billing[2231]: {key}={value} state=queued", "*{label}:* `{value}` :eyes:",
                   'id,"{label}",status\n17,"{value}",open', "{header}: {value}", TRACE + "KeyError: '{value}'",
                   "Is {value} the right {label}?", "Got it: {label} {value}!", "({label} {value})",
                   "{label} \u2014 {value};", "GET /v1/search?{key}={value}&page=2 HTTP/2"]


def lookalike_rows(per_shape):
    regions = ["US"] + list(NEW) + list(MORE)
    for _ in range(per_shape):
        for fmt, label, make in pii_lookalikes3.SHAPES:
            value = make()
            key = label.lower().replace(" ", "_").replace("-", "_").strip("_")
            header = "X-" + "-".join(w.capitalize() for w in key.split("_"))
            header = label if label.lower().startswith("x-") else header
            pool = [t for t in LOOKALIKE_TEXTS if not (" " in value and t.startswith("GET /"))]
            text = random.choice(pool).replace("{label}", label).replace("{key}", key).replace("{header}", header)
            text = text.replace("{value}", value)
            add(None, text, None, f"lookalike:{fmt}", random.choice(regions))


phone_rows()
ssn_rows()
aba_rows()
card_rows()
iban_rows()
address_rows()
email_rows()
lookalike_rows(4)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-holdout3.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
print(len(rows), sum(1 for r in rows if r["kind"]), "positives")
