"""Look-alikes for the fourth held-out part, in shapes the other parts never draw: Go pseudo-versions,
Debian and PEP 440 versions, Android and Apple build ids, .NET assembly versions and OIDs that read
like IPv4 addresses, CVE, GHSA, CWE and CVSS strings, RFC and ISO references, Kubernetes pod
names, container and instance ids, trace contexts, flight and train numbers, sports scores, NMEA
sentences, hemisphere coordinates, plus codes and geohashes, dates and times in e-mail, web-log,
US, ISO-week, ordinal, German, French, Spanish and CJK layouts, GS1 element strings, SSCCs, JAN
codes, customs tariff codes, LEIs, CUSIPs, SEDOLs, quotes and rates, amounts with apostrophes,
lakh grouping, brackets and DR/CR, measurements, patents, tickets, dialling codes and emergency
numbers, and values failing their own rule (Luhn, mod-97, ABA weights, SSA rules) in layouts no
other part writes. SHAPES holds (format, family, label, maker, regions): each maker returns one
value; regions, when set, are the only desks the shape is shown on (US-only formats, or digit
groups that could read as a national number somewhere else). Nothing here is personal data, by
construction; nothing here runs or imports a detector."""
import datetime
import random
import re
from pii_values import digits, group, hexstring, luhn_broken, aba_broken, iban

r = random.randint
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ALNUM = UPPER + "0123456789"
K8S = "bcdfghjklmnpqrstvwxz2456789"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTHS_LONG = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"]
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre"]
MESES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
         "diciembre"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def pick(alphabet, n):
    return "".join(random.choice(alphabet) for _ in range(n))


def hex_with_letters(n):
    """Hex with at least two letters and no run of six digits, so no part of it reads as a number."""
    while True:
        h = hexstring(n)
        if sum(c.isalpha() for c in h) >= 2 and not re.search(r"\d{6}", h):
            return h


def when():
    start = datetime.datetime(2019, 1, 1)
    return start + datetime.timedelta(seconds=r(0, 8 * 365 * 86400))


def gs1_check(body):
    s = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(body)))
    return str((10 - s % 10) % 10)


# Versions and builds
def go_pseudo():
    t = when()
    return f"v0.0.0-{t:%Y%m%d%H%M%S}-{hex_with_letters(12)}"


def debian_version():
    return random.choice([f"1:{r(2, 9)}.{r(0, 40)}.{r(0, 9)}-{r(1, 9)}+deb12u{r(1, 4)}",
                          f"{r(2, 9)}.{r(0, 40)}.{r(0, 9)}-{r(1, 9)}ubuntu{r(1, 5)}.{r(1, 3)}"])


def pep440():
    a, b, c = r(1, 9), r(0, 30), r(0, 9)
    return random.choice([f"{a}.{b}.{c}rc{r(1, 3)}", f"{a}.{b}.post{r(1, 4)}", f"{a}.{b}.{c}b{r(1, 3)}",
                          f"{a}.{b}.dev{r(1, 9)}"])


def semver_build():
    return random.choice([f"{r(0, 9)}.{r(0, 30)}.{r(0, 20)}+build.{r(100, 9999)}",
                          f"{r(0, 9)}.{r(0, 30)}.{r(0, 20)}+sha.{hex_with_letters(7)}"])


def android_build():
    t = when()
    return f"{random.choice(['UP1A', 'UQ1A', 'TQ3A', 'AP2A', 'BP1A'])}.{t:%y%m%d}.{r(1, 30):03d}"


def apple_build():
    os_name = random.choice(["iOS", "iPadOS", "macOS"])
    major = r(15, 18) if os_name != "macOS" else r(12, 15)
    return f"{os_name} {major}.{r(0, 6)}.{r(1, 3)} ({r(19, 24)}{random.choice('ABCDEFG')}{r(10, 399)})"


def assembly_version():
    return f'AssemblyVersion("{r(1, 9)}.{r(0, 9)}.{r(0, 9)}.{r(0, 9)}")'


def versioninfo():
    return f"FILEVERSION {r(1, 12)},{r(0, 9)},{r(0, 30)},{r(0, 250)}"


def os_build():
    return f"{random.choice(['19045', '22621', '22631', '26100'])}.{r(1000, 4999)}"


