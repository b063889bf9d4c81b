#!/usr/bin/env python3
"""Writes pii-holdout4.jsonl: the fourth held-out part of the PII corpus, written and committed
before the detector changes it will score. Its own seed and the text of day-to-day operations
that the other parts use little or not at all: support e-mails with quoted replies, chat
transcripts with timestamps, CRM notes in abbreviations, form submissions, URL-encoded bodies,
JSON with nested arrays, nginx, JSON and logfmt log lines, Python and Go logs, spreadsheet rows
(TSV), SMS, voicemail transcriptions, Spanish, German, French, Portuguese and Italian sentences,
and values wrapped in brackets or quotes and closed by . , ; : ! ? ) ] or a line end. Phones come
from eleven countries no other part shows and new layouts of twelve shown ones (pii_phones4);
numbers spelled in words are out of scope and never written. The other kinds come in new layouts,
networks and IBAN countries, and look-alikes in shapes no other part draws (pii_lookalikes4).
Valid values are built by each format's rule (numbering plans, Luhn, mod-97, ABA weights, SSA
ranges); nothing here calls or imports the detectors. Read its scores; never tune on them."""
import json, os, random, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pii_values import digits, group, luhn_complete, iban, aba_valid, ssn_valid, ipv6, hextet
from pii_phones4 import NEW, MORE, IDD_00
import pii_lookalikes4

random.seed(20261209)
rows = []
COUNTRIES = list(NEW) + list(MORE)
URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")


def add(kind, text, value, fmt, region=None):
    if value is not None:
        assert text.count(value) == 1, (text, value)
    row = {"kind": kind, "text": text, "value": value, "format": fmt}
    if region:
        row["region"] = region
    rows.append(row)


def jdump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=random.choice([(", ", ": "), (",", ":")]))


LABEL = {"PHONE": "phone number", "EMAIL": "e-mail address", "CARD": "card number", "SSN": "SSN", "IBAN": "IBAN",
         "ABA": "routing number", "IPV4": "IP address", "IPV6": "IPv6 address"}
KEYS = {"PHONE": ["phone", "mobile", "callback_number"], "EMAIL": ["email", "contact_email", "reply_to"],
        "CARD": ["card_number", "pan"], "SSN": ["ssn", "applicant_ssn"], "IBAN": ["iban", "payout_iban"],
        "ABA": ["routing_number", "aba"], "IPV4": ["client_ip", "remote_addr", "src_ip"],
        "IPV6": ["client_ip", "remote_addr", "src"]}
FORM = {"PHONE": ["Phone", "Mobile number", "Tel\u00e9fono", "Telefon"], "EMAIL": ["Email", "E-Mail", "Correo"],
        "CARD": ["Card number", "N\u00famero de tarjeta"], "SSN": ["SSN", "Social Security Number"],
        "IBAN": ["IBAN", "Bankverbindung (IBAN)"], "ABA": ["Routing number", "ABA routing"],
        "IPV4": ["IP address", "Client IP"], "IPV6": ["IP address", "Client IP"]}
MSG = {"PHONE": "callback requested", "EMAIL": "reply-to changed", "CARD": "payment retried", "SSN": "kyc check",
       "IBAN": "payout account changed", "ABA": "ach return", "IPV4": "login failed", "IPV6": "login failed"}
