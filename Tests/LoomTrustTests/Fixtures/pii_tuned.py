"""The rows of the tuned corpus after the original 128: every phone layout of thirteen plans,
the other formats in sentences, JSON, URLs and log lines, and look-alikes. Wording here is
the tuned part's own; generate-pii-holdout.py writes different sentences."""
import random
from pii_values import (digits, group, luhn_complete, iban, aba_valid, ssn_valid, ipv4, ipv6, IPV6_FORMS)
from pii_phones import TUNED
import pii_lookalikes

SENTENCE = ["Call me on {}", "my number is {}.", "Can you ring {}?", "Phone: {}", "please call {}, thanks",
            "({}) is my mobile", "Reach me at {}!", "tel: {}; email later", "The customer said: \"{}\"."]
STRUCTURED = ['{{"name": "Ana", "phone": "{}"}}', "2024-05-12T10:22:01Z INFO callback requested phone={} agent=7",
              "https://crm.example.com/contacts?tel={}&id=7", "name,phone\nAna Lima,{}"]


def phones(add):
    for region, plan in TUNED.items():
        for layout, value in plan():
            contexts = random.sample(SENTENCE, 1) + random.sample(STRUCTURED, 1)
            for context in contexts:
                if "https://" in context and " " in value:
                    context = "Call {} today"
                add("PHONE", context.format(value), value, f"phone:{region}:{layout}", region)


def ssns(add):
    words = ["SSN", "social security number", "Social Security No.", "SS#", "ssn:"]
    for _ in range(12):
        area, grp, serial = ssn_valid()
        value = f"{area}-{grp}-{serial}"
        add("SSN", random.choice(["SSN {} on file.", "her social is {}", '{{"ssn": "{}"}}', "ssn={} verified"]).format(value),
            value, "ssn:hyphens")
    for sep, name in [(" ", "spaces"), (".", "dots"), ("", "none")]:
        for _ in range(8):
            value = sep.join(ssn_valid())
            add("SSN", f"{random.choice(words)} {value}{random.choice(['', '.', ',', ' please'])}", value, f"ssn:{name}")


def routing(add):
    for name, shape in [("plain", lambda v: v), ("dashes", lambda v: f"{v[:3]}-{v[3:6]}-{v[6:]}"),
                        ("spaces", lambda v: f"{v[:3]} {v[3:6]} {v[6:]}"), ("dots", lambda v: f"{v[:3]}.{v[3:6]}.{v[6:]}"),
                        ("four-four-one", lambda v: f"{v[:4]} {v[4:8]} {v[8]}")]:
        for _ in range(5):
            value = shape(aba_valid())
            context = random.choice(["routing number {}.", "ABA: {}", "RTN {}, account 1234567", "wire to routing # {} today",
                                     '{{"routing_number": "{}"}}'])
            add("ABA", context.format(value), value, f"aba:{name}")


def addresses(add):
    for form in IPV6_FORMS:
        for context in ["connection from {} refused.", "[warn] peer={} dropped", "Is {} yours?"]:
            value = ipv6(form)
            add("IPV6", context.format(value), value, f"ipv6:{form}")
    for _ in range(4):
        value = ipv6(random.choice(["compressed", "full", "mapped"]))
        add("IPV6", f"open http://[{value}]:8080/status now", value, "ipv6:url-brackets")
        value = ipv6("link-local")
        add("IPV6", f"ping {value}%eth0 failed", value, "ipv6:zone")
    for context, name in [("host {}.", "sentence-end"), ("see http://{}:8080/health", "url"),
                          ("Jan 12 10:22:01 sshd: Failed password from {} port 22", "log"), ('{{"ip": "{}"}}', "json")]:
        for _ in range(4):
            value = ipv4()
            add("IPV4", context.format(value), value, f"ipv4:{name}")


def others(add):
    names = ["ana.lima", "j.doe", "support", "m.rossi", "kenji_t"]
    for context, name in [("Write to {}.", "sentence-end"), ('{{"email": "{}"}}', "json"), ("mailto:{}?subject=hi", "url"),
                          ("INFO login user={} ok", "log")]:
        for _ in range(4):
            value = f"{random.choice(names)}{random.randint(1, 99)}@example.{random.choice(['com', 'org', 'de', 'co.uk'])}"
            add("EMAIL", context.format(value), value, f"email:{name}")
    for context, name in [("charge {}.", "sentence-end"), ('{{"card": "{}"}}', "json"), ("card={} declined", "log")]:
        for _ in range(4):
            value = group(luhn_complete(random.choice(["4", "51", "55"]), 16), [4, 4, 4, 4], random.choice([" ", "-", ""]))
            add("CARD", context.format(value), value, f"card:{name}")
    for _ in range(6):
        value = iban(random.choice(["DE", "FR", "NL"]), digits(18) if random.random() < 0.5 else "ABNA" + digits(10))
        add("IBAN", random.choice(["Pay to {}.", '{{"iban": "{}"}}']).format(value), value, "iban:sentence-or-json")


LOOKALIKE_CONTEXTS = ["{label} {value}", "{label}: {value}.", "the {label} is {value}, see above", '{{"{label}": "{value}"}}',
                      "2024-05-12 10:22:01 INFO {label}={value} processed", "Re: {label} {value}?"]


def lookalikes(add, count):
    regions = list(TUNED)
    for i in range(count):
        maker = pii_lookalikes.MAKERS[i % len(pii_lookalikes.MAKERS)]
        fmt, value, label = maker()
        text = random.choice(LOOKALIKE_CONTEXTS).format(label=label, value=value)
        add(None, text, None, f"lookalike:{fmt}", random.choice(["US", "US"] + regions))
    for _ in range(6):
        fmt, value, label = pii_lookalikes.routing_like()
        add(None, f"{label} {value} in stock", None, f"lookalike:{fmt}")


def add_rows(add):
    phones(add)
    ssns(add)
    routing(add)
    addresses(add)
    others(add)
    lookalikes(add, 264)
