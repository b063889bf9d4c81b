#!/usr/bin/python3
"""A real MCP server (the `mcp` package from PyPI) for the integration tests, over stdio by
default or streamable HTTP with `--http PORT`.

Tools: `lookup_part` (a catalogue read), `reserve_part` (a side effect: counts reservations) and
`hidden_tool` (offered by the server, never named in metadata).
"""
import sys

from mcp.server.mcpserver import MCPServer

server = MCPServer("loom-test-parts")
PARTS = {"A-100": {"name": "bolt", "stock": 12}, "B-200": {"name": "nut", "stock": 0}}
reservations = {"count": 0}


@server.tool()
def lookup_part(sku: str) -> str:
    """Looks up a part by its SKU."""
    part = PARTS.get(sku)
    if part is None:
        raise ValueError(f"no part {sku}")
    return f"{sku}: {part['name']}, {part['stock']} in stock"


@server.tool()
def reserve_part(sku: str, quantity: int) -> str:
    """Reserves a quantity of a part."""
    reservations["count"] += 1
    return f"reserved {quantity} x {sku} (reservation {reservations['count']})"


@server.tool()
def hidden_tool() -> str:
    """Not named in the metadata: must never be offered."""
    return "hidden"


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]), json_response=True)
    else:
        server.run()