SAY = {"PHONE": ["my new number is {v}", "you can reach me on {v} after 6pm", "pls call me back on {v}",
                 "best number is {v}, mornings only", "I'm on {v} all week", "call {v}: that's my direct line",
                 "new number {v}!"],
       "EMAIL": ["please send the invoice to {v}", "my e-mail changed, it's {v} now", "cc {v} on the next update pls",
                 "use {v}, the old inbox is closed", "write to {v}: she handles billing"],
       "CARD": ["the card I used was {v}", "please charge {v} instead", "refund it to the card {v} pls",
                "charge {v}: the other one expired"],
       "SSN": ["my SSN is {v}", "the SSN on the W-2 should be {v}", "for the tax form, SSN {v}",
               "SSN {v}: please update the form"],
       "IBAN": ["please refund to my IBAN {v}", "new bank account, IBAN {v}", "IBAN for the transfer is {v}",
                "use IBAN {v}: the old account is closed"],
       "ABA": ["the routing number is {v}", "for direct deposit use routing {v}", "the bank's ABA is {v}",
               "routing number {v}: not the old one!"],
       "IPV4": ["my IP shows as {v}", "the VPN gives me {v}", "blocked again, my address is {v}",
                "I'm on {v}: please allowlist it", "still blocked on {v}!"],
       "IPV6": ["my IPv6 address is {v}", "the router says {v}", "login fails from {v}",
                "please allowlist {v}!"]}
CRM = {"PHONE": ["12/09 LVM, cx req cb on {v} re: inv. pls f/u ASAP \u2013 JR", "Spoke w/ cx; new cb # {v}; acct upd.",
                 "cx unreachable on old #, use {v} (pref. WhatsApp) \u2013 MK",
                 "FYI DM wants mtg nxt wk, call {v} b4 Fri"],
       "EMAIL": ["cx prefers email, use {v} (not the old one) \u2013 JR", "bounced x2, upd. to {v} per cx",
                 "Sent quote to {v}, awaiting PO \u2013 MK"],
       "CARD": ["cx read CC# {v} over ph, DO NOT store \u2013 esc. T2", "pmt failed, cx gave alt card {v}; retry EOD"],
       "SSN": ["cx verif'd SSN {v} per W-9; OK to proc.", "KYC: SSN {v} matches ID, appr'd \u2013 TL"],
       "IBAN": ["refund via SEPA to {v} appr'd by TL", "cx upd. bank det.: {v}; 2nd check req'd",
                "pls wire bal. to {v} by EOW"],
       "ABA": ["DD upd.: RTN {v}, acct on file; conf w/ cx", "ACH ret'd R03, cx says routing {v} is corr."],
       "IPV4": ["cx VPN exit IP {v}, whitelisted per req \u2013 SecOps", "susp. login fr. {v}, pwd reset sent"],
       "IPV6": ["cx IPv6 {v} added to allowlist \u2013 NetOps", "geo-blk false pos. for {v}, esc. T2"]}
LANG = {"PHONE": {"es": ["Ll\u00e1mame al {v} cuando puedas, por favor.", "Mi nuevo n\u00famero es {v}."],
                  "de": ["Bitte um R\u00fcckruf unter {v}.", "Meine neue Handynummer: {v}"],
                  "fr": ["Vous pouvez me joindre au {v} !", "Mon num\u00e9ro : {v}, merci."],
                  "pt": ["Me liga no {v}, por favor.", "O meu telem\u00f3vel \u00e9 {v}."],
                  "it": ["Chiamami al {v} dopo le sei.", "Il mio cellulare \u00e8 {v}."]},
        "EMAIL": {"es": ["Mi correo es {v}."], "de": ["Meine E-Mail-Adresse lautet {v}."],
                  "fr": ["\u00c9crivez-moi \u00e0 {v} !"], "pt": ["Meu e-mail \u00e9 {v}."],
                  "it": ["La mia email \u00e8 {v}."]},
        "CARD": {"es": ["El n\u00famero de la tarjeta es {v}."], "de": ["Kartennummer: {v}"],
                 "fr": ["Num\u00e9ro de carte : {v}"], "pt": ["O n\u00famero do cart\u00e3o \u00e9 {v}."],
                 "it": ["Numero della carta: {v}."]},
        "IBAN": {"es": ["Mi IBAN es {v}."], "de": ["Bitte \u00fcberweisen Sie auf {v}."], "fr": ["Mon IBAN : {v}"],
                 "pt": ["Segue o IBAN {v}."], "it": ["L'IBAN \u00e8 {v}."]},
        "IPV4": {"es": ["La IP del servidor es {v}."], "de": ["Zugriff von {v} blockiert."],
                 "fr": ["Connexion refus\u00e9e depuis {v}."], "pt": ["Acesso negado para {v}."],
                 "it": ["Accesso bloccato da {v}."]},
        "SSN": {"es": ["Mi n\u00famero de Seguro Social es {v}."],
                "pt": ["Meu n\u00famero do Seguro Social \u00e9 {v}."]},
        "ABA": {"es": ["El n\u00famero de ruta (routing) es {v}."], "pt": ["O routing number do banco \u00e9 {v}."]}}
