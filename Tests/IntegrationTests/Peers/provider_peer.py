#!/usr/bin/env python3
"""Stands in for model providers in integration tests, in their real wire formats.

OpenAI chat completions (POST /v1/chat/completions, and Azure's
/openai/deployments/{name}/chat/completions?api-version=...), OpenAI moderations
(POST /v1/moderations) and Anthropic messages (POST /v1/messages), whole or streamed as
Server-Sent Events exactly as the providers frame them.

Without a script it behaves like a small model: asked about "the status of case X-1" with
tools offered, it calls get_record; asked about "cases X-1 and X-2", it calls get_record for
both in one response; once tool results are in, it answers from them; otherwise it echoes.

Control endpoints:
  POST /_script     {"family": "openai"|"anthropic"|"moderation", "responses": [...]} queues
                    answers used before the default behaviour, each
                    {"status", "headers", "json" | "raw", "delayMs", "stream": [raw SSE text]}
  GET  /_requests   every request received: path, query, headers (lower-case), json body
  GET  /_stats      {"count", "maxInFlight"}
  POST /_reset      forget requests, scripts and stats
"""
import argparse
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
requests = []
scripts = {"openai": [], "anthropic": [], "moderation": []}
stats = {"count": 0, "inFlight": 0, "maxInFlight": 0}
KEYS = {}  # family -> expected key, from the command line


def last_user_text(messages):
    for message in reversed(messages):
        if message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            return content
        texts = [b.get("text", "") for b in content or [] if b.get("type") == "text"]
        if texts:
            return "\n".join(texts)
    return ""


def decide(user_text, tool_names, tool_results):
    """The small model: ("calls", [(name, args)]) or ("text", answer)."""
    if tool_results:
        return "text", "From the records: " + " | ".join(r[:300] for r in tool_results)
    if "get_record" in tool_names:
        pair = re.search(r"cases ([A-Z]-\d+) and ([A-Z]-\d+)", user_text)
        if pair:
            return "calls", [("get_record", {"objectType": "case", "recordId": pair.group(1)}),
                             ("get_record", {"objectType": "case", "recordId": pair.group(2)})]
        single = re.search(r"status of (?:my |the )?case ([A-Z]-\d+)", user_text, re.I)
        if single:
            return "calls", [("get_record", {"objectType": "case", "recordId": single.group(1)})]
    return "text", "Echo: " + user_text


