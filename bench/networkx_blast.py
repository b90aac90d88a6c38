#!/usr/bin/env python3
"""All-vendor blast radius with networkx, the way an analyst would script it.

Reads the CSV map that `lifeboat gen --format csv` writes (functions.csv,
systems.csv, vendors.csv, or one nodes.csv with a `kind` column), builds a
DiGraph with an edge from every node to each id in its `requires` cell, and
for each vendor takes nx.ancestors (everything that depends on it,
directly or through other nodes) intersected with the functions.

Like a quick analyst script, it pulls the ids out of `requires` with a
regular expression and ignores any(...) and kof(...) groups: every listed
node counts as needed. That over-counts (a function behind `any(a, b)`
does not stop when only `a` fails), so lifeboat's sweep, which honours
redundancy and cycles, answers a harder question than this script.

Prints one JSON object: {"vendors", "nodes", "edges", "load_s",
"analysis_s", ...}. With --sample N only N vendors (a seeded random sample)
are analysed and analysis_s is extrapolated to all vendors; the measured
time is reported beside it.
"""

import argparse
import csv
import glob
import json
import os
import random
import re
import sys
import time

import networkx as nx

# An id, and whether an opening parenthesis follows it (then it names a
# group: any(, all(, 2of( ).
TOKEN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._:/-]*)\s*(\()?")
KIND_BY_FILE = {
    "functions": "function", "function": "function",
    "systems": "system", "system": "system",
    "vendors": "vendor", "vendor": "vendor",
    "fallbacks": "fallback", "fallback": "fallback",
}


def requirement_ids(text):
    """The ids named in a one-line requirement, groups ignored."""
    out = []
    for name, paren in TOKEN.findall(text or ""):
        if paren:
            continue  # any( all( 2of(
        out.append(name)
    return out


def load(folder):
    """Read every node CSV below folder; return (graph, kind by id)."""
    graph = nx.DiGraph()
    kind = {}
    files = sorted(glob.glob(os.path.join(folder, "**", "*.csv"), recursive=True))
    if not files:
        sys.exit(f"networkx_blast: no CSV files in {folder}")
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0].lower()
        file_kind = KIND_BY_FILE.get(stem)
        if file_kind == "fallback":
            continue  # fallbacks are not part of the analyst's question
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            reader.fieldnames = [h.strip().lower() for h in reader.fieldnames or []]
            if file_kind is None and "kind" not in reader.fieldnames:
                continue  # not a map file
            for row in reader:
                node = (row.get("id") or "").strip()
                k = file_kind or (row.get("kind") or "").strip().lower()
                if not node or k not in ("function", "system", "vendor"):
                    continue
                kind[node] = k
                graph.add_node(node)
                for dep in requirement_ids(row.get("requires")):
                    graph.add_edge(node, dep)
    return graph, kind


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="folder holding the CSV map (the map/ folder of a gen workspace)")
    ap.add_argument("--sample", type=int, default=0,
                    help="analyse only this many vendors (seeded) and extrapolate; 0 = all")
    ap.add_argument("--seed", type=int, default=1, help="seed of the vendor sample")
    args = ap.parse_args()

    t0 = time.perf_counter()
    graph, kind = load(args.folder)
    load_s = time.perf_counter() - t0

    functions = {n for n, k in kind.items() if k == "function"}
    vendors = sorted(n for n, k in kind.items() if k == "vendor")
    chosen = vendors
    if 0 < args.sample < len(vendors):
        chosen = sorted(random.Random(args.seed).sample(vendors, args.sample))

    t0 = time.perf_counter()
    halted_total, worst, worst_vendor = 0, 0, None
    for v in chosen:
        halted = nx.ancestors(graph, v) & functions
        halted_total += len(halted)
        if len(halted) > worst:
            worst, worst_vendor = len(halted), v
    measured = time.perf_counter() - t0

    result = {
        "vendors": len(vendors),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "load_s": round(load_s, 3),
        "analysis_s": round(measured * len(vendors) / max(len(chosen), 1), 3),
        "analysed": len(chosen),
        "analysis_measured_s": round(measured, 3),
        "extrapolated": len(chosen) < len(vendors),
        "mean_functions_halted": round(halted_total / max(len(chosen), 1), 2),
        "max_functions_halted": worst,
        "max_vendor": worst_vendor,
        "networkx": nx.__version__,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
