#!/usr/bin/env bash
# Scan benchmark: tlsprobe --scan vs sslscan vs sslyze vs testssl.sh on the same local openssl
# s_server, in one run, and whether their answers (versions, TLS 1.2 suites) agree.
#   bash bench/scan.sh   (installs sslscan, testssl.sh and hyperfine from Debian if missing, and
#                         sslyze from PyPI into target/bench-venv)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for tool in sslscan testssl hyperfine openssl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y -qq sslscan testssl.sh hyperfine openssl >/dev/null
fi
sslyze=target/bench-venv/bin/sslyze
if [ ! -x "$sslyze" ]; then
    python3 -m venv target/bench-venv
    target/bench-venv/bin/pip install -q sslyze
fi
cargo build --release --locked -q
bin=target/release/tlsprobe

work=$(mktemp -d)
trap 'pkill -P $$ sleep 2>/dev/null || true; kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" \
    -out "$work/cert.pem" -subj /CN=localhost -addext subjectAltName=DNS:localhost -days 7 2>/dev/null
# A server with TLS 1.0 to 1.3 and many suites, so there is something to find.
# Its standard input stays open (an idle pipe): s_server forwards what it reads there.
sleep 3600 | openssl s_server -accept 127.0.0.1:0 -cert "$work/cert.pem" -key "$work/key.pem" \
    -cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1 > "$work/server.out" 2>&1 &
server=$!
for _ in $(seq 200); do grep -q ACCEPT "$work/server.out" && break; sleep 0.05; done
port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$work/server.out" | head -1)
echo "openssl s_server on 127.0.0.1:$port; $(nproc) cores; $(uname -m)"

# tlsprobe exits 1 here (a self-signed certificate, an IP target): that is its verdict, not a
# failure of the run, hence -i.
hyperfine -i --warmup 1 --runs 10 --export-json "$work/fast.json" \
    -n "tlsprobe --scan" "$bin --scan --json 127.0.0.1:$port" \
    -n "sslscan" "sslscan --no-colour 127.0.0.1:$port" >/dev/null
# sslyze's checks of the same ground as --scan: versions and suites, groups, and the checks
# beside them (no certinfo trust stores, no ROBOT or resumption rounds).
sslyze_checks="--sslv2 --sslv3 --tlsv1 --tlsv1_1 --tlsv1_2 --tlsv1_3 --elliptic_curves --ems --fallback --reneg --compression --heartbleed --early_data --quiet"
hyperfine -i --runs 3 --export-json "$work/slow.json" \
    -n "sslyze" "$sslyze $sslyze_checks 127.0.0.1:$port" \
    -n "testssl.sh -p -E" "testssl --quiet --color 0 -p -E 127.0.0.1:$port" >/dev/null
$sslyze $sslyze_checks --json_out "$work/sslyze.json" "127.0.0.1:$port" >/dev/null || true

$bin --scan --json "127.0.0.1:$port" > "$work/tlsprobe.json" || true
sslscan --no-colour "127.0.0.1:$port" > "$work/sslscan.txt"
testssl --quiet --color 0 -p -E --jsonfile "$work/testssl.json" "127.0.0.1:$port" >/dev/null || true
openssl ciphers -stdname 'ALL:COMPLEMENTOFALL:@SECLEVEL=0' > "$work/names.txt"

python3 - "$work" <<'PY'
import json, re, sys
w = sys.argv[1]
res = {}
for f in ("fast.json", "slow.json"):
    for r in json.load(open(f"{w}/{f}"))["results"]:
        res[r["command"]] = r["median"]
print("\nmedian wall time:")
for k, v in res.items():
    print(f"  {k:<20} {v*1000:8.0f} ms")
base = res["tlsprobe --scan"]
for k, v in res.items():
    if k != "tlsprobe --scan":
        print(f"  {k} / tlsprobe --scan = {v/base:.1f}x")

ossl2iana = {}
for line in open(f"{w}/names.txt"):
    c = line.split()
    if len(c) > 3 and c[1] == "-":
        ossl2iana[c[2]] = c[0]

t = json.load(open(f"{w}/tlsprobe.json"))
t_versions = {v["version"] for v in t["scan"]["versions"] if v["accepted"]}
t12 = {s["name"] for v in t["scan"]["versions"] if v["version"] == "TLSv1.2" for s in v["cipher_suites"]}

s_versions, s12 = set(), set()
for line in open(f"{w}/sslscan.txt"):
    m = re.match(r"(SSLv[23]|TLSv1\.[0-3])\s+enabled", line)
    if m:
        s_versions.add("TLSv1.0" if m.group(1) == "TLSv1.0" else m.group(1))
    m = re.match(r"(Preferred|Accepted)\s+TLSv1\.2\s+\d+ bits\s+(\S+)", line)
    if m:
        s12.add(ossl2iana.get(m.group(2), m.group(2)))

x_versions, x12 = set(), set()
names = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}
for e in json.load(open(f"{w}/testssl.json")):
    if e["id"] in names and e["finding"].startswith("offered"):
        x_versions.add(names[e["id"]])
    if e["id"].startswith("cipher-tls1_2_"):
        iana = e["finding"].split()[-1]
        if iana.startswith("TLS_"):
            x12.add(iana)

y_versions, y12 = set(), set()
ynames = {"ssl_2_0": "SSLv2", "ssl_3_0": "SSLv3", "tls_1_0": "TLSv1.0", "tls_1_1": "TLSv1.1", "tls_1_2": "TLSv1.2", "tls_1_3": "TLSv1.3"}
for server in json.load(open(f"{w}/sslyze.json"))["server_scan_results"]:
    for key, version in ynames.items():
        got = (server["scan_result"].get(f"{key}_cipher_suites") or {}).get("result") or {}
        accepted = [c["cipher_suite"]["name"] for c in got.get("accepted_cipher_suites", [])]
        if accepted:
            y_versions.add(version)
        if version == "TLSv1.2":
            y12.update(accepted)

print(f"\ntlsprobe: {t['scan']['connections']} connections, scan {t['scan']['duration_ms']:.0f} ms")
print("\nversions accepted:")
print(f"  tlsprobe   {sorted(t_versions)}")
print(f"  sslscan    {sorted(s_versions)}   {'agrees' if s_versions == t_versions else 'DIFFERS'}")
print(f"  sslyze     {sorted(y_versions)}   {'agrees' if y_versions == t_versions else 'DIFFERS'}")
print(f"  testssl.sh {sorted(x_versions)}   {'agrees' if x_versions == t_versions else 'DIFFERS'}")
print("TLS 1.2 suites accepted:")
print(f"  tlsprobe {len(t12)}, sslscan {len(s12)}, sslyze {len(y12)}, testssl.sh {len(x12)}")
for name, other in (("sslscan", s12), ("sslyze", y12), ("testssl.sh", x12)):
    known = {s for s in other if s.startswith("TLS_")}
    only_them = sorted(known - t12)
    only_us = sorted(t12 - known)
    print(f"  vs {name}: {'agree' if not only_them and not only_us else 'differ'}"
          + (f"; only {name}: {only_them}" if only_them else "") + (f"; only tlsprobe: {only_us}" if only_us else ""))
PY
