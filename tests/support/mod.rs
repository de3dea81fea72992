//! Shared by the integration tests: certificate fixtures made by rcgen, peers on 127.0.0.1
//! (an in-process rustls server, `openssl s_server`, `gnutls-serv`), and running the binary.
#![allow(dead_code)] // each test binary uses a different part

pub mod daemons;
pub mod fixtures;
pub mod gnutls;
pub mod hostile;
pub mod openssl;
pub mod openssl_ca;
pub mod openssl_chains;
pub mod peers;
pub mod pss_chains;
pub mod rustls_server;
pub mod stacks;
pub mod starttls_peers;

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

/// Bound on one run of the binary: far above any probe's own `--timeout` (default 10 s), so
/// that a binary that never exits fails its test instead of hanging it.
pub const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// The tlsprobe binary, with an environment that cannot change its output: no key log, no
/// colour preferences, no terminal width (text is wrapped at 80 columns).
pub fn tlsprobe() -> assert_cmd::Command {
    let cmd = assert_cmd::Command::cargo_bin("tlsprobe").expect("tlsprobe binary");
    quiet(cmd)
}

/// `cmd` with the environment of [`tlsprobe`].
fn quiet(mut cmd: assert_cmd::Command) -> assert_cmd::Command {
    cmd.env_remove("SSLKEYLOGFILE")
        .env_remove("COLUMNS")
        .env_remove("TLSPROBE_PROXY_USER")
        // The proxy environment (curl's): none of this machine's may reach a test.
        .env_remove("https_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("no_proxy")
        .env_remove("NO_PROXY")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(RUN_LIMIT);
    cmd
}

/// What one run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run the binary and return its exit code and output. Fails the test when it did not exit by
/// itself within [`RUN_LIMIT`] (or died of a signal), with what it printed until then.
pub fn run(args: &[&str]) -> Run {
    let out = tlsprobe().args(args).output().expect("run tlsprobe");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    log_output(args, out.status.code(), &stdout, &stderr);
    let Some(code) = out.status.code() else {
        panic!(
            "tlsprobe {args:?} did not exit by itself ({}; killed after {RUN_LIMIT:?} if it \
             hung)\nstdout: {stdout}\nstderr: {stderr}",
            out.status
        );
    };
    Run {
        code,
        stdout,
        stderr,
    }
}

/// Run the binary as [`run`] does, with `hosts` as its `/etc/hosts`: in a mount namespace of
/// its own (`unshare -m`, util-linux), where a file with that text is bind-mounted over the
/// machine's. Its names then resolve as getaddrinfo reads them from the file (`multi on` in
/// Debian's host.conf: every address of a name); nothing else of the machine changes.
pub fn run_with_hosts(hosts: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("hosts");
    std::fs::write(&file, hosts).expect("write the hosts file");
    let bin = assert_cmd::cargo::cargo_bin("tlsprobe");
    let out = quiet(assert_cmd::Command::new("unshare"))
        .args([
            "-m",
            "sh",
            "-c",
            "mount --bind \"$0\" /etc/hosts && exec \"$@\"",
        ])
        .arg(&file)
        .arg(&bin)
        .args(args)
        .output()
        .expect("run unshare (util-linux)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    log_output(args, out.status.code(), &stdout, &stderr);
    let code = out.status.code().unwrap_or_else(|| {
        panic!("tlsprobe {args:?} did not exit by itself\nstdout: {stdout}\nstderr: {stderr}")
    });
    Run {
        code,
        stdout,
        stderr,
    }
}

/// With `TLSPROBE_OUTPUT_LOG=DIR`, every run is appended to `DIR/<test binary>.<test>.jsonl`
/// (arguments, exit code, stdout, stderr), so that a refactor can be shown to change no output:
/// `tests/compare_outputs.py` compares two such directories, field by field, after masking
/// what differs from run to run (times, ports, keys), and takes a second "before" run to learn
/// which fields are noisy.
fn log_output(args: &[&str], code: Option<i32>, stdout: &str, stderr: &str) {
    use std::io::Write;
    let Some(dir) = std::env::var_os("TLSPROBE_OUTPUT_LOG") else {
        return;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .replace("::", ".");
    let path = Path::new(&dir).join(format!("{}.{test}.jsonl", env!("CARGO_CRATE_NAME")));
    let line = serde_json::json!({
        "args": args, "code": code, "stdout": stdout, "stderr": stderr
    });
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .expect("open the output log");
    // One write per run: tests that run the binary from several threads append to the same
    // file, and `writeln!` would interleave their pieces.
    f.write_all(format!("{line}\n").as_bytes())
        .expect("write the output log");
}

/// Run with `--json` and return the exit code and every report (one per line), each checked
/// against the schema.
pub fn run_json_lines(args: &[&str]) -> (i32, Vec<Value>) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(&all);
    let reports: Vec<Value> = r
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| {
                panic!(
                    "stdout line is not JSON ({e}): {line:?}\nstderr: {}",
                    r.stderr
                )
            })
        })
        .collect();
    reports.iter().for_each(assert_valid);
    (r.code, reports)
}

/// Run with `--json` and return the exit code and the one report, checked against the schema.
pub fn run_json(args: &[&str]) -> (i32, Value) {
    let (code, mut reports) = run_json_lines(args);
    assert_eq!(
        reports.len(),
        1,
        "expected one JSON line for {args:?}, got {reports:#?}"
    );
    (code, reports.remove(0))
}

/// Assert that `args` is a usage error: exit 2, nothing on stdout, one line on stderr (no
/// backtrace, no panic). Returns that line.
pub fn usage_error(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(
        r.code, 2,
        "{args:?}: expected exit 2\nstdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(r.stdout.is_empty(), "{args:?}: stdout {:?}", r.stdout);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{args:?}: one line expected, got {:?}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "{args:?}: {:?}",
        r.stderr
    );
    lines[0].to_string()
}