def browser_about():
    return f"Version {r(120, 131)}.0.{r(6000, 6999)}.{r(10, 199)} (Official Build) (64-bit)"


def helm_chart():
    return f"{random.choice(['redis', 'postgresql', 'ingress-nginx', 'cert-manager'])}-{r(1, 19)}.{r(0, 12)}.{r(0, 9)}"


def x500_oid():
    return random.choice(["2.5.4.3 (commonName)", "2.5.4.10 (organizationName)", "2.5.4.11 (organizationalUnitName)",
                          "2.5.4.6 (countryName)", "2.5.29.17 (subjectAltName)", "2.5.29.19 (basicConstraints)",
                          "2.5.29.15 (keyUsage)", "2.5.4.7 (localityName)"])


# Security advisories and references
def cve():
    return f"CVE-{r(2019, 2026)}-{r(1000, 49999)}"


def ghsa():
    alphabet = "23456789cfghjmpqrvwx"
    return "GHSA-" + "-".join(pick(alphabet, 4) for _ in range(3))


def cvss():
    c = lambda *xs: random.choice(xs)
    return (f"CVSS:3.1/AV:{c('N', 'A', 'L')}/AC:{c('L', 'H')}/PR:{c('N', 'L', 'H')}/UI:{c('N', 'R')}/S:{c('U', 'C')}"
            f"/C:{c('H', 'L', 'N')}/I:{c('H', 'L', 'N')}/A:{c('H', 'L', 'N')}")


def rfc():
    return random.choice([f"RFC {r(791, 9700)}", f"RFC {r(2000, 9700)} \u00a7{r(1, 9)}.{r(1, 9)}.{r(1, 5)}"])


def iso_standard():
    return random.choice(["ISO/IEC 27001:2022", "ISO 8601-1:2019", "ISO 9001:2015", "ISO 3166-1 alpha-2",
                          "IEC 62443-3-3", "ISO/IEC 17025:2017", "ISO 14001:2015", "ISO 20022"])


def cwe():
    return f"CWE-{random.choice([20, 22, 78, 79, 89, 94, 119, 200, 269, 287, 352, 416, 502, 787, 862, 918])}"


# Infrastructure ids
def k8s_pod():
    name = random.choice(["api", "billing-worker", "ingest", "trust-gateway", "web"])
    return f"{name}-{pick(K8S, r(8, 10))}-{pick(K8S, 5)}"


def container_id():
    return hex_with_letters(12)


def containerd_uri():
    return "containerd://" + hex_with_letters(64)


def ec2_instance():
    return "i-0" + hex_with_letters(16)


def ami():
    return "ami-0" + hex_with_letters(16)


def traceparent():
    return f"00-{hex_with_letters(32)}-{hex_with_letters(16)}-01"


# Transport
def flight():
    airline = random.choice(["LH", "AF", "IB", "UA", "EK", "CX", "LA", "TP", "AZ", "KL", "BA", "SQ"])
    return f"{airline}{random.choice(['', ' '])}{r(1, 2999)}"


def train():
    return f"{random.choice(['ICE', 'TGV', 'EC', 'IC', 'RJX', 'AVE', 'FR'])} {r(100, 9899)}"


# Sports
def football():
    a, b = r(0, 5), r(0, 5)
    return random.choice([f"{a}\u2013{b}", f"{a}-{a} ({r(3, 5)}-{r(2, 4)} pens)", f"{a}:{b} (HT {min(a, 1)}:0)"])


def tennis():
    return f"6-{r(0, 4)} {r(2, 4)}-6 7-6({r(2, 9)})"


def basketball():
    return f"{r(88, 131)}-{r(80, 127)}"


def cricket():
    return f"{r(140, 390)}/{r(2, 9)} ({r(20, 50)} ov)"


# Geography (stations, ports, warehouses; no person)
def nmea():
    t = when()
    lat, lon = r(0, 89), r(0, 179)
    body = (f"GPGGA,{t:%H%M%S}.00,{lat:02d}{random.uniform(0, 59.999):06.3f},{random.choice('NS')},"
            f"{lon:03d}{random.uniform(0, 59.999):06.3f},{random.choice('EW')},1,{r(4, 12):02d},"
            f"{random.uniform(0.6, 2.5):.1f},{random.uniform(1, 900):.1f},M,{random.uniform(-30, 60):.1f},M,,")
    check = 0
    for c in body:
        check ^= ord(c)
    return f"${body}*{check:02X}"


