//! The timeline against the wire: each probe is captured with tcpdump on the loopback, and the
//! capture decoded by Wireshark's tshark with tlsprobe's own key log. The messages tshark lists
//! (handshake messages with their lengths, ChangeCipherSpec, alerts with their descriptions,
//! application data records) must be `handshake[]`, in the same order, at the same times
//! within a tolerance; TLS 1.3 and TLS 1.2 (decrypted both), a HelloRetryRequest, a refused
//! client, against OpenSSL, GnuTLS, NSS's selfserv, Go's crypto/tls, Java's JSSE and Python's
//! ssl.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::fixtures::fixtures;
use support::gnutls::gnutls_serv;
use support::openssl::s_server;
use support::{root, run_json};

/// How far a message's `t_ms` may be from the capture's time for its frame: the kernel's
/// stamps, which tlsprobe's times are, differ from the capture's by microseconds.
const CLOSE_MS: f64 = 0.2;

/// The tests of this file, one at a time: times are compared to the tenth of a millisecond, and
/// another test's servers starting (a JVM, a Go build) on the same two cores would be measured
/// instead.
fn alone() -> std::sync::MutexGuard<'static, ()> {
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// tcpdump writing every packet of one TCP port on the loopback to a file.
struct Capture {
    child: Child,
    file: PathBuf,
}

