#!/usr/bin/env python3
"""Probe benchmark: tlsprobe against openssl s_client, curl and openssl s_time, on local servers.

    python3 bench/probe.py [BINARY]     (without BINARY: builds the release binary first)

1. One probe, whole process, interleaved runs: `tlsprobe --json --ca-file cert.pem
   localhost:PORT`, `openssl s_client` and `curl` (if present), N times each in alternation
   against one `openssl s_server -www`; medians, and tlsprobe / s_client against the 0.35
   target.
2. Many targets, against bench/many_server.go (Go's crypto/tls, a goroutine per connection:
   s_server serves one connection at a time and cannot have 1,000 handshakes in flight):
   5,000 targets at --concurrency 1000, peak RSS (the kernel's accounting of that process)
   against 64 MiB, and the client CPU per full probe (user + sys of the tlsprobe process / 5,000)
   against `openssl s_time -new`'s client CPU per handshake on the same server, and the 0.75
   target; with tlsprobe's default key shares (X25519MLKEM768 and X25519) and like for like
   with s_time (`--groups X25519`). Then the worst case for memory: the server holds every
   handshake until all 1,000 of a group are connected, so that all 1,000 probes wait at once.
"""
import os, re, statistics, subprocess, sys, tempfile, threading, time, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(os.environ.get("RUNS", "30"))
MANY = int(os.environ.get("MANY", "5000"))
CONC = int(os.environ.get("CONCURRENCY", "1000"))
DEVNULL = subprocess.DEVNULL


def run(cmd):
    return subprocess.run(cmd, stdin=DEVNULL, stdout=DEVNULL, stderr=DEVNULL)


def measured(cmd):
    """Run one child; its wall time (s), user+sys CPU (s), peak RSS (KiB) from wait4, its
    standard output (the path of a file holding it) and exit code.

    The kernel's peak RSS of a child counts its parent's peak at the fork (exec records the
    mm it replaces, which after fork or vfork is this process's): so the output goes to a file,
    never into this process's memory, and this script's own peak is printed as the floor
    under every figure (`own_peak`)."""
    out = tempfile.NamedTemporaryFile("w+", prefix="bench-out-", delete=False)
    s = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=DEVNULL, stdout=out, stderr=DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - s
    out.close()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, out.name, os.waitstatus_to_exitcode(status)


def count_ok(path):
    """Reports with status ok in a JSON Lines file, read a line at a time."""
    with open(path) as f:
        n = sum(1 for line in f if '"status":"ok"' in line)
    os.unlink(path)
    return n


def own_peak():
    """This script's peak RSS (KiB): the floor under any child's, see `measured`."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def start(cmd, pattern):
    """Start a server; the port from the first line matching `pattern`; drain the rest."""
    server = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=DEVNULL, text=True)
    for line in server.stdout:
        m = re.match(pattern, line)
        if m:
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            return server, m.group(1)
    raise SystemExit(f"{cmd[0]} did not start")


def cpu_of(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    if len(sys.argv) > 1:
        binary = os.path.abspath(sys.argv[1])
    else:
        subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
        target_dir = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        binary = os.path.join(target_dir, "release", "tlsprobe")
    work = tempfile.mkdtemp()
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-days", "7"])
    go_server = os.path.join(work, "many_server")
    subprocess.run(["go", "build", "-o", go_server, os.path.join(ROOT, "bench", "many_server.go")], check=True,
                   env={**os.environ, "GOCACHE": os.path.join(work, "gocache"), "GO111MODULE": "off"})
    print(f"{binary}\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")

    # 1. One probe.
    server, port = start(["openssl", "s_server", "-www", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key],
                         r"ACCEPT .*:(\d+)")
    try:
        tools = {
            "tlsprobe --json": [binary, "--json", "--ca-file", cert, f"localhost:{port}"],
            "openssl s_client": ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost"],
        }
        if shutil.which("curl"):
            tools["curl (HTTPS GET)"] = ["curl", "-s", "-o", "/dev/null", "--cacert", cert, f"https://localhost:{port}/"]
        for _ in range(3):
            for cmd in tools.values():
                run(cmd)
        times = {name: [] for name in tools}
        for _ in range(N):
            for name, cmd in tools.items():
                s = time.perf_counter(); run(cmd); times[name].append(time.perf_counter() - s)
        med = {name: statistics.median(t) * 1e3 for name, t in times.items()}
        print(f"\n1. one probe, whole process, median of {N} interleaved runs (openssl s_server -www on {port}):")
        for name, m in med.items():
            print(f"  {name:18} {m:7.2f} ms")
        ratio = med["tlsprobe --json"] / med["openssl s_client"]
        print(f"  tlsprobe / s_client = {ratio:.2f} (target <= 0.35: {'met' if ratio <= 0.35 else 'NOT met'})")
    finally:
        server.kill()

    # 2. Many targets.
    server, port = start([go_server, cert, key], r"(\d+)$")
    try:
        targets = os.path.join(work, "targets.txt")
        with open(targets, "w") as f:
            f.write(f"localhost:{port}\n" * MANY)
        base = [binary, "--json", "--ca-file", cert, "--concurrency", str(CONC), "--targets-file", targets]
        print(f"\n2. {MANY} targets at --concurrency {CONC} (bench/many_server.go on {port}):")
        results = {}
        for label, extra in (("default key shares", []), ("--groups X25519", ["--groups", "X25519"])):
            server_before = cpu_of(server.pid)
            wall, cpu, rss, out, rc = measured(base + extra)
            ok = count_ok(out)
            server_cpu = cpu_of(server.pid) - server_before
            results[label] = (cpu / MANY, rss)
            print(f"  tlsprobe, {label:18} {wall:6.2f} s, {ok} ok, peak RSS {rss / 1024:5.1f} MiB, "
                  f"client CPU {cpu * 1e3 / MANY:.3f} ms/probe (server {server_cpu * 1e3 / MANY:.3f} ms/probe)")
        wall, cpu, _, out_path, _ = measured(["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-time", "5"])
        with open(out_path) as f:
            out = f.read()
        os.unlink(out_path)
        m = re.search(r"(\d+) connections in ([\d.]+)s", out)
        conns = int(m.group(1)) if m else 0
        stime = cpu / conns if conns else float("nan")
        print(f"  openssl s_time -new, 5 s:      {conns} handshakes, client CPU {stime * 1e3:.3f} ms/handshake")
        for label, (per, rss) in results.items():
            r = per / stime
            print(f"  {label:18}: CPU ratio {r:.2f} (target <= 0.75: {'met' if r <= 0.75 else 'NOT met'}); "
                  f"peak RSS {rss / 1024:.1f} MiB (target < 64: {'met' if rss < 64 * 1024 else 'NOT met'})")
    finally:
        server.kill()

    server, port = start([go_server, cert, key, str(CONC)], r"(\d+)$")
    try:
        with open(targets, "w") as f:
            f.write(f"localhost:{port}\n" * MANY)
        wall, cpu, rss, out, _ = measured(base)
        ok = count_ok(out)
        print(f"\n  worst case, all {CONC} in flight at once (server holds each group of {CONC}):")
        print(f"  tlsprobe, default key shares {wall:6.2f} s, {ok} ok, peak RSS {rss / 1024:5.1f} MiB "
              f"(target < 64: {'met' if rss < 64 * 1024 else 'NOT met'}), client CPU {cpu * 1e3 / MANY:.3f} ms/probe")
    finally:
        server.kill()
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end; this script's own peak RSS "
          f"{own_peak() / 1024:.1f} MiB (the floor under each peak above)")


if __name__ == "__main__":
    main()
