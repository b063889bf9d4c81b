#!/usr/bin/env python3
"""The far side of http_callout in the integration tests: an HTTP server on loopback that
echoes what it got, redirects to itself or elsewhere, answers too much, fails, or stalls the
first request to /stall until released, and counts every request by path."""
import argparse
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

counts = {}
last_authorization = {"value": None}
lock = threading.Lock()
release = threading.Event()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, payload, content_type="application/json", headers=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the caller died mid-request: what the kill test does

    def handle_any(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if url.path == "/_count":
            with lock:
                return self.answer(200, {"counts": counts, "authorization": last_authorization["value"]})
        if url.path == "/_release":
            release.set()
            return self.answer(200, {})
        with lock:
            counts[url.path] = counts.get(url.path, 0) + 1
            last_authorization["value"] = self.headers.get("Authorization")
            first = counts[url.path] == 1
        port = self.server.server_address[1]
        if url.path == "/echo":
            return self.answer(200, {"method": self.command, "query": url.query, "body": body,
                                     "headers": {k: v for k, v in self.headers.items()}})
        if url.path == "/redirect-here":
            return self.answer(302, {}, headers={"Location": "/echo?followed=1"})
        if url.path == "/redirect-away":
            return self.answer(302, {}, headers={"Location": f"http://localhost:{port}/echo"})
        if url.path == "/redirect-loop":
            return self.answer(302, {}, headers={"Location": "/redirect-loop"})
        if url.path == "/big":
            return self.answer(200, b"x" * (2 << 20), content_type="text/plain")
        if url.path == "/fail":
            return self.answer(500, {"error": "broken"})
        if url.path == "/slow":
            release.wait(10)
            return self.answer(200, {"late": True})
        if url.path == "/stall":
            if first:
                release.wait(60)
            return self.answer(200, {"done": True})
        return self.answer(404, {"error": "no such path"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
