//! Local input and output that is not what it should be: directories, devices, FIFOs with no
//! one at the other end, endless or huge files, empty target lists, a key log others can read,
//! a standard output that is full or closed. Each is one line on stderr and exit 2, within a
//! bound; nothing hangs, nothing grows without end, nothing is lost without a word.

mod support;

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rustls::version::TLS13;
use serde_json::Value;
use support::fixtures::fixtures;
use support::{closed_port, root, run, run_json, rustls_server, usage_error};

/// Every run here is over well within this; a run that is not is killed and fails its test.
const LIMIT: Duration = Duration::from_secs(5);

/// What one run printed, and how long it took.
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// The binary with a clean environment, no standard input and piped output; tests replace
/// any of the three streams.
fn tlsprobe(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tlsprobe"));
    cmd.args(args)
        .env_remove("SSLKEYLOGFILE")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Run `cmd` with a deadline: a child still running after [`LIMIT`] is killed (by its id)
/// and the test fails.
fn bounded(mut cmd: Command) -> Ran {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn tlsprobe");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(output) = rx.recv_timeout(LIMIT) else {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        panic!("{cmd:?} still running after {LIMIT:?}");
    };
    let output = output.expect("wait for tlsprobe");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        took: start.elapsed(),
    }
}

/// A usage error within the bound: exit 2, one line on stderr, which is returned.
fn one_line_exit_2(ran: &Ran, what: &str) -> String {
    assert_eq!(ran.code, Some(2), "{what}: {}", ran.stderr);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: {:?}", ran.stderr);
    assert!(lines[0].starts_with("tlsprobe: "), "{what}: {}", lines[0]);
    lines[0].to_string()
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    path
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

#[test]
fn directories_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = s(dir.path());
    let key = s(&fixtures().good.key_pem);
    for args in [
        vec!["--targets-file", d],
        vec!["--ca-file", d, "localhost"],
        vec!["--crl-file", d, "localhost"],
        vec!["--cert", d, "--key", key, "localhost"],
        vec!["cert", d],
        vec!["verify", d],
    ] {
        let ran = bounded(tlsprobe(&args));
        let line = if args[0] == "cert" {
            // `cert` reports each file on stdout and exits 2.
            assert_eq!(ran.code, Some(2), "{args:?}");
            ran.stdout.clone()
        } else {
            one_line_exit_2(&ran, &format!("{args:?}"))
        };
        assert!(line.contains("it is a directory"), "{args:?}: {line}");
    }
    // Standard input a directory: once, not forever.
    let mut cmd = tlsprobe(&["-"]);
    cmd.stdin(File::open(dir.path()).unwrap());
    let line = one_line_exit_2(&bounded(cmd), "- < DIR");
    assert_eq!(
        line,
        "tlsprobe: cannot read standard input: it is a directory"
    );
}

#[test]
fn fifos_with_no_one_at_the_other_end_end_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let key = s(&fixtures().good.key_pem);
    let cert = s(&fixtures().good.chain_pem);
    let f = fifo(dir.path(), "fifo");
    let f = s(&f);
    for args in [
        vec!["--targets-file", f],
        vec!["--ca-file", f, "localhost"],
        vec!["--crl-file", f, "localhost"],
        vec!["--cert", f, "--key", key, "localhost"],
        vec!["--cert", cert, "--key", f, "localhost"],
        vec!["cert", f],
        vec!["verify", f],
        vec!["verify", "--untrusted", f, cert],
    ] {
        let mut all = vec!["--timeout", "1"];
        all.extend_from_slice(&args);
        let ran = bounded(tlsprobe(&all));
        let line = if args[0] == "cert" {
            // `cert` reports each file on stdout and exits 2.
            assert_eq!(ran.code, Some(2), "{args:?}");
            ran.stdout.clone()
        } else {
            one_line_exit_2(&ran, &format!("{args:?}"))
        };
        assert!(
            line.contains("it is a FIFO and") && line.contains("within 1 s (--timeout)"),
            "{args:?}: {line}"
        );
        assert!(
            ran.took < Duration::from_secs(3),
            "{args:?}: {:?}",
            ran.took
        );
    }
}

