//! Targets from standard input are reported as each is done, in order, without waiting for
//! more input: the writer here sends the next target only once the report of the last one was
//! read, so a tlsprobe that read ahead (or waited for the end of input) would never answer.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rustls::version::TLS13;
use support::fixtures::fixtures;
use support::{root, rustls_server, RUN_LIMIT};

#[test]
fn each_target_on_stdin_is_reported_before_the_next_is_written() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tlsprobe"))
        .args(["--json", "--ca-file", &root(), "--concurrency", "8", "-"])
        .env_remove("SSLKEYLOGFILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tlsprobe");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, reports) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.expect("read stdout")).is_err() {
                return;
            }
        }
    });
    for i in 0..6 {
        // A comment after the target, as a person typing a list might leave one.
        writeln!(stdin, "localhost:{}  # target {i}", server.port()).expect("write a target");
        stdin.flush().expect("flush");
        let line = reports.recv_timeout(RUN_LIMIT).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("no report for target {i} while standard input stays open")
        });
        let report: serde_json::Value = serde_json::from_str(&line).expect("a JSON report");
        support::assert_valid(&report);
        assert_eq!(report["status"], "ok", "target {i}: {report:#}");
    }
    drop(stdin);
    assert!(
        reports.recv_timeout(Duration::from_secs(5)).is_err(),
        "one report per target"
    );
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
}