LANG["IPV6"] = LANG["IPV4"]
COUNTRY_LANG = {"PE": "es", "UY": "es", "ES": "es", "MX": "es", "BR": "pt", "PT": "pt", "MA": "fr", "FR": "fr",
                "LU": "fr", "DE": "de", "CH": "de", "IT": "it"}
LEADS = {"PHONE": ["New number:", "Tel.", "Handy:", "N\u00famero:", "Portable :", "Cellulare:"],
         "EMAIL": ["Mail:", "E-Mail:", "Correo:", "Courriel :", "reply to"], "CARD": ["Card:", "Karte:", "Tarjeta:"],
         "SSN": ["SSN:", "Social:"], "IBAN": ["IBAN:", "Konto:", "Cuenta:"], "ABA": ["Routing:", "ABA:"],
         "IPV4": ["IP:", "from", "desde"], "IPV6": ["IPv6:", "from", "depuis"]}
QUESTION = {"PHONE": "Is this still your number:", "EMAIL": "Is this the right address:",
            "CARD": "Which card, this one:", "SSN": "Is the SSN", "IBAN": "Is the IBAN",
            "ABA": "Is the routing number", "IPV4": "Is the IP", "IPV6": "Is the address"}
BARE = ("", "")
# (wrapper, what follows it): every closing mark straight after a bare value (twice as often), then after brackets
# and quotes
BARE_CLOSINGS = [(BARE, "."), (BARE, ","), (BARE, ";"), (BARE, ":"), (BARE, "!"), (BARE, "?"), (BARE, ")"),
                 (BARE, "]"), (BARE, "\n"), (BARE, "")]
CLOSINGS = BARE_CLOSINGS + [
    (("(", ")"), "."), (('"', '"'), ","), (("[", "]"), ";"), (("\u201c", "\u201d"), "!"), (("\u201e", "\u201c"), "."),
    (("\u00ab ", " \u00bb"), "?"), (("<", ">"), ","), (("`", "`"), ":"), (("*", "*"), "\n"), (("'", "'"), ")")
] + BARE_CLOSINGS
CLOSING_TURN = {}


def quoted_reply(kind, v):
    say = random.choice(SAY[kind]).replace("{v}", v)
    stop = "" if say.endswith("!") else "."
    return random.choice([
        f"Hi Leo,\n\n{say[0].upper() + say[1:]}{stop}\n\nThanks,\nMarta\n\n"
        f"> On Mon, 8 Dec 2026 at 17:05, Acme Support wrote:"
        f"\n> Could you send us your current {LABEL[kind]}?\n> Kind regards, Leo",
        f"Thanks Marta, updated on our side.\n\n> On Tue, 9 Dec 2026 at 09:12, Marta Ruiz wrote:\n> Hi, {say}\n> Marta",
        f"Forwarding for visibility.\n\n> On Tue, 9 Dec 2026 at 10:02, Leo wrote:\n> See below.\n>\n"
        f"> > On Tue, 9 Dec 2026 at 09:12, Marta Ruiz wrote:\n> > {say}\n> > Marta"])


