//! SOCKS5 proxies (`--proxy socks5://`, `socks5h://`), through Debian's microsocks and through
//! a small in-test SOCKS5 server that records what it was asked; the proxy environment as curl
//! reads it (`https_proxy` ... `ALL_PROXY`, `NO_PROXY`, `--noproxy`, `--proxy ''`); the
//! report's `proxy`; passwords never printed.

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::fixtures::fixtures;
use support::rustls_server::{Server, Setup};
use support::{assert_valid, closed_port, peers, root, run, run_json};

const PASSWORD: &str = "s3cr3tPW";

fn tls_server() -> Server {
    Setup::new(&fixtures().good).start()
}

/// microsocks on 127.0.0.1, killed when dropped.
struct Microsocks {
    child: Child,
    port: u16,
}

impl Drop for Microsocks {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Microsocks {
    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://127.0.0.1:{}", self.port)
    }
}

/// Start microsocks (with `-u alice -P PASSWORD` when `auth`) on a free port, and wait until it
/// accepts connections.
fn microsocks(auth: bool) -> Microsocks {
    let port = closed_port();
    let mut cmd = Command::new("microsocks");
    cmd.args(["-i", "127.0.0.1", "-p", &port.to_string()]);
    if auth {
        cmd.args(["-u", "alice", "-P", PASSWORD]);
    }
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start microsocks (apt-get install microsocks)");
    let mut m = Microsocks { child, port };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return m;
        }
        if let Ok(Some(status)) = m.child.try_wait() {
            panic!("microsocks exited before listening: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "microsocks did not listen on {port} within 10 s"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// What the in-test SOCKS5 server was asked: the address type and the destination.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    atyp: u8,
    host: String,
    port: u16,
}

/// A SOCKS5 server (no authentication) that records every CONNECT; `fail` answers that reply
/// code, else it relays to the destination (`localhost` taken as 127.0.0.1).
struct Socks {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<Asked>>>,
}

impl Socks {
    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.addr)
    }
    fn count(&self) -> usize {
        self.asked.lock().unwrap().len()
    }
    fn asked(&self) -> Vec<Asked> {
        self.asked.lock().unwrap().clone()
    }
}

fn socks(fail: Option<u8>) -> Socks {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let asked = Arc::new(Mutex::new(Vec::new()));
    let record = asked.clone();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let record = record.clone();
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                let _ = socks_session(stream, fail, &record);
            });
        }
    });
    Socks { addr, asked }
}

fn read_n(s: &mut TcpStream, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    s.read_exact(&mut buf)?;
    Ok(buf)
}

fn socks_session(
    mut client: TcpStream,
    fail: Option<u8>,
    record: &Mutex<Vec<Asked>>,
) -> std::io::Result<()> {
    let head = read_n(&mut client, 2)?;
    assert_eq!(head[0], 5, "greeting version");
    let methods = read_n(&mut client, usize::from(head[1]))?;
    assert!(methods.contains(&0), "no-auth offered: {methods:?}");
    client.write_all(&[5, 0])?;
    let req = read_n(&mut client, 4)?;
    assert_eq!(req[..3], [5, 1, 0], "CONNECT");
    let host = match req[3] {
        1 => {
            let a = read_n(&mut client, 4)?;
            std::net::Ipv4Addr::new(a[0], a[1], a[2], a[3]).to_string()
        }
        4 => {
            let a: [u8; 16] = read_n(&mut client, 16)?.try_into().unwrap();
            std::net::Ipv6Addr::from(a).to_string()
        }
        3 => {
            let n = read_n(&mut client, 1)?[0];
            String::from_utf8_lossy(&read_n(&mut client, usize::from(n))?).into_owned()
        }
        other => panic!("address type {other}"),
    };
    let p = read_n(&mut client, 2)?;
    let port = u16::from_be_bytes([p[0], p[1]]);
    record.lock().unwrap().push(Asked {
        atyp: req[3],
        host: host.clone(),
        port,
    });
    if let Some(code) = fail {
        client.write_all(&[5, code, 0, 1, 0, 0, 0, 0, 0, 0])?;
        return Ok(());
    }
    let dest = if host == "localhost" {
        "127.0.0.1".to_string()
    } else {
        host
    };
    let upstream = match TcpStream::connect((dest.as_str(), port)) {
        Ok(u) => u,
        Err(_) => {
            client.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0])?;
            return Ok(());
        }
    };
    // A bound address of type 3, to exercise the name form of the reply.
    client.write_all(&[5, 0, 0, 3, 4, b'r', b'e', b'l', b'y', 0x04, 0x38])?;
    support::peers::relay(client, upstream);
    Ok(())
}

