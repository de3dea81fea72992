//! Servers that complete the handshake and then never stop sending: application data, or
//! session tickets. What tlsprobe records after the handshake is budgeted (1 MiB or 1,000
//! records, then `handshake_truncated`), it stops listening once the budget is spent, and the
//! whole process stays small whatever the server sends.

mod support;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::{ServerConfig, ServerConnection};
use serde_json::Value;
use support::fixtures::fixtures;
use support::{assert_valid, root};

/// Peak RSS allowed for one probe, whatever the peer sends (the budget).
const PEAK_RSS_KIB: u64 = 32 * 1024;

/// A rustls server on 127.0.0.1 that, once the handshake is done, sends every connection it
/// accepts up to `flood` bytes of application data, in 16 KiB writes.
fn flooding_server(config: Arc<ServerConfig>, flood: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for sock in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                let _ = serve(sock, config, flood);
            });
        }
    });
    addr
}

fn serve(mut sock: TcpStream, config: Arc<ServerConfig>, total: usize) -> std::io::Result<()> {
    sock.set_read_timeout(Some(Duration::from_secs(10)))?;
    sock.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut conn = ServerConnection::new(config).map_err(std::io::Error::other)?;
    while conn.is_handshaking() {
        conn.complete_io(&mut sock)?;
    }
    let chunk = vec![b'x'; 16 * 1024];
    let mut sent = 0;
    while sent < total {
        conn.writer().write_all(&chunk)?;
        sent += chunk.len();
        while conn.wants_write() {
            // The client gone (or no longer reading): the flood ends.
            conn.write_tls(&mut sock)?;
        }
    }
    // Hold the connection open: the client decides when it has heard enough.
    let mut sink = [0u8; 1024];
    while std::io::Read::read(&mut sock, &mut sink)? > 0 {}
    Ok(())
}

/// Probe `addr` with `extra`, measuring the process's peak RSS (the kernel's count, read by
/// python's resource module). Returns the report, the peak in KiB and the wall time.
fn probe_measured(addr: SocketAddr, extra: &[&str]) -> (Value, u64, Duration) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.json");
    let bin = assert_cmd::cargo::cargo_bin("tlsprobe");
    let target = format!("localhost:{}", addr.port());
    let root = root();
    let mut args = vec!["--json", "--ca-file", &root, "--timeout", "20"];
    args.extend_from_slice(extra);
    args.push(&target);
    let started = Instant::now();
    let measured = std::process::Command::new("python3")
        .args([
            "-c",
            "import resource,subprocess,sys; \
             subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb'), check=False); \
             print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
            out.to_str().unwrap(),
            bin.to_str().unwrap(),
        ])
        .args(&args)
        .output()
        .expect("python3");
    let took = started.elapsed();
    let kib: u64 = String::from_utf8_lossy(&measured.stdout)
        .trim()
        .parse()
        .expect("ru_maxrss");
    let text = std::fs::read_to_string(&out).expect("report");
    let report: Value = serde_json::from_str(&text).expect("one JSON report");
    assert_valid(&report);
    (report, kib, took)
}

fn count(report: &Value, kind: &str) -> usize {
    report["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == kind)
        .count()
}

#[test]
fn a_flood_of_application_data_is_cut_at_the_budget_in_little_memory() {
    let f = fixtures();
    let config = support::rustls_server::config(&f.good);
    // 400 MiB: more than the budget many times over, and more than a second's worth.
    let addr = flooding_server(config, 400 << 20);
    for extra in [&[][..], &["--http"][..], &["--reconnect"][..]] {
        let (r, kib, took) = probe_measured(addr, extra);
        assert_eq!(r["status"], "ok", "{extra:?}: {:#}", r["error"]);
        assert_eq!(r["handshake_truncated"], true, "{extra:?}");
        // 1 MiB of 16 KiB records after the handshake: about 64 of them kept.
        let data = count(&r, "ApplicationData");
        assert!((60..=70).contains(&data), "{extra:?}: {data} records kept");
        assert!(
            kib < PEAK_RSS_KIB,
            "{extra:?}: peak RSS {kib} KiB, over {PEAK_RSS_KIB}"
        );
        // Once the budget is spent, nothing more is read: the 20 s timeout is not waited out.
        assert!(took < Duration::from_secs(10), "{extra:?}: took {took:?}");
        eprintln!("{extra:?}: {data} records, peak RSS {kib} KiB, {took:?}");
    }
}

#[test]
fn an_endless_stream_of_session_tickets_is_cut_at_a_thousand_records() {
    let f = fixtures();
    // OpenSSL sends as many TLS 1.3 tickets as it is told, one record each, at once.
    let server = support::openssl::s_server(&f.good, &["-num_tickets", "50000"]);
    for extra in [&[][..], &["--http"][..]] {
        let (r, kib, took) = probe_measured(server.addr, extra);
        assert_eq!(r["status"], "ok", "{extra:?}: {:#}", r["error"]);
        let tickets = count(&r, "NewSessionTicket");
        assert_eq!(
            r["handshake_truncated"], true,
            "{extra:?}: {tickets} tickets"
        );
        assert_eq!(tickets, 1000, "{extra:?}: one record each, 1,000 kept");
        assert!(
            kib < PEAK_RSS_KIB,
            "{extra:?}: peak RSS {kib} KiB, over {PEAK_RSS_KIB}"
        );
        assert!(took < Duration::from_secs(10), "{extra:?}: took {took:?}");
        eprintln!("{extra:?}: {tickets} tickets, peak RSS {kib} KiB, {took:?}");
    }
}
