#!/usr/bin/env python3
"""Memory and responsiveness of `coalition serve` under hostile queries (docs/BENCHMARKS.md,
"Hostile queries"). Issue 19, item 9.

Usage: benches/hostile-queries.py [path/to/coalition] [--timeout S] [--parallel N] [-- SERVE-ARGS…]
(default binary: target/release/coalition). Starts the server on the seed on a free loopback
port, sends N copies of each hostile query at once while a well-behaved client asks
`ASK { ?s ?p ?o }` every 0.2 s, and samples the server's resident memory every 20 ms. The server
is killed if it passes 6 GB, to protect the machine. Linux only (/proc).
"""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HOSTILE = {
    # The query: three unconnected open patterns, sorted.
    "product": "SELECT * WHERE { GRAPH ?x { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } "
    "ORDER BY ?i ?f ?c LIMIT 1",
    # Connected only through the predicate (passes the shape check), sorted.
    "predicate-join": "SELECT * WHERE { ?a ?b ?c . ?d ?b ?f . ?g ?b ?i } ORDER BY ?c ?f ?i LIMIT 1",
}
KILL_AT = 6 << 30


def rss(pid, field="VmRSS"):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(url, query, timeout=120):
    data = urllib.parse.urlencode({"query": query}).encode()
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url + "sparql", data=data, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:  # connection dropped
        status = 0
    return status, time.monotonic() - start


def start(binary, timeout, extra):
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--facts", "seeds", "--bind", f"127.0.0.1:{port}",
         "--timeout", str(timeout), *extra],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    for line in proc.stderr:
        if line.startswith("listening on"):
            break
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    return proc, f"http://127.0.0.1:{port}/"


def run_case(binary, name, query, timeout, parallel, extra):
    proc, url = start(binary, timeout, extra)
    pid = proc.pid
    time.sleep(0.5)
    base = rss(pid)
    peak = [base]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            r = rss(pid)
            if r is None:
                return
            peak[0] = max(peak[0], r)
            if r > KILL_AT:
                proc.kill()
                return
            time.sleep(0.02)

    polite = []

    def well_behaved():
        while not stop.is_set():
            polite.append(ask(url, "ASK { ?s ?p ?o }", timeout=60))
            time.sleep(0.2)

    threads = [threading.Thread(target=sample), threading.Thread(target=well_behaved)]
    for t in threads:
        t.start()
    results = [None] * parallel
    workers = [
        threading.Thread(target=lambda i=i: results.__setitem__(i, ask(url, query)))
        for i in range(parallel)
    ]
    t0 = time.monotonic()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    answered = time.monotonic() - t0
    cpu0 = cpu_seconds(pid) if proc.poll() is None else 0
    time.sleep(3)
    cpu_after = (cpu_seconds(pid) - cpu0) if proc.poll() is None else float("nan")
    stop.set()
    for t in threads:
        t.join()
    proc.kill()
    proc.wait()
    statuses = sorted(s for s, _ in results)
    ok = [d for s, d in polite if s == 200]
    print(
        f"| {name} ×{parallel} | {statuses} | {answered:.1f} s | {base / 2**20:.0f} MB | "
        f"{peak[0] / 2**20:.0f} MB | {cpu_after:.1f} s | {len(ok)}/{len(polite)} answered, "
        f"slowest {max(ok) if ok else float('nan'):.2f} s |"
    )
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary", nargs="?", default="target/release/coalition")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--parallel", type=int, default=3)
    p.add_argument("extra", nargs="*", help="more `coalition serve` options, after --")
    a = p.parse_args()
    binary = os.path.realpath(a.binary)
    print(f"binary: {binary}, --timeout {a.timeout} {' '.join(a.extra)}")
    print("| query | statuses | all answered after | RSS before | peak RSS | CPU in the 3 s after | "
          "well-behaved client |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, q in HOSTILE.items():
        run_case(binary, name, q, a.timeout, a.parallel, a.extra)


if __name__ == "__main__":
    main()
