"""Value makers shared by the corpus generators: valid values by the published rules of each
format (numbering plans, Luhn, mod-97, ABA weights, SSA ranges), and look-alikes that break
them. Nothing here runs or imports Loom's detectors; the labels come from the rules alone."""
import random


def digits(n, first="0123456789"):
    return random.choice(first) + "".join(random.choice("0123456789") for _ in range(n - 1))


def group(d, sizes, sep):
    out, i = [], 0
    for s in sizes:
        out.append(d[i:i + s])
        i += s
    return sep.join(out)


def luhn_ok(d):
    s = 0
    for i, c in enumerate(reversed(d)):
        n = int(c)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        s += n
    return s % 10 == 0


def luhn_complete(prefix, length):
    body = prefix + "".join(random.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for c in "0123456789":
        if luhn_ok(body + c):
            return body + c


def luhn_broken(prefix, length):
    v = luhn_complete(prefix, length)
    return v[:-1] + str((int(v[-1]) + 3) % 10)


# The BBAN layout SWIFT's IBAN registry gives the countries the first two parts draw (n a digit,
# a a capital letter, c either). Until 2026-12-08 those parts drew one BBAN length for every
# country, so some of their values (`DE24ABNA0243325365`, `BE08…` of 24 characters, a Swiss
# one of 20) were no IBAN of their country; fitted here, they are.
BBAN_LAYOUTS = {"BE": "n" * 12, "CH": "n" * 5 + "c" * 12, "DE": "n" * 18, "ES": "n" * 20,
                "FR": "n" * 10 + "c" * 11 + "nn", "GB": "aaaa" + "n" * 14, "IT": "a" + "n" * 10 + "c" * 12,
                "NL": "aaaa" + "n" * 10}


def fitted_bban(country, bban):
    """`bban` in the registered layout of `country`, drawing nothing more: its characters in
    turn (from the start again when it is short), a letter where a digit belongs read as its
    last digit in base 36, a digit where a letter belongs as the letter it counts to. A BBAN
    already in the layout, or of a country not listed, comes back as it is."""
    layout = BBAN_LAYOUTS.get(country)
    if layout is None:
        return bban
    out = []
    for i, kind in enumerate(layout):
        c = bban[i % len(bban)]
        if kind == "n" and not c.isdigit():
            c = str(int(c, 36) % 10)
        elif kind == "a" and not c.isalpha():
            c = chr(ord("A") + int(c))
        out.append(c)
    return "".join(out)


def iban(country, bban):
    bban = fitted_bban(country, bban)
    num = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(num) % 97:02d}{bban}"


ABA_PREFIXES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "21", "22", "26", "31", "32",
                "61", "67", "72"]


def aba_complete(prefix8):
    w = [3, 7, 1, 3, 7, 1, 3, 7]
    s = sum(int(c) * w[i] for i, c in enumerate(prefix8))
    return prefix8 + str((10 - s % 10) % 10)


def aba_valid():
    return aba_complete(random.choice(ABA_PREFIXES) + digits(6))


def aba_broken():
    v = aba_valid()
    return v[:-1] + str((int(v[-1]) + 1 + random.randrange(8)) % 10)


def ssn_valid():
    """Area 001-899 except 666, group 01-99, serial 0001-9999 (the SSA's rules since 2011)."""
    area = random.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}", f"{random.randint(1, 99):02d}", f"{random.randint(1, 9999):04d}"


def ssn_invalid():
    area, grp, serial = ssn_valid()
    broken = random.choice(["area0", "area666", "area9", "group", "serial"])
    if broken == "area0":
        area = "000"
    elif broken == "area666":
        area = "666"
    elif broken == "area9":
        area = str(random.randint(900, 999))
    elif broken == "group":
        grp = "00"
    else:
        serial = "0000"
    return area, grp, serial


def ipv4():
    return ".".join(str(random.randint(1, 254)) for _ in range(4))


def hextet():
    return format(random.randint(1, 0xFFFF), "x")


def ipv6(form):
    """One of the RFC 4291 / RFC 5952 textual forms."""
    if form == "full":
        return ":".join(format(random.randint(0, 0xFFFF), "04x") for _ in range(8))
    if form == "full-upper":
        return ":".join(format(random.randint(0, 0xFFFF), "04X") for _ in range(8))
    if form == "uncompressed":
        return ":".join(hextet() for _ in range(8))
    if form == "compressed":
        return "2001:db8:" + hextet() + "::" + hextet() + ":" + hextet()
    if form == "compressed-tail":
        return "fd" + format(random.randint(0, 255), "02x") + ":" + hextet() + ":" + hextet() + "::"
    if form == "link-local":
        return "fe80::" + ":".join(hextet() for _ in range(random.randint(1, 4)))
    if form == "loopback":
        return "::1"
    if form == "mapped":
        return "::ffff:" + ipv4()
    if form == "mapped-upper":
        return "::FFFF:" + ipv4()
    if form == "nat64":
        return "64:ff9b::" + ipv4()
    if form == "embedded":
        return "2001:db8:" + hextet() + ":" + hextet() + "::" + ipv4()
    raise ValueError(form)


IPV6_FORMS = ["full", "full-upper", "uncompressed", "compressed", "compressed-tail", "link-local", "loopback", "mapped",
              "mapped-upper", "nat64", "embedded"]


def isbn13():
    body = "978" + digits(9)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def isbn10():
    body = digits(9)
    s = sum(int(c) * (10 - i) for i, c in enumerate(body))
    check = (11 - s % 11) % 11
    return body + ("X" if check == 10 else str(check))


def ean13():
    body = random.choice(["400", "500", "590", "690", "761", "871"]) + digits(9)
    s = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def uuid():
    h = "".join(random.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def hexstring(n):
    return "".join(random.choice("0123456789abcdef") for _ in range(n))