def hemisphere():
    lat, lon = random.uniform(-60, 70), random.uniform(-170, 170)
    return f"{abs(lat):.4f}\u00b0 {'N' if lat >= 0 else 'S'}, {abs(lon):.4f}\u00b0 {'E' if lon >= 0 else 'W'}"


def plus_code():
    alphabet = "23456789CFGHJMPQRVWX"
    return random.choice("456789C") + random.choice("FGHJMPQRVWX") + pick(alphabet, 6) + "+" + pick(alphabet, 2)


def geohash():
    alphabet = "0123456789bcdefghjkmnpqrstuvwxyz"
    while True:
        g = random.choice("bcdefgsuvy") + pick(alphabet, r(8, 11))
        if sum(c.isalpha() for c in g) >= 4:
            return g


def latlon_query():
    return f"lat={random.uniform(-60, 70):.5f}&lon={random.uniform(-170, 170):.5f}"


# Dates and times
def rfc2822():
    t = when()
    zone = random.choice(["+0000", "+0100", "-0500"])
    return f"{DAYS[t.weekday()]}, {t.day:02d} {MONTHS[t.month - 1]} {t:%Y %H:%M:%S} {zone}"


def clf_time():
    t = when()
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t:%Y:%H:%M:%S} +0000"


def us_12h():
    t = when()
    return f"{t.month}/{t.day}/{t.year} {t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def iso_week():
    y, w, d = when().isocalendar()
    return f"{y}-W{w:02d}-{d}"


def ordinal_date():
    t = when()
    return f"{t.year}-{t.timetuple().tm_yday:03d}"


def long_date():
    t = when()
    month = MONTHS_LONG[t.month - 1]
    return random.choice([f"{t.day} {month} {t.year}", f"{month} {t.day}, {t.year}"])


def unix_date():
    t = when()
    return f"{DAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S} UTC {t.year}"


def log_time_comma():
    t = when()
    return f"{t:%Y-%m-%d %H:%M:%S},{r(0, 999):03d}"


def german_datetime():
    t = when()
    return f"{t:%d.%m.%y}, {t:%H:%M} Uhr"


def french_datetime():
    t = when()
    return f"le {t.day} {MOIS[t.month - 1]} {t.year} \u00e0 {t.hour}h{t.minute:02d}"


def spanish_date():
    t = when()
    return f"{t.day} de {MESES[t.month - 1]} de {t.year}"


def cjk_date():
    t = when()
    return f"{t.year}\u5e74{t.month}\u6708{t.day}\u65e5"


def iso_duration():
    return random.choice([f"PT{r(1, 23)}H{r(1, 59)}M", f"P{r(1, 30)}DT{r(1, 23)}H", f"PT{r(1, 900)}S"])


def cron():
    return random.choice([f"{r(0, 59)} {r(0, 23)} * * 1-5", f"*/{random.choice([5, 10, 15, 30])} * * * *",
                          f"0 {r(0, 6)} {r(1, 28)} * *"])


def time_range():
    a, b = r(6, 11), r(13, 20)
    return f"{a:02d}:{random.choice(['00', '30'])}\u2013{b:02d}:{random.choice(['00', '30'])}"


# Goods and logistics
def gs1_element():
    body = str(r(0, 1)) + digits(12)
    t = when()
    return f"(01){body}{gs1_check(body)}(17){t:%y%m%d}(10){pick(UPPER, 2)}{digits(3)}"


def sscc():
    body = "0" + digits(16)
    return f"(00){body}{gs1_check(body)}"


def jan():
    body = random.choice(["45", "49"]) + digits(10)
    return body + gs1_check(body)


def hs_code():
    heading = random.choice(["8471.30", "8517.62", "8528.72", "8504.40", "8708.99", "6109.10", "6203.42", "6403.99",
                             "9018.90", "9503.00"])
    return f"{heading}.{digits(4)}"


def lot_expiry():
    t = when()
    return f"LOT {t:%y}{random.choice(UPPER)}{digits(4)} EXP {t.year + r(1, 3)}-{t.month:02d}"