def words(text):
    return re.findall(r"\s*\S+", text) or [text]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm holds the
    # body until the client's delayed ACK (40 ms) and every call looks 40 ms slower.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send_json(self, status, body, headers=None):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def write_event(self, raw, pause=0.0):
        self.wfile.write(raw.encode())
        self.wfile.flush()
        if pause:
            time.sleep(pause)

    def do_GET(self):
        with lock:
            if self.path == "/_requests":
                return self.send_json(200, list(requests))
            if self.path == "/_stats":
                return self.send_json(200, {"count": stats["count"], "maxInFlight": stats["maxInFlight"]})
        self.send_json(404, {"error": {"message": "not found"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf8", "replace")
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path == "/_script":
            body = json.loads(raw)
            with lock:
                scripts[body["family"]].extend(body["responses"])
            return self.send_json(200, {"ok": True})
        if parsed.path == "/_reset":
            with lock:
                requests.clear()
                for queue in scripts.values():
                    queue.clear()
                stats.update(count=0, inFlight=0, maxInFlight=0)
            return self.send_json(200, {"ok": True})
        try:
            body = json.loads(raw)
        except ValueError:
            return self.send_json(400, {"error": {"message": "body is not JSON"}})
        family = ("moderation" if parsed.path.endswith("/moderations")
                  else "anthropic" if parsed.path.endswith("/messages") else "openai")
        with lock:
            requests.append({"path": parsed.path, "query": parsed.query, "family": family,
                             "headers": {k.lower(): v for k, v in self.headers.items()}, "json": body})
            stats["count"] += 1
            stats["inFlight"] += 1
            stats["maxInFlight"] = max(stats["maxInFlight"], stats["inFlight"])
            scripted = scripts[family].pop(0) if scripts[family] else None
        try:
            if not self.authorized(family):
                return
            if scripted is not None:
                return self.play(scripted)
            if family == "moderation":
                return self.moderate(body)
            if family == "anthropic":
                return self.anthropic(body)
            return self.openai(body)
        finally:
            with lock:
                stats["inFlight"] -= 1

    def authorized(self, family):
        expected = KEYS.get("anthropic" if family == "anthropic" else "openai")
        if family == "anthropic":
            given = self.headers.get("x-api-key")
            if not self.headers.get("anthropic-version"):
                self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error",
                                                                 "message": "anthropic-version header is required"}})
                return False
        elif "/deployments/" in self.path:
            given = self.headers.get("api-key")
        else:
            given = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if expected and given != expected:
            if family == "anthropic":
                self.send_json(401, {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}})
            else:
                self.send_json(401, {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}})
            return False
        return True

    def play(self, scripted):
        if scripted.get("delayMs"):
            time.sleep(scripted["delayMs"] / 1000)
        if "stream" in scripted:
            self.start_stream()
            for raw in scripted["stream"]:
                self.write_event(raw, 0.02)
            return
        if "raw" in scripted:
            return self.send_json(scripted.get("status", 200), scripted["raw"], scripted.get("headers"))
        self.send_json(scripted.get("status", 200), scripted.get("json", {}), scripted.get("headers"))

    def moderate(self, body):
        text = body.get("input", "")
        flagged = "FLAGME" in text
        self.send_json(200, {"id": "modr-1", "model": body.get("model") or "omni-moderation-latest", "results": [{
            "flagged": flagged, "categories": {"violence": flagged, "harassment": False},
            "category_scores": {"violence": 0.97 if flagged else 0.01, "harassment": 0.0}}]})

    # OpenAI chat completions

    def openai(self, body):
        messages = body.get("messages", [])
        tools = [t["function"]["name"] for t in body.get("tools") or []]
        results = []
        for message in reversed(messages):
            if message.get("role") != "tool":
                break
            results.insert(0, message.get("content") or "")
        kind, value = decide(last_user_text(messages), tools, results)
        model = body.get("model", "gpt-test")
        usage = {"prompt_tokens": 40 + len(json.dumps(messages)) // 4, "completion_tokens": 12, "total_tokens": 0}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        calls = [{"id": f"call_{i + 1}_{int(time.time() * 1000) % 100000}", "type": "function",
                  "function": {"name": name, "arguments": json.dumps(args)}} for i, (name, args) in enumerate(value)] \
            if kind == "calls" else None
        if not body.get("stream"):
            message = {"role": "assistant", "content": None if calls else value}
            if calls:
                message["tool_calls"] = calls
            return self.send_json(200, {
                "id": "chatcmpl-1", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": message, "logprobs": None,
                             "finish_reason": "tool_calls" if calls else "stop"}],
                "usage": usage})
        self.start_stream()

        def chunk(delta, finish=None, extra=None):
            data = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
            data.update(extra or {})
            return "data: " + json.dumps(data) + "\n\n"

        self.write_event(chunk({"role": "assistant", "content": ""}))
        if calls:
            for i, call in enumerate(calls):
                arguments = call["function"]["arguments"]
                self.write_event(chunk({"tool_calls": [{"index": i, "id": call["id"], "type": "function",
                                                        "function": {"name": call["function"]["name"], "arguments": ""}}]}))
                half = len(arguments) // 2
                for part in (arguments[:half], arguments[half:]):
                    self.write_event(chunk({"tool_calls": [{"index": i, "function": {"arguments": part}}]}), 0.01)
            self.write_event(chunk({}, "tool_calls"))
        else:
            for piece in words(value):
                self.write_event(chunk({"content": piece}), 0.03)
            self.write_event(chunk({}, "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            self.write_event("data: " + json.dumps({"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": model,
                                                    "choices": [], "usage": usage}) + "\n\n")
        self.write_event("data: [DONE]\n\n")

    # Anthropic messages

    def anthropic(self, body):
        if "max_tokens" not in body:
            return self.send_json(400, {"type": "error", "error": {"type": "invalid_request_error",
                                                                   "message": "max_tokens: Field required"}})
        messages = body.get("messages", [])
        tools = [t["name"] for t in body.get("tools") or []]
        results = []
        if messages and messages[-1].get("role") == "user" and isinstance(messages[-1].get("content"), list):
            results = [b.get("content") if isinstance(b.get("content"), str) else json.dumps(b.get("content"))
                       for b in messages[-1]["content"] if b.get("type") == "tool_result"]
        kind, value = decide(last_user_text(messages), tools, results)
        model = body.get("model", "claude-test")
        blocks = [{"type": "tool_use", "id": f"toolu_{i + 1:02d}", "name": name, "input": args}
                  for i, (name, args) in enumerate(value)] if kind == "calls" else [{"type": "text", "text": value}]
        stop = "tool_use" if kind == "calls" else "end_turn"
        input_tokens = 30 + len(json.dumps(messages)) // 4
        if not body.get("stream"):
            return self.send_json(200, {
                "id": "msg_01", "type": "message", "role": "assistant", "model": model, "content": blocks,
                "stop_reason": stop, "stop_sequence": None,
                "usage": {"input_tokens": input_tokens, "output_tokens": 15}})
        self.start_stream()

        def event(name, data, pause=0.0):
            self.write_event(f"event: {name}\ndata: {json.dumps(data)}\n\n", pause)

        event("message_start", {"type": "message_start", "message": {
            "id": "msg_01", "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": input_tokens, "output_tokens": 1}}})
        event("ping", {"type": "ping"})
        for index, block in enumerate(blocks):
            if block["type"] == "text":
                event("content_block_start", {"type": "content_block_start", "index": index,
                                              "content_block": {"type": "text", "text": ""}})
                for piece in words(block["text"]):
                    event("content_block_delta", {"type": "content_block_delta", "index": index,
                                                  "delta": {"type": "text_delta", "text": piece}}, 0.03)
            else:
                event("content_block_start", {"type": "content_block_start", "index": index, "content_block": {
                    "type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}})
                arguments = json.dumps(block["input"])
                half = len(arguments) // 2
                for part in (arguments[:half], arguments[half:]):
                    event("content_block_delta", {"type": "content_block_delta", "index": index,
                                                  "delta": {"type": "input_json_delta", "partial_json": part}}, 0.01)
            event("content_block_stop", {"type": "content_block_stop", "index": index})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                "usage": {"output_tokens": 15}})
        event("message_stop", {"type": "message_stop"})


class QuietServer(ThreadingHTTPServer):
    """A client that gave up (the gateway's timeout) closes the socket mid-answer; that is expected."""

    def handle_error(self, request, client_address):
        import sys
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--openai-key", default="")
    parser.add_argument("--anthropic-key", default="")
    args = parser.parse_args()
    KEYS["openai"] = args.openai_key
    KEYS["anthropic"] = args.anthropic_key
    server = QuietServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
