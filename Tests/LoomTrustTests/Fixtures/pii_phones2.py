"""Phone plans for the second held-out part: fifteen countries the other parts never show, and
layouts of six shown countries that the other parts never write. Each maker returns
(layout, value) pairs drawn from the country's published numbering plan (mobile and city
prefixes, subscriber lengths, trunk prefix). The prefix lists were checked once against the
numbering-plan metadata of libphonenumber 8.12 while this file was written; the generator
itself runs neither Loom nor libphonenumber."""
import random
from pii_values import digits

D29 = "23456789"


def ng():
    m = random.choice(["803", "806", "813", "816", "703", "706", "810", "814", "903", "805", "807", "815", "905",
                       "802", "808", "812", "701", "902"]) + digits(7)
    lagos = digits(3, D29) + digits(4)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", "0" + m),
            ("mobile-dashes", f"0{m[:3]}-{m[3:6]}-{m[6:]}"), ("lagos", f"01 {lagos[:3]} {lagos[3:]}"),
            ("intl-mobile", f"+234 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-trunk", f"+234 (0){m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-compact", "+234" + m)]


def indonesia():
    m = "8" + random.choice(["11", "12", "13", "21", "22", "52", "53", "14", "15", "16", "55", "56", "57", "58",
                             "17", "18", "19", "77", "78", "81", "82", "83", "95", "96", "97", "98", "99"]) + digits(8)
    jkt = digits(4, D29) + digits(4)
    return [("mobile-dashes", f"0{m[:3]}-{m[3:7]}-{m[7:]}"), ("mobile-spaces", f"0{m[:3]} {m[3:7]} {m[7:]}"),
            ("jakarta-parens", f"(021) {jkt[:4]} {jkt[4:]}"), ("jakarta-dash", f"021-{jkt}"),
            ("intl-mobile", f"+62 {m[:3]}-{m[3:7]}-{m[7:]}"), ("intl-jakarta", f"+62 21 {jkt[:4]} {jkt[4:]}"),
            ("intl-compact", "+62" + m)]


def ar():
    land, mob, tail = random.choice("456") + digits(3), digits(4, "345678"), digits(4)
    return [("landline", f"011 {land}-{tail}"), ("landline-parens", f"(011) {land}-{tail}"),
            ("mobile-15", f"011 15-{mob}-{tail}"), ("intl-landline", f"+54 11 {land}-{tail}"),
            ("intl-mobile-9", f"+54 9 11 {mob}-{tail}"), ("intl-compact", f"+54911{mob}{tail}")]


def tr():
    m = random.choice(["530", "532", "533", "535", "536", "538", "542", "543", "544", "505", "506", "555"]) + digits(7)
    ist = random.choice(["212", "216"]) + digits(3, "2345") + digits(4)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:8]} {m[8:]}"),
            ("mobile-parens", f"0 ({m[:3]}) {m[3:6]} {m[6:8]} {m[8:]}"),
            ("mobile-compact", "0" + m), ("istanbul", f"0{ist[:3]} {ist[3:6]} {ist[6:8]} {ist[8:]}"),
            ("intl-mobile", f"+90 {m[:3]} {m[3:6]} {m[6:8]} {m[8:]}"), ("intl-compact", "+90" + m)]


def kr():
    mid, tail, seoul = random.choice("234678") + digits(3), digits(4), digits(4, D29)
    return [("mobile", f"010-{mid}-{tail}"), ("mobile-compact", f"010{mid}{tail}"), ("seoul", f"02-{seoul}-{tail}"),
            ("seoul-short", f"02-{digits(3, D29)}-{digits(4)}"), ("intl-mobile", f"+82 10-{mid}-{tail}"),
            ("intl-seoul", f"+82 2 {seoul} {tail}")]


def pt():
    m, lis = "9" + random.choice("1236") + digits(7), "21" + digits(7)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", m),
            ("lisbon", f"{lis[:3]} {lis[3:6]} {lis[6:]}"),
            ("intl-mobile", f"+351 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-00", f"00351 {m}")]


def ie():
    m, dub = random.choice(["83", "85", "86", "87", "89"]) + digits(7, D29), digits(7, D29)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("mobile-dash", f"0{m[:2]}-{m[2:]}"),
            ("dublin-parens", f"(01) {dub[:3]} {dub[3:]}"), ("intl-mobile", f"+353 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-trunk", f"+353 (0)1 {dub[:3]} {dub[3:]}")]


def be():
    m = "4" + random.choice(["70", "71", "72", "73", "75", "76", "77", "78", "79", "84", "85", "86", "87", "88",
                             "89", "91", "92", "93", "94", "95", "96", "97", "98", "99"]) + digits(6)
    bru = digits(7, "2345678")
    return [("mobile", f"0{m[:3]} {m[3:5]} {m[5:7]} {m[7:]}"), ("mobile-slash", f"0{m[:3]}/{m[3:5]}.{m[5:7]}.{m[7:]}"),
            ("brussels", f"02 {bru[:3]} {bru[3:5]} {bru[5:]}"),
            ("brussels-slash", f"02/{bru[:3]}.{bru[3:5]}.{bru[5:]}"),
            ("intl-mobile", f"+32 {m[:3]} {m[3:5]} {m[5:7]} {m[7:]}"),
            ("intl-brussels", f"+32 2 {bru[:3]} {bru[3:5]} {bru[5:]}")]


