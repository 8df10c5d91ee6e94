#!/usr/bin/env python3
"""Peer of `coalition build` for benches/scale.sh: the same mapping of fact files to RDF quads
(docs/RDF.md), written the way a Python developer would, with PyYAML's C loader and pyoxigraph.

It parses every fact file, locates each evidence quote in its source text (code-point offsets and
32-character context, as `coalition` does), maps entities to the default graph and each source to
its own named graph, sorts the quads, and writes N-Quads, TriG, Turtle (merged triples) and JSON-LD
into OUT. It does not run the checker's other rules (it trusts the corpus), so it does less work
than `coalition build`.

Usage: peer_pyoxigraph.py FACTS_DIR OUT_DIR REPO_ROOT   (prints the number of quads)
"""

import os
import re
import sys
from urllib.parse import quote as pct

import yaml
from pyoxigraph import Literal, NamedNode, Quad, DefaultGraph, RdfFormat, serialize

BASE = "https://coalition.example/"
CO = "https://coalition.example/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
WD = "http://www.wikidata.org/entity/"
CONTEXT = 32


def vocab(root):
    """Kind -> class and predicate -> property tables, read from src/facts/vocab.rs."""
    src = open(os.path.join(root, "src/facts/vocab.rs"), encoding="utf-8").read()
    kinds = dict(re.findall(r'^\s+\w+ = "(\w+)", "(\w+)", \w+,', src, re.M))
    preds = dict(re.findall(r'^\s+\w+ = "(\w+)", "(\w+)", "', src, re.M))
    return kinds, preds


def iri(kind, *segs):
    return NamedNode(BASE + kind + "".join("/" + pct(s, safe="-._~") for s in segs))


def date(s):
    s = str(s)
    t = {4: "gYear", 7: "gYearMonth"}.get(len(s), "date")
    return Literal(s, datatype=NamedNode(XSD + t))


def typed(v, t):
    return Literal(str(v), datatype=NamedNode(XSD + t))


def locate(text, q, prefix=None, suffix=None):
    hits, i = [], text.find(q)
    while i >= 0:
        if (prefix is None or text[:i].endswith(prefix)) and (
            suffix is None or text[i + len(q):].startswith(suffix)
        ):
            hits.append(i)
        i = text.find(q, i + 1)
    if len(hits) != 1:
        raise ValueError(f"quote found {len(hits)} times: {q!r}")
    s = hits[0]
    e = s + len(q)
    return q, text[max(0, s - CONTEXT):s], text[e:e + CONTEXT], s, e