#[test]
fn a_fifo_that_delivers_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = fifo(dir.path(), "chain.pem");
    let pem = std::fs::read(&fixtures().good.chain_pem).unwrap();
    let writer_path = path.clone();
    // The writer's open waits for tlsprobe's reader; then it writes and closes.
    let writer = std::thread::spawn(move || {
        let mut w = File::options().write(true).open(writer_path).unwrap();
        w.write_all(&pem).unwrap();
    });
    let ran = bounded(tlsprobe(&["--json", "cert", s(&path)]));
    writer.join().unwrap();
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    let report: Value = serde_json::from_str(ran.stdout.trim()).unwrap();
    support::assert_valid_as(&report, "cert_file");
    assert_eq!(report["certificates"].as_array().unwrap().len(), 2);

    // A targets file as a FIFO is streamed, as standard input is.
    let targets = fifo(dir.path(), "targets");
    let writer_path = targets.clone();
    let closed = closed_port();
    let writer = std::thread::spawn(move || {
        let mut w = File::options().write(true).open(writer_path).unwrap();
        writeln!(w, "# one target\n127.0.0.1:{closed}").unwrap();
    });
    let ran = bounded(tlsprobe(&["--json", "--targets-file", s(&targets)]));
    writer.join().unwrap();
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert_eq!(ran.stdout.lines().count(), 1, "{}", ran.stdout);
}

#[test]
fn devices_and_endless_or_huge_files_are_refused() {
    let key = s(&fixtures().good.key_pem);
    for args in [
        vec!["--targets-file", "/dev/zero"],
        vec!["--ca-file", "/dev/zero", "localhost"],
        vec!["--cert", "/dev/zero", "--key", key, "localhost"],
        vec![
            "--cert",
            s(&fixtures().good.chain_pem),
            "--key",
            "/dev/zero",
            "localhost",
        ],
        vec!["verify", "/dev/zero"],
        vec!["--crl-file", "/dev/urandom", "localhost"],
    ] {
        let ran = bounded(tlsprobe(&args));
        let line = one_line_exit_2(&ran, &format!("{args:?}"));
        assert!(
            line.contains("it is a device, not a file"),
            "{args:?}: {line}"
        );
    }
    let mut cmd = tlsprobe(&["-"]);
    cmd.stdin(File::open("/dev/zero").unwrap());
    let line = one_line_exit_2(&bounded(cmd), "- < /dev/zero");
    assert!(line.contains("standard input: it is a device"), "{line}");

    // A regular file over the budget (sparse: no disk used).
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.pem");
    File::create(&big)
        .unwrap()
        .set_len(16 * 1024 * 1024 + 1)
        .unwrap();
    for args in [
        vec!["--ca-file", s(&big), "localhost"],
        vec!["--cert", s(&big), "--key", key, "localhost"],
        vec!["--crl-file", s(&big), "localhost"],
    ] {
        let line = usage_error(&args);
        assert!(
            line.contains("it is larger than 16 MiB"),
            "{args:?}: {line}"
        );
    }
}

#[test]
fn an_endless_line_of_targets_stops_the_reading() {
    // Zeros with no newline, through a pipe (standard input), then a target never reached.
    let mut input = vec![0u8; 1 << 20];
    input.extend_from_slice(b"\nlocalhost:1\n");
    let r = support::tlsprobe()
        .arg("-")
        .write_stdin(input)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "tlsprobe: standard input:1: a line longer than 64 KiB: not a list of targets; read no further"
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn an_empty_target_list_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    let comments = dir.path().join("comments");
    std::fs::write(&comments, "# nothing here\n\n   \n").unwrap();
    for file in [&empty, &comments] {
        let line = usage_error(&["--targets-file", s(file)]);
        assert_eq!(
            line,
            format!(
                "tlsprobe: no targets to probe: --targets-file {} holds none",
                s(file)
            )
        );
    }
    let r = support::tlsprobe()
        .arg("-")
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&r.stderr),
        "tlsprobe: no targets to probe: standard input holds none\n"
    );
    // Targets on the command line and an empty file: the named ones are probed.
    let (code, _) = run_json(&[
        &format!("127.0.0.1:{}", closed_port()),
        "--targets-file",
        s(&empty),
    ]);
    assert_eq!(code, 3);
}

/// A TLS 1.3 server whose chain `--ca-file root` trusts, and its target.
fn good_target() -> String {
    let addr = rustls_server::start(&fixtures().good, &[&TLS13]);
    format!("localhost:{}", addr.port())
}

#[test]
fn a_new_key_log_is_created_0600_and_filled() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("keys.log");
    let (code, r) = run_json(&["--keylog", s(&log), "--ca-file", &root(), &good_target()]);
    assert_eq!(code, 0, "{r:#}");
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("CLIENT_HANDSHAKE_TRAFFIC_SECRET "), "{text}");
    // Ours and private: appended to on the next run.
    let (code, _) = run_json(&["--keylog", s(&log), "--ca-file", &root(), &good_target()]);
    assert_eq!(code, 0);
    let again = std::fs::read_to_string(&log).unwrap();
    assert!(again.len() > text.len() && again.starts_with(&text));
}

