//! Reaching every server: STARTTLS per protocol, --connect-to, an HTTP CONNECT proxy, offer
//! control, client-certificate requests, many targets, --send/--http, --reconnect.

mod support;

use std::io::Write;

use rustls::version::TLS13;
use serde_json::Value;
use support::fixtures::fixtures;
use support::openssl::s_server;
use support::{closed_port, peers, root, run, run_json, rustls_server, starttls_peers};

#[test]
fn starttls_for_every_protocol() {
    let f = fixtures();
    for proto in ["smtp", "imap", "pop3", "ftp", "xmpp", "ldap", "postgres"] {
        let addr = starttls_peers::starttls_server(proto, &f.good, true);
        let (code, r) = run_json(&[
            "--starttls",
            proto,
            "--ca-file",
            &root(),
            &format!("localhost:{}", addr.port()),
        ]);
        assert_eq!(code, 0, "{proto}: {r:#}");
        assert!(r["timing_ms"]["starttls"].is_number(), "{proto}");
        assert!(r["protocol"]["version"].is_string(), "{proto}");
        assert_eq!(r["verification"]["verified"], true, "{proto}");
    }
}

#[test]
fn starttls_failures_are_phase_starttls_exit_3() {
    let f = fixtures();
    let addr = starttls_peers::starttls_server("smtp", &f.good, false);
    let (code, r) = run_json(&["--starttls", "smtp", &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["status"], "connect_failed");
    assert_eq!(r["error"]["phase"], "starttls");
    assert_eq!(r["error"]["kind"], "starttls");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not offer STARTTLS"),
        "{r:#}"
    );

    // A server that answers something else entirely is quoted.
    let addr = peers::banner(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    let (code, r) = run_json(&["--starttls", "imap", &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 3);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("HTTP/1.1 400"),
        "{r:#}"
    );
}

#[test]
fn starttls_picks_the_protocols_port() {
    for (proto, port) in [
        ("smtp", 587),
        ("imap", 143),
        ("pop3", 110),
        ("ftp", 21),
        ("xmpp", 5222),
        ("ldap", 389),
        ("postgres", 5432),
    ] {
        let (_, r) = run_json(&["--timeout", "2", "--starttls", proto, "127.0.0.1"]);
        assert_eq!(r["target"]["port"], port, "{proto}");
    }
}

#[test]
fn connect_to_goes_elsewhere_but_verifies_for_the_target() {
    let addr = rustls_server::start(&fixtures().good, &[&TLS13]);
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--connect-to",
        &format!("127.0.0.1:{}", addr.port()),
        "localhost:9",
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["port"], 9);
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{}", addr.port()));
    assert_eq!(r["handshake"][0]["sni"], "localhost");
}

#[test]
fn through_an_http_connect_proxy_with_and_without_credentials() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("localhost:{}", server.port());
    let open = peers::connect_proxy(None);
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--proxy",
        &format!("127.0.0.1:{}", open.port()),
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["target"]["address"], format!("127.0.0.1:{}", open.port()));

    let guarded = peers::connect_proxy(Some("alice:s3cret"));
    let (code, r) = run_json(&["--proxy", &format!("127.0.0.1:{}", guarded.port()), &target]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["kind"], "proxy");
    assert!(
        r["error"]["message"].as_str().unwrap().contains("407"),
        "{r:#}"
    );
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--proxy",
        &format!("alice:s3cret@127.0.0.1:{}", guarded.port()),
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
}