# Finance codes and market data
def lei():
    body = random.choice(["5493", "2138", "9695", "7245", "8156"]) + "00" + pick(ALNUM, 12)
    while sum(c.isalpha() for c in body) < 3:
        body = body[:6] + pick(ALNUM, 12)
    num = int("".join(str(int(c, 36)) for c in body + "00"))
    return f"{body}{98 - num % 97:02d}"


def cusip():
    while True:
        body = digits(6) + pick(ALNUM, 2)
        if any(c.isalpha() for c in body):
            break
    s = 0
    for i, c in enumerate(body):
        v = int(c) if c.isdigit() else ord(c) - 55
        if i % 2 == 1:
            v *= 2
        s += v // 10 + v % 10
    return body + str((10 - s % 10) % 10)


def sedol():
    body = random.choice("BCDFGHJ") + pick("0123456789BCDFGHJKLMNPQRSTVWXYZ", 5)
    weights = [1, 3, 1, 7, 3, 9]
    s = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights))
    return body + str((10 - s % 10) % 10)


def ticker_quote():
    price, change = random.uniform(12, 950), random.uniform(-9, 9)
    sign = "+" if change >= 0 else "\u2212"
    return (f"{random.choice(['AAPL', 'SAP', 'MC', 'ITX', 'ENEL', 'VALE3', 'NESN'])} {price:.2f} {sign}"
            f"{abs(change):.2f} ({abs(change) / price * 100:.2f}%)")


def fx_rate():
    pair, low, high = random.choice([("EUR/USD", 1.02, 1.18), ("USD/MXN", 16.5, 20.5), ("GBP/CHF", 1.05, 1.20),
                                     ("USD/BRL", 4.8, 6.2), ("EUR/PLN", 4.15, 4.45)])
    return f"{pair} {random.uniform(low, high):.4f}"


# Amounts
def swiss_amount():
    return random.choice([f"CHF {r(1, 999)}'{digits(3)}.{digits(2)}",
                          f"CHF {r(1, 99)}'{digits(3)}'{digits(3)}.{digits(2)}"])


def lakh_amount():
    return f"\u20b9{r(1, 99)},{r(0, 99):02d},{digits(3)}.{digits(2)}"


def bracket_amount():
    return f"({r(1, 999)},{digits(3)}.{digits(2)})"


def drcr_amount():
    return f"{r(1, 999)},{digits(3)}.{digits(2)} {random.choice(['DR', 'CR'])}"


def real_amount():
    return f"R$ {r(1, 999)}.{digits(3)},{digits(2)}"


def euro_dash():
    return f"{r(1, 99)}.{digits(3)},\u2013 \u20ac"


def per_month():
    return f"${r(3, 299)}.{random.choice(['00', '49', '95', '99'])}/mo"


# Measurements
def scientific():
    return f"{random.uniform(1, 9.99):.3f}e{random.choice(['-', '+'])}{r(3, 34):02d}"


def units():
    return random.choice([f"{random.uniform(960, 1040):.2f} hPa", f"{random.uniform(-20, 40):.1f} \u00b0C",
                          f"{r(1000, 9999)} mAh", f"{random.uniform(1, 99):.1f} kWh", f"{r(100, 999)} Nm"])


def file_size():
    return f"{r(1_000_000, 999_999_999):,} bytes"


def latency():
    return f"p99={random.uniform(10, 990):.1f}ms"


# Documents and work items
def patent_us():
    return f"US {r(10, 12)},{digits(3)},{digits(3)} {random.choice(['B1', 'B2'])}"


def patent_ep():
    return f"EP {r(1, 4)} {digits(3)} {digits(3)} {random.choice(['A1', 'B1'])}"


def wo_publication():
    return f"WO {r(2015, 2026)}/{digits(6)}"


def eu_act():
    return random.choice(["Regulation (EU) 2016/679", "Directive (EU) 2015/2366", "Regulation (EU) 2022/2554",
                          "Regulation (EU) 2024/1689", "Directive 2002/58/EC"])


def jira():
    return f"{random.choice(['OPS', 'BILL', 'CRM', 'SEC', 'INFRA'])}-{r(10, 9999)}"


def github_ref():
    return f"acme/{random.choice(['loom', 'billing', 'infra'])}#{r(10, 9999)}"


