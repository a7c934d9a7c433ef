"""Prints the client × scenario × server matrix from the scenario scripts' JSON lines:
'=' where the server answered as Cognito does, otherwise what it answered."""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
servers = list(dict.fromkeys(r["server"] for r in rows))
cells = {(r["client"], r["scenario"], r["server"]): r for r in rows}
keys = list(dict.fromkeys((r["client"], r["scenario"]) for r in rows))
print("| client | scenario | Cognito answers | " + " | ".join(servers) + " |")
print("|---|---|---|" + "---|" * len(servers))
for client, scenario in keys:
    expected = next(cells[(client, scenario, s)]["expected"] for s in servers if (client, scenario, s) in cells)
    out = []
    for server in servers:
        cell = cells.get((client, scenario, server))
        out.append("-" if cell is None else "=" if cell["got"] == cell["expected"] else cell["got"])
    print(f"| {client} | {scenario} | {expected} | " + " | ".join(out) + " |")