def chat(kind, v):
    say = random.choice(SAY[kind]).replace("{v}", v)
    return random.choice([
        f"[09:41] Leo (Acme): could you confirm your {LABEL[kind]}?\n[09:42] Marta: {say}",
        f"09/12/2026, 09:41 - Leo Acme: Hola Marta!\n09/12/2026, 09:42 - Marta Ruiz: {say}",
        f"2026-12-09 09:42:13 <marta> {say}\n2026-12-09 09:42:40 <leo> thx, updated",
        f"(09:42:13 AM) Marta: {say}\n(09:42:40 AM) Leo: got it"])


def crm(kind, v):
    return random.choice(CRM[kind]).replace("{v}", v)


def form(kind, v):
    label = random.choice(FORM[kind])
    return random.choice([
        f"New submission \u2014 Contact us\nName: Marta Ruiz\nCompany: Acme Andina SAC\n{label}: {v}\n"
        f"Message: please get back to me this week\nConsent: yes",
        f"Form: Payout details (id f_8841)\nFull name: Luis Fern\u00e1ndez\n{label}: {v}\n"
        f"Submitted: 2026-12-09 09:42 UTC"])


def urlencoded(kind, v, key):
    return random.choice([
        f"POST /forms/contact HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\n"
        f"name=Marta+Ruiz&company=Acme&{key}={v}&consent=on",
        f"name=Luis+Fern%C3%A1ndez&{key}={v}&lang=es&submit=Enviar"])


def json_nested(kind, v, key):
    return jdump(random.choice([
        {"lead": {"name": "Marta Ruiz", "contacts": [{"type": key, "values": [v]}]}, "tags": ["web", "es"]},
        {"data": [{"id": "c_17", "attributes": {"fields": [{"key": key, "value": v},
                                                           {"key": "tier", "value": "gold"}]}}]},
        {"batch": "b-3", "rows": [["Marta Ruiz", v, "open"]]}]))


def log_json(kind, v, key):
    return jdump({"ts": "2026-12-09T09:42:11.204Z", "level": "warn", "logger": "crm.sync", "msg": MSG[kind],
                  "ctx": {"lead": "c_17", "changes": [{"field": key, "new": v}]}})


def logfmt(kind, v, key):
    shown = f'"{v}"' if " " in v else v
    return f'ts=2026-12-09T09:42:11Z level=info svc=crm msg="{MSG[kind]}" {key}={shown} lead=c_17'


def log_python(kind, v, key):
    return f"2026-12-09 09:42:11,204 WARNING [crm.sync] lead c_17: {key} set to {v}"


def log_go(kind, v, key):
    shown = f'"{v}"' if " " in v else v
    return f"2026/12/09 09:42:11 sync.go:142: lead c_17 {key}={shown}"


def tsv(kind, v, key):
    if kind.startswith("IPV"):
        return f"time\t{key}\taction\n09:42:11\t{v}\tdeny"
    return f"lead_id\tname\t{key}\tstage\nc_17\tMarta Ruiz\t{v}\tqualified"


def sms(kind, v):
    say = random.choice(SAY[kind]).replace("{v}", v)
    return random.choice([f"SMS from Marta (09:42): {say}", f"[SMS] Luis 09/12 18:03 \u2014 {say}",
                          f"Text from Kateryna: hi!! {say} thx"])


def voicemail(kind, v):
    return random.choice([
        f'Voicemail from {v} (0:38). Transcription: "Hi, this is Marta from Acme Andina, please call me back about '
        f'the invoice. Thanks."',
        f'New voicemail (0:21) \u2014 transcription: "Hello, it\'s Tom, call me back at {v} when you get a chance, '
        f'thanks."',
        f'Voicemail transcript, 09:42: "Hola, soy Luis, ll\u00e1mame al {v}, gracias."'])


def multilingual(kind, v, country=None):
    langs = LANG[kind]
    lang = COUNTRY_LANG.get(country) if COUNTRY_LANG.get(country) in langs else random.choice(sorted(langs))
    return random.choice(langs[lang]).replace("{v}", v)