def main(facts, out, root):
    kinds, preds = vocab(root)
    files = []
    for d, dirs, names in os.walk(facts):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        files += [os.path.join(d, n) for n in names if n.endswith((".yaml", ".yml"))]
    files.sort()
    quads = []
    add = lambda s, p, o, g: quads.append(Quad(s, p, o, g))
    t = lambda ns, local: NamedNode(ns + local)
    for path in files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.load(f, Loader=yaml.CLoader) or {}
        g = DefaultGraph()
        for e in doc.get("entities", []):
            n = iri("entity", e["id"])
            add(n, t(RDF, "type"), t(CO, kinds[e["kind"]]), g)
            add(n, t(DCT, "identifier"), Literal(e["id"]), g)
            add(n, t(SKOS, "prefLabel"), Literal(e["name"]), g)
            add(n, t(RDFS, "label"), Literal(e["name"]), g)
            for lang, l in sorted((e.get("labels") or {}).items()):
                add(n, t(RDFS, "label"), Literal(l, language=lang), g)
            for a in e.get("aliases", []):
                add(n, t(SKOS, "altLabel"), Literal(a), g)
            if e.get("wikidata"):
                add(n, t(OWL, "sameAs"), NamedNode(WD + str(e["wikidata"])), g)
            if e.get("description"):
                add(n, t(DCT, "description"), Literal(e["description"]), g)
        src = doc.get("source")
        if not src:
            continue
        sid = src["id"]
        with open(os.path.join(os.path.dirname(path), src["text"]), encoding="utf-8") as f:
            text = f.read()
        sn = iri("source", sid)
        g = sn
        lang = src["language"]
        add(sn, t(RDF, "type"), t(CO, "Source"), g)
        add(sn, t(DCT, "identifier"), Literal(sid), g)
        add(sn, t(DCT, "title"), Literal(src["title"]), g)
        add(sn, t(DCT, "publisher"), iri("entity", src["publisher"]), g)
        add(sn, t(DCT, "date"), date(src["date"]), g)
        add(sn, t(DCT, "language"), Literal(lang), g)
        if src.get("url"):
            add(sn, t(SCHEMA, "url"), NamedNode(src["url"]), g)
        if src.get("note"):
            add(sn, t(SKOS, "editorialNote"), Literal(src["note"]), g)

        def evidence(node, name, ev):
            exact, pre, suf, s, e = locate(text, ev["quote"] if "quote" in ev else ev["text"],
                                           ev.get("prefix"), ev.get("suffix"))
            fr = lambda x: NamedNode(node.value + "#" + x)
            evn, qn, pn = fr(name), fr(name + "-quote"), fr(name + "-position")
            add(node, t(CO, "evidence"), evn, g)
            add(evn, t(RDF, "type"), t(OA, "SpecificResource"), g)
            add(evn, t(OA, "hasSource"), sn, g)
            add(evn, t(OA, "hasSelector"), qn, g)
            add(evn, t(OA, "hasSelector"), pn, g)
            add(qn, t(RDF, "type"), t(OA, "TextQuoteSelector"), g)
            add(qn, t(OA, "exact"), Literal(exact), g)
            add(qn, t(OA, "prefix"), Literal(pre), g)
            add(qn, t(OA, "suffix"), Literal(suf), g)
            add(pn, t(RDF, "type"), t(OA, "TextPositionSelector"), g)
            add(pn, t(OA, "start"), typed(s, "nonNegativeInteger"), g)
            add(pn, t(OA, "end"), typed(e, "nonNegativeInteger"), g)

        for st in doc.get("statements", []):
            subj = iri("entity", st["subject"])
            pred = t(CO, preds[st["predicate"]])
            if st.get("object") is not None:
                obj, link, oid = iri("entity", st["object"]), "statementObject", st["object"]
            else:
                v = st["value"]
                dt = v.get("datatype", "string")
                oid = str(v["value"])
                if dt == "string":
                    obj = Literal(oid, language=v["lang"]) if v.get("lang") else Literal(oid)
                elif dt == "date":
                    obj = date(oid)
                else:
                    obj = typed(oid, dt)
                link = "statementValue"
            add(subj, pred, obj, g)
            cid = st.get("id") or f"{st['subject']}.{st['predicate']}.{oid}"
            n = iri("statement", sid, cid)
            add(n, t(RDF, "type"), t(CO, "Statement"), g)
            add(n, t(DCT, "identifier"), Literal(cid), g)
            add(n, t(CO, "statementSubject"), subj, g)
            add(n, t(CO, "statementPredicate"), pred, g)
            add(n, t(CO, link), obj, g)
            add(n, t(PROV, "wasDerivedFrom"), sn, g)
            add(n, t(CO, "certainty"), t(CO, st.get("certainty", "stated").capitalize()), g)
            if st.get("attributed_to"):
                add(n, t(CO, "attributedTo"), iri("entity", st["attributed_to"]), g)
            if st.get("stance"):
                add(n, t(CO, "stance"), t(CO, st["stance"].capitalize()), g)
            if st.get("date"):
                add(n, t(CO, "date"), date(st["date"]), g)
            if st.get("role"):
                add(n, t(CO, "role"), Literal(st["role"]), g)
            q = st.get("quantity")
            if q:
                add(n, t(CO, "quantity"), typed(q["value"], "integer"), g)
                add(n, t(CO, "quantityApproximate"),
                    typed(str(bool(q.get("approximate"))).lower(), "boolean"), g)
                if q.get("lower") is not None:
                    add(n, t(CO, "quantityLowerBound"), typed(q["lower"], "integer"), g)
                if q.get("upper") is not None:
                    add(n, t(CO, "quantityUpperBound"), typed(q["upper"], "integer"), g)
                if q.get("wording"):
                    add(n, t(CO, "quantityWording"), Literal(q["wording"], language=lang), g)
            if st.get("note"):
                add(n, t(SKOS, "editorialNote"), Literal(st["note"]), g)
            for i, ev in enumerate(st.get("evidence", [])):
                evidence(n, f"evidence-{i + 1}", ev)
        for q in doc.get("quotations", []):
            qn = iri("quotation", q["id"])
            add(qn, t(RDF, "type"), t(CO, "Quotation"), g)
            add(qn, t(DCT, "identifier"), Literal(q["id"]), g)
            add(qn, t(CO, "speaker"), iri("entity", q["speaker"]), g)
            if q.get("document"):
                add(qn, t(CO, "writtenIn"), iri("entity", q["document"]), g)
            add(qn, t(CO, "text"), Literal(q["text"], language=lang), g)
            for l, tr in sorted((q.get("translations") or {}).items()):
                add(qn, t(CO, "translation"), Literal(tr, language=l), g)
            for a in q.get("about", []):
                add(qn, t(CO, "about"), iri("entity", a), g)
            add(qn, t(PROV, "wasDerivedFrom"), sn, g)
            if q.get("note"):
                add(qn, t(SKOS, "editorialNote"), Literal(q["note"]), g)
            evidence(qn, "evidence", q)
    quads = sorted(set(quads), key=lambda q: (
        not isinstance(q.graph_name, DefaultGraph), str(q.graph_name), str(q.subject),
        q.predicate.value != RDF + "type", str(q.predicate), str(q.object)))
    os.makedirs(out, exist_ok=True)
    serialize(quads, os.path.join(out, "coalition.nq"), RdfFormat.N_QUADS)
    serialize(quads, os.path.join(out, "coalition.trig"), RdfFormat.TRIG)
    triples = sorted({(q.subject, q.predicate, q.object) for q in quads},
                     key=lambda x: (str(x[0]), str(x[1]), str(x[2])))
    serialize([Quad(s, p, o, DefaultGraph()) for s, p, o in triples],
              os.path.join(out, "coalition.ttl"), RdfFormat.TURTLE)
    serialize(quads, os.path.join(out, "coalition.jsonld"), RdfFormat.JSON_LD)
    print(len(quads))


if __name__ == "__main__":
    main(*sys.argv[1:4])