def at():
    m, vie = random.choice(["664", "660", "676", "650", "699", "681", "688"]) + digits(7), digits(7, D29)
    return [("mobile", f"0{m[:3]} {m[3:]}"), ("mobile-slash", f"0{m[:3]}/{m[3:]}"),
            ("vienna", f"01 {vie[:3]} {vie[3:5]} {vie[5:]}"), ("vienna-parens", f"(01) {vie}"),
            ("intl-mobile", f"+43 {m[:3]} {m[3:]}"), ("intl-vienna", f"+43 1 {vie}")]


def no():
    m = random.choice(["9", "9", "40", "41", "45", "46", "48"])
    m, oslo = m + digits(8 - len(m)), "2" + random.choice("123") + digits(6)
    return [("mobile", f"{m[:3]} {m[3:5]} {m[5:]}"), ("pairs", f"{oslo[:2]} {oslo[2:4]} {oslo[4:6]} {oslo[6:]}"),
            ("compact", m), ("intl", f"+47 {m[:3]} {m[3:5]} {m[5:]}"), ("intl-00", f"0047 {m}")]


def nz():
    m, akl = random.choice(["21", "22", "27"]) + digits(7, D29), digits(7, D29)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("auckland-parens", f"(09) {akl[:3]} {akl[3:]}"),
            ("auckland-dash", f"09-{akl[:3]}-{akl[3:]}"), ("intl-mobile", f"+64 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-auckland", f"+64 9 {akl[:3]} {akl[3:]}")]


def ph():
    m = "9" + random.choice(["17", "18", "19", "20", "21", "27", "28", "05", "06", "15", "16", "26"]) + digits(7)
    mnl = "8" + digits(7)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-dash", f"0{m[:3]}-{m[3:6]}-{m[6:]}"),
            ("manila", f"(02) {mnl[:4]} {mnl[4:]}"), ("intl-mobile", f"+63 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-compact", "+63" + m)]


def ke():
    m = "7" + random.choice(["01", "02", "10", "11", "12", "20", "22", "23", "90", "91"]) + digits(6)
    return [("mobile", f"0{m[:3]} {m[3:]}"), ("mobile-3-3-3", f"0{m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-mobile", f"+254 {m[:3]} {m[3:]}"), ("intl-compact", "+254" + m)]


def sg():
    m = random.choice(["90", "91", "92", "93", "94", "96", "97", "98", "81", "82", "83", "84", "85", "86", "87"])
    land = random.choice(["61", "63", "64", "65", "67"]) + digits(6)
    m = m + digits(8 - len(m))
    return [("mobile", f"{m[:4]} {m[4:]}"), ("landline", f"{land[:4]} {land[4:]}"), ("intl", f"+65 {m[:4]} {m[4:]}"),
            ("intl-dash", f"+65-{land[:4]}-{land[4:]}")]


def dk():
    d = random.choice(["20", "30", "40", "50", "60", "31", "42", "51", "61", "71", "81", "22", "26"]) + digits(6)
    return [("pairs", f"{d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"), ("four-four", f"{d[:4]} {d[4:]}"),
            ("intl", f"+45 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}"), ("intl-compact", "+45" + d)]


def us_extra():
    area = random.choice(["206", "303", "404", "503", "608", "704", "813", "907"])
    ex, line = digits(1, D29) + digits(1, "02345678") + digits(1), digits(4)
    return [("parens-tight", f"({area}){ex}-{line}"), ("slash", f"{area}/{ex}-{line}"),
            ("intl-mixed", f"+1 {area}-{ex}-{line}")]


def gb_extra():
    m = random.choice(["740", "745", "750", "771", "780", "790", "795", "799"]) + digits(7)
    return [("mobile-3-3", f"0{m[:4]} {m[4:7]} {m[7:]}"), ("intl-mobile-dashes", f"+44-{m[:4]}-{m[4:]}")]


def de_extra():
    sub, mob = digits(8, D29), random.choice(["160", "170", "171", "175"]) + digits(7, "123456789")
    return [("intl-area-parens", f"+49 (30) {sub}"), ("intl-00", f"0049 30 {sub}"),
            ("mobile-slash", f"0{mob[:3]}/{mob[3:]}")]


def fr_extra():
    first, d = random.choice("123"), digits(8)
    pairs = " ".join([d[0:2], d[2:4], d[4:6], d[6:8]])
    return [("intl-00", f"0033 {first} {pairs}"), ("intl-trunk-dots", f"+33 (0){first}.{pairs.replace(' ', '.')}")]


def in_extra():
    m = digits(1, "6789") + digits(9)
    return [("intl-5-5-dash", f"+91 {m[:5]}-{m[5:]}"), ("mobile-5-5-dash", f"{m[:5]}-{m[5:]}")]


def br_extra():
    area = random.choice(["11", "21", "31", "41", "48", "62"])
    mob, tail = "9" + digits(1, "6789") + digits(3), digits(4)
    return [("intl-dashes", f"+55-{area}-{mob}-{tail}"), ("mobile-compact-dash", f"{area}{mob}-{tail}")]


NEW = {"NG": ng, "ID": indonesia, "AR": ar, "TR": tr, "KR": kr, "PT": pt, "IE": ie, "BE": be, "AT": at, "NO": no,
       "NZ": nz, "PH": ph, "KE": ke, "SG": sg, "DK": dk}
EXTRA = {"US": us_extra, "GB": gb_extra, "DE": de_extra, "FR": fr_extra, "IN": in_extra, "BR": br_extra}
