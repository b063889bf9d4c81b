"""Look-alikes for the second held-out part, in shapes the other parts never draw: marketplace
order ids, slash-numbered invoices, postal items with check letters, build strings of browsers
and servers, compact ISO times, camera file names, masked account numbers, screen sizes, and
values that fail their own rule (Luhn, mod-97, ABA weights, SSA ranges) written in new layouts.
Each maker returns (format, value, key): key is the word or field name people put before it.
Nothing here is personal data, by construction."""
import random
from pii_values import (digits, group, isbn13, isbn10, ean13, uuid, hexstring, luhn_broken, ssn_invalid, aba_broken,
                        iban)


def isbn():
    v, t = isbn13(), isbn10()
    return random.choice([("isbn13-979", "979" + v[3:12] + _ean_check("979" + v[3:12]), "ISBN-13"),
                          ("isbn13-label-hyphens", f"{v[:3]}-{v[3:5]}-{v[5:9]}-{v[9:12]}-{v[12]}", "isbn"),
                          ("isbn10-hyphens", f"{t[0]}-{t[1:4]}-{t[4:9]}-{t[9]}", "ISBN-10"),
                          ("isbn10-bare", t, "isbn")])


def _ean_check(body):
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return str((10 - s % 10) % 10)


def goods():
    asin = "B0" + "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))
    return random.choice([("asin", asin, "ASIN"),
                          ("ean13-json", ean13(), "ean"),
                          ("mpn-dashed", f"{digits(2)}-{digits(4)}-{digits(3)}", "part"),
                          ("sku-slash", f"{digits(4)}/{digits(3)}", "art.nr"),
                          ("gtin8", digits(8, "123456789"), "gtin8")])


def orders():
    return random.choice([("marketplace-order", f"{digits(3, '1234')}-{digits(7)}-{digits(7)}", "order"),
                          ("invoice-slash", f"INV/{random.randint(2020, 2026)}/{digits(6)}", "invoice"),
                          ("order-hash", f"#{digits(6, '123456789')}", "order"),
                          ("credit-note", f"CN-{digits(8)}", "credit note"),
                          ("po-bare", digits(10, "45"), "po_number"),
                          ("quote", f"Q{random.randint(2020, 2026)}{digits(5)}", "quote")])


def parcels():
    s10 = f"R{random.choice('RLCE')}{digits(9)}{random.choice(['CN', 'DE', 'NL', 'GB'])}"
    postnl = "3S" + "".join(random.choice("ABCDEFGHIJ") for _ in range(4)) + digits(7)
    return random.choice([("upu-s10", s10, "parcel"), ("dhl-jjd", "JJD" + digits(18), "DHL"),
                          ("fedex-12", group(digits(12, "78"), [4, 4, 4], " "), "FedEx"),
                          ("usps-22-bare", "9205" + digits(18), "usps"), ("dpd-14", digits(14, "0"), "DPD"),
                          ("postnl", postnl, "PostNL")])


def times():
    s = random.randint(1_500_000_000, 1_790_000_000)
    y, m, d = random.randint(2018, 2027), random.randint(1, 12), random.randint(1, 28)
    hh, mm = random.randint(0, 23), random.randint(0, 59)
    return random.choice([("epoch-json", str(s), "created_at"),
                          ("epoch-ms-log", str(s * 1000 + random.randint(0, 999)), "ts"),
                          ("iso-basic", f"{y}{m:02d}{d:02d}T{hh:02d}{mm:02d}00Z", "at"),
                          ("date-dashes-dmy", f"{d:02d}-{m:02d}-{y}", "due"),
                          ("date-slashes-ymd", f"{y}/{m:02d}/{d:02d}", "date"),
                          ("date-dots-short", f"{d}.{m}.{y}", "am"), ("epoch-tz", f"{s} +0100", "git")])


def builds():
    r = random.randint
    return random.choice([("semver-v", f"v{r(0, 9)}.{r(0, 40)}.{r(0, 30)}", "tag"),
                          ("browser", f"Chrome/{r(100, 131)}.0.{r(4000, 6999)}.{r(10, 250)}", "ua"),
                          ("server", f"nginx/1.{r(18, 27)}.{r(0, 5)}", "server"),
                          ("docker-tag", f"postgres:{r(12, 17)}.{r(0, 9)}", "image"),
                          ("four-part-bare", f"{r(1, 9)}.{r(0, 9)}.{r(0, 9)}.{r(0, 9)}", "version"),
                          ("kernel", f"6.{r(1, 12)}.{r(0, 20)}-{r(1, 40)}-amd64", "kernel")])


def hashes():
    return random.choice([("uuid-url", uuid(), "orders"), ("sha256-prefixed", "sha256:" + hexstring(64), "digest"),
                          ("git-short-8", hexstring(8), "commit"), ("uuid-braces", "{" + uuid().upper() + "}", "guid"),
                          ("md5-upper", hexstring(32).upper(), "etag")])


def files():
    name = random.choice(["avatar", "profile", "thumb", "banner", "badge"])
    y, m, d = random.randint(2019, 2026), random.randint(1, 12), random.randint(1, 28)
    epoch = random.randint(1_600_000_000, 1_790_000_000)
    return random.choice([("retina-2x", f"{name}@2x.png", "src"),
                          ("camera", f"IMG_{y}{m:02d}{d:02d}_{digits(6)}.jpg", "attachment"),
                          ("retina-svg", f"{name}@1.5x.svg", "icon"), ("export-epoch", f"export_{epoch}.csv", "file"),
                          ("scan-dated", f"scan-{y}-{m:02d}-{d:02d}.pdf", "file")])


def failed_rules():
    area, grp, serial = ssn_invalid()
    bad_iban = iban("PL", digits(24))
    bad_iban = bad_iban[:2] + f"{(int(bad_iban[2:4]) + 7) % 100:02d}" + bad_iban[4:]
    aba = aba_broken()
    r = random.randint
    return random.choice([("card-luhn-fail-dashes", group(luhn_broken("5", 16), [4, 4, 4, 4], "-"), "card"),
                          ("card-luhn-fail-compact", luhn_broken("4", 16), "pan"),
                          ("ssn-invalid-spaces", f"{area} {grp} {serial}", "ssn"),
                          ("ssn-invalid-hyphens", f"{area}-{grp}-{serial}", "SSN"),
                          ("iban-mod97-fail", bad_iban, "IBAN"),
                          ("aba-fail-dots", f"{aba[:3]}.{aba[3:6]}.{aba[6:]}", "routing"),
                          ("ipv4-octet-overflow", f"10.{r(0, 255)}.{r(256, 400)}.{r(0, 255)}", "host")])


def numbers():
    width, height = random.choice([1280, 1920, 2560, 3840]), random.choice([720, 1080, 1440, 2160])
    return random.choice([("masked-account", f"****{digits(4)}", "account"),
                          ("resolution", f"{width}x{height}", "screen"),
                          ("money-eu", f"{random.randint(1, 999)}.{digits(3)},{digits(2)} EUR", "total"),
                          ("percent", f"{random.randint(0, 99)}.{digits(2)}%", "rate"),
                          ("postcode-nl", f"{digits(4, '123456789')} {random.choice(['AB', 'KL', 'XZ'])}", "postcode"),
                          ("extension", f"x{digits(4)}", "ext"),
                          ("lat-lon", f"{random.uniform(-60, 60):.5f},{random.uniform(-150, 150):.5f}", "geo"),
                          ("room", f"{random.randint(1, 9)}.{random.randint(10, 99)}", "room")])


MAKERS = [isbn, goods, orders, parcels, times, builds, hashes, files, failed_rules, numbers]
