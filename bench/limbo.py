#!/usr/bin/env python3
"""x509-limbo agreement: `tlsprobe verify` against `openssl verify` on the same testcases.

    python3 bench/limbo.py            (builds the release binary first)

Every testcase of tests/conformance/limbo.json goes through both verifiers with the same
inputs: the trusted certificates (-CAfile / --ca-file), the untrusted intermediates, the peer
name (-verify_hostname / -verify_ip / -verify_email, --host), the validation time (-attime,
--at) and the purpose (sslserver or sslclient, --purpose). A verifier agrees with a testcase
when it accepts exactly the chains the suite expects to succeed. openssl is run in its default
mode and with -x509_strict; both scores are printed, with the time each verifier took in all.
"""
import calendar, json, os, subprocess, sys, tempfile, time
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tlsprobe")
SUITE = os.path.join(ROOT, "tests", "conformance", "limbo.json")


def epoch(rfc3339):
    t = datetime.fromisoformat(rfc3339.replace("Z", "+00:00"))
    return calendar.timegm(t.utctimetuple())


def files(tc, work):
    def write(name, text):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        return path
    return (
        write("leaf.pem", tc["peer_certificate"]),
        write("roots.pem", "\n".join(tc["trusted_certs"])) if tc["trusted_certs"] else None,
        write("untrusted.pem", "\n".join(tc["untrusted_intermediates"])) if tc["untrusted_intermediates"] else None,
    )


def tlsprobe(tc, leaf, roots, untrusted):
    cmd = [BIN, "--json", "verify"]
    if roots:
        cmd += ["--ca-file", roots]
    if untrusted:
        cmd += ["--untrusted", untrusted]
    name = tc["expected_peer_name"]
    if name:
        cmd += ["--host", name["value"]]
    if tc["validation_time"]:
        cmd += ["--at", tc["validation_time"]]
    if tc["validation_kind"] == "CLIENT":
        cmd += ["--purpose", "client"]
    return subprocess.run(cmd + [leaf], capture_output=True).returncode == 0


def openssl(tc, leaf, roots, untrusted, strict):
    cmd = ["openssl", "verify"]
    cmd += ["-CAfile", roots] if roots else ["-CAfile", "/dev/null", "-no-CApath"]
    if untrusted:
        cmd += ["-untrusted", untrusted]
    name = tc["expected_peer_name"]
    if name:
        flag = {"DNS": "-verify_hostname", "IP": "-verify_ip", "RFC822": "-verify_email"}[name["kind"]]
        cmd += [flag, name["value"]]
    if tc["validation_time"]:
        cmd += ["-attime", str(epoch(tc["validation_time"]))]
    cmd += ["-purpose", "sslclient" if tc["validation_kind"] == "CLIENT" else "sslserver"]
    if strict:
        cmd.append("-x509_strict")
    return subprocess.run(cmd + [leaf], capture_output=True).returncode == 0


def main():
    subprocess.run(["cargo", "build", "--release", "--locked", "-q"], cwd=ROOT, check=True)
    cases = json.load(open(SUITE))["testcases"]
    verifiers = {
        "tlsprobe verify": lambda tc, *f: tlsprobe(tc, *f),
        "openssl verify": lambda tc, *f: openssl(tc, *f, strict=False),
        "openssl verify -x509_strict": lambda tc, *f: openssl(tc, *f, strict=True),
    }
    agree = {k: 0 for k in verifiers}
    took = {k: 0.0 for k in verifiers}
    with tempfile.TemporaryDirectory() as work:
        for tc in cases:
            f = files(tc, work)
            want = tc["expected_result"] == "SUCCESS"
            for k, v in verifiers.items():
                t = time.perf_counter()
                agree[k] += v(tc, *f) == want
                took[k] += time.perf_counter() - t
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    print(f"x509-limbo, {len(cases)} testcases ({version})")
    print("| verifier | agrees | % | time, all testcases |")
    print("|---|---|---|---|")
    for k in verifiers:
        print(f"| `{k}` | {agree[k]} | {100 * agree[k] / len(cases):.1f}% | {took[k]:.2f} s |")


if __name__ == "__main__":
    sys.exit(main())
