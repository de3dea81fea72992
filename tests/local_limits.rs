//! This machine's limits: open files (`ulimit -n`), threads (`ulimit -u`), address space
//! (`ulimit -v`). tlsprobe starts only the threads its targets need, lowers its concurrency to
//! what the limits leave (one warning), never panics when a thread cannot start, and reports
//! a local shortage as a local error (status `local_error`, kind `other`, exit 2), never as
//! the server's failure or a scan finding.

mod support;

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;

use rustls::version::{TLS12, TLS13};
use serde_json::Value;
use support::fixtures::fixtures;
use support::{assert_valid, root, rustls_server, RUN_LIMIT};

/// What a run under limits printed.
struct Limited {
    code: i32,
    reports: Vec<Value>,
    stderr: String,
}

/// Run tlsprobe with `args` under `limits` (prlimit's options, e.g. `--nofile=64`), as user
/// `uid` when given (root is exempt from the thread limit). Every stdout line must be a
/// report valid against the schema.
fn run_limited(limits: &[&str], uid: Option<u32>, args: &[&str]) -> Limited {
    let bin = assert_cmd::cargo::cargo_bin("tlsprobe");
    let mut cmd = match uid {
        Some(uid) => {
            let mut c = Command::new("setpriv");
            c.args([
                &format!("--reuid={uid}"),
                &format!("--regid={uid}"),
                "--clear-groups",
                "prlimit",
            ]);
            c
        }
        None => Command::new("prlimit"),
    };
    cmd.args(limits)
        .arg("--")
        .arg(&bin)
        .args(args)
        .env_remove("SSLKEYLOGFILE")
        .stdin(Stdio::null());
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run prlimit (util-linux)");
    let out = wait_with_limit(child);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed: {}\nstderr: {stderr}", out.status));
    assert!(!stderr.contains("panicked"), "{stderr}");
    let reports: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{stderr}")))
        .collect();
    reports.iter().for_each(assert_valid);
    Limited {
        code,
        reports,
        stderr,
    }
}

/// The child's output, or a failed test once [`RUN_LIMIT`] has passed.
fn wait_with_limit(child: std::process::Child) -> std::process::Output {
    let (tx, rx) = mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(RUN_LIMIT) {
        Ok(out) => out.expect("wait"),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("tlsprobe did not exit within {RUN_LIMIT:?}");
        }
    }
}

/// A targets file of `n` lines of `target`.
fn targets_file(dir: &tempfile::TempDir, n: usize, target: &str) -> String {
    let path = dir.path().join("targets.txt");
    let mut f = std::fs::File::create(&path).expect("create");
    for _ in 0..n {
        writeln!(f, "{target}").expect("write");
    }
    path.to_str().expect("utf-8").to_string()
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("tlsprobe: warning:"))
        .collect()
}

#[test]
fn one_target_starts_no_probe_thread_whatever_the_concurrency() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let target = format!("127.0.0.1:{}", listener.local_addr().expect("addr").port());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("tlsprobe"))
        .args([
            "--json",
            "--timeout",
            "20",
            "--concurrency",
            "4096",
            &target,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tlsprobe");
    // The probe is connected, and waits for the server: count its threads now.
    let (held, _) = listener.accept().expect("accept");
    let tasks = std::fs::read_dir(format!("/proc/{}/task", child.id()))
        .expect("the process's threads")
        .count();
    // Hang up, and refuse the diagnosis's connections: the probe ends at once.
    drop(held);
    drop(listener);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(4));
    // One target, at an IP address: probed on the main thread, nothing to resolve.
    assert_eq!(tasks, 1, "the main thread alone, not 4,097");
}

#[test]
fn event_loops_that_cannot_all_start_still_probe_every_target_at_once() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("127.0.0.1:{}", server.port());
    let targets: Vec<&str> = std::iter::repeat_n(target.as_str(), 12).collect();
    let mut args = vec!["--json", "--concurrency", "8"];
    args.extend(targets);
    // Two tasks: the main thread and one event loop (of one per core); the probes share it,
    // so none waits for a thread and there is nothing to warn of.
    let r = run_limited(&["--nproc=2"], Some(54_322), &args);
    assert_eq!(r.reports.len(), 12, "every target reported: {}", r.stderr);
    for report in &r.reports {
        assert!(report["protocol"]["version"].is_string(), "{report:#}");
    }
    assert_eq!(warnings(&r.stderr), Vec::<&str>::new());
    // No thread at all: not even a loop, and no probe thread; one at a time, said once.
    let r = run_limited(&["--nproc=1"], Some(54_323), &args);
    assert_eq!(r.reports.len(), 12, "every target reported: {}", r.stderr);
    let w = warnings(&r.stderr);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("probing one target at a time"), "{w:?}");
}

#[test]
fn a_thread_that_cannot_start_leaves_fewer_probes_and_one_warning() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("127.0.0.1:{}", server.port());
    let targets: Vec<&str> = std::iter::repeat_n(target.as_str(), 12).collect();
    // --reconnect: each probe has a thread (its second connection blocks), not a place on
    // an event loop.
    let mut args = vec!["--json", "--concurrency", "8", "--reconnect"];
    args.extend(targets);
    // As an otherwise unused user, allowed three tasks: the main thread and two more.
    let r = run_limited(&["--nproc=3"], Some(54_321), &args);
    assert_eq!(r.reports.len(), 12, "every target reported: {}", r.stderr);
    for report in &r.reports {
        assert_eq!(report["target"]["address"], target.as_str());
        assert!(report["protocol"]["version"].is_string(), "{report:#}");
    }
    assert_eq!(r.code, 1, "the chain is not trusted without --ca-file");
    let w = warnings(&r.stderr);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(
        w[0].contains("cannot start more than 2 probe threads"),
        "{w:?}"
    );
}