/// Run `--json` with these environment variables (every other proxy variable removed by
/// `support::tlsprobe`); the exit code and the one report, checked against the schema.
fn run_env(env: &[(&str, &str)], args: &[&str]) -> (i32, Value) {
    let mut cmd = support::tlsprobe();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.arg("--json").args(args).output().expect("run tlsprobe");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report: Value = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not one JSON report ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_valid(&report);
    (out.status.code().expect("exit code"), report)
}

fn message(r: &Value) -> String {
    r["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn through_microsocks_with_socks5_and_socks5h() {
    let server = tls_server();
    let proxy = microsocks(false);
    let target = format!("localhost:{}", server.port());
    for scheme in ["socks5", "socks5h"] {
        let (code, r) = run_json(&["--ca-file", &root(), "--proxy", &proxy.url(scheme), &target]);
        assert_eq!(code, 0, "{scheme}: {r:#}");
        assert_eq!(r["verification"]["verified"], true, "{scheme}");
        assert_eq!(r["target"]["address"], format!("127.0.0.1:{}", proxy.port));
        assert_eq!(r["proxy"]["url"], proxy.url(scheme));
        assert_eq!(r["proxy"]["source"], "option");
    }
    let seen = server.wait_for(2);
    assert_eq!(seen.len(), 2, "both probes reached the server");
}

#[test]
fn microsocks_with_a_password_and_without_one() {
    let server = tls_server();
    let proxy = microsocks(true);
    let target = format!("localhost:{}", server.port());
    let with_url = format!("socks5h://alice:{PASSWORD}@127.0.0.1:{}", proxy.port);
    let (code, r) = run_json(&["--ca-file", &root(), "--proxy", &with_url, &target]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        r["proxy"]["url"],
        proxy.url("socks5h"),
        "no credentials in the url"
    );

    let user = format!("alice:{PASSWORD}");
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--proxy",
        &proxy.url("socks5"),
        "--proxy-user",
        &user,
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");

    let (code, r) = run_env(
        &[("TLSPROBE_PROXY_USER", &user)],
        &[
            "--ca-file",
            &root(),
            "--proxy",
            &proxy.url("socks5h"),
            &target,
        ],
    );
    assert_eq!(code, 0, "{r:#}");

    // A wrong password: the proxy's refusal, a connect failure (exit 3).
    let (code, r) = run_json(&[
        "--proxy",
        &proxy.url("socks5h"),
        "--proxy-user",
        "alice:wrong",
        &target,
    ]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["status"], "connect_failed");
    assert_eq!(r["error"]["phase"], "connect");
    assert_eq!(r["error"]["kind"], "proxy");
    assert_eq!(
        message(&r),
        format!(
            "the SOCKS5 proxy 127.0.0.1:{} refused the user and password given",
            proxy.port
        )
    );

    // None given: the proxy accepts no method offered.
    let (code, r) = run_json(&["--proxy", &proxy.url("socks5h"), &target]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["kind"], "proxy");
    assert!(message(&r).contains("requires authentication"), "{r:#}");
}

#[test]
fn the_password_is_never_printed() {
    let server = tls_server();
    let proxy = microsocks(true);
    let target = format!("localhost:{}", server.port());
    let good = format!("socks5h://alice:{PASSWORD}@127.0.0.1:{}", proxy.port);
    let closed = format!("localhost:{}", closed_port());
    let ca = root();
    let bob = format!("bob:{PASSWORD}");
    let bad_port = format!("socks5h://alice:{PASSWORD}@127.0.0.1:x");
    let socks4 = format!("socks4://alice:{PASSWORD}@127.0.0.1:1");
    let runs: Vec<Vec<&str>> = vec![
        vec!["-vv", "--ca-file", &ca, "--proxy", &good, &target],
        vec!["--json", "--ca-file", &ca, "--proxy", &good, &target],
        vec!["-vv", "--proxy", &good, &closed],
        vec!["--json", "--proxy", &good, &closed],
        vec!["-vv", "--proxy", &good, "--proxy-user", &bob, &target],
        vec!["--proxy", &bad_port, &target],
        vec!["--proxy", &socks4, &target],
    ];
    for args in runs {
        let r = run(&args);
        assert!(
            !r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD),
            "{args:?}\nstdout: {}\nstderr: {}",
            r.stdout,
            r.stderr
        );
        // The successful runs did go through the proxy.
        if r.code == 0 {
            assert!(
                r.stdout.contains("via socks5h://127.0.0.1")
                    || r.stdout.contains("\"url\":\"socks5h://127.0.0.1"),
                "{args:?}: {}",
                r.stdout
            );
        }
    }
}