#[test]
fn a_key_log_others_can_read_or_not_ours_or_a_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("127.0.0.1:{}", closed_port());

    let readable = dir.path().join("readable.log");
    std::fs::write(&readable, "").unwrap();
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).unwrap();
    let line = usage_error(&["--keylog", s(&readable), &target]);
    assert_eq!(
        line,
        format!(
            "tlsprobe: the key log {} is open to other users (mode 0644): chmod 600 it; \
             refusing to write secrets to it (--keylog-unsafe to insist)",
            s(&readable)
        )
    );
    // The same from SSLKEYLOGFILE, which says so.
    let r = support::tlsprobe()
        .env("SSLKEYLOGFILE", &readable)
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("(mode 0644)"));
    assert!(String::from_utf8_lossy(&r.stderr).contains("(from SSLKEYLOGFILE)"));
    // Insisting is the user's to do.
    let (code, _) = run_json(&["--keylog", s(&readable), "--keylog-unsafe", &target]);
    assert_eq!(code, 3);

    // 0600, but another user's (the tests run as root: nobody's file).
    let theirs = dir.path().join("theirs.log");
    std::fs::write(&theirs, "").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::chown(&theirs, Some(65534), None).expect("chown (the tests run as root)");
    let line = usage_error(&["--keylog", s(&theirs), &target]);
    assert!(
        line.contains("belongs to another user (uid 65534"),
        "{line}"
    );

    // A symlink, dangling or not, is neither followed nor written through.
    let private = dir.path().join("private.log");
    std::fs::write(&private, "").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    for (link, to) in [
        ("dangling.log", dir.path().join("elsewhere.log")),
        ("link.log", private.clone()),
    ] {
        let link = dir.path().join(link);
        std::os::unix::fs::symlink(&to, &link).unwrap();
        let line = usage_error(&["--keylog", s(&link), &target]);
        assert!(line.contains("is a symbolic link"), "{line}");
    }
    assert!(!dir.path().join("elsewhere.log").exists());

    // A FIFO (no reader: it would block) and a device.
    let f = fifo(dir.path(), "keys.fifo");
    for path in [s(&f), "/dev/full"] {
        let ran = bounded(tlsprobe(&["--keylog", path, &target]));
        let line = one_line_exit_2(&ran, path);
        assert!(line.contains("is not a regular file"), "{line}");
    }
    let ran = bounded(tlsprobe(&["--keylog", s(&f), "--keylog-unsafe", &target]));
    let line = one_line_exit_2(&ran, "FIFO, --keylog-unsafe");
    assert!(line.contains("is a FIFO that no one is reading"), "{line}");
}

