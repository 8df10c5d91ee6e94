"""Reads a compacted JSON-LD file with two independent processors and compares it with the
N-Quads file of the same graph (tests/rdf/checkers.rs runs it):

- pyld: JSON-LD → RDF, both sides canonicalized with URDNA2015 (blank nodes relabelled
  canonically), then the sorted N-Quads lines compared;
- rdflib: both parsed into Datasets, quad counts and, graph by graph, isomorphism compared.

Usage: python3 jsonld_check.py FILE.jsonld FILE.nq
Prints `QUADS GRAPHS` and exits 0 when both agree, else explains and exits 1.
"""

import json
import sys

import rdflib
from rdflib.compare import isomorphic
from pyld import jsonld


def canonical(data, **options):
    out = jsonld.normalize(
        data, {"algorithm": "URDNA2015", "format": "application/n-quads", **options}
    )
    return sorted(line for line in out.split("\n") if line)


def pyld_agrees(doc, nq):
    ours = canonical(doc)
    theirs = canonical(nq, inputFormat="application/n-quads")
    if ours != theirs:
        only_ours = sorted(set(ours) - set(theirs))[:5]
        only_theirs = sorted(set(theirs) - set(ours))[:5]
        sys.exit(f"pyld: {len(ours)} quads against {len(theirs)}; only in JSON-LD: "
                 f"{only_ours}; only in N-Quads: {only_theirs}")
    return len(ours)


def graphs(path, fmt):
    d = rdflib.Dataset()
    d.parse(path, format=fmt)
    out = {}
    for s, p, o, g in d.quads((None, None, None, None)):
        name = "" if g is None or g == rdflib.graph.DATASET_DEFAULT_GRAPH_ID else str(g)
        out.setdefault(name, rdflib.Graph()).add((s, p, o))
    return out


def rdflib_agrees(jsonld_path, nq_path):
    ours, theirs = graphs(jsonld_path, "json-ld"), graphs(nq_path, "nquads")
    if sorted(ours) != sorted(theirs):
        sys.exit(f"rdflib: graphs differ: {sorted(set(ours) ^ set(theirs))[:5]}")
    for name in ours:
        if len(ours[name]) != len(theirs[name]) or not isomorphic(ours[name], theirs[name]):
            sys.exit(f"rdflib: graph <{name}>: {len(ours[name])} triples against "
                     f"{len(theirs[name])}, or not isomorphic")
    return sum(len(g) for g in ours.values()), len(ours)


if __name__ == "__main__":
    jsonld_path, nq_path = sys.argv[1], sys.argv[2]
    with open(jsonld_path, encoding="utf-8") as f:
        doc = json.load(f)
    with open(nq_path, encoding="utf-8") as f:
        nq = f.read()
    if "@context" not in doc or not isinstance(doc["@context"], dict):
        sys.exit("no inline @context")
    n = pyld_agrees(doc, nq)
    quads, count = rdflib_agrees(jsonld_path, nq_path)
    if quads != n:
        sys.exit(f"pyld sees {n} quads, rdflib {quads}")
    print(n, count)