def wrapped(kind, v):
    closings = [c for c in CLOSINGS if not (kind == "IPV6" and c == (BARE, ":"))]
    turn = CLOSING_TURN.setdefault(kind, random.randrange(len(closings)))
    CLOSING_TURN[kind] = turn + 1
    (opener, closer), end = closings[turn % len(closings)]
    lead = random.choice(LEADS[kind])
    if end == "?":
        return f"{QUESTION[kind]} {opener}{v}{closer}?"
    if end in (")", "]"):
        start = "(" if end == ")" else "["
        return f"{start}{lead} {opener}{v}{closer}{end} {random.choice(['thanks', 'see above', 'gracias'])}"
    if end == "\n":
        return f"{lead} {opener}{v}{closer}\n{random.choice(['Thanks!', 'Danke', 'Merci'])}"
    return f"{lead} {opener}{v}{closer}{end}{random.choice([' thanks', ' bis morgen', '', ' ok?'])}".rstrip()


def nginx(kind, v, which=None):
    ua = random.choice(["curl/8.5.0", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like"
                        " Gecko) Version/17.2 Safari/605.1.15"])
    lines = [
        f'{v} - - [09/Dec/2026:10:14:22 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "{ua}"',
        f'2026/12/09 10:14:22 [error] 2231#2231: *4412 open() "/usr/share/nginx/html/wp-login.php" failed (2: No such '
        f'file or directory), client: {v}, server: shop.example.com, request: "GET /wp-login.php HTTP/1.1", host: '
        f'"shop.example.com"',
        jdump({"time_local": "09/Dec/2026:10:14:22 +0000", "remote_addr": v, "request": "POST /api/login HTTP/2.0",
               "status": 401, "body_bytes_sent": 87, "request_time": 0.012})]
    return lines[which] if which is not None else random.choice(lines)


def link(kind, v):
    if v.startswith("+"):
        return random.choice([f"tel:{v}", f"sms:{v}?body=Hola", f'<a href="tel:{v}">Llamar</a>',
                              f"[Call us](tel:{v})"])
    return random.choice([f"https://wa.me/{v}", f"https://wa.me/{v}?text=Hola%20Luis",
                          f"https://api.whatsapp.com/send?phone={v}&text=hi", f"Chat with us: wa.me/{v}"])


NARRATIVE = {"quoted-reply": quoted_reply, "chat": chat, "crm": crm, "form": form, "sms": sms, "wrapped": wrapped}
STRUCTURED = {"urlencoded": urlencoded, "json-nested": json_nested, "log-json": log_json, "logfmt": logfmt,
              "log-python": log_python, "log-go": log_go, "tsv": tsv}
USED = {}


def styles_for(kind, value, layout=None):
    if layout == "intl-digits" or (kind == "PHONE" and re.match(r"^\+\d+$", value)):
        return ["link"]
    names = list(NARRATIVE) + list(STRUCTURED) + ["multilingual"]
    if not URL_SAFE.match(value) or kind == "EMAIL":
        names.remove("urlencoded")
    if kind == "PHONE":
        names.append("voicemail")
    if kind.startswith("IPV"):
        names.append("nginx")
    return names


WEIGHT = {"wrapped": 4}


def choose_style(kind, names):
    used = USED.setdefault(kind, {})
    low = min(used.get(n, 0) / WEIGHT.get(n, 1) for n in names)
    style = random.choice([n for n in names if used.get(n, 0) / WEIGHT.get(n, 1) == low])
    used[style] = used.get(style, 0) + 1
    return style