#[test]
fn microsocks_to_a_closed_port_is_connection_refused() {
    let proxy = microsocks(false);
    let target = format!("localhost:{}", closed_port());
    for scheme in ["socks5", "socks5h"] {
        let (code, r) = run_json(&["--proxy", &proxy.url(scheme), &target]);
        assert_eq!(code, 3, "{r:#}");
        assert_eq!(r["error"]["kind"], "connection_refused", "{r:#}");
        assert!(
            message(&r).starts_with(&format!(
                "the SOCKS5 proxy 127.0.0.1:{} says: connection refused by the destination",
                proxy.port
            )),
            "{r:#}"
        );
    }
}

#[test]
fn socks5_sends_an_address_and_socks5h_the_name() {
    let server = tls_server();
    let proxy = socks(None);
    let target = format!("localhost:{}", server.port());
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--proxy",
        &proxy.url("socks5"),
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--proxy",
        &proxy.url("socks5h"),
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    let asked = proxy.asked();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        matches!(
            (asked[0].atyp, asked[0].host.as_str()),
            (1, "127.0.0.1") | (4, "::1")
        ),
        "socks5 sends the address: {asked:?}"
    );
    assert_eq!(asked[0].port, server.port());
    assert_eq!(
        asked[1],
        Asked {
            atyp: 3,
            host: "localhost".into(),
            port: server.port()
        }
    );
    // An IP target is sent as one either way.
    let (code, r) = run_json(&[
        "--proxy",
        &proxy.url("socks5h"),
        &format!("127.0.0.1:{}", server.port()),
    ]);
    assert_eq!(r["status"], "verify_failed", "{code} {r:#}");
    assert_eq!(proxy.asked()[2].atyp, 1);
}

#[test]
fn each_socks5_failure_reply_has_its_kind() {
    let expect = [
        (1, "other", "general SOCKS server failure"),
        (2, "other", "connection not allowed by ruleset"),
        (3, "unreachable", "network unreachable"),
        (4, "unreachable", "host unreachable"),
        (
            5,
            "connection_refused",
            "connection refused by the destination",
        ),
        (6, "timeout", "TTL expired"),
        (7, "other", "command not supported"),
        (8, "other", "address type not supported"),
    ];
    for (code, kind, words) in expect {
        let proxy = socks(Some(code));
        let (exit, r) = run_json(&["--proxy", &proxy.url("socks5h"), "localhost:443"]);
        assert_eq!(exit, 3, "{code}: {r:#}");
        assert_eq!(r["status"], "connect_failed", "{code}");
        assert_eq!(r["error"]["phase"], "connect", "{code}");
        assert_eq!(r["error"]["kind"], kind, "{code}: {r:#}");
        let m = message(&r);
        assert!(
            m.starts_with(&format!("the SOCKS5 proxy {} says: {words}", proxy.addr)),
            "{code}: {m}"
        );
        assert!(!m.contains('\n'));
        assert_eq!(proxy.count(), 1);
    }
}

