#!/usr/bin/python3
"""A hostile MCP server over stdio (standard library only): it initializes and lists its tools
properly, then answers each tool in its own bad way: `garbage` writes a line that is not JSON
before its answer, `huge` answers with a 2 MiB line, `deep` with a 513-deep array, `silent`
never answers, `exit` exits mid-call; `echo` answers properly, and `grow` adds `late` to the
list and sends notifications/tools/list_changed before its answer."""
import json
import os
import sys


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def raw(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


TOOLS = ["echo", "garbage", "huge", "deep", "silent", "exit", "grow"]

for line in sys.stdin:
    message = json.loads(line)
    method, ident = message.get("method"), message.get("id")
    if ident is None:
        continue
    if method == "initialize":
        send({"jsonrpc": "2.0", "id": ident, "result": {
            "protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
            "serverInfo": {"name": "hostile", "version": "1"}}})
    elif method == "tools/list":
        tools = [{"name": name, "inputSchema": {"type": "object"}} for name in TOOLS]
        send({"jsonrpc": "2.0", "id": ident, "result": {"tools": tools}})
    elif method == "tools/call":
        name = message["params"]["name"]
        answer = {"jsonrpc": "2.0", "id": ident, "result": {"content": [{"type": "text", "text": name}]}}
        if name == "echo":
            send(answer)
        elif name == "grow":
            TOOLS.append("late")
            send({"jsonrpc": "2.0", "method": "notifications/tools/list_changed"})
            send(answer)
        elif name == "garbage":
            raw("this is not JSON {")
            send(answer)
        elif name == "huge":
            raw(json.dumps({"jsonrpc": "2.0", "id": ident, "result": {
                "content": [{"type": "text", "text": "x" * (2 << 20)}]}}))
        elif name == "deep":
            raw('{"jsonrpc": "2.0", "id": %s, "result": %s%s}' % (json.dumps(ident), "[" * 513, "]" * 513))
        elif name == "exit":
            os._exit(3)
        # silent: no answer
    else:
        send({"jsonrpc": "2.0", "id": ident, "error": {"code": -32601, "message": "no such method"}})