# Numbers about phones that are not a subscriber's number
def dial_code():
    return random.choice(["+51", "+598", "+212", "+352", "+852", "+886", "+421", "+20", "+966", "+92", "+380"])


def emergency():
    return random.choice(["112", "911", "999", "110", "119"])


# Values that fail their own rule, in layouts no other part writes
def ssn_invalid_no_itin():
    """Never issued by the SSA: area 000 or 666, group 00 or serial 0000 (no 9xx area, which the IRS uses
    for ITINs), and never a checksum-valid routing number either."""
    area, grp, serial = f"{r(1, 899):03d}", f"{r(1, 99):02d}", f"{r(1, 9999):04d}"
    if area == "666":
        area = "667"
    broken = random.choice(["area0", "area666", "group", "serial"])
    if broken == "area0":
        area = "000"
    elif broken == "area666":
        area = "666"
    elif broken == "group":
        grp = "00"
    else:
        serial = "0000"
    value = area + grp + serial
    w = [3, 7, 1, 3, 7, 1, 3, 7, 1]
    if sum(int(c) * w[i] for i, c in enumerate(value)) % 10 == 0:
        return ssn_invalid_no_itin()
    return value


def iban_fail_grouped():
    country, bban = random.choice([("LU", lambda: digits(3) + pick(ALNUM, 13)), ("SK", lambda: digits(20)),
                                   ("SA", lambda: digits(2) + digits(18)), ("EG", lambda: digits(25)),
                                   ("BG", lambda: pick(UPPER, 4) + digits(6) + pick(ALNUM, 8))])
    v = iban(country, bban())
    v = v[:2] + random.choice([f"{n:02d}" for n in range(2, 99) if f"{n:02d}" != v[2:4]]) + v[4:]
    return " ".join(v[i:i + 4] for i in range(0, len(v), 4))


US = ["US"]
EU_TARIFF = ["FR", "DE", "ES", "IT"]
PATENT = ["DE", "GB", "FR", "US", "ES", "IT"]
GS1 = ["US", "FR", "ES", "IT", "NL", "MX", "BR", "DE"]
JAN = ["JP", "US", "GB", "FR", "TW", "HK"]
WO = ["US", "GB", "FR", "ES", "IT", "PT", "BR", "MX"]
OS_BUILD = ["US", "GB", "DE", "MX", "BR"]

