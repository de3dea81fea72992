#!/usr/bin/env python3
"""Show that a refactor changed no output of the test suite.

Run the suite with TLSPROBE_OUTPUT_LOG=DIR (tests/support/mod.rs then logs every run of the
binary: arguments, exit code, stdout, stderr), twice before the change and once after:

    TLSPROBE_OUTPUT_LOG=/tmp/b1 cargo test      # on the old commit
    TLSPROBE_OUTPUT_LOG=/tmp/b2 cargo test      # on the old commit again
    TLSPROBE_OUTPUT_LOG=/tmp/a  cargo test      # on the new one
    python3 tests/compare_outputs.py /tmp/b1 /tmp/b2 /tmp/a

Each run is flattened to (path, value) pairs: the JSON reports field by field, text output line
by line. What changes from run to run of the same binary is masked first (times, ports,
temporary paths, fresh keys and serials, dates); what still differs between the two "before"
runs (a race a test tolerates, a certificate's length by one byte) is noise and left out.
Every other difference between "before" and "after" is printed; the exit code is 1 if there is
any.
"""
import json
import os
import re
import sys

PEM = re.compile(r"-----BEGIN ([A-Z ]+)-----.*?-----END \1-----\n?", re.S)
HEX = re.compile(r"\b[0-9a-fA-F:]{16,}\b")
B64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?( UTC| GMT)?")
TEXT_DATE = re.compile(r"\b[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}( GMT)?")
ADDR = re.compile(r"(127\.0\.0\.1|localhost|\[::1\]|::1):\d+")
TMP = re.compile(r"/tmp/[^\s\"',)]+")
MS = re.compile(r"\d+(\.\d+)? ?(ms|µs|s)\b")
NUM_IN_TEXT = re.compile(r"\b\d{4,5}\b")


def mask_text(s, ports):
    s = PEM.sub("<pem>", s)
    s = TMP.sub("<tmp>", s)
    s = DATE.sub("<date>", s)
    s = TEXT_DATE.sub("<date>", s)
    s = ADDR.sub(r"\1:<port>", s)
    s = HEX.sub("<hex>", s)
    s = B64.sub("<b64>", s)
    s = MS.sub("<time>", s)
    for p in ports:
        s = re.sub(r"\b%s\b" % p, "<port>", s)
    return s


# Messages whose length varies from run to run: they carry a DER signature (ECDSA's r and s
# lose or keep a leading zero), a certificate made for the run, or a ticket (OpenSSL's vary).
SIGNED = {"Certificate", "CertificateVerify", "ServerKeyExchange", "ApplicationData",
          "EncryptedHandshake", "NewSessionTicket"}


def canonical(report):
    """Undo what rustls and the peers vary on purpose or by timing: rustls shuffles the
    ClientHello's extensions, and a server's closing close_notify may or may not arrive
    before the connection ends."""
    hs = report.get("handshake") if isinstance(report, dict) else None
    if isinstance(hs, list):
        while hs and hs[-1].get("type") == "Alert" and hs[-1].get("description") in (
                "close_notify", None) and hs[-1].get("from") == "server":
            hs.pop()
        for m in hs:
            if isinstance(m.get("extensions"), list):
                m["extensions"] = sorted(m["extensions"])
            if m.get("type") in SIGNED and isinstance(m.get("length"), int):
                m["length"] = "<length>"
    return report


SERVER_CLOSE = re.compile(r"← Alert +(2 B \(encrypted\)|.*close_notify)")
SIGNED_LINE = re.compile(r"(%s) +\d+ B" % "|".join(sorted(SIGNED)))


def text_line(line):
    """A text line with what varies by run masked: the time column's width, and the length
    of a signed message."""
    line = re.sub(r" +", " ", line)
    return SIGNED_LINE.sub(r"\1 <length> B", line)