def render(kind, value, country=None, layout=None):
    """The text for one value in a style drawn evenly from those that fit it, and the style's name."""
    style = choose_style(kind, styles_for(kind, value, layout))
    if style == "link" and layout == "intl-digits" and USED[kind]["link"] % 3 == 0:
        return random.choice([
            f'ts=2026-12-09T09:42:11Z level=info svc=sms msg="delivered" msisdn={value} parts=1',
            jdump({"contacts": [{"wa_id": value, "profile": {"name": "Marta Ruiz"}}], "messages": [{"type": "text"}]})
        ]), "sms-gateway"
    key = random.choice(KEYS[kind])
    if style in STRUCTURED:
        return STRUCTURED[style](kind, value, key), style
    if style == "multilingual":
        return multilingual(kind, value, country), style
    if style == "voicemail":
        return voicemail(kind, value), style
    if style == "nginx":
        return nginx(kind, value), style
    if style == "link":
        return link(kind, value), style
    return NARRATIVE[style](kind, value), style


def phone_rows():
    for plans in (NEW, MORE):
        for region, plan in plans.items():
            for layout, value in plan():
                if value.startswith("00"):
                    desk = random.choice(IDD_00)
                elif layout == "cc-parens" and not value.startswith("(+"):
                    desk = region
                elif value.startswith(("+", "(+")) or layout == "intl-digits":
                    desk = random.choice([region, "US", random.choice(COUNTRIES)])
                else:
                    desk = region
                add("PHONE", render("PHONE", value, region, layout)[0], value, f"phone:{region}:{layout}", desk)


def ssn_rows():
    for sep, name, count in [("-", "hyphens", 10), ("", "none", 5), (" ", "spaces", 5)]:
        for _ in range(count):
            value = sep.join(ssn_valid())
            add("SSN", render("SSN", value)[0], value, f"ssn:{name}")


def aba_rows():
    shapes = [("plain", lambda v: v, 8), ("dashes", lambda v: f"{v[:3]}-{v[3:6]}-{v[6:]}", 3),
              ("spaces", lambda v: f"{v[:3]} {v[3:6]} {v[6:]}", 3)]
    for name, shape, count in shapes:
        for _ in range(count):
            value = shape(aba_valid())
            add("ABA", render("ABA", value)[0], value, f"aba:{name}")
    for _ in range(2):
        value = aba_valid()
        text = random.choice([f"Cheque OCR: \u2446{value}\u2446 1042",
                              f"MICR line read as \u2446{value}\u2446, routing ok"])
        add("ABA", text, value, "aba:micr")


def card_rows():
    networks = [("mir", "220" + str(random.randint(0, 4)), 16, [4, 4, 4, 4]),
                ("maestro", "6759", 19, [4, 4, 4, 4, 3]), ("troy", "9792", 16, [4, 4, 4, 4]),
                ("verve", "5061", 19, [4, 4, 4, 4, 3]), ("elo", "636368", 16, [4, 4, 4, 4]),
                ("hipercard", "606282", 16, [4, 4, 4, 4]), ("rupay", "6521", 16, [4, 4, 4, 4]),
                ("visa", "4", 16, [4, 4, 4, 4])]
    for network, prefix, length, sizes in networks:
        for sep, name in [(" ", "spaces"), ("", "compact")]:
            value = group(luhn_complete(prefix, length), sizes, sep)
            add("CARD", render("CARD", value)[0], value, f"card:{name}")
    for prefix in ["4", "5" + random.choice("12345")]:
        value = group(luhn_complete(prefix, 16), [4, 4, 4, 4], "\u00a0")
        add("CARD", render("CARD", value)[0], value, "card:nbsp")


def iban_rows():
    plans = [("LU", lambda: digits(3) + digits(13)), ("SK", lambda: digits(20)), ("SA", lambda: digits(2) + digits(18)),
             ("PK", lambda: random.choice(["SCBL", "HABB", "MUCB", "UNIL", "ABPA"]) + digits(16)),
             ("UA", lambda: "3" + digits(5) + digits(19)), ("EG", lambda: digits(25)),
             ("BG", lambda: random.choice(["BNBG", "UNCR", "STSA", "FINV"]) + digits(4) + digits(2) + digits(8)),
             ("LT", lambda: random.choice("17") + digits(4) + digits(11)), ("DK", lambda: digits(14)),
             ("SE", lambda: random.choice("5689") + digits(19)),
             ("BR", lambda: digits(8) + digits(5) + digits(10) + random.choice("CP") + random.choice("12")),
             ("MT", lambda: random.choice(["MALT", "VALL"]) + digits(5) + digits(18))]
    plans += [plans[0], plans[10], plans[4], plans[2]]
    for i, (country, bban) in enumerate(plans):
        value = iban(country, bban())
        grouped = i % 2 == 0
        if grouped:
            value = " ".join(value[j:j + 4] for j in range(0, len(value), 4))
        add("IBAN", render("IBAN", value)[0], value, f"iban:{'grouped' if grouped else 'compact'}")


