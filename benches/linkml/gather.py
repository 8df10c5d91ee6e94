#!/usr/bin/env python3
"""Gathers a fact-file folder into the one YAML document the LinkML peer converts (class
`Corpus` of benches/linkml/facts.yaml), with ids written as CURIEs as LinkML expects.

Usage: gather.py FACTS_DIR OUT.yaml
"""

import os
import sys

import yaml


def curie(prefix, v):
    return f"{prefix}:{v}" if v is not None else None


def main(facts, out):
    corpus = {"entities": [], "facts": []}
    for d, dirs, names in sorted(os.walk(facts)):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for n in sorted(names):
            if not n.endswith((".yaml", ".yml")):
                continue
            with open(os.path.join(d, n), encoding="utf-8") as f:
                doc = yaml.load(f, Loader=yaml.CLoader) or {}
            for e in doc.pop("entities", []):
                e["id"] = curie("entity", e["id"])
                corpus["entities"].append(e)
            if not doc:
                continue
            s = doc.get("source")
            if s:
                s["id"] = curie("source", s["id"])
                s["publisher"] = curie("entity", s["publisher"])
            for st in doc.get("statements", []):
                for k in ("subject", "object", "attributed_to"):
                    if st.get(k):
                        st[k] = curie("entity", st[k])
            for q in doc.get("quotations", []):
                q["id"] = curie("quotation", q["id"])
                q["speaker"] = curie("entity", q["speaker"])
                if q.get("document"):
                    q["document"] = curie("entity", q["document"])
                q["about"] = [curie("entity", a) for a in q.get("about", [])]
            corpus["facts"].append(doc)
    with open(out, "w", encoding="utf-8") as f:
        yaml.dump(corpus, f, Dumper=yaml.CDumper, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main(*sys.argv[1:3])