#[test]
fn a_key_log_that_cannot_be_written_is_exit_2() {
    let target = good_target();
    let r = run(&[
        "--json",
        "--keylog",
        "/dev/full",
        "--keylog-unsafe",
        "--ca-file",
        &root(),
        &target,
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "tlsprobe: cannot write the key log /dev/full: No space left on device (os error 28); \
         it lacks secrets of this run\n"
    );
    // The report itself is whole.
    let report: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    support::assert_valid(&report);
    assert_eq!(report["status"], "ok");
}

/// tshark's TCP streams and the TLS handshake types it decodes in `pcap`, with no key log.
fn decoded(pcap: &Path) -> Vec<(String, String)> {
    let out = Command::new("tshark")
        .arg("-r")
        .arg(pcap)
        .args(["-Y", "tls.handshake", "-T", "fields"])
        .args(["-e", "tcp.stream", "-e", "tls.handshake.type"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("tshark (Debian: tshark)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn a_capture_holds_a_section_per_target_or_a_file_each() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (good_target(), good_target());
    let file = dir.path().join("run.pcapng");
    let code = run(&["--json", "--pcap", s(&file), "--ca-file", &root(), &a, &b]).code;
    assert_eq!(code, 0);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let seen = decoded(&file);
    // Two connections, each decrypted: the server's Finished (20) is in an encrypted record.
    for stream in ["0", "1"] {
        let types: Vec<&str> = seen
            .iter()
            .filter(|(s, _)| s == stream)
            .flat_map(|(_, t)| t.split(','))
            .collect();
        assert!(
            types.contains(&"1") && types.contains(&"8") && types.contains(&"20"),
            "stream {stream}: {seen:?}"
        );
    }
    // A run again empties the file first.
    let before = std::fs::metadata(&file).unwrap().len();
    let code = run(&["--json", "--pcap", s(&file), "--ca-file", &root(), &a]).code;
    assert_eq!(code, 0);
    assert!(std::fs::metadata(&file).unwrap().len() < before);

    // PATH/: a private directory, a file per target; the same target twice gets -2.
    let place = dir.path().join("caps/");
    let code = run(&[
        "--json",
        "--pcap",
        s(&place),
        "--ca-file",
        &root(),
        &a,
        &b,
        &a,
    ])
    .code;
    assert_eq!(code, 0);
    let mode = std::fs::metadata(&place).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let mut names: Vec<String> = std::fs::read_dir(&place)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let name = |t: &str| t.replace(':', "_");
    let mut expected = vec![
        format!("{}.pcapng", name(&a)),
        format!("{}-2.pcapng", name(&a)),
        format!("{}.pcapng", name(&b)),
    ];
    expected.sort();
    assert_eq!(names, expected);
    for n in &names {
        let seen = decoded(&place.join(n));
        assert!(seen.iter().any(|(_, t)| t.contains("20")), "{n}: {seen:?}");
    }
}

#[test]
fn a_capture_others_could_read_or_cannot_write_is_refused_or_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let target = format!("127.0.0.1:{}", closed_port());
    let readable = dir.path().join("readable.pcapng");
    std::fs::write(&readable, "").unwrap();
    std::fs::set_permissions(&readable, std::fs::Permissions::from_mode(0o644)).unwrap();
    let line = usage_error(&["--pcap", s(&readable), &target]);
    assert_eq!(
        line,
        format!(
            "tlsprobe: the capture {} is open to other users (mode 0644): chmod 600 it; \
             refusing to write secrets to it (--keylog-unsafe to insist)",
            s(&readable)
        )
    );
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let line = usage_error(&["--pcap", s(&open), &target]);
    assert!(
        line.contains("is writable by other users (mode 0777)"),
        "{line}"
    );
    let f = fifo(dir.path(), "cap.fifo");
    let ran = bounded(tlsprobe(&["--pcap", s(&f), &target]));
    let line = one_line_exit_2(&ran, "a FIFO");
    assert!(line.contains("is not a regular file"), "{line}");

    // Written after the probe: the report is whole, the failure said, exit 2.
    let r = run(&[
        "--json",
        "--pcap",
        "/dev/full",
        "--keylog-unsafe",
        "--ca-file",
        &root(),
        &good_target(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "tlsprobe: cannot write the capture /dev/full: No space left on device (os error 28); \
         it lacks probes of this run\n"
    );
    let report: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(report["status"], "ok");
}

#[test]
fn a_report_that_cannot_be_written_is_exit_2() {
    let closed = format!("127.0.0.1:{}", closed_port());
    let chain = s(&fixtures().good.chain_pem);
    for args in [
        vec!["--json", &closed],
        vec![closed.as_str()],
        vec!["cert", chain],
        vec!["--json", "verify", chain],
    ] {
        let mut cmd = tlsprobe(&args);
        cmd.stdout(File::options().write(true).open("/dev/full").unwrap());
        let line = one_line_exit_2(&bounded(cmd), &format!("{args:?} > /dev/full"));
        assert_eq!(
            line,
            "tlsprobe: cannot write the report to standard output: No space left on device \
             (os error 28)"
        );
    }
    // /dev/null, as people (`>/dev/null`, write-only) and programs (Python's
    // `subprocess.DEVNULL`, Go's exec: read-write) give it, is a place to write to: the status
    // stands and nothing is said. So is a closed one (`>&-`): Rust's runtime reopens it on
    // /dev/null before `main`, and the two cannot be told apart.
    let devnull_rw = || {
        File::options()
            .read(true)
            .write(true)
            .open("/dev/null")
            .unwrap()
    };
    for how in ["write-only", "read-write", "closed"] {
        let mut cmd = match how {
            "closed" => {
                let mut sh = Command::new("sh");
                sh.args([
                    "-c",
                    "exec \"$0\" \"$@\" >&-",
                    env!("CARGO_BIN_EXE_tlsprobe"),
                    &closed,
                ]);
                sh.stdout(Stdio::piped());
                sh
            }
            _ => tlsprobe(&[&closed]),
        };
        match how {
            "write-only" => cmd.stdout(Stdio::null()),
            "read-write" => cmd.stdout(devnull_rw()),
            _ => &mut cmd,
        };
        cmd.stderr(Stdio::piped());
        let ran = bounded(cmd);
        assert_eq!(ran.code, Some(3), "{how}: {}", ran.stderr);
        assert_eq!(ran.stderr, "", "{how}");
    }
}

#[test]
fn a_closed_pipe_is_a_quiet_stop() {
    let closed = format!("127.0.0.1:{}", closed_port());
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut cmd = tlsprobe(&["--json", &closed, &closed]);
    cmd.stdout(writer);
    let ran = bounded(cmd);
    assert_eq!(ran.code, Some(3), "{}", ran.stderr);
    assert_eq!(ran.stderr, "", "nothing said about a reader that left");
    assert_eq!(ran.stdout, "");
}
