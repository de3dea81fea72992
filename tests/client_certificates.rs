//! Servers that require a client certificate, answered with none: whatever each TLS stack does
//! then (an alert of its own choosing, after or before our next write; a close), the report is
//! `client_certificate_required`, every time. Many probes at once, so that the race between
//! the server's alert and our next write is run many times over.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use support::fixtures::fixtures;
use support::gnutls::gnutls_serv;
use support::openssl::s_server;
use support::{root, run_json_lines};

/// Probes of one server in one run.
const ROUNDS: usize = 40;

/// Probe `port` [`ROUNDS`] times in one run, four at a time; every report must be
/// `client_certificate_required` with exit 4, naming the alert the server sent (when our next
/// write fails because the server has gone, its alert is read first: without that, one probe
/// in a few says only "it closed the connection"). Returns the distinct messages seen.
fn assert_always_required(stack: &str, port: u16) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = dir.path().join("targets");
    std::fs::write(&list, format!("localhost:{port}\n").repeat(ROUNDS)).expect("targets");
    let root = root();
    let args = [
        "--ca-file",
        &root,
        "--concurrency",
        "4",
        "--targets-file",
        list.to_str().unwrap(),
    ];
    let (code, reports) = run_json_lines(&args);
    assert_eq!(reports.len(), ROUNDS);
    assert_eq!(code, 4, "{stack}");
    let mut messages: Vec<String> = Vec::new();
    for r in &reports {
        assert_eq!(
            r["error"]["kind"], "client_certificate_required",
            "{stack}: {r:#}"
        );
        assert_eq!(r["protocol"]["client_certificate"]["sent"], false);
        let m = r["error"]["message"].as_str().unwrap().to_string();
        assert!(m.contains("(alert "), "{stack}: the alert is named: {m}");
        if !messages.contains(&m) {
            messages.push(m);
        }
    }
    messages
}

/// Python's ssl module as a TLS 1.2 server that requires a client certificate.
struct PythonServer {
    child: Child,
    port: u16,
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PYTHON_SERVER: &str = r#"
import socket, ssl, sys, threading
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ctx.load_verify_locations(sys.argv[3])
ctx.verify_mode = ssl.CERT_REQUIRED
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
def serve(c):
    try:
        ctx.wrap_socket(c, server_side=True).recv(100)
    except Exception:
        pass
    finally:
        c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"#;

fn python_server() -> PythonServer {
    let f = fixtures();
    let mut child = Command::new("python3")
        .args(["-c", PYTHON_SERVER])
        .arg(&f.good.chain_pem)
        .arg(&f.good.key_pem)
        .arg(&f.root_pem)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the port");
    let port = line.trim().parse().expect("a port number");
    PythonServer { child, port }
}

#[test]
fn openssl_in_tls12_and_tls13() {
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    for version in ["-tls1_2", "-tls1_3"] {
        let server = s_server(&f.good, &[version, "-Verify", "1", "-CAfile", ca]);
        assert_always_required("openssl", server.addr.port());
    }
}

#[test]
fn gnutls_in_tls12_and_tls13() {
    let f = fixtures();
    let ca = f.root_pem.to_str().unwrap();
    for priority in ["NORMAL:-VERS-ALL:+VERS-TLS1.2", "NORMAL"] {
        let server = gnutls_serv(
            &f.good,
            &[
                "--require-client-cert",
                "--x509cafile",
                ca,
                "--priority",
                priority,
            ],
        );
        let seen = assert_always_required("gnutls", server.addr.port());
        // GnuTLS answers an empty client Certificate with decode_error in TLS 1.2.
        if priority.contains("TLS1.2") {
            assert!(seen[0].ends_with("(alert decode_error)"), "{seen:?}");
        }
    }
}

#[test]
fn python_in_tls12() {
    let server = python_server();
    assert_always_required("python", server.port);
}
