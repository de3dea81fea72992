#!/usr/bin/env python3
"""Probe benchmark: tlsprobe against openssl s_client and s_time on the same local s_server.

    python3 bench/probe.py            (builds the release binary first)

1. One probe, whole process, interleaved runs (tlsprobe --json, then openssl s_client, N times
   each in alternation), medians and ratio.
2. 1,000 targets in one tlsprobe run vs a loop of 1,000 openssl s_client vs openssl s_time -new.
3. Peak RSS of tlsprobe for 1 and for 1,000 targets.
"""
import os, re, resource, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tlsprobe")
N = int(os.environ.get("RUNS", "30"))

def run(cmd, **kw):
    return subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)

def peak_rss_kib(cmd):
    """Peak RSS of one child, measured in a fresh interpreter so earlier children don't count."""
    code = "import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    return int(subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True).stdout)

def main():
    subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    key, cert = os.path.join(work, "key.pem"), os.path.join(work, "cert.pem")
    run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", key, "-out", cert, "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-days", "7"])
    server = subprocess.Popen(["openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            m = re.match(r"ACCEPT .*:(\d+)", line)
            if m:
                port = m.group(1)
                break
        # Keep draining s_server's output so it never blocks on a full pipe.
        import threading
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        target = f"localhost:{port}"
        probe = [BIN, "--json", "--ca-file", cert, target]
        sclient = ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost"]
        print(f"openssl s_server on 127.0.0.1:{port}; {os.cpu_count()} cores; {N} runs each, interleaved")

        for _ in range(3):
            run(probe); run(sclient)
        t_probe, t_sclient = [], []
        for _ in range(N):
            s = time.perf_counter(); run(probe); t_probe.append(time.perf_counter() - s)
            s = time.perf_counter(); run(sclient); t_sclient.append(time.perf_counter() - s)
        mp, ms = statistics.median(t_probe) * 1e3, statistics.median(t_sclient) * 1e3
        print(f"\none probe, whole process, median wall time:")
        print(f"  tlsprobe --json     {mp:7.2f} ms")
        print(f"  openssl s_client    {ms:7.2f} ms")
        print(f"  ratio tlsprobe / s_client = {mp / ms:.2f} (target <= 0.5)")

        many = os.path.join(work, "targets.txt")
        with open(many, "w") as f:
            f.write(f"{target}\n" * 1000)
        def server_cpu():
            # utime + stime of s_server, in clock ticks (fields 14 and 15 of /proc/PID/stat).
            fields = open(f"/proc/{server.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        before_server = server_cpu()
        before_client = resource.getrusage(resource.RUSAGE_CHILDREN)
        s = time.perf_counter()
        run([BIN, "--json", "--ca-file", cert, "--concurrency", "16", "--targets-file", many])
        t_many = time.perf_counter() - s
        after_client = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_ms = (server_cpu() - before_server) * 1000 / 1000
        client_ms = ((after_client.ru_utime - before_client.ru_utime) + (after_client.ru_stime - before_client.ru_stime)) * 1000 / 1000
        s = time.perf_counter()
        for _ in range(200):
            run(sclient)
        t_loop = (time.perf_counter() - s) * 5
        stime = subprocess.run(["openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new", "-time", "5"],
                               stdin=subprocess.DEVNULL, capture_output=True, text=True).stdout
        m = re.search(r"(\d+) connections in ([\d.]+)s; ([\d.]+) connections/user sec", stime)
        conns = int(m.group(1)) if m else 0
        stime_rate = conns / 5.0
        rate = 1000 / t_many
        print(f"\n1,000 probes:")
        print(f"  tlsprobe, one run of 1,000 targets   {t_many:6.2f} s   {rate:7.0f} handshakes/s")
        print(f"  loop of openssl s_client (x200, x5)  {t_loop:6.2f} s   {1000 / t_loop:7.0f} handshakes/s")
        print(f"  openssl s_time -new, 5 s             {conns} connections   {stime_rate:7.0f} handshakes/s (wall)")
        print(f"  ratio tlsprobe / s_time = {rate / stime_rate:.1f}x (target >= 3)")
        print(f"  CPU per handshake in the 1,000-target run: s_server {server_ms:.2f} ms, tlsprobe {client_ms:.2f} ms")
        print(f"  (s_server serves one connection at a time: {1000 / server_ms:.0f} handshakes/s is its ceiling on one core)")

        one = peak_rss_kib(probe)
        thousand = peak_rss_kib([BIN, "--json", "--ca-file", cert, "--concurrency", "16", "--targets-file", many])
        print(f"\npeak RSS: 1 target {one / 1024:.1f} MiB, 1,000 targets {thousand / 1024:.1f} MiB (target < 16 MiB, flat)")
    finally:
        server.kill()

if __name__ == "__main__":
    main()
