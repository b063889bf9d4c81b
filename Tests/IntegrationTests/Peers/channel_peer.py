#!/usr/bin/env python3
"""Stands in for the messaging providers in integration tests.

Speaks the parts of the real APIs that replies use: Slack chat.postMessage, Twilio's
Messages API, the WhatsApp Cloud API messages endpoint, and SMTP (a real aiosmtpd server).
Records every call; GET /_received returns them. POST /_fail makes the next calls to a path
prefix fail with a status (and Retry-After), to exercise retries.
"""
import argparse
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

received = []
failures = []  # [{"prefix", "status", "count", "retryAfter", "body"}]
lock = threading.Lock()


def record(entry):
    with lock:
        received.append(entry)


class SMTPHandler:
    async def handle_DATA(self, server, session, envelope):
        record({"kind": "smtp", "from": envelope.mail_from, "to": envelope.rcpt_tos,
                "content": envelope.content.decode("utf8", "replace")})
        return "250 Message accepted for delivery"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="application/json", headers=None):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_received":
            with lock:
                self.reply(200, list(received))
        else:
            self.reply(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf8", "replace")
        if self.path == "/_fail":
            with lock:
                failures.append(json.loads(raw))
            return self.reply(200, {"ok": True})
        with lock:
            rule = next((f for f in failures if self.path.startswith(f["prefix"]) and f["count"] > 0), None)
            if rule:
                rule["count"] -= 1
        entry = {"kind": "http", "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": raw,
                 "failed": bool(rule)}
        record(entry)
        if rule:
            headers = {"Retry-After": str(rule["retryAfter"])} if rule.get("retryAfter") is not None else {}
            return self.reply(rule["status"], rule.get("body", {"error": "injected"}), headers=headers)
        if self.path.startswith("/slack/chat.postMessage"):
            body = json.loads(raw)
            if body.get("channel") == "C_GONE":
                return self.reply(200, {"ok": False, "error": "channel_not_found"})
            return self.reply(200, {"ok": True, "channel": body.get("channel"), "ts": "1700000000.%06d" % len(received)})
        if self.path.startswith("/twilio/2010-04-01/Accounts/") and self.path.endswith("/Messages.json"):
            form = dict(urllib.parse.parse_qsl(raw))
            return self.reply(201, {"sid": "SM%030d" % len(received), "to": form.get("To"), "status": "queued"})
        if self.path.startswith("/graph/") and self.path.endswith("/messages"):
            return self.reply(200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT%d" % len(received)}]})
        self.reply(404, {"error": "no such API"})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--http-port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    args = parser.parse_args()
    controller = Controller(SMTPHandler(), hostname="127.0.0.1", port=args.smtp_port)
    controller.start()
    server = ThreadingHTTPServer(("127.0.0.1", args.http_port), Handler)
    print("ready", flush=True)
    try:
        server.serve_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
