//! `--scan` reaches the server as the probe did (through `--proxy`), and says on stderr when it
//! could not run: never a silent `scan: null`. A `--reconnect` that the first connection left
//! no time names the step that ran out of it.

mod support;

use rustls::version::{TLS12, TLS13};
use support::fixtures::fixtures;
use support::{closed_port, peers, root, run, rustls_server};

#[test]
fn the_scan_runs_through_the_proxy() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13, &TLS12]);
    let proxy = peers::connect_proxy(None);
    let target = format!("localhost:{}", server.port());
    let proxy = format!("127.0.0.1:{}", proxy.port());
    let r = run(&[
        "--json",
        "--scan",
        "--ca-file",
        &root(),
        "--proxy",
        &proxy,
        &target,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    support::assert_valid(&report);
    let versions = report["scan"]["versions"].as_array().expect("a scan");
    let accepted: Vec<&str> = versions
        .iter()
        .filter(|v| v["accepted"] == true)
        .filter_map(|v| v["version"].as_str())
        .collect();
    assert_eq!(accepted, ["TLSv1.3", "TLSv1.2"], "{report:#}");
}

#[test]
fn a_scan_that_could_not_run_says_why() {
    let target = format!("127.0.0.1:{}", closed_port());
    for json in [true, false] {
        let mut args = vec!["--scan", target.as_str()];
        if json {
            args.insert(0, "--json");
        }
        let r = run(&args);
        assert_eq!(r.code, 3, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!("tlsprobe: warning: {target}: --scan skipped: the probe failed at connect before TLS, so there was no server to ask\n")
        );
    }
}

#[test]
fn a_reconnect_left_no_time_names_its_step_not_dns() {
    // The server never answers the HTTP request: --http waits out the --timeout, and the
    // reconnect starts with nothing left of it.
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("localhost:{}", server.port());
    let r = run(&[
        "--json",
        "--ca-file",
        &root(),
        "--timeout",
        "2",
        "--http",
        "--reconnect",
        &target,
    ]);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    support::assert_valid(&report);
    let error = report["reconnect"]["error"]
        .as_str()
        .expect("a reconnect error");
    assert!(
        error.starts_with("the reconnect's ")
            && error.contains("ran out of time: the --timeout bounds the whole probe")
            && error.ends_with("(raise --timeout)"),
        "{report:#}"
    );
    assert!(!error.contains("DNS"), "{error}");
}
