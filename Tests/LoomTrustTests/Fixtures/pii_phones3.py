"""Phone plans for the third held-out part: twelve countries no other part shows, and layouts of
four shown countries that no other part writes. Each maker returns (layout, value) pairs drawn
from the country's published numbering plan (mobile and city prefixes, subscriber lengths,
trunk prefix). Layouts named `intl-digits` are the international number without `+`, as
wa.me links and some CRMs write it. The prefix lists were checked once against the
numbering-plan metadata of libphonenumber while this file was written (every phone value the
generator wrote was a valid number of its country there); the generator itself runs neither
Loom nor libphonenumber."""
import random
from pii_values import digits

D29 = "23456789"


def fi():
    m = random.choice(["40", "41", "44", "45", "46", "50"]) + digits(7)
    hki = digits(1, "2345678") + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("mobile-compact", "0" + m),
            ("helsinki-parens", f"(09) {hki[:3]} {hki[3:]}"), ("intl-mobile", f"+358 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-helsinki", f"+358 9 {hki[:3]} {hki[3:]}"), ("intl-digits", "358" + m)]


def gr():
    m = "69" + random.choice("3456789") + digits(7)
    ath = "210" + digits(1, D29) + digits(6)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", m), ("athens", f"{ath[:3]} {ath[3:]}"),
            ("intl-mobile", f"+30 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-00", f"0030 {m}"),
            ("intl-athens", f"+30 {ath[:3]} {ath[3:6]} {ath[6:]}")]


def cz():
    m = random.choice(["601", "602", "603", "604", "605", "606", "607", "608", "702", "720", "724", "730", "736",
                       "739", "775", "777", "792", "799"]) + digits(6)
    prg = "2" + random.choice("2345") + digits(7)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("prague", f"{prg[:3]} {prg[3:6]} {prg[6:]}"),
            ("intl-mobile", f"+420 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-compact", "+420" + m),
            ("intl-00", f"00420 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-digits", "420" + m)]


def hu():
    m = random.choice(["20", "30", "31", "50", "70"]) + digits(7, D29)
    bud = digits(7, D29)
    return [("mobile-trunk", f"06 {m[:2]} {m[2:5]} {m[5:]}"), ("mobile-dashes", f"06-{m[:2]}-{m[2:5]}-{m[5:]}"),
            ("budapest-parens", f"(06 1) {bud[:3]} {bud[3:]}"), ("intl-mobile", f"+36 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-budapest", f"+36 1 {bud[:3]} {bud[3:]}"), ("intl-slash", f"+36/{m[:2]}/{m[2:]}")]


def ro():
    m = "7" + random.choice(["22", "23", "24", "26", "28", "40", "42", "44", "45", "46", "47", "48", "49", "51",
                             "55", "56", "60", "62", "66", "68", "70", "72", "74", "76", "80", "84", "88"]) + digits(6)
    buc = "21" + random.choice("23") + digits(6)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-dots", f"0{m[:3]}.{m[3:6]}.{m[6:]}"),
            ("bucharest", f"0{buc[:2]} {buc[2:5]} {buc[5:]}"), ("intl-mobile", f"+40 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-compact", "+40" + m), ("intl-digits", "40" + m)]


def il():
    m = "5" + random.choice("0234") + digits(7, D29)
    tlv = "3" + digits(7, D29)
    return [("mobile-dashes", f"0{m[:2]}-{m[2:5]}-{m[5:]}"), ("mobile-dash", f"0{m[:2]}-{m[2:]}"),
            ("tel-aviv", f"0{tlv[0]}-{tlv[1:4]}-{tlv[4:]}"), ("intl-mobile", f"+972 {m[:2]}-{m[2:5]}-{m[5:]}"),
            ("intl-dashes", f"+972-{m[:2]}-{m[2:5]}-{m[5:]}"), ("intl-digits", "972" + m)]


def th():
    m = random.choice(["61", "62", "63", "64", "65", "80", "81", "82", "83", "84", "85", "86", "87", "88", "89",
                       "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"]) + digits(7)
    bkk = "2" + digits(1, D29) + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("mobile-dashes", f"0{m[:2]}-{m[2:5]}-{m[5:]}"),
            ("bangkok", f"0{bkk[0]} {bkk[1:4]} {bkk[4:]}"), ("intl-mobile", f"+66 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-compact", "+66" + m)]