#[test]
fn a_small_address_space_lowers_the_concurrency_instead_of_aborting() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let dir = tempfile::tempdir().expect("tempdir");
    let list = targets_file(&dir, 200, &format!("localhost:{}", server.port()));
    let r = run_limited(
        &["--as=600000000"],
        None,
        &[
            "--json",
            "--concurrency",
            "4096",
            "--ca-file",
            &root(),
            "--targets-file",
            &list,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.reports.len(), 200);
    let w = warnings(&r.stderr);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("address-space limit"), "{w:?}");
}

#[test]
fn few_open_files_lower_the_concurrency_and_every_target_is_probed() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let dir = tempfile::tempdir().expect("tempdir");
    let list = targets_file(&dir, 300, &format!("localhost:{}", server.port()));
    let r = run_limited(
        &["--nofile=64"],
        None,
        &[
            "--json",
            "--concurrency",
            "512",
            "--ca-file",
            &root(),
            "--targets-file",
            &list,
        ],
    );
    assert_eq!(r.reports.len(), 300);
    let statuses: Vec<&str> = r
        .reports
        .iter()
        .map(|r| r["status"].as_str().unwrap_or_default())
        .filter(|s| *s != "ok")
        .collect();
    assert!(statuses.is_empty(), "{statuses:?}");
    assert_eq!(r.code, 0);
    let w = warnings(&r.stderr);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(
        w[0].contains("--concurrency 512 lowered to") && w[0].contains("ulimit -n"),
        "{w:?}"
    );
}

#[test]
fn the_soft_open_file_limit_is_raised_to_the_hard_one() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let dir = tempfile::tempdir().expect("tempdir");
    let list = targets_file(&dir, 100, &format!("localhost:{}", server.port()));
    let r = run_limited(
        &["--nofile=16:4096"],
        None,
        &[
            "--json",
            "--concurrency",
            "64",
            "--ca-file",
            &root(),
            "--targets-file",
            &list,
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.reports.len(), 100);
    assert!(warnings(&r.stderr).is_empty(), "{}", r.stderr);
}

#[test]
fn no_open_file_left_is_a_local_error_not_the_servers() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let dir = tempfile::tempdir().expect("tempdir");
    // The targets file holds the one descriptor the limit leaves (the loader's is closed).
    let path = dir.path().join("targets.txt");
    std::fs::write(
        &path,
        format!("127.0.0.1:{0}\nlocalhost:{0}\n", server.port()),
    )
    .expect("write");
    let r = run_limited(
        &["--nofile=4"],
        None,
        &["--json", "--targets-file", path.to_str().expect("utf-8")],
    );
    assert_eq!(r.code, 2, "a local error: {}", r.stderr);
    assert_eq!(r.reports.len(), 2);
    for report in &r.reports {
        assert_eq!(report["status"], "local_error", "{report:#}");
        assert_eq!(report["error"]["kind"], "other", "not dns, not connect");
        let message = report["error"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("too many open files here"), "{message}");
        let hint = report["error"]["hint"].as_str().unwrap_or_default();
        assert!(!hint.contains("spelling"), "{hint}");
    }
    assert_eq!(r.reports[1]["error"]["phase"], "dns", "where it happened");
}

#[test]
fn a_diagnosis_short_of_open_files_is_a_local_error_not_a_verdict() {
    // A TLS 1.2 server asked for TLS 1.3 only: the diagnosis asks which versions it accepts,
    // five connections at once, with one descriptor free.
    let server = rustls_server::start(&fixtures().good, &[&TLS12]);
    let target = format!("localhost:{}", server.port());
    let r = run_limited(&["--nofile=4"], None, &["--json", "--tls1.3", &target]);
    assert_eq!(r.code, 2, "{:#}", r.reports[0]);
    assert_eq!(r.reports[0]["status"], "local_error");
    assert_eq!(r.reports[0]["error"]["kind"], "other");

    // With room, the same probe names what the server accepts.
    let r = run_limited(&["--nofile=1024"], None, &["--json", "--tls1.3", &target]);
    assert_eq!(r.code, 4);
    assert_eq!(r.reports[0]["error"]["kind"], "protocol_version");
}

#[test]
fn a_scan_short_of_open_files_narrows_and_still_sees_tls13() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13, &TLS12]);
    let target = format!("localhost:{}", server.port());
    let r = run_limited(
        &["--nofile=6"],
        None,
        &["--json", "--scan", "--ca-file", &root(), &target],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let scan = &r.reports[0]["scan"];
    assert_eq!(scan["versions"][0]["version"], "TLSv1.3");
    assert_eq!(scan["versions"][0]["accepted"], true, "{scan:#}");
    assert_eq!(scan["versions"][1]["accepted"], true, "{scan:#}");
    let codes: Vec<&str> = scan["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(!codes.contains(&"no_tls13"), "{codes:?}");
    let w = warnings(&r.stderr);
    assert_eq!(w.len(), 1, "{}", r.stderr);
    assert!(w[0].contains("--scan lowered to"), "{w:?}");
    // Unnarrowed, the scan sees the same.
    let (_, full) = support::run_json(&["--scan", "--ca-file", &root(), &target]);
    assert_eq!(full["scan"]["versions"], scan["versions"]);
    assert_eq!(full["scan"]["groups"], scan["groups"]);
}
