"""Phone plans for the fourth held-out part: eleven countries no other part shows (NEW), and
layouts of twelve shown countries that no other part writes (MORE). Each maker returns
(layout, value) pairs drawn from the country's published numbering plan (mobile and city
prefixes, subscriber lengths, trunk prefix). Layouts named `intl-digits` are the international
number without `+`, as wa.me links take it; `intl-00` is the number dialled from a country whose
international prefix is 00; `cc-parens` is the country code in brackets, as business cards in
Spain, Italy, Portugal and Hong Kong print it. Every value the generator writes was checked once,
while this file was written, to be a valid number of its country in libphonenumber's metadata;
the generator itself runs neither Loom nor libphonenumber."""
import random
from pii_values import digits

D29 = "23456789"


def pe():
    m = "9" + digits(8)
    lima = "1" + digits(1, "2345678") + digits(6)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", m),
            ("lima-parens", f"(01) {lima[1:4]} {lima[4:]}"), ("intl-mobile", f"+51 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-lima", f"+51 1 {lima[1:4]} {lima[4:]}"), ("intl-00", f"0051 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-digits", "51" + m)]


def uy():
    m = "9" + random.choice("134589") + digits(6)
    mvd = "2" + digits(1, "3456789") + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("mobile-compact", "0" + m),
            ("montevideo", f"{mvd[:4]} {mvd[4:]}"), ("intl-mobile", f"+598 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-montevideo", f"+598 {mvd[:4]} {mvd[4:]}"), ("intl-digits", "598" + m)]


def ma():
    m = "6" + random.choice(["00", "10", "11", "12", "15", "16", "41", "50", "61", "66", "70", "99"]) + digits(6)
    casa = "52" + random.choice("29") + random.choice("0125679") + digits(5)
    return [("mobile-dash", f"0{m[:3]}-{m[3:]}"), ("mobile-pairs", f"0{m[0]} {m[1:3]} {m[3:5]} {m[5:7]} {m[7:]}"),
            ("casablanca-pairs", f"0{casa[:3]} {casa[3:5]} {casa[5:7]} {casa[7:]}"),
            ("intl-mobile", f"+212 {m[0]} {m[1:3]} {m[3:5]} {m[5:7]} {m[7:]}"), ("intl-compact", "+212" + m),
            ("intl-digits", "212" + m)]


def lu():
    m = random.choice(["621", "628", "661", "668", "691", "698"]) + digits(6)
    return [("mobile", f"{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", m),
            ("intl-mobile", f"+352 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-00", f"00352 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-digits", "352" + m)]


def hk():
    m = random.choice(["94", "96", "97", "61", "63", "64", "65", "69"]) + digits(6)
    land = "2" + random.choice("13456789") + digits(6)
    return [("mobile", f"{m[:4]} {m[4:]}"), ("landline", f"{land[:4]} {land[4:]}"),
            ("intl-mobile", f"+852 {m[:4]} {m[4:]}"), ("intl-dash", f"+852-{land[:4]}-{land[4:]}"),
            ("cc-parens", f"(852) {land[:4]} {land[4:]}"), ("intl-compact", "+852" + m), ("intl-digits", "852" + m)]


def tw():
    m = "9" + digits(1, "12345678") + digits(7)
    tpe = "2" + digits(1, "2345678") + digits(7)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-dashes", f"0{m[:3]}-{m[3:6]}-{m[6:]}"),
            ("taipei-parens", f"(02) {tpe[1:5]}-{tpe[5:]}"), ("taipei-dash", f"02-{tpe[1:5]}-{tpe[5:]}"),
            ("intl-mobile", f"+886 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-taipei", f"+886 2 {tpe[1:5]} {tpe[5:]}"),
            ("intl-digits", "886" + m)]


def sk():
    m = random.choice(["901", "902", "903", "904", "905", "906", "907", "908", "910", "911", "914", "915", "916",
                       "917", "918", "940", "944", "948", "949", "950"]) + digits(6)
    ba = "2" + digits(1, D29) + digits(7)
    return [("mobile", f"0{m[:3]} {m[3:6]} {m[6:]}"), ("mobile-compact", "0" + m),
            ("bratislava-slash", f"02/{ba[1:5]} {ba[5:]}"), ("intl-mobile", f"+421 {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-00", f"00421 {m[:3]} {m[3:6]} {m[6:]}"), ("intl-bratislava", f"+421 2 {ba[1:5]} {ba[5:]}")]