def my():
    m = "1" + random.choice(["2", "3", "6", "7", "9"]) + digits(7, D29)
    kl = "3" + random.choice(["21", "22", "26", "27", "80", "81", "82", "88"]) + digits(6)
    return [("mobile", f"0{m[:2]}-{m[2:5]} {m[5:]}"), ("mobile-compact", "0" + m),
            ("kuala-lumpur", f"0{kl[0]}-{kl[1:5]} {kl[5:]}"), ("intl-mobile", f"+60 {m[:2]}-{m[2:5]} {m[5:]}"),
            ("intl-mobile-tight", f"+60{m[:2]} {m[2:5]} {m[5:]}"), ("intl-digits", "60" + m)]


def cl():
    m, scl = "9" + random.choice("2458") + digits(7), "22" + digits(7)
    return [("mobile", f"9 {m[1:5]} {m[5:]}"), ("santiago-parens", f"(2) {scl[1:5]} {scl[5:]}"),
            ("intl-mobile", f"+56 9 {m[1:5]} {m[5:]}"), ("intl-santiago", f"+56 2 {scl[1:5]} {scl[5:]}"),
            ("intl-compact", "+56" + m)]


def co():
    m = "3" + random.choice(["00", "01", "02", "04", "05", "10", "11", "12", "13", "14", "15", "16", "17", "18",
                             "19", "20", "21", "22", "23", "50", "51"]) + digits(7, D29)
    bog = "601" + digits(1, "2345678") + digits(6)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", m),
            ("bogota", f"{bog[:3]} {bog[3:6]} {bog[6:]}"),
            ("intl-mobile", f"+57 {m[:3]} {m[3:]}"), ("intl-parens", f"+57 ({m[:3]}) {m[3:6]}-{m[6:]}")]


def ae():
    m = "5" + random.choice("024568") + digits(7, D29)
    dxb = "4" + digits(1, "2345678") + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("dubai", f"0{dxb[0]} {dxb[1:4]} {dxb[4:]}"),
            ("intl-mobile", f"+971 {m[:2]} {m[2:5]} {m[5:]}"), ("intl-compact", "+971" + m), ("intl-digits", "971" + m)]


def vn():
    m = random.choice(["90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "37", "70", "77", "79", "81",
                       "83", "85", "86", "88"]) + digits(7)
    hn = "243" + digits(7)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-dots", f"0{m[:3]}.{m[3:6]}.{m[6:]}"),
            ("hanoi", f"0{hn[:2]} {hn[2:6]} {hn[6:]}"),
            ("intl-mobile", f"+84 {m[:2]} {m[2:5]} {m[5:]}"), ("intl-compact", "+84" + m)]


def us_more():
    area = random.choice(["214", "302", "412", "480", "615", "720", "858", "971"])
    ex, line = digits(1, D29) + digits(1, "02345678") + digits(1), digits(4)
    return [("parens-dash", f"({area})-{ex}-{line}"), ("trunk-parens", f"1 ({area}) {ex}-{line}"),
            ("intl-dots-space", f"+1 {area}.{ex}.{line}"), ("intl-digits", f"1{area}{ex}{line}")]


def gb_more():
    m = random.choice(["7400", "7500", "7712", "7800", "7900", "7957", "7723"]) + digits(6)
    ldn = "20" + random.choice("378") + digits(7)
    return [("london-parens", f"(0{ldn[:2]}) {ldn[2:6]} {ldn[6:]}"), ("mobile-dash", f"0{m[:4]}-{m[4:]}"),
            ("intl-trunk-mobile", f"+44 (0) {m[:4]} {m[4:]}"), ("intl-digits", "44" + m)]


def de_more():
    sub = digits(8, D29)
    mob = random.choice(["151", "152", "157", "160", "162", "170", "172", "176", "178"]) + digits(8, "123456789")
    return [("slash-spaced", f"030 / {sub[:3]} {sub[3:6]} {sub[6:]}"),
            ("mobile-spaced", f"0{mob[:3]} {mob[3:6]} {mob[6:]}"),
            ("intl-trunk-spaced", f"+49 (0) 30 {sub[:4]} {sub[4:]}"), ("intl-digits", "49" + mob)]


def jp_more():
    tokyo, tail = digits(4, D29), digits(4)
    mob = random.choice(["90", "80", "70"]) + digits(4, "123456789") + digits(4)
    return [("tokyo-spaces", f"03 {tokyo} {tail}"), ("intl-trunk-tokyo", f"+81 (0)3-{tokyo}-{tail}"),
            ("intl-mobile-dashes", f"+81 {mob[:2]}-{mob[2:6]}-{mob[6:]}"), ("intl-digits", "81" + mob)]


NEW = {"FI": fi, "GR": gr, "CZ": cz, "HU": hu, "RO": ro, "IL": il, "TH": th, "MY": my, "CL": cl, "CO": co,
       "AE": ae, "VN": vn}
MORE = {"US": us_more, "GB": gb_more, "DE": de_more, "JP": jp_more}