def ipv4_host():
    """A unicast host address: no 0.x, loopback, multicast or reserved first octet, no .0 or .255 host."""
    first = random.choice([n for n in range(1, 224) if n != 127])
    return f"{first}.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def ipv6_host(form):
    """pii_values.ipv6, redrawn until a full or uncompressed address falls in global unicast (2000::/3) and
    an embedded IPv4 address is a unicast host."""
    def host(value):
        if form in ("full", "uncompressed"):
            return 0x2000 <= int(value.split(":")[0], 16) <= 0x3FFF
        if "." in value:
            first = int(value.split(":")[-1].split(".")[0])
            return 0 < first < 224 and first != 127 and not value.endswith((".0", ".255"))
        return True
    value = ipv6(form)
    while not host(value):
        value = ipv6(form)
    return value


def ipv6_new(form):
    h = hextet
    if form == "global":
        prefix = random.choice(["2a02:8108", "2600:1700", "2804:14c", "2406:da18", "2a01:e0a", "2001:818"])
        return prefix + ":" + ":".join(h() for _ in range(6))
    if form == "ula":
        return f"fd{random.randint(0, 255):02x}:{h()}:{h()}:{h()}::{h()}"
    if form == "zeros-kept":
        return f"2001:db8:0:{h()}:0:0:{h()}:{h()}"
    if form == "compressed-upper":
        return f"2001:DB8:{h()}::{h()}:{h()}".upper()
    raise ValueError(form)


def address_rows():
    for which, form in enumerate(["global", "zeros-kept"]):
        value = ipv6_new(form)
        add("IPV6", nginx("IPV6", value, which), value, f"ipv6:{form}")
    for form in ["full", "compressed", "link-local", "mapped", "embedded", "nat64", "uncompressed"]:
        value = ipv6_host(form)
        add("IPV6", render("IPV6", value)[0], value, f"ipv6:{form}")
    for form in ["global", "global", "global", "ula", "ula", "ula", "zeros-kept", "compressed-upper",
                 "compressed-upper"]:
        value = ipv6_new(form)
        add("IPV6", render("IPV6", value)[0], value, f"ipv6:{form}")
    for which in range(3):
        value = ipv4_host()
        add("IPV4", nginx("IPV4", value, which), value, "ipv4:nginx")
    for _ in range(15):
        value = ipv4_host()
        text, style = render("IPV4", value)
        add("IPV4", text, value, f"ipv4:{style}")


def email_rows():
    users = ["marta.ruiz", "j.mueller", "luis_fernandez", "chen.wei", "a.benali", "ops-billing", "Kateryna.K",
             "ahmed+invoices", "m.rossi93", "JOAO.SILVA", "t.oleksiuk", "farah-k"]
    domains = ["example.com.pe", "example.com.uy", "eu.example-corp.lu", "example.ma", "mail.example.com.hk",
               "example.com.tw", "example.sk", "example.com.eg", "corp.example.sa", "example.pk", "example.com.ua",
               "xn--bcher-kva.example"]
    for i in range(17):
        value = f"{users[i % len(users)]}@{domains[(i * 5 + i // len(users)) % len(domains)]}"
        text, style = render("EMAIL", value)
        add("EMAIL", text, value, f"email:{style}")
    value = "info@m\u00fcller-b\u00e4ckerei.de"
    add("EMAIL", f"Bestellungen bitte an {value} schicken.", value, "email:idn")