def eg():
    m = "1" + random.choice("0125") + digits(8)
    cai = "2" + random.choice("234") + digits(7)
    return [("mobile", f"0{m[:2]} {m[2:6]} {m[6:]}"), ("mobile-compact", "0" + m),
            ("cairo", f"02 {cai[1:5]} {cai[5:]}"), ("intl-mobile", f"+20 {m[:2]} {m[2:6]} {m[6:]}"),
            ("intl-cairo", f"+20 2 {cai[1:5]} {cai[5:]}"), ("intl-digits", "20" + m)]


def sa():
    m = "5" + random.choice("0345689") + digits(7)
    ruh = "11" + digits(1, D29) + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:]}"), ("mobile-compact", "0" + m),
            ("riyadh", f"0{ruh[:2]} {ruh[2:5]} {ruh[5:]}"), ("intl-mobile", f"+966 {m[:2]} {m[2:5]} {m[5:]}"),
            ("intl-00", f"00966 {m[:2]} {m[2:5]} {m[5:]}"), ("intl-compact", "+966" + m), ("intl-digits", "966" + m)]


def pk():
    m = "3" + random.choice(["00", "01", "03", "05", "08", "11", "12", "15", "21", "22", "33", "35", "45"]) + digits(7)
    khi = "21" + digits(1, "3456") + digits(7)
    return [("mobile-dash", f"0{m[:3]}-{m[3:]}"), ("mobile", f"0{m[:3]} {m[3:]}"),
            ("karachi-dash", f"0{khi[:2]}-{khi[2:]}"), ("intl-mobile", f"+92 {m[:3]} {m[3:]}"),
            ("intl-00", f"0092 {m[:3]} {m[3:]}"), ("intl-compact", "+92" + m), ("intl-digits", "92" + m)]


def ua():
    m = random.choice(["50", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]) + digits(7)
    kyiv = "44" + digits(1, D29) + digits(6)
    return [("mobile", f"0{m[:2]} {m[2:5]} {m[5:7]} {m[7:]}"),
            ("mobile-parens", f"(0{m[:2]}) {m[2:5]}-{m[5:7]}-{m[7:]}"),
            ("kyiv", f"0{kyiv[:2]} {kyiv[2:5]} {kyiv[5:7]} {kyiv[7:]}"),
            ("intl-mobile", f"+380 {m[:2]} {m[2:5]} {m[5:7]} {m[7:]}"), ("intl-compact", "+380" + m),
            ("intl-digits", "380" + m)]


def us_four():
    area = random.choice(["206", "213", "312", "404", "469", "512", "617", "702", "786", "917"])
    ex, line = digits(1, D29) + digits(1, "02345678") + digits(1), digits(4)
    return [("intl-00", f"001 {area} {ex} {line}"), ("parens-spaces", f"({area}) {ex} {line}"),
            ("trunk-dots", f"1.{area}.{ex}.{line}"), ("spaces-dash", f"{area} {ex}-{line}")]


def gb_four():
    mob = random.choice(["7400", "7412", "7500", "7730", "7712", "7800", "7900", "7956"]) + digits(6)
    ldn = random.choice("378") + digits(7)
    city = random.choice(["121", "131", "141", "161", "191"])
    local = digits(1, "234") + digits(6)
    return [("london-dashes", f"020-{ldn[:4]}-{ldn[4:]}"), ("intl-mobile-4-3-3", f"+44 {mob[:4]} {mob[4:7]} {mob[7:]}"),
            ("city-parens", f"(0{city}) {local[:3]} {local[3:]}"), ("intl-00-mobile", f"0044 {mob[:4]} {mob[4:]}")]


def de_four():
    sub = digits(8, D29)
    mob = random.choice(["151", "152", "157", "160", "162", "170", "172", "176", "178"]) + digits(8, "123456789")
    return [("berlin-pairs", f"030 {sub[:2]} {sub[2:4]} {sub[4:6]} {sub[6:]}"),
            ("intl-mobile-4-4", f"+49 {mob[:3]} {mob[3:7]} {mob[7:]}"), ("intl-dashes", f"+49-30-{sub}")]


def fr_four():
    m = random.choice(["6" + random.choice("0124578"), "7" + random.choice("3456789")]) + digits(7)
    pairs = [m[1:3], m[3:5], m[5:7], m[7:]]
    return [("intl-trunk-spaced", f"+33 (0) {m[0]} {' '.join(pairs)}"),
            ("intl-dashes", f"+33-{m[0]}-{'-'.join(pairs)}"),
            ("intl-3-3-3", f"+33 {m[:3]} {m[3:6]} {m[6:]}")]


