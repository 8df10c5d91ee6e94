#!/usr/bin/env python3
"""Latency of `coalition lsp` diagnostics on the seed: the time from sending a `didChange` to
receiving the `publishDiagnostics` for the edited file, as an editor sees it.

Two cases, alternated N times each on a temporary copy of `seeds/`:
- source: the source's fact file gets an unknown subject, then is put back;
- registry: `entities.yaml` loses an entity the source uses, then gets it back (the diagnostics
  measured are the *source file's*: the cross-file case).

With a third argument S, the corpus is instead `coalition synth --sources S` and only the
source case runs (on its first source file): how the latency grows with the corpus.

Usage: python3 benches/lsp_latency.py [BINARY] [N] [S]   (default: target/release/coalition, 200)
Standard library only; prints one line per case with median, 95th percentile and max in ms.
"""

import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "seeds/sources/afp-2018-05-rekognition-letter.yaml"


class Client:
    def __init__(self, binary, root):
        self.proc = subprocess.Popen(
            [binary, "lsp"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.inbox = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.next = 0

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
            self.inbox.put(json.loads(out.read(length)))

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next += 1
        self.send({"jsonrpc": "2.0", "id": self.next, "method": method, "params": params})
        while True:
            msg = self.inbox.get(timeout=30)
            if msg.get("id") == self.next:
                return msg

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri):
        while True:
            msg = self.inbox.get(timeout=30)
            if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                return msg["params"]["diagnostics"]


def measure(client, edited_uri, watched_uri, texts, n):
    times = []
    version = 1
    for i in range(n):
        version += 1
        text, bad = texts[i % 2]
        start = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": edited_uri, "version": version}, "contentChanges": [{"text": text}]},
        )
        while True:
            diags = client.diagnostics(watched_uri)
            if bool(diags) == bad:
                break
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name, times):
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{name}: n={len(times)} median={statistics.median(times):.1f} ms "
          f"p95={p95:.1f} ms max={times[-1]:.1f} ms")


def start(binary, tmp):
    client = Client(os.path.abspath(binary), tmp)
    client.request("initialize", {"processId": None, "rootUri": tmp.resolve().as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    return client


def open_doc(client, path, text):
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": path.as_uri(), "languageId": "yaml", "version": 1, "text": text}})


def seed_cases(client, tmp, n):
    src = (tmp / SOURCE).resolve()
    reg = (tmp / "seeds/entities.yaml").resolve()
    src_text, reg_text = src.read_text(), reg.read_text()
    open_doc(client, src, src_text)
    open_doc(client, reg, reg_text)
    client.diagnostics(src.as_uri())
    bad_src = src_text.replace("  - subject: eff\n", "  - subject: efff\n", 1)
    report("source edit", measure(client, src.as_uri(), src.as_uri(), [(bad_src, True), (src_text, False)], n))
    # Renaming the registry's `eff` breaks the statements about it in the source file.
    bad_reg = reg_text.replace("  - id: eff\n", "  - id: eff-renamed\n", 1)
    times = measure(client, reg.as_uri(), src.as_uri(), [(bad_reg, True), (reg_text, False)], n)
    report("registry edit, source file's diagnostics", times)


def synth_case(client, tmp, n):
    src = sorted((tmp / "seeds").rglob("*.yaml"), key=lambda p: ("entities" in p.name, p))[0].resolve()
    text = src.read_text()
    line = next(l for l in text.splitlines() if l.strip().startswith("- subject: "))
    bad = text.replace(line, line + "-zz", 1)
    open_doc(client, src, text)
    client.diagnostics(src.as_uri())
    report(f"source edit in {src.name}", measure(client, src.as_uri(), src.as_uri(), [(bad, True), (text, False)], n))


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/coalition")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    sources = int(sys.argv[3]) if len(sys.argv) > 3 else None
    tmp = Path(tempfile.mkdtemp())
    try:
        if sources:
            subprocess.run([os.path.abspath(binary), "-q", "--no-cache", "synth", "--sources", str(sources),
                            "--out", str(tmp / "seeds")], check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        else:
            shutil.copytree(ROOT / "seeds", tmp / "seeds")
        client = start(binary, tmp)
        (synth_case if sources else seed_cases)(client, tmp, n)
        client.request("shutdown", None)
        client.notify("exit", None)
        client.proc.wait(timeout=10)
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