LOOKALIKE_STYLES = {
    "quoted-reply": lambda t, v: f"Thanks, that helps.\n\n> On Mon, 8 Dec 2026 at 17:05, Marta Ruiz wrote:\n"
                                 f"> The {t} on my side is {v}, is that right?\n> Marta",
    "quoted-nested": lambda t, v: f"Hi Leo,\n\nStill seeing {v} as the {t} here.\n\n> Could you check the {t} again?"
                                  f"\n> > It should be fine now.",
    "chat": lambda t, v: random.choice([f"[09:41] Leo (Acme): which {t} do you see?\n[09:42] Marta: {v}",
                                        f"09/12/2026, 09:42 - Marta Ruiz: {t} {v} \U0001f44d",
                                        f"2026-12-09 09:42:13 <marta> {t} is {v}"]),
    "crm": lambda t, v: random.choice([f"12/09 cx called re: {t} {v}; adv'd to wait 24h, f/u Thu \u2013 LR",
                                       f"Spoke w/ cx. {t}: {v}. No action req'd, tkt closed."]),
    "form": lambda t, v: f"Subject: Order question\n{t[0].upper() + t[1:]}: {v}\nMessage: see above, thx",
    "json-nested": lambda t, v: jdump({"items": [{"field": t, "values": [v], "tags": ["ops"]}],
                                       "page": {"next": None}}),
    "log-json": lambda t, v: jdump({"ts": "2026-12-09T09:42:11.204Z", "level": "info", "msg": "recorded",
                                    "attrs": [{"k": t, "v": v}]}),
    "logfmt": lambda t, v: f'ts=2026-12-09T09:42:11Z level=info msg="{t} recorded" value="{v}"',
    "log-python": lambda t, v: f"2026-12-09 09:42:11,204 INFO [ops] {t} {v}",
    "tsv": lambda t, v: f"id\t{t}\tstatus\n17\t{v}\tok",
    "sms": lambda t, v: f"SMS 09:42 from Acme: your {t} is {v}. Reply STOP to opt out",
    "voicemail": lambda t, v: f'Voicemail (0:41), transcription: "Hi, it\'s Leo from the warehouse, the {t} is {v}, '
                              f'call back if anything is off."',
    "multilingual": lambda t, v: random.choice([f"\u00bfMe confirmas el {t} {v}?", f"Laut System: {t} {v}.",
                                                f"Le {t} indiqu\u00e9 est {v} !", f"O {t} correto \u00e9 {v}.",
                                                f"Il {t} risulta {v}."]),
    "wrapped": lambda t, v: random.choice([f"{t[0].upper() + t[1:]}: ({v}).", f'{t} "{v}";', f"[{t} {v}]",
                                           f"{t} \u00ab {v} \u00bb !", f"{t}: `{v}`?", f"({t}: {v})"]),
}


def lookalike_rows(per_shape):
    for fmt, family, label, make, only in pii_lookalikes4.SHAPES:
        for _ in range(per_shape):
            value = make()
            names = [s for s in LOOKALIKE_STYLES if (s != "logfmt" or '"' not in value)
                     and not (family == "geo" and s in ("crm", "sms"))]
            if URL_SAFE.match(value):
                names.append("urlencoded")
            style = choose_style("lookalike", names)
            if style == "urlencoded":
                key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
                text = f"{key}={value}&lang=es&submit=Enviar"
            else:
                text = LOOKALIKE_STYLES[style](label, value)
            add(None, text, None, f"lookalike:{fmt}", random.choice(only or COUNTRIES))


phone_rows()
ssn_rows()
aba_rows()
card_rows()
iban_rows()
address_rows()
email_rows()
lookalike_rows(3)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-holdout4.jsonl"), "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
print(len(rows), sum(1 for r in rows if r["kind"]), "positives")
