"""Look-alikes for the third held-out part, in shapes the other parts never draw: dependency
specs and version ranges, git describe strings, image digests, cloud request ids and ARNs,
ULIDs and snowflake ids, journald and dmesg times, stack-trace frames, lottery draws, airline
ticket numbers, sort codes and BICs, ISINs and container numbers, printed UPC-A and EAN-13,
CAS numbers, DOIs, ISSNs, arXiv ids, SNMP OIDs, MAC addresses in dash and dotted layouts,
extensions without a number, SMS short codes, amounts grouped with spaces, and values that fail
their own rule (Luhn, mod-97 country list, ABA weights, SSA ranges, RFC 4291) in new layouts.
SHAPES holds (format, label, maker); each maker returns one value. Nothing here is personal
data, by construction; nothing here runs or imports a detector."""
import random
from pii_values import digits, group, ean13, hexstring, luhn_ok, luhn_broken, ssn_invalid, aba_broken, iban

r = random.randint
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letters(n, alphabet=UPPER):
    return "".join(random.choice(alphabet) for _ in range(n))


def upc_a():
    body = random.choice("0136") + digits(10)
    s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body))
    check = str((10 - s % 10) % 10)
    return f"{body[0]} {body[1:6]} {body[6:]} {check}"


def cas():
    body = digits(r(2, 7), "123456789") + digits(2)
    check = sum((i + 1) * int(c) for i, c in enumerate(reversed(body))) % 10
    return f"{body[:-2]}-{body[-2:]}-{check}"


def issn():
    body = digits(7)
    check = (11 - sum(int(c) * (8 - i) for i, c in enumerate(body)) % 11) % 11
    return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"


def isin():
    body = random.choice(["US", "DE", "GB", "FI", "FR"]) + digits(9)
    expanded = "".join(str(int(c, 36)) for c in body)
    return body + next(c for c in "0123456789" if luhn_ok(expanded + c))


def container():
    values, v = {}, 10
    for c in UPPER:
        if v % 11 == 0:
            v += 1
        values[c] = v
        v += 1
    body = letters(3) + "U" + digits(6)
    s = sum((values[c] if c.isalpha() else int(c)) * 2 ** i for i, c in enumerate(body))
    return body + str(s % 11 % 10)


def snowflake():
    ms = r(1_700_000_000_000, 1_790_000_000_000) - 1_420_070_400_000
    return str((ms << 22) | r(0, (1 << 22) - 1))


def lottery():
    return " ".join(f"{n:02d}" for n in sorted(random.sample(range(1, 50), 6)))


def dms():
    la, lo = r(1, 70), r(1, 170)
    return f"{la}\u00b0{r(0, 59):02d}\u2032{r(0, 59):02d}\u2033{random.choice('NS')} " \
           f"{lo}\u00b0{r(0, 59):02d}\u2032{r(0, 59):02d}\u2033{random.choice('EW')}"


def ipv6_malformed():
    h = lambda: format(r(1, 0xFFFF), "x")
    return random.choice([f"2001:db8::{h()}::{h()}", ":".join(h() for _ in range(9)), f"fe80::{h()}:{h()}g"])


def bic():
    return letters(4) + random.choice(["FI", "GR", "CZ", "HU", "RO", "IL"]) + letters(2, UPPER + "23456789") \
        + random.choice(["", "XXX", digits(3)])