SHAPES = [
    ("go-pseudo-version", "versions", "module version", go_pseudo, None),
    ("debian-version", "versions", "package version", debian_version, None),
    ("pep440", "versions", "release", pep440, None),
    ("semver-build-metadata", "versions", "version", semver_build, None),
    ("android-build-id", "versions", "build number", android_build, None),
    ("apple-build", "versions", "OS", apple_build, None),
    ("assembly-version", "versions", "attribute", assembly_version, None),
    ("versioninfo-commas", "versions", "resource", versioninfo, None),
    ("windows-os-build", "versions", "OS build", os_build, OS_BUILD),
    ("browser-about", "versions", "Chrome", browser_about, None),
    ("helm-chart", "versions", "chart", helm_chart, None),
    ("x500-oid", "versions", "OID", x500_oid, None),
    ("cve", "security", "advisory", cve, None),
    ("ghsa", "security", "advisory", ghsa, None),
    ("cvss-vector", "security", "vector", cvss, None),
    ("rfc", "security", "spec", rfc, None),
    ("iso-standard", "security", "standard", iso_standard, None),
    ("cwe", "security", "weakness", cwe, None),
    ("k8s-pod", "infra", "pod", k8s_pod, None),
    ("container-id", "infra", "container", container_id, None),
    ("containerd-uri", "infra", "containerID", containerd_uri, None),
    ("ec2-instance", "infra", "instance", ec2_instance, None),
    ("ami", "infra", "image", ami, None),
    ("traceparent", "infra", "traceparent", traceparent, None),
    ("flight-number", "transport", "flight", flight, None),
    ("train-number", "transport", "train", train, None),
    ("score-football", "sports", "final score", football, None),
    ("score-tennis", "sports", "result", tennis, None),
    ("score-basketball", "sports", "final", basketball, None),
    ("score-cricket", "sports", "innings", cricket, None),
    ("nmea-gga", "geo", "buoy fix", nmea, None),
    ("hemisphere-degrees", "geo", "weather station", hemisphere, None),
    ("plus-code", "geo", "warehouse plus code", plus_code, None),
    ("geohash", "geo", "depot geohash", geohash, None),
    ("latlon-query", "geo", "depot", latlon_query, None),
    ("rfc2822-date", "dates", "Date", rfc2822, None),
    ("clf-time", "dates", "logged", clf_time, None),
    ("us-12h", "dates", "scheduled", us_12h, None),
    ("iso-week", "dates", "week", iso_week, None),
    ("ordinal-date", "dates", "day", ordinal_date, None),
    ("long-date", "dates", "due", long_date, None),
    ("unix-date", "dates", "date", unix_date, None),
    ("log-time-comma", "dates", "asctime", log_time_comma, None),
    ("german-datetime", "dates", "Termin", german_datetime, None),
    ("french-datetime", "dates", "rendez-vous", french_datetime, None),
    ("spanish-date", "dates", "fecha", spanish_date, None),
    ("cjk-date", "dates", "date", cjk_date, None),
    ("iso-duration", "dates", "timeout", iso_duration, None),
    ("cron", "dates", "schedule", cron, None),
    ("time-range", "dates", "opening hours", time_range, None),
    ("gs1-element-string", "goods", "GS1", gs1_element, GS1),
    ("sscc", "goods", "SSCC", sscc, None),
    ("jan-code", "goods", "JAN", jan, JAN),
    ("hs-code", "goods", "HS code", hs_code, EU_TARIFF),
    ("lot-expiry", "goods", "batch", lot_expiry, None),
    ("lei", "finance", "LEI", lei, None),
    ("cusip", "finance", "CUSIP", cusip, None),
    ("sedol", "finance", "SEDOL", sedol, None),
    ("ticker-quote", "finance", "quote", ticker_quote, None),
    ("fx-rate", "finance", "rate", fx_rate, None),
    ("amount-swiss", "amounts", "invoice total", swiss_amount, None),
    ("amount-lakh", "amounts", "amount", lakh_amount, None),
    ("amount-brackets", "amounts", "balance", bracket_amount, None),
    ("amount-drcr", "amounts", "statement", drcr_amount, None),
    ("amount-real", "amounts", "total", real_amount, None),
    ("amount-euro-dash", "amounts", "price", euro_dash, None),
    ("amount-per-month", "amounts", "plan", per_month, None),
    ("scientific", "measurements", "value", scientific, None),
    ("units", "measurements", "reading", units, None),
    ("file-size", "measurements", "size", file_size, None),
    ("latency", "measurements", "latency", latency, None),
    ("patent-us", "documents", "patent", patent_us, None),
    ("patent-ep", "documents", "patent", patent_ep, PATENT),
    ("wo-publication", "documents", "publication", wo_publication, WO),
    ("eu-act", "documents", "legal basis", eu_act, None),
    ("jira-key", "documents", "ticket", jira, None),
    ("github-ref", "documents", "issue", github_ref, None),
    ("dial-code", "phone-adjacent", "country code", dial_code, None),
    ("emergency-number", "phone-adjacent", "emergency number", emergency, None),
    ("card-luhn-fail-mir", "failed-rules", "card", lambda: group(luhn_broken(f"220{r(0, 4)}", 16), [4, 4, 4, 4], " "),
     None),
    ("card-luhn-fail-maestro-19", "failed-rules", "card",
     lambda: group(luhn_broken("6759", 19), [4, 4, 4, 4, 3], " "), None),
    ("card-luhn-fail-discover-dashes", "failed-rules", "card",
     lambda: group(luhn_broken("6011", 16), [4, 4, 4, 4], "-"), None),
    ("card-luhn-fail-diners-14", "failed-rules", "card", lambda: group(luhn_broken("3056", 14), [4, 6, 4], " "), None),
    ("iban-mod97-fail-grouped", "failed-rules", "IBAN", iban_fail_grouped, None),
    ("aba-fail-micr", "failed-rules", "routing", lambda: f"\u2446{aba_broken()}\u2446", US),
    ("aba-fail-four-four-one", "failed-rules", "routing number",
     lambda: (lambda v: f"{v[:4]} {v[4:8]} {v[8]}")(aba_broken()), US),
    ("ssn-invalid-compact", "failed-rules", "SSN", ssn_invalid_no_itin, US),
]