impl Capture {
    fn start(dir: &Path, port: u16) -> Capture {
        let file = dir.join("probe.pcap");
        let mut child = Command::new("tcpdump")
            .args(["-i", "lo", "-U", "-n", "-w"])
            .arg(&file)
            .arg(format!("tcp port {port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tcpdump (Debian: tcpdump)");
        // It says so on stderr once it captures.
        let mut line = String::new();
        let mut err = BufReader::new(child.stderr.take().expect("stderr"));
        while !line.contains("listening on") {
            line.clear();
            let n = err.read_line(&mut line).expect("tcpdump's stderr");
            assert!(n > 0, "tcpdump exited before capturing");
        }
        Capture { child, file }
    }

    /// Wait until both sides' FIN or RST of every connection is in the file (each packet is written as it comes,
    /// `-U`), within five seconds, then stop.
    fn finish(mut self, keylog: &Path, server_port: u16, connections: usize) -> Vec<Frame> {
        let started = Instant::now();
        loop {
            let ends = tshark(&self.file, keylog, "tcp.flags.fin==1 || tcp.flags.reset==1");
            if ends.as_array().is_some_and(|a| a.len() >= 2 * connections) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "the connection's end never reached the capture"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        frames(&tshark(&self.file, keylog, "tls"), server_port)
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// tshark's JSON decode of the frames of `file` that `filter` selects.
fn tshark(file: &Path, keylog: &Path, filter: &str) -> Value {
    tshark_with(file, Some(keylog), filter)
}

/// [`tshark`], with a key log or none (a capture of tlsprobe's `--pcap` holds its secrets).
fn tshark_with(file: &Path, keylog: Option<&Path>, filter: &str) -> Value {
    let mut command = Command::new("tshark");
    command.arg("-r").arg(file);
    if let Some(keylog) = keylog {
        command
            .arg("-o")
            .arg(format!("tls.keylog_file:{}", keylog.display()));
    }
    let out = command
        // Repeated fields (several records in one frame) as arrays, not repeated keys.
        .args(["-Y", filter, "-T", "json", "--no-duplicate-keys"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("tshark (Debian: tshark)");
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Array(Vec::new()))
}

/// One message as tshark decodes it: from whom, its type, its length (handshake messages) or
/// alert description, and the capture time of its frame.
#[derive(Debug, Clone, PartialEq)]
struct Frame {
    /// tshark's TCP stream index: which connection.
    stream: u64,
    from: &'static str,
    kind: String,
    detail: String,
    at_s: f64,
}

fn list(v: &Value) -> Vec<&Value> {
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn handshake_name(code: &str) -> String {
    match code {
        "1" => "ClientHello",
        "2" => "ServerHello",
        "4" => "NewSessionTicket",
        "8" => "EncryptedExtensions",
        "11" => "Certificate",
        "12" => "ServerKeyExchange",
        "13" => "CertificateRequest",
        "14" => "ServerHelloDone",
        "15" => "CertificateVerify",
        "16" => "ClientKeyExchange",
        "20" => "Finished",
        other => return format!("handshake {other}"),
    }
    .to_string()
}

fn alert_name(code: &str) -> String {
    match code {
        "0" => "close_notify",
        "10" => "unexpected_message",
        "20" => "bad_record_mac",
        "40" => "handshake_failure",
        "42" => "bad_certificate",
        "47" => "illegal_parameter",
        "46" => "certificate_unknown",
        "48" => "unknown_ca",
        "70" => "protocol_version",
        "80" => "internal_error",
        "90" => "user_canceled",
        "112" => "unrecognized_name",
        "50" => "decode_error",
        "116" => "certificate_required",
        other => return format!("alert {other}"),
    }
    .to_string()
}

/// The TLS messages of a decoded capture, in frame order.
fn frames(decoded: &Value, server_port: u16) -> Vec<Frame> {
    let mut out = Vec::new();
    for packet in list(decoded) {
        let layers = &packet["_source"]["layers"];
        let at_s: f64 = layers["frame"]["frame.time_relative"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .expect("frame time");
        let source = layers["tcp"]["tcp.srcport"].as_str().unwrap_or("");
        let stream = layers["tcp"]["tcp.stream"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("tcp.stream");
        let from = if source == server_port.to_string() {
            "server"
        } else {
            "client"
        };
        for tls in list(&layers["tls"]) {
            for record in list(&tls["tls.record"]) {
                let content = record["tls.record.content_type"].as_str().unwrap_or("");
                let mut push = |kind: String, detail: String| {
                    out.push(Frame {
                        stream,
                        from,
                        kind,
                        detail,
                        at_s,
                    })
                };
                match content {
                    "22" => {
                        for h in list(&record["tls.handshake"]) {
                            let code = h["tls.handshake.type"].as_str().unwrap_or("?");
                            let length = h["tls.handshake.length"].as_str().unwrap_or("?");
                            // A HelloRetryRequest is a ServerHello on the wire.
                            push(handshake_name(code), length.to_string());
                        }
                    }
                    "20" => push("ChangeCipherSpec".into(), String::new()),
                    "21" => {
                        let desc = record["tls.alert_message"]["tls.alert_message.desc"]
                            .as_str()
                            .unwrap_or("?");
                        push("Alert".into(), alert_name(desc));
                    }
                    "23" => push("ApplicationData".into(), String::new()),
                    other => push(format!("record {other}"), String::new()),
                }
            }
        }
    }
    out
}

/// A `handshake[]` in tshark's terms.
fn ours(handshake: &Value) -> Vec<Frame> {
    handshake
        .as_array()
        .expect("handshake[]")
        .iter()
        .map(|m| {
            let kind = m["type"].as_str().unwrap().to_string();
            let detail = match kind.as_str() {
                "Alert" => m["description"].as_str().unwrap_or("?").to_string(),
                "ChangeCipherSpec" | "ApplicationData" => String::new(),
                _ => m["length"].to_string(),
            };
            let kind = if kind == "HelloRetryRequest" {
                "ServerHello".to_string()
            } else {
                kind
            };
            Frame {
                stream: 0,
                from: if m["from"] == "client" {
                    "client"
                } else {
                    "server"
                },
                kind,
                detail,
                at_s: m["t_ms"].as_f64().unwrap() / 1e3,
            }
        })
        .collect()
}

/// Probe `port` with `extra` under capture; compare, both tcpdump's capture (decoded with the
/// key log) and tlsprobe's own `--pcap` (decoded with none). Returns the report.
fn probe_on_the_wire(what: &str, port: u16, extra: &[&str]) -> Value {
    probe_with_ca(what, port, &root(), extra)
}

/// [`probe_on_the_wire`], trusting `ca`.
fn probe_with_ca(what: &str, port: u16, ca: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let keylog = dir.path().join("keys.log");
    let capture = Capture::start(dir.path(), port);
    let target = format!("localhost:{port}");
    let keylog_arg = keylog.to_str().unwrap().to_string();
    let pcap = dir.path().join("ours.pcapng");
    let pcap_arg = pcap.to_str().unwrap().to_string();
    let mut args = vec![
        "--ca-file",
        ca,
        "--keylog",
        &keylog_arg,
        "--pcap",
        &pcap_arg,
    ];
    args.extend_from_slice(extra);
    args.push(&target);
    let (_, r) = run_json(&args);
    ours_decoded(what, &pcap, port, &r);
    let again = extra.contains(&"--reconnect");
    let wire = capture.finish(&keylog, port, if again { 2 } else { 1 });
    // One list per connection, in the order the connections began.
    let mut streams: Vec<u64> = wire.iter().map(|f| f.stream).collect();
    streams.dedup();
    let connection = |k: usize| -> Vec<Frame> {
        let stream = streams.get(k).copied();
        wire.iter()
            .filter(|f| Some(f.stream) == stream)
            .cloned()
            .collect()
    };
    compare(what, &ours(&r["handshake"]), &connection(0));
    if again {
        let what = format!("{what}, reconnected");
        compare(&what, &ours(&r["reconnect"]["handshake"]), &connection(1));
    }
    r
}

/// tlsprobe's `--pcap` of one probe, decoded by tshark with no key log: private, well-formed
/// TCP, the first connection's messages those of `handshake[]` at their times.
fn ours_decoded(what: &str, pcap: &Path, port: u16, r: &Value) {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(pcap)
        .expect("--pcap wrote")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{what}: the capture's mode");
    let odd = tshark_with(pcap, None, "tcp.analysis.flags || _ws.malformed");
    assert_eq!(
        list(&odd).len(),
        0,
        "{what}: tshark finds fault with the capture: {odd:#}"
    );
    let ends = tshark_with(
        pcap,
        None,
        "tcp.flags.syn==1 || tcp.flags.fin==1 || tcp.flags.reset==1",
    );
    assert!(
        list(&ends).len() >= 3,
        "{what}: the capture's connection is not framed: {ends:#}"
    );
    let wire = frames(&tshark_with(pcap, None, "tls"), port);
    let streams: std::collections::BTreeSet<u64> = wire.iter().map(|f| f.stream).collect();
    let again = r["reconnect"]["handshake"].as_array().is_some();
    assert_eq!(
        streams.len(),
        1 + usize::from(again),
        "{what}: connections in the capture"
    );
    let connection =
        |k: u64| -> Vec<Frame> { wire.iter().filter(|f| f.stream == k).cloned().collect() };
    compare(
        &format!("{what}, --pcap"),
        &ours(&r["handshake"]),
        &connection(0),
    );
    if again {
        let what = format!("{what}, --pcap, reconnected");
        compare(&what, &ours(&r["reconnect"]["handshake"]), &connection(1));
    }
}

/// Messages from both sides within this long of each other on the wire crossed at the same
/// time: which the capture saw first is a matter of the CPU each sender ran on.
const SIMULTANEOUS_MS: f64 = 0.05;

/// `wire`, with any two neighbours from opposite sides that crossed at the same time
/// ([`SIMULTANEOUS_MS`]) put in the order `ours` lists them.
fn simultaneous_as_ours(ours: &[Frame], wire: &[Frame]) -> Vec<Frame> {
    let same = |a: &Frame, b: &Frame| a.from == b.from && a.kind == b.kind && a.detail == b.detail;
    let mut out = wire.to_vec();
    for i in 0..out.len().saturating_sub(1) {
        let (Some(o0), Some(o1)) = (ours.get(i), ours.get(i + 1)) else {
            break;
        };
        let (w0, w1) = (&out[i], &out[i + 1]);
        if w0.from != w1.from
            && (w1.at_s - w0.at_s) * 1e3 < SIMULTANEOUS_MS
            && same(o0, w1)
            && same(o1, w0)
        {
            out.swap(i, i + 1);
        }
    }
    out
}

/// One connection's messages, ours against tshark's: the same, in the same order, at the same
/// times (each counted from its connection's ClientHello).
fn compare(what: &str, ours: &[Frame], wire: &[Frame]) {
    let wire = &simultaneous_as_ours(ours, wire);
    let shape = |f: &[Frame]| -> Vec<(String, String, String)> {
        f.iter()
            .map(|m| (m.from.to_string(), m.kind.clone(), m.detail.clone()))
            .collect()
    };
    let timed = |f: &[Frame]| -> String {
        let origin = f.first().map_or(0.0, |m| m.at_s);
        f.iter()
            .map(|m| format!("{} {} {:.3}", m.from, m.kind, (m.at_s - origin) * 1e3))
            .collect::<Vec<_>>()
            .join("; ")
    };
    assert_eq!(
        shape(ours),
        shape(wire),
        "{what}: handshake[] against tshark\nours: {}\nwire: {}",
        timed(ours),
        timed(wire)
    );
    // Times: both count from the ClientHello. Each message is either at its frame's time, or
    // (a server record) at the time of a later server segment: segments that arrive before we
    // are woken to read are merged by the kernel, and the merged bytes carry the last one's
    // arrival time. Nothing else is allowed.
    let origin = wire[0].at_s;
    let ms = |f: &Frame| (f.at_s - origin) * 1e3;
    let mut exact = 0;
    let mut merged = 0;
    let mut off = Vec::new();
    for (o, w) in ours.iter().zip(wire) {
        let t = o.at_s * 1e3;
        if (t - ms(w)).abs() <= CLOSE_MS {
            exact += 1;
        } else if o.from == "server"
            && wire
                .iter()
                .any(|l| l.from == "server" && l.at_s >= w.at_s && (t - ms(l)).abs() <= CLOSE_MS)
        {
            merged += 1;
        } else {
            off.push(format!(
                "{} {} at {t:.3} ms, wire {:.3} ms",
                o.from,
                o.kind,
                ms(w)
            ));
        }
    }
    eprintln!(
        "{what}: {} messages, {exact} within {CLOSE_MS} ms of their frame, {merged} at a later \
         server segment's",
        ours.len()
    );
    assert!(
        off.is_empty(),
        "{what}: times that match no frame: {}\nours: {}\nwire: {}",
        off.join("; "),
        timed(ours),
        timed(wire)
    );
}

#[test]
fn openssl_tls13_and_tls12_match_tshark() {
    let _alone = alone();
    let f = fixtures();
    let server = s_server(&f.good, &["-www"]);
    let r = probe_on_the_wire("openssl TLS 1.3", server.addr.port(), &["--http"]);
    assert_eq!(r["protocol"]["version"], "TLSv1.3");
    for cipher in [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ] {
        let server = s_server(&f.good, &["-www", "-tls1_2", "-cipher", cipher]);
        let r = probe_on_the_wire(cipher, server.addr.port(), &["--http"]);
        assert_eq!(r["protocol"]["version"], "TLSv1.2");
    }
}

#[test]
fn a_hello_retry_request_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    // Neither of the key shares offered (X25519MLKEM768, X25519): the server asks again.
    let server = s_server(&f.good, &["-groups", "P-384"]);
    let r = probe_on_the_wire("openssl HelloRetryRequest", server.addr.port(), &[]);
    assert_eq!(r["handshake"][1]["type"], "HelloRetryRequest");
    // Both Finished verified over the transcript that begins with the first ClientHello's hash.
    let finished: Vec<&Value> = r["handshake"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "Finished")
        .collect();
    assert_eq!(finished.len(), 2);
    assert!(
        finished.iter().all(|m| m["verified"] == true),
        "{finished:#?}"
    );
}

#[test]
fn gnutls_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    for priority in ["NORMAL", "NORMAL:-VERS-ALL:+VERS-TLS1.2"] {
        let server = gnutls_serv(&f.good, &["--priority", priority]);
        probe_on_the_wire(priority, server.addr.port(), &["--send", "ping\\n"]);
    }
}

#[test]
fn a_refused_client_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    let server = s_server(&f.good, &["-tls1_2", "-Verify", "1", "-CAfile", ca]);
    let r = probe_on_the_wire("openssl requiring a certificate", server.addr.port(), &[]);
    assert_eq!(r["error"]["kind"], "client_certificate_required");
}

#[test]
fn java_and_python_match_tshark() {
    let _alone = alone();
    let f = fixtures();
    for protocol in ["TLSv1.3", "TLSv1.2"] {
        let server = support::stacks::java(&f.good, Some(protocol));
        let r = probe_on_the_wire(
            &format!("java {protocol}"),
            server.port,
            &["--send", "ping\\n"],
        );
        assert_eq!(r["protocol"]["version"], protocol);
        assert_eq!(r["application"]["response"], "ping");
    }
    for tls12_only in [false, true] {
        let server = support::stacks::python(&f.good, &f.root_pem, tls12_only, false);
        let r = probe_on_the_wire("python", server.port, &["--send", "ping\\n"]);
        assert_eq!(r["application"]["response"], "ping", "{r:#}");
    }
}

#[test]
fn nss_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    for versions in ["tls1.2:tls1.3", "tls1.2:tls1.2"] {
        let server = support::stacks::nss(&f.good, versions, false);
        let r = probe_on_the_wire(
            &format!("NSS selfserv {versions}"),
            server.port,
            &["--send", "GET / HTTP/1.0\\r\\n\\r\\n"],
        );
        assert_eq!(r["status"], "ok", "{r:#}");
    }
}

#[test]
fn go_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    for tls12_only in [false, true] {
        let server = support::stacks::go(&f.good, tls12_only, None);
        let r = probe_on_the_wire("Go crypto/tls", server.port, &["--send", "ping\\n"]);
        let version = if tls12_only { "TLSv1.2" } else { "TLSv1.3" };
        assert_eq!(r["protocol"]["version"], version, "{r:#}");
        assert_eq!(r["application"]["response"], "ping");
    }
}

/// A root and a localhost leaf of one key type, made with the openssl command line.
fn chain_of(dir: &Path, kind: &str, genpkey: &[&str]) -> (PathBuf, support::fixtures::Chain) {
    use support::pss_chains;
    let key = |name: &str| -> PathBuf {
        let out = dir.join(format!("{kind}-{name}.key"));
        let mut args = vec!["genpkey", "-out", out.to_str().unwrap()];
        args.extend_from_slice(genpkey);
        support::openssl_ca::openssl(dir, &args);
        out
    };
    let root = pss_chains::root(
        dir,
        &format!("{kind}-root"),
        &format!("{kind} root"),
        &key("root"),
    );
    let leaf = pss_chains::leaf(dir, &format!("{kind}-leaf"), &key("leaf"), &root, &[]);
    (root.pem, leaf)
}

#[test]
fn certificate_kinds_match_tshark() {
    let _alone = alone();
    let dir = tempfile::tempdir().expect("tempdir");
    let kinds: [(&str, &[&str], &str); 4] = [
        (
            "rsa",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "rsa_pss_rsae_sha",
        ),
        (
            "rsa-pss",
            &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
            "rsa_pss_pss_sha",
        ),
        ("ed25519", &["-algorithm", "ED25519"], "ed25519"),
        (
            "p384",
            &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
            "ecdsa_secp384r1_sha384",
        ),
    ];
    // The signature scheme each key type signs with (the hash is the server's choice).
    for (kind, genpkey, scheme) in kinds {
        let (root, chain) = chain_of(dir.path(), kind, genpkey);
        let root = root.to_str().unwrap();
        for version in ["-tls1_3", "-tls1_2"] {
            let server = s_server(&chain, &[version]);
            let r = probe_with_ca(&format!("{kind} {version}"), server.addr.port(), root, &[]);
            if (kind, version) == ("rsa-pss", "-tls1_2") {
                // rustls refuses rsa_pss_pss schemes in TLS 1.2 (tests/probe_pss.rs explains
                // it); the wire shows the same refusal.
                assert_eq!(r["status"], "handshake_failed", "{r:#}");
                continue;
            }
            assert_eq!(r["status"], "ok", "{kind} {version}: {r:#}");
            let signed = r["protocol"]["signature_scheme"].as_str().unwrap_or("");
            assert!(signed.starts_with(scheme), "{kind} {version}: {signed}");
        }
    }
}

#[test]
fn client_certificates_and_alpn_match_tshark() {
    let _alone = alone();
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    let cert = f.good.chain_pem.to_str().unwrap();
    let key = f.good.key_pem.to_str().unwrap();
    for version in ["-tls1_3", "-tls1_2"] {
        // Asked for, optional: without one, and with one.
        let server = s_server(
            &f.good,
            &[version, "-verify", "1", "-CAfile", ca, "-alpn", "h2"],
        );
        let port = server.addr.port();
        let r = probe_on_the_wire("optional, none", port, &["--alpn", "h2"]);
        assert_eq!(r["status"], "ok", "{r:#}");
        assert_eq!(r["protocol"]["alpn"], "h2");
        assert_eq!(r["protocol"]["client_certificate"]["sent"], false);
        let r = probe_on_the_wire("optional, given", port, &["--cert", cert, "--key", key]);
        assert_eq!(r["status"], "ok", "{r:#}");
        assert_eq!(r["protocol"]["client_certificate"]["sent"], true);
        assert!(r["handshake"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["from"] == "client" && m["type"] == "CertificateVerify"));
    }
}

/// `--reconnect` under capture: the second connection's messages (`reconnect.handshake[]`),
/// a resumed handshake with a ticket or a session ID, against tshark's decode of the second
/// TCP connection, on every stack.
#[test]
fn resumption_matches_tshark() {
    let _alone = alone();
    let f = fixtures();
    let again = ["--reconnect", "--send", "ping\\n"];
    let resumed = |what: &str, r: &Value| {
        assert_eq!(
            r["reconnect"]["resumed"], true,
            "{what}: {:#}",
            r["reconnect"]
        );
        let types: Vec<&str> = r["reconnect"]["handshake"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|m| m["type"].as_str())
            .collect();
        // No certificate in a resumed handshake.
        assert!(!types.contains(&"Certificate"), "{what}: {types:?}");
        assert!(types.contains(&"Finished"), "{what}: {types:?}");
    };
    for version in ["-tls1_3", "-tls1_2"] {
        let server = s_server(&f.good, &[version]);
        let what = format!("openssl {version}");
        let r = probe_on_the_wire(&what, server.addr.port(), &again);
        resumed(&what, &r);
        // TLS 1.2 resumption: both Finished checked over the abbreviated handshake.
        let finished = r["reconnect"]["handshake"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["type"] == "Finished");
        assert!(finished.clone().count() == 2 && finished.clone().all(|m| m["verified"] == true));
    }
    for priority in ["NORMAL", "NORMAL:-VERS-ALL:+VERS-TLS1.2"] {
        let server = gnutls_serv(&f.good, &["--priority", priority]);
        let r = probe_on_the_wire(priority, server.addr.port(), &again);
        resumed(priority, &r);
    }
    for tls12_only in [false, true] {
        let server = support::stacks::go(&f.good, tls12_only, None);
        let r = probe_on_the_wire("Go crypto/tls", server.port, &again);
        resumed("Go", &r);
    }
    for protocol in ["TLSv1.3", "TLSv1.2"] {
        let server = support::stacks::java(&f.good, Some(protocol));
        let what = format!("java {protocol}");
        resumed(&what, &probe_on_the_wire(&what, server.port, &again));
    }
    for tls12_only in [false, true] {
        let server = support::stacks::python(&f.good, &f.root_pem, tls12_only, false);
        resumed("python", &probe_on_the_wire("python", server.port, &again));
    }
    for versions in ["tls1.2:tls1.3", "tls1.2:tls1.2"] {
        let server = support::stacks::nss(&f.good, versions, false);
        let what = format!("NSS selfserv {versions}");
        let http = ["--reconnect", "--send", "GET / HTTP/1.0\\r\\n\\r\\n"];
        resumed(&what, &probe_on_the_wire(&what, server.port, &http));
    }
}