#[test]
fn proxy_credentials_from_proxy_user_the_url_or_the_environment() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("localhost:{}", server.port());
    let guarded = peers::connect_proxy(Some("alice:s3:cret"));
    let at = format!("127.0.0.1:{}", guarded.port());
    let ok = |r: &support::Run| {
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    };
    ok(&run(&[
        "--json",
        "--ca-file",
        &root(),
        "--proxy",
        &at,
        "--proxy-user",
        "alice:s3:cret",
        &target,
    ]));
    // A URL: the scheme is not a user name, and %-escapes are decoded.
    ok(&run(&[
        "--json",
        "--ca-file",
        &root(),
        "--proxy",
        &format!("http://alice:s3%3Acret@{at}/"),
        &target,
    ]));
    // --proxy-user wins over the URL's.
    ok(&run(&[
        "--json",
        "--ca-file",
        &root(),
        "--proxy",
        &format!("http://bob:wrong@{at}"),
        "--proxy-user",
        "alice:s3:cret",
        &target,
    ]));
    let from_env = support::tlsprobe()
        .env("TLSPROBE_PROXY_USER", "alice:s3:cret")
        .args(["--json", "--ca-file", &root(), "--proxy", &at, &target])
        .output()
        .expect("run");
    assert_eq!(from_env.status.code(), Some(0), "{from_env:?}");
    assert!(support::usage_error(&["--proxy-user", "a:b", &target]).contains("--proxy"));
}