def es_four():
    m = random.choice(["6", "6", "71", "72", "73", "74"])
    m = m + digits(9 - len(m))
    mad = "91" + digits(1, "2345") + digits(6)
    return [("intl-00", f"0034 {m[:3]} {m[3:5]} {m[5:7]} {m[7:]}"), ("mobile-dashes", f"{m[:3]}-{m[3:6]}-{m[6:]}"),
            ("mobile-compact", m), ("cc-parens", f"(+34) {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-madrid", f"+34 {mad[:2]} {mad[2:5]} {mad[5:7]} {mad[7:]}")]


def it_four():
    m = random.choice(["320", "328", "333", "339", "340", "347", "348", "366", "380", "392"]) + digits(7)
    return [("intl-00", f"0039 {m[:3]} {m[3:6]} {m[6:]}"), ("mobile-dash", f"{m[:3]}-{m[3:]}"),
            ("mobile-slash", f"{m[:3]}/{m[3:]}"), ("cc-parens", f"(+39) {m[:3]} {m[3:6]} {m[6:]}")]


def br_four():
    area = random.choice(["11", "21", "31", "41", "51", "61", "71", "81", "85"])
    mob, tail = "9" + digits(1, "6789") + digits(3), digits(4)
    return [("mobile-9-split", f"({area}) 9 {mob[1:]}-{tail}"), ("intl-spaces", f"+55 {area} {mob} {tail}"),
            ("mobile-parens-spaces", f"({area}) {mob} {tail}")]


def mx_four():
    area = random.choice(["55", "81", "33"])
    a, b = digits(4, "123456789"), digits(4)
    return [("dashes", f"{area}-{a}-{b}"), ("parens-spaces", f"({area}) {a} {b}"),
            ("intl-parens", f"+52 ({area}) {a} {b}"), ("intl-dashes", f"+52-{area}-{a}-{b}")]


def ch_four():
    zrh, mob = digits(7, "2345789"), random.choice(["76", "77", "78", "79"]) + digits(7)
    return [("intl-trunk", f"+41 (0)44 {zrh[:3]} {zrh[3:5]} {zrh[5:]}"),
            ("intl-00", f"0041 {mob[:2]} {mob[2:5]} {mob[5:7]} {mob[7:]}"), ("mobile-compact", "0" + mob)]


def nl_four():
    m, ams = "6" + random.choice("1234558") + digits(7), digits(7, "2345689")
    return [("intl-trunk", f"+31 (0)6 {m[1:]}"), ("intl-00", f"0031 6 {m[1:]}"),
            ("mobile-4-4", f"06 {m[1:5]} {m[5:]}"), ("amsterdam-dash", f"020-{ams}")]


def au_four():
    m = "4" + random.choice("01236") + digits(7)
    return [("mobile-dashes", f"0{m[:3]}-{m[3:6]}-{m[6:]}"), ("intl-trunk", f"+61 (0){m[:3]} {m[3:6]} {m[6:]}"),
            ("mobile-compact", "0" + m), ("intl-digits", "61" + m)]


def pt_four():
    m, lis = "9" + random.choice("1236") + digits(7), "21" + digits(1, "2345678") + digits(6)
    return [("cc-parens", f"(+351) {m[:3]} {m[3:6]} {m[6:]}"),
            ("intl-lisbon-2-3-4", f"+351 {lis[:2]} {lis[2:5]} {lis[5:]}"),
            ("mobile-dashes", f"{m[:3]}-{m[3:6]}-{m[6:]}"), ("intl-digits", "351" + m)]


NEW = {"PE": pe, "UY": uy, "MA": ma, "LU": lu, "HK": hk, "TW": tw, "SK": sk, "EG": eg, "SA": sa, "PK": pk, "UA": ua}
MORE = {"US": us_four, "GB": gb_four, "DE": de_four, "FR": fr_four, "ES": es_four, "IT": it_four, "BR": br_four,
        "MX": mx_four, "CH": ch_four, "NL": nl_four, "AU": au_four, "PT": pt_four}
# Countries whose international prefix is 00: a desk there writes foreign numbers as 00…
IDD_00 = ["PE", "UY", "MA", "LU", "SK", "EG", "SA", "PK", "GB", "DE", "FR", "ES", "IT", "MX", "CH", "NL", "PT"]
