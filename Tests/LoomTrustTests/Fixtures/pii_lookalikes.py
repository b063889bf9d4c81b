"""Values that look like personal data and are not: identifiers of goods, orders, parcels and
builds, times and dates, hashes, file names, and numbers that break a format's own rule (a
failed Luhn digit, an SSN area that is never issued). Each maker returns (format, value,
label), where label is the word people write before it."""
import random
from pii_values import (digits, group, isbn13, isbn10, ean13, uuid, hexstring, luhn_broken, ssn_invalid, ssn_valid,
                        aba_broken, aba_valid)


def isbn():
    v = isbn13()
    return random.choice([("isbn13-hyphens", f"{v[:3]}-{v[3]}-{v[4:7]}-{v[7:12]}-{v[12]}", "ISBN"),
                          ("isbn13", v, "ISBN"), ("isbn10", isbn10(), "ISBN-10"),
                          ("isbn13-spaces", f"{v[:3]} {v[3]} {v[4:7]} {v[7:12]} {v[12]}", "ISBN")])


def sku():
    return random.choice([("ean13", ean13(), "EAN"), ("sku-alnum", f"AB-{digits(5)}-XY", "SKU"),
                          ("gtin14", "0" + ean13(), "GTIN"), ("sku-digits", f"{digits(3)}-{digits(4)}-{digits(3)}", "SKU"),
                          ("upc", digits(12), "UPC")])


def purchase_order():
    return random.choice([("po-sap", "45" + digits(8), "PO"), ("po-dashed", f"PO-{random.randint(2019, 2026)}-{digits(6)}", "order"),
                          ("po-digits", digits(10, "123456789"), "purchase order"), ("invoice", f"INV-{digits(7)}", "invoice"),
                          ("order-grouped", f"{digits(4)} {digits(4)} {digits(4)}", "order")])


def tracking():
    return random.choice([("ups", "1Z" + "".join(random.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(16)), "tracking"),
                          ("fedex", f"{digits(4, '1234789')} {digits(4)} {digits(4)}", "FedEx tracking"),
                          ("usps", group("9400" + digits(18), [4, 4, 4, 4, 4, 2], " "), "USPS tracking"),
                          ("dhl", digits(10, "123456789"), "DHL waybill"), ("royal-mail", f"RM{digits(9)}GB", "tracking")])


def epoch():
    seconds = random.randint(1_400_000_000, 1_800_000_000)
    return random.choice([("epoch-s", str(seconds), "ts"), ("epoch-ms", str(seconds * 1000 + random.randint(0, 999)), "timestamp"),
                          ("epoch-frac", f"{seconds}.{digits(3)}", "time")])


def identifier():
    return random.choice([("uuid", uuid(), "request"), ("uuid-upper", uuid().upper(), "id"), ("md5", hexstring(32), "md5"),
                          ("sha1", hexstring(40), "sha1"), ("sha256", hexstring(64), "sha256"), ("git-short", hexstring(7), "commit")])


def version():
    return random.choice([("semver", f"{random.randint(1, 20)}.{random.randint(0, 30)}.{random.randint(0, 99)}", "version"),
                          ("four-part", f"{random.randint(1, 12)}.{random.randint(0, 9)}.{random.randint(0, 9)}.{random.randint(0, 99)}", "v"),
                          ("windows-build", f"10.0.{random.randint(10000, 22999)}.{random.randint(100, 4999)}", "build"),
                          ("prerelease", f"{random.randint(1, 9)}.{random.randint(0, 20)}.{random.randint(0, 9)}-rc.{random.randint(1, 5)}", "release"),
                          ("dated-build", f"{random.randint(2019, 2026)}.{random.randint(1, 12):02d}.{random.randint(1, 28):02d}.{random.randint(1, 9)}", "build")])


def date():
    y, m, d = random.randint(1990, 2030), random.randint(1, 12), random.randint(1, 28)
    return random.choice([("iso", f"{y}-{m:02d}-{d:02d}", "on"), ("slashes", f"{d:02d}/{m:02d}/{y}", "on"),
                          ("dots", f"{d:02d}.{m:02d}.{y}", "am"), ("compact", f"{y}{m:02d}{d:02d}", "date"),
                          ("iso-time", f"{y}-{m:02d}-{d:02d}T{random.randint(0, 23):02d}:{random.randint(0, 59):02d}:00Z", "at"),
                          ("range", f"{y}-{y + 1}", "season")])


def clock():
    h, m, s = random.randint(0, 23), random.randint(0, 59), random.randint(0, 59)
    return random.choice([("time", f"{h:02d}:{m:02d}:{s:02d}", "at"), ("time-ms", f"{h:02d}:{m:02d}:{s:02d}.{digits(3)}", "at"),
                          ("duration", f"{random.randint(0, 9):02d}:{h:02d}:{m:02d}:{s:02d}", "uptime"),
                          ("mac", ":".join(hexstring(2) for _ in range(6)), "MAC"), ("ratio", f"{random.randint(1, 9)}:{random.randint(1, 9)}:{random.randint(1, 9)}", "ratio"),
                          ("cpp", random.choice(["std::vector", "Foo::bar", "Array::new", "::operator"]), "call"),
                          ("verse", f"{random.randint(1, 50)}:{random.randint(1, 40)}", "John")])


def filename():
    name = random.choice(["avatar", "icon", "logo", "splash", "hero", "button"])
    return random.choice([("retina", f"{name}@2x.png", "file"), ("retina-3x", f"{name}@3x.webp", "asset"),
                          ("retina-jpg", f"{name}@2x.jpg", "image"), ("scoped-package", f"@{name}/core@{random.randint(1, 9)}.0.0", "package")])


def broken():
    area, grp, serial = ssn_invalid()
    return random.choice([("card-luhn-fail", group(luhn_broken("4", 16), [4, 4, 4, 4], " "), "order"),
                          ("ssn-invalid-range", f"{area}-{grp}-{serial}", "reference"),
                          ("ssn-shape-no-context", " ".join(ssn_valid()), "ref"),
                          ("aba-checksum-fail", aba_broken(), "routing number"),
                          ("aba-checksum-fail-dashed", (lambda v: f"{v[:3]}-{v[3:6]}-{v[6:]}")(aba_broken()), "routing"),
                          ("ipv4-out-of-range", f"{random.randint(256, 999)}.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(0, 255)}",
                           "address"),
                          ("zip4", f"{digits(5, '123456789')}-{digits(4)}", "ZIP"),
                          ("amount", f"{random.randint(1, 999)},{digits(3)},{digits(3)}.{digits(2)}", "total"),
                          ("coordinates", f"{random.uniform(-80, 80):.4f}, {random.uniform(-170, 170):.4f}", "location")])


def routing_like():
    """A checksum-valid routing number with nothing saying so: standard leaves it alone."""
    return ("aba-no-context", aba_valid(), "item")


MAKERS = [isbn, sku, purchase_order, tracking, epoch, identifier, version, date, clock, filename, broken]
