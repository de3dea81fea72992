//! Shared by the integration tests: certificate fixtures made by rcgen, peers on 127.0.0.1
//! (an in-process rustls server, `openssl s_server`), and running the binary.
#![allow(dead_code)] // each test binary uses a different part

pub mod fixtures;
pub mod openssl;
pub mod openssl_ca;
pub mod peers;
pub mod rustls_server;
pub mod starttls_peers;

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

/// The tlsprobe binary, with an environment that cannot change its output.
pub fn tlsprobe() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tlsprobe").expect("tlsprobe binary");
    cmd.env_remove("SSLKEYLOGFILE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

/// What one run printed.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(args: &[&str]) -> Run {
    let out = tlsprobe().args(args).output().expect("run tlsprobe");
    Run {
        code: out.status.code().expect("tlsprobe exited by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run with `--json` and return the exit code and the one report, checked against the schema.
pub fn run_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let r = run(&all);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one JSON line, got:\n{}\nstderr: {}",
        r.stdout,
        r.stderr
    );
    let report: Value = serde_json::from_str(lines[0]).expect("stdout is JSON");
    assert_valid(&report);
    (r.code, report)
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

/// A port on 127.0.0.1 where nothing listens.
pub fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}