#[test]
fn a_proxy_password_is_never_printed() {
    let server = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("localhost:{}", server.port());
    let guarded = peers::connect_proxy(Some("alice:s3cret"));
    let at = format!("127.0.0.1:{}", guarded.port());
    // The password, and the Basic token that carries it.
    let secrets = ["s3cr3tPW", "czNjcjN0UFc", "YWxpY2U6czNjcjN0UFc"];
    let check = |what: &str, out: &str| {
        for s in secrets {
            assert!(!out.contains(s), "{what} shows {s}: {out}");
        }
    };
    // Refused before any probe: no port, a URL with a bad port.
    for given in [
        "user:s3cr3tPW@127.0.0.1",
        "http://user:s3cr3tPW@127.0.0.1:x",
    ] {
        let line = support::usage_error(&["--proxy", given, &target]);
        check(given, &line);
        assert!(line.contains("***@127.0.0.1"), "{line}");
    }
    // Wrong credentials, with every view: JSON, -v, -vv.
    for view in [&["--json"][..], &["-v"], &["-vv"]] {
        let mut args = view.to_vec();
        args.extend(["--proxy", &at, "--proxy-user", "alice:s3cr3tPW", &target]);
        let r = run(&args);
        assert_eq!(r.code, 3, "{}", r.stdout);
        check("a refused login", &format!("{}{}", r.stdout, r.stderr));
        assert!(r.stdout.contains("refused the credentials"), "{}", r.stdout);
    }
    // Right credentials: the tunnel's request is not in the transcript either.
    let r = run(&[
        "-vv",
        "--ca-file",
        &root(),
        "--proxy",
        &format!("http://alice:s3cret@{at}"),
        &target,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for s in ["s3cret", "YWxpY2U6czNjcmV0"] {
        assert!(
            !r.stdout.contains(s) && !r.stderr.contains(s),
            "{s}: {}",
            r.stdout
        );
    }
}

#[test]
fn proxies_other_than_http_and_socks5_are_refused_in_one_line() {
    for (given, says) in [
        ("https://user:PW@127.0.0.1:8080", "https:// proxies"),
        ("socks4://127.0.0.1:1080", "socks4:// proxies"),
        ("socks4a://user:PW@127.0.0.1:1080", "socks4a:// proxies"),
        ("gopher://127.0.0.1:70", "unknown proxy scheme"),
    ] {
        let line = support::usage_error(&["--proxy", given, "localhost:443"]);
        assert!(line.contains(says), "{given}: {line}");
        assert!(!line.contains("PW") && !line.contains("user"), "{line}");
    }
}

#[test]
fn a_silent_proxy_is_a_timeout_in_plain_words() {
    let proxy = peers::silent();
    let (code, r) = run_json(&[
        "--timeout",
        "1",
        "--proxy",
        &format!("127.0.0.1:{}", proxy.port()),
        "localhost:443",
    ]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["kind"], "timeout");
    let message = r["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message,
        "the proxy did not answer CONNECT within the timeout"
    );
}

#[test]
fn offer_control_suites_groups_alpn_and_the_pq_group() {
    let addr = rustls_server::start(&fixtures().good, &[&TLS13]);
    let target = format!("localhost:{}", addr.port());
    // rustls (aws-lc-rs) on both sides: the post-quantum hybrid is negotiated by default.
    let (code, r) = run_json(&["--ca-file", &root(), &target]);
    assert_eq!(code, 0);
    assert_eq!(r["protocol"]["key_exchange_group"], "X25519MLKEM768");

    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--cipher-suites",
        "TLS_CHACHA20_POLY1305_SHA256",
        "--groups",
        "secp384r1",
        &target,
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        r["protocol"]["cipher_suite"],
        "TLS_CHACHA20_POLY1305_SHA256"
    );
    assert_eq!(r["protocol"]["key_exchange_group"], "secp384r1");
    assert_eq!(
        r["handshake"][0]["cipher_suites"],
        serde_json::json!(["TLS_CHACHA20_POLY1305_SHA256"])
    );
    assert_eq!(
        r["handshake"][0]["groups"],
        serde_json::json!(["secp384r1"])
    );

    let bad = run(&["--groups", "X9999", &target]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("supported: X25519MLKEM768"),
        "{}",
        bad.stderr
    );

    let f = fixtures();
    let server = s_server(&f.good, &["-alpn", "h2,http/1.1"]);
    let (code, r) = run_json(&[
        "--ca-file",
        &root(),
        "--alpn",
        "h2",
        &format!("localhost:{}", server.addr.port()),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["protocol"]["alpn"], "h2");
    assert_eq!(r["handshake"][0]["alpn"], serde_json::json!(["h2"]));
}

#[test]
fn the_report_says_when_a_client_certificate_was_asked_for() {
    let f = fixtures();
    let addr = rustls_server::start_custom(&f.good, None, Some(&f.unknown_issuer));
    let (code, r) = run_json(&["--ca-file", &root(), &format!("localhost:{}", addr.port())]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        r["protocol"]["client_certificate"],
        serde_json::json!({"certificate_authorities": ["CN=some other root"], "sent": false})
    );
    let addr = rustls_server::start(&f.good, &[&TLS13]);
    let (_, r) = run_json(&["--ca-file", &root(), &format!("localhost:{}", addr.port())]);
    assert_eq!(r["protocol"]["client_certificate"], Value::Null);
}

#[test]
fn http_and_send_after_the_handshake_only_when_trusted() {
    let f = fixtures();
    let www = s_server(&f.good, &["-www"]);
    let target = format!("localhost:{}", www.addr.port());
    let (code, r) = run_json(&["--http", "--ca-file", &root(), &target]);
    assert_eq!(code, 0, "{r:#}");
    let app = &r["application"];
    assert_eq!(app["sent"], true);
    assert_eq!(app["http"]["status"], 200);
    assert!(app["http"]["missing_security_headers"]
        .as_array()
        .unwrap()
        .contains(&"strict-transport-security".into()));

    // Not trusted (no --ca-file): nothing is sent, unless --insecure.
    let (code, r) = run_json(&["--http", &target]);
    assert_eq!(code, 1);
    assert_eq!(r["application"]["sent"], false);
    assert_eq!(r["application"]["sent_bytes"], 0);
    assert!(r["application"]["note"]
        .as_str()
        .unwrap()
        .contains("--insecure"));
    let (_, r) = run_json(&["--http", "--insecure", &target]);
    assert_eq!(r["application"]["sent"], true);
    assert_eq!(r["application"]["http"]["status"], 200);

    let rev = s_server(&f.good, &["-rev"]);
    let (code, r) = run_json(&[
        "--send",
        "hello\\n",
        "--ca-file",
        &root(),
        &format!("localhost:{}", rev.addr.port()),
    ]);
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(r["application"]["sent_bytes"], 6);
    assert!(
        r["application"]["response"]
            .as_str()
            .unwrap()
            .contains("olleh"),
        "{r:#}"
    );

    let text = run(&["--http", "--ca-file", &root(), &target]);
    assert!(text.stdout.contains("HTTP/1.0 200"), "{}", text.stdout);
}

#[test]
fn reconnect_reports_resumption() {
    let f = fixtures();
    for (args, mechanism) in [
        (&["-tls1_3"][..], "ticket"),
        (&["-tls1_2", "-no_ticket"][..], "session_id"),
    ] {
        let server = s_server(&f.good, args);
        let (code, r) = run_json(&[
            "--reconnect",
            "--ca-file",
            &root(),
            &format!("localhost:{}", server.addr.port()),
        ]);
        assert_eq!(code, 0, "{r:#}");
        let re = &r["reconnect"];
        assert_eq!(re["resumed"], true, "{args:?}: {re}");
        assert_eq!(re["mechanism"], mechanism, "{args:?}");
        assert!(re["handshake_ms"].is_number());
        assert_eq!(
            r["protocol"]["resumed"], false,
            "the first handshake is a full one"
        );
    }
}

#[test]
fn a_thousand_targets_in_input_order() {
    let f = fixtures();
    let servers: Vec<u16> = (0..3)
        .map(|_| rustls_server::start(&f.good, &[&TLS13]).port())
        .collect();
    let closed = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("targets.txt");
    let mut file = std::fs::File::create(&list).unwrap();
    let mut expected = Vec::new();
    for i in 0..1000 {
        let port = if i % 10 == 9 { closed } else { servers[i % 3] };
        writeln!(file, "localhost:{port}").unwrap();
        expected.push(port);
    }
    drop(file);
    let r = run(&[
        "--json",
        "--concurrency",
        "32",
        "--ca-file",
        &root(),
        "--targets-file",
        list.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3, "the highest of ok (0) and refused (3)");
    let ports: Vec<u64> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["target"]["port"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(
        ports,
        expected.iter().map(|p| u64::from(*p)).collect::<Vec<_>>()
    );
}

#[test]
fn a_silent_target_holds_up_none_of_the_targets_after_it() {
    let server = rustls_server::spawn(&fixtures().good, &[&TLS13]);
    let fast = format!("localhost:{}", server.port());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let silent = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    const AFTER: usize = 100;
    let mut args = vec![
        "--json",
        "--concurrency",
        "2",
        "--timeout",
        "60",
        "--ca-file",
    ];
    let root = root();
    args.push(&root);
    args.push(&silent);
    args.extend(std::iter::repeat_n(fast.as_str(), AFTER));
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tlsprobe"))
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first target waits on a server that says nothing, for up to 60 s. Meanwhile the
    // other probe goes through every target after it: a window of 4 x concurrency would
    // have started 7 of them and then waited for the silent one.
    let (held, _) = listener.accept().unwrap();
    let seen = server.wait_for(AFTER);
    assert!(seen.iter().all(|s| s.handshake_done), "{seen:?}");
    // Now hang up on the first, and refuse its diagnosis: the run ends.
    drop(held);
    drop(listener);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let reports: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    reports.iter().for_each(support::assert_valid);
    assert_eq!(reports.len(), AFTER + 1);
    assert_eq!(
        reports[0]["target"]["address"],
        silent.as_str(),
        "input order"
    );
    assert_eq!(reports[0]["status"], "handshake_failed");
    assert!(reports[1..].iter().all(|r| r["status"] == "ok"));
}

#[test]
fn memory_stays_flat_in_the_number_of_targets() {
    let f = fixtures();
    let port = rustls_server::start(&f.good, &[&TLS13]).port();
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("tlsprobe");
    let mut peaks = Vec::new();
    for n in [100, 1000] {
        let list = dir.path().join(format!("t{n}.txt"));
        std::fs::write(&list, format!("localhost:{port}\n").repeat(n)).unwrap();
        // Peak RSS of the child, as the kernel counted it (python's resource module reads it).
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False); \
                 print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                bin.to_str().unwrap(),
                "--json",
                "--concurrency",
                "16",
                "--ca-file",
                &root(),
                "--targets-file",
                list.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let kib: u64 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .expect("ru_maxrss");
        peaks.push(kib);
    }
    // Ten times the targets may not cost more than a little: the reports are not held.
    assert!(
        peaks[1] < peaks[0] + peaks[0] / 2,
        "peak RSS for 100 and 1000 targets: {peaks:?} KiB"
    );
}