SHAPES = [
    ("semver-range", "version range", lambda: random.choice([f"^{r(1, 9)}.{r(0, 20)}.{r(0, 9)}",
                                                         f"~{r(1, 9)}.{r(0, 20)}.{r(0, 9)}",
                                                         f">={r(1, 5)}.{r(0, 9)}.0 <{r(6, 9)}.0.0"])),
    ("npm-spec", "dependency", lambda: f"{random.choice(['lodash', 'react-dom', 'express', 'zod'])}@"
                                       f"{random.choice(['^', '~', ''])}{r(1, 18)}.{r(0, 20)}.{r(0, 30)}"),
    ("pip-pin", "requirement", lambda: f"{random.choice(['requests', 'numpy', 'django'])}=="
                                       f"{r(1, 5)}.{r(0, 31)}.{r(0, 9)}"),
    ("git-describe", "build", lambda: f"v{r(0, 4)}.{r(0, 30)}.{r(0, 9)}-{r(1, 250)}-g{hexstring(7)}"),
    ("git-range", "commit range", lambda: f"{hexstring(7)}..{hexstring(7)}"),
    ("image-digest", "image", lambda: f"ghcr.io/acme/{random.choice(['api', 'worker'])}@sha256:{hexstring(64)}"),
    ("s3-request-id", "x-amz-request-id", lambda: hexstring(16).upper()),
    ("s3-arn", "resource", lambda: f"arn:aws:s3:::acme-{random.choice(['logs', 'exports'])}-{r(2020, 2026)}/*"),
    ("ulid", "event", lambda: random.choice("01234567") + letters(25, CROCKFORD)),
    ("stripe-id", "charge", lambda: random.choice(["ch_3", "pi_3", "re_3"])
     + letters(23, UPPER + "abcdefghijk0123456789")),
    ("snowflake-id", "message id", snowflake),
    ("journald-us", "__REALTIME_TIMESTAMP", lambda: str(r(1_700_000_000, 1_790_000_000) * 1_000_000 + r(0, 999_999))),
    ("dmesg-uptime", "kernel", lambda: f"[{r(1, 900_000):6d}.{digits(6)}]"),
    ("rfc3339-offset", "timestamp", lambda: f"{r(2019, 2027)}-{r(1, 12):02d}-{r(1, 28):02d}T{r(0, 23):02d}:"
                                            f"{r(0, 59):02d}:{r(0, 59):02d}.{digits(3)}"
                                            f"{random.choice(['+01:00', '-05:00', '+05:30'])}"),
    ("hex-address", "frame pointer", lambda: "0x00007ff" + hexstring(9)),
    ("java-frame", "frame", lambda: (lambda c: f"com.acme.billing.{c}.post({c}.java:{r(20, 900)})")(
        random.choice(["InvoiceService", "LedgerJob"]))),
    ("line-col", "error location", lambda: f"Sources/App/{random.choice(['Router', 'Vault'])}.swift:"
                                           f"{r(10, 999)}:{r(1, 80)}"),
    ("lottery-draw", "draw", lottery),
    ("eticket", "e-ticket", lambda: f"{random.choice(['176', '016', '125', '220', '057', '074'])}-{digits(10)}"),
    ("sort-code", "sort code", lambda: f"{digits(2)}-{digits(2)}-{digits(2)}"),
    ("bic", "BIC", bic),
    ("isin", "ISIN", isin),
    ("container", "container", container),
    ("upc-a-printed", "UPC", upc_a),
    ("ean13-printed", "EAN", lambda: (lambda v: f"{v[0]} {v[1:7]} {v[7:]}")(ean13())),
    ("cas", "CAS", cas),
    ("doi", "doi", lambda: f"10.{r(1000, 9999)}/{random.choice(['s41586', 'nphys', 'jacs'])}."
                           f"{r(2015, 2026)}.{digits(5)}"),
    ("issn", "ISSN", issn),
    ("arxiv", "arXiv", lambda: f"{r(15, 26)}{r(1, 12):02d}.{digits(5)}{random.choice(['', 'v2', 'v3'])}"),
    ("snmp-oid", "oid", lambda: "1.3.6.1.4.1." + ".".join(str(r(1, 9999)) for _ in range(r(3, 6)))),
    ("mac-dashes", "MAC", lambda: "-".join(hexstring(2).upper() for _ in range(6))),
    ("mac-dotted", "mac address", lambda: ".".join(hexstring(4) for _ in range(3))),
    ("extension-word", "extension", lambda: random.choice([f"ext. {digits(3, '123456789')}", f"Durchwahl -{digits(3)}",
                                                          f"dial 9, then {digits(4, '123456789')}"])),
    ("sms-short-code", "short code", lambda: digits(5, "23456789")),
    ("money-spaces", "total", lambda: f"{r(1, 999)} {digits(3)} {digits(3)},{digits(2)} \u20ac"),
    ("sales-order", "order", lambda: f"SO-{r(2020, 2026)}-{digits(6)}"),
    ("rma", "return", lambda: f"RMA {digits(4, '123456789')}-{digits(4)}"),
    ("rust-path", "function", lambda: random.choice(["tokio::sync::mpsc::channel", "std::collections::HashMap::new",
                                                 "serde_json::from_str"])),
    ("dms-coordinates", "position", dms),
    ("geo-uri", "location", lambda: f"geo:{random.uniform(-60, 70):.5f},{random.uniform(-170, 170):.5f}"),
    ("iban-unknown-country", "account ref", lambda: iban(random.choice(["US", "CA", "AU", "JP"]), digits(18))),
    ("card-luhn-fail-amex", "card", lambda: group(luhn_broken("37", 15), [4, 6, 5], " ")),
    ("card-luhn-fail-19", "pan", lambda: group(luhn_broken("4", 19), [4, 4, 4, 4, 3], " ")),
    ("ssn-invalid-dots", "SSN", lambda: ".".join(ssn_invalid())),
    ("aba-fail-spaces", "routing", lambda: (lambda v: f"{v[:3]} {v[3:6]} {v[6:]}")(aba_broken())),
    ("ipv6-malformed", "addr", ipv6_malformed),
]