/// Fail the test when `report` does not match `schema/report.schema.json`.
pub fn assert_valid(report: &Value) {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let v = VALIDATOR.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
        let schema: Value = serde_json::from_slice(&std::fs::read(path).expect("read schema"))
            .expect("schema is JSON");
        jsonschema::validator_for(&schema).expect("schema compiles")
    });
    let errors: Vec<String> = v
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match the schema: {errors:#?}\n{report:#}"
    );
}

/// Fail the test when `value` does not match the schema's `$defs/DEF` (e.g. `chain_report`).
pub fn assert_valid_as(value: &Value, def: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/report.schema.json");
    let schema: Value =
        serde_json::from_slice(&std::fs::read(path).expect("read schema")).expect("schema is JSON");
    let wrapper = serde_json::json!({"$ref": format!("#/$defs/{def}"), "$defs": schema["$defs"]});
    let v = jsonschema::validator_for(&wrapper).expect("schema compiles");
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{def} does not match the schema: {errors:#?}\n{value:#}"
    );
}

/// The fixtures' root certificate, as `--ca-file` takes it.
pub fn root() -> String {
    fixtures::fixtures().root_pem.to_str().unwrap().to_string()
}

/// `(from, type)` pairs, as [`messages`] returns them.
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A full TLS 1.3 handshake as tlsprobe lists it, ChangeCipherSpec aside.
pub const TLS13_HANDSHAKE: [(&str, &str); 7] = [
    ("client", "ClientHello"),
    ("server", "ServerHello"),
    ("server", "EncryptedExtensions"),
    ("server", "Certificate"),
    ("server", "CertificateVerify"),
    ("server", "Finished"),
    ("client", "Finished"),
];

/// A full TLS 1.2 ECDHE handshake with a server certificate, to the server's Finished.
pub const TLS12_HANDSHAKE: [(&str, &str); 10] = [
    ("client", "ClientHello"),
    ("server", "ServerHello"),
    ("server", "Certificate"),
    ("server", "ServerKeyExchange"),
    ("server", "ServerHelloDone"),
    ("client", "ClientKeyExchange"),
    ("client", "ChangeCipherSpec"),
    ("client", "Finished"),
    ("server", "ChangeCipherSpec"),
    ("server", "Finished"),
];

/// The `(from, type)` pairs of `handshake[]`.
pub fn messages(report: &Value) -> Vec<(String, String)> {
    report["handshake"]
        .as_array()
        .expect("handshake[]")
        .iter()
        .map(|m| {
            (
                m["from"].as_str().unwrap_or("?").to_string(),
                m["type"].as_str().unwrap_or("?").to_string(),
            )
        })
        .collect()
}

/// The subjects of `verification.path[]`, leaf first.
pub fn path_subjects(report: &Value) -> Vec<&str> {
    report["verification"]["path"]
        .as_array()
        .expect("verification.path[]")
        .iter()
        .map(|e| e["subject"].as_str().expect("subject"))
        .collect()
}

/// The verification error codes of a report.
pub fn error_codes(report: &Value) -> Vec<String> {
    report["verification"]["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The verification warning codes of a report, which must have a verification.
/// The codes of `scan.findings`, in order.
pub fn scan_codes(report: &Value) -> Vec<String> {
    report["scan"]["findings"]
        .as_array()
        .expect("scan.findings")
        .iter()
        .map(|f| f["code"].as_str().expect("a code").to_string())
        .collect()
}

pub fn warning_codes(report: &Value) -> Vec<String> {
    report["verification"]["warnings"]
        .as_array()
        .expect("verification.warnings[]")
        .iter()
        .map(|w| w["code"].as_str().expect("code").to_string())
        .collect()
}

/// A port on 127.0.0.1 where nothing listens: the kernel picked it free, and the listener is
/// closed again before it returns.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

/// Whether this machine has IPv6 loopback (tests that need it fail without it, rather than
/// skip).
pub fn has_ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// Lower-case hex SHA-256 of `bytes`, as a certificate fingerprint.
pub fn sha256_hex(bytes: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The DER inside one PEM `CERTIFICATE` block.
pub fn pem_to_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("-----"))
        .collect();
    data_encoding::BASE64
        .decode(body.as_bytes())
        .unwrap_or_else(|e| panic!("PEM body is not base64 ({e}): {pem:?}"))
}

/// Run `tlsprobe --json verify ARGS...` and return the exit code and its one line, checked
/// against the schema's `chain_report`. Also holds every run to the contract that every
/// error has a hint, and that exit 2 (and only exit 2) comes with `error` set.
pub fn verify_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json", "verify"];
    all.extend_from_slice(args);
    let r = run(&all);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{all:?}: one JSON line expected\nstdout: {}\nstderr: {}",
        r.stdout,
        r.stderr
    );
    let report: Value = serde_json::from_str(lines[0])
        .unwrap_or_else(|e| panic!("{all:?}: stdout is not JSON ({e}): {}", r.stdout));
    assert_valid_as(&report, "chain_report");
    assert_eq!(
        r.code == 2,
        !report["error"].is_null(),
        "{all:?}: exit {} with error {}",
        r.code,
        report["error"]
    );
    assert_every_error_has_a_hint(&report);
    (r.code, report)
}

/// Every `verification.errors[]` entry carries a non-empty hint.
pub fn assert_every_error_has_a_hint(report: &Value) {
    for e in report["verification"]["errors"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        assert!(
            e["hint"].as_str().is_some_and(|h| !h.trim().is_empty()),
            "an error without a hint: {e:#}"
        );
    }
}