#[test]
fn a_peer_that_does_not_speak_socks5() {
    let peer = peers::banner(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    let (code, r) = run_json(&["--proxy", &format!("socks5://{peer}"), "127.0.0.1:443"]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["kind"], "proxy");
    let m = message(&r);
    assert!(
        m.starts_with(&format!(
            "{peer} does not speak SOCKS5: its answer began \"HT\""
        )),
        "{m}"
    );
    // https:// and socks4:// stay refused, in one line.
    for url in [
        "https://127.0.0.1:1",
        "socks4://127.0.0.1:1",
        "socks4a://h:1",
    ] {
        let e = support::usage_error(&["--proxy", url, "localhost"]);
        assert!(e.contains("not supported"), "{e}");
    }
}

#[test]
fn the_proxy_environment_as_curl_reads_it() {
    let server = tls_server();
    let port = server.port();
    let target = format!("localhost:{port}");
    let ca = root();
    let args = ["--ca-file", ca.as_str(), target.as_str()];

    // HTTPS_PROXY.
    let a = socks(None);
    let (code, r) = run_env(&[("HTTPS_PROXY", &a.url("socks5h"))], &args);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(a.count(), 1);
    assert_eq!(r["proxy"]["url"], a.url("socks5h"));
    assert_eq!(r["proxy"]["source"], "HTTPS_PROXY");

    // https_proxy before HTTPS_PROXY, both before all_proxy.
    let b = socks(None);
    let (code, r) = run_env(
        &[
            ("https_proxy", &b.url("socks5h")),
            ("HTTPS_PROXY", &a.url("socks5h")),
            ("all_proxy", &a.url("socks5h")),
        ],
        &args,
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!((a.count(), b.count()), (1, 1));
    assert_eq!(r["proxy"]["source"], "https_proxy");

    // ALL_PROXY when nothing else is set; all_proxy before it.
    let (code, r) = run_env(&[("ALL_PROXY", &a.url("socks5"))], &args);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(a.count(), 2);
    assert_eq!(r["proxy"]["source"], "ALL_PROXY");
    assert_eq!(r["proxy"]["url"], a.url("socks5"));
    let (_, r) = run_env(
        &[
            ("ALL_PROXY", &a.url("socks5")),
            ("all_proxy", &b.url("socks5")),
        ],
        &args,
    );
    assert_eq!((a.count(), b.count()), (2, 2));
    assert_eq!(r["proxy"]["source"], "all_proxy");

    // An HTTP proxy from the environment, too.
    let http = peers::connect_proxy(None);
    let (code, r) = run_env(&[("HTTPS_PROXY", &format!("http://{http}"))], &args);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["proxy"]["url"], format!("http://{http}"));
    assert_eq!(r["target"]["address"], http.to_string());

    // --proxy '' uses none.
    let (code, r) = run_env(
        &[("HTTPS_PROXY", &a.url("socks5h"))],
        &["--proxy", "", "--ca-file", &ca, &target],
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["proxy"], Value::Null);
    assert_eq!(a.count(), 2);
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{port}"));

    // --proxy wins over the environment.
    let (_, r) = run_env(
        &[("HTTPS_PROXY", &a.url("socks5h"))],
        &["--proxy", &b.url("socks5h"), "--ca-file", &ca, &target],
    );
    assert_eq!((a.count(), b.count()), (2, 3));
    assert_eq!(r["proxy"]["source"], "option");

    // A bad value says where it came from.
    let out = support::tlsprobe()
        .env("HTTPS_PROXY", format!("socks4://u:{PASSWORD}@h:1"))
        .arg("localhost")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("(from HTTPS_PROXY)"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn no_proxy_and_noproxy_bypass_the_proxy() {
    let server = tls_server();
    let port = server.port();
    let ca = root();
    let proxy = socks(None);
    let env_proxy = proxy.url("socks5h");
    let through = |extra_env: &[(&str, &str)], args: &[&str]| -> (bool, Value) {
        let before = proxy.count();
        let mut env = vec![("HTTPS_PROXY", env_proxy.as_str())];
        env.extend_from_slice(extra_env);
        let (_, r) = run_env(&env, args);
        let used = proxy.count() > before;
        assert_eq!(
            used,
            !r["proxy"].is_null(),
            "the count and the report agree: {r:#}"
        );
        (used, r)
    };
    let localhost = format!("localhost:{port}");
    let ip = format!("127.0.0.1:{port}");
    // A name not resolved here: reached directly with --connect-to, verified for the name.
    let sub = format!("www.example.test:{port}");
    let connect_to = format!("127.0.0.1:{port}");
    let by_name = ["--ca-file", ca.as_str(), localhost.as_str()];
    let by_ip = ["--ca-file", ca.as_str(), ip.as_str()];
    let by_sub = ["--connect-to", connect_to.as_str(), sub.as_str()];

    // Exact name, any case; a list with spaces.
    assert!(!through(&[("NO_PROXY", "other.test, LocalHost")], &by_name).0);
    assert!(through(&[("NO_PROXY", "other.test")], &by_name).0);
    // no_proxy before NO_PROXY.
    assert!(
        !through(
            &[("no_proxy", "localhost"), ("NO_PROXY", "other.test")],
            &by_name
        )
        .0
    );
    // Subdomains, with or without a leading dot; not a name that merely ends alike.
    let (used, r) = through(&[("NO_PROXY", "example.test")], &by_sub);
    assert!(!used, "{r:#}");
    assert_eq!(r["target"]["address"], connect_to);
    assert!(!through(&[("NO_PROXY", ".example.test")], &by_sub).0);
    assert!(through(&[("NO_PROXY", "ample.test")], &by_sub).0);
    // *.
    assert!(!through(&[("NO_PROXY", "*")], &by_name).0);
    // IP addresses and CIDR ranges.
    assert!(!through(&[("NO_PROXY", "127.0.0.1")], &by_ip).0);
    assert!(!through(&[("NO_PROXY", "10.0.0.0/8,127.0.0.0/8")], &by_ip).0);
    assert!(through(&[("NO_PROXY", "10.0.0.0/8")], &by_ip).0);
    assert!(through(&[("NO_PROXY", "127.0.0.2")], &by_ip).0);
    // --noproxy instead of NO_PROXY, both ways.
    let mut args = vec!["--noproxy", "localhost"];
    args.extend_from_slice(&by_name);
    assert!(!through(&[("NO_PROXY", "other.test")], &args).0);
    let mut args = vec!["--noproxy", "other.test"];
    args.extend_from_slice(&by_name);
    assert!(through(&[("NO_PROXY", "localhost")], &args).0);
    // ... and for --proxy too, as curl.
    let mut args = vec!["--proxy", env_proxy.as_str(), "--noproxy", "localhost"];
    args.extend_from_slice(&by_name);
    assert!(!through(&[], &args).0);
}

#[test]
fn scan_through_socks5() {
    let server = tls_server();
    let proxy = socks(None);
    let (code, r) = run_json(&[
        "--scan",
        "--ca-file",
        &root(),
        "--proxy",
        &proxy.url("socks5"),
        &format!("localhost:{}", server.port()),
    ]);
    assert_eq!(code, 0, "{r:#}");
    let scan = &r["scan"];
    assert!(scan.is_object(), "{r:#}");
    let connections = scan["connections"].as_u64().unwrap();
    assert!(connections > 1, "{r:#}");
    // Every connection of the scan, and the probe's, went through the proxy.
    assert!(
        proxy.count() as u64 > connections,
        "{} {connections}",
        proxy.count()
    );
    let tls13 = scan["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == "TLSv1.3")
        .unwrap();
    assert_eq!(tls13["accepted"], true, "{r:#}");
}

/// `socks5://` resolves the name here, so `-4`/`-6` choose the address the proxy is given (as
/// curl's do): the name's first address is ::1, and with `-4` the proxy is asked for
/// 127.0.0.1 instead.
#[test]
fn socks5_gives_the_proxy_an_address_of_the_family_asked() {
    let server = tls_server();
    let proxy = socks(None);
    let hosts = "::1 dual.test\n127.0.0.1 dual.test\n";
    let target = format!("dual.test:{}", server.port());
    let url = proxy.url("socks5");
    let ca = root();
    let plain = support::run_with_hosts(
        hosts,
        &["--json", "--ca-file", &ca, "--proxy", &url, &target],
    );
    let four = support::run_with_hosts(
        hosts,
        &[
            "--json",
            "-4",
            "--ca-file",
            &ca,
            "--sni",
            "localhost",
            "--proxy",
            &url,
            &target,
        ],
    );
    let asked = proxy.asked();
    assert_eq!(
        asked.len(),
        2,
        "{asked:?}\n{}\n{}",
        plain.stdout,
        four.stdout
    );
    assert_eq!(
        (asked[0].atyp, asked[0].host.as_str()),
        (4, "::1"),
        "{asked:?}"
    );
    assert_eq!(
        (asked[1].atyp, asked[1].host.as_str()),
        (1, "127.0.0.1"),
        "{asked:?}"
    );
    assert!(asked.iter().all(|a| a.port == server.port()));
    assert_eq!(four.code, 0, "{}", four.stdout);
}
