#!/usr/bin/env python3
"""Head-of-line blocking: 5,000 targets, with and without 2% silent peers.

    python3 bench/silent_peers.py [TLSPROBE_BINARY]   (default: the release build)

Every target is a local openssl s_server, except every 50th, which is a listener that accepts
and never answers. With `--concurrency 16 --timeout 1`, each silent target takes its whole
second; the run with them should take well under twice the run without them (issue 17: the old
reorder window of 4 x concurrency made it 11x). Prints both wall times and the ratio.
"""
import os, re, socket, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
N, EVERY, CONCURRENCY, TIMEOUT = 5000, 50, "16", "1"

def silent_listener():
    """Accepts and holds every connection, reading nothing and sending nothing."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1024)
    held = []
    def accept():
        while True:
            c, _ = s.accept()
            held.append(c)
    threading.Thread(target=accept, daemon=True).start()
    return s.getsockname()[1]

def run(binary, cert, targets):
    start = time.monotonic()
    out = subprocess.run([binary, "--json", "--concurrency", CONCURRENCY, "--timeout", TIMEOUT,
                          "--ca-file", cert, "--targets-file", targets],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    lines = out.stdout.count("\n")
    assert lines == N, f"{lines} reports for {N} targets: {out.stderr[:500]}"
    return elapsed

def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TARGET_DIR, "release", "tlsprobe")
    if len(sys.argv) == 1:
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost", "-days", "7"],
                   check=True, capture_output=True)
    server = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            m = re.match(r"ACCEPT .*:(\d+)", line)
            if m:
                port = m.group(1)
                break
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        silent = silent_listener()
        plain, mixed = os.path.join(work, "plain.txt"), os.path.join(work, "mixed.txt")
        with open(plain, "w") as f:
            f.writelines(f"localhost:{port}\n" for _ in range(N))
        with open(mixed, "w") as f:
            f.writelines(f"localhost:{silent if i % EVERY == EVERY - 1 else port}\n" for i in range(N))
        run(binary, cert, plain)  # warm up
        without = run(binary, cert, plain)
        with_silent = run(binary, cert, mixed)
        print(f"{N} targets, --concurrency {CONCURRENCY} --timeout {TIMEOUT}, {os.cpu_count()} cores")
        print(f"  all answer:        {without:6.2f} s")
        print(f"  2% silent ({N // EVERY}):   {with_silent:6.2f} s  ({with_silent / without:.2f}x)")
        print(f"  the silent ones alone take at least {N // EVERY} x {TIMEOUT} s / {CONCURRENCY} = "
              f"{N // EVERY * float(TIMEOUT) / int(CONCURRENCY):.2f} s")
    finally:
        server.kill()

if __name__ == "__main__":
    main()