def flatten(value, path, out, ports):
    if isinstance(value, dict):
        for k, v in value.items():
            if k.endswith("_ms") or k in ("at", "timing_ms", "elapsed"):
                v = "<time>"
            elif k == "port" and isinstance(v, int) and v >= 1024:
                v = "<port>"
            flatten(v, f"{path}.{k}", out, ports)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            flatten(v, f"{path}[{i}]", out, ports)
    elif isinstance(value, str):
        out[path] = mask_text(value, ports)
    else:
        out[path] = value


def record_fields(rec):
    args = rec["args"]
    ports = set()
    for a in args:
        ports.update(re.findall(r":(\d{4,5})\b", a))
        if re.fullmatch(r"\d{4,5}", a):
            ports.add(a)
    out = {}
    out["args"] = mask_text(" ".join(args), ports)
    out["code"] = rec["code"]
    stdout = rec["stdout"]
    lines = stdout.splitlines()
    try:
        reports = [json.loads(line) for line in lines]
        for i, r in enumerate(reports):
            flatten(canonical(r), f"json[{i}]", out, ports)
        out["json.count"] = len(reports)
    except ValueError:
        lines = [text_line(mask_text(line, ports)) for line in lines]
        lines = [line for line in lines if not SERVER_CLOSE.search(line)]
        for i, line in enumerate(lines):
            out[f"stdout[{i}]"] = line
        out["stdout.count"] = len(lines)
    for i, line in enumerate(rec["stderr"].splitlines()):
        out[f"stderr[{i}]"] = mask_text(line, ports)
    return out


def sort_key(rec):
    """Where the runs of a test's own threads go, in an order that does not depend on the
    scheduler: by arguments and by how each ended."""
    ends = []
    for line in rec["stdout"].splitlines():
        try:
            report = json.loads(line)
        except ValueError:
            ends.append(mask_text(line, set()))
            continue
        error = report.get("error") or {}
        ends.append(f'{report.get("status")} {error.get("kind")} '
                    f'{mask_text(error.get("message") or "", set())}')
    return (mask_text(" ".join(rec["args"]), set()), rec["code"], ends)


def load(d):
    runs = {}
    for name in sorted(os.listdir(d)):
        if not name.endswith(".jsonl"):
            continue
        recs = []
        with open(os.path.join(d, name), encoding="utf-8") as f:
            for line in f:
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    print(f"{d}/{name}: a line that is not JSON (runs of threads interleaved)")
        if ".unnamed." in name:
            # Runs from threads a test spawned: their order is the scheduler's, not the test's.
            recs.sort(key=sort_key)
        for i, rec in enumerate(recs):
            runs[f"{name[:-6]}#{i}"] = record_fields(rec)
        runs[f"{name[:-6]}#count"] = {"runs": len(recs)}
    return runs


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    b1, b2, after = (load(d) for d in sys.argv[1:])
    noisy_runs = 0
    differences = 0
    for key in sorted(set(b1) | set(after)):
        x, y, z = b1.get(key), b2.get(key), after.get(key)
        if x is None or z is None:
            if (x is None) != (y is None) or b2.get(key) is None and x is not None:
                noisy_runs += 1
                continue
            print(f"{key}: {'only after' if x is None else 'only before'}")
            differences += 1
            continue
        y = y or {}
        for path in sorted(set(x) | set(z)):
            if x.get(path, "<absent>") == z.get(path, "<absent>"):
                continue
            if x.get(path, "<absent>") != y.get(path, "<absent>"):
                continue  # noise: the old binary itself differs here from run to run
            print(f"{key} {path}:\n  before: {x.get(path, '<absent>')!r}\n"
                  f"  after:  {z.get(path, '<absent>')!r}")
            differences += 1
    total = sum(1 for k in b1 if not k.endswith("#count"))
    print(f"{total} runs before, {sum(1 for k in after if not k.endswith('#count'))} after; "
          f"{noisy_runs} differ in presence between the two before runs; "
          f"{differences} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
