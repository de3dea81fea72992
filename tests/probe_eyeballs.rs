//! Reaching a name's addresses: every attempt reported (Happy Eyeballs, RFC 8305), and `-4` /
//! `-6` keeping to one family. The racing itself (a refusal moves on at once, the stagger,
//! the first to connect wins) is unit-tested in src/net/eyeballs.rs.

mod support;

use support::fixtures::fixtures;
use support::rustls_server::Setup;
use support::{peers, root, run, run_json};

#[test]
fn the_attempt_that_connected_is_reported() {
    let server = Setup::new(&fixtures().good).start();
    let ca = root();
    let target = format!("localhost:{}", server.port());
    let (code, r) = run_json(&["--ca-file", &ca, "-4", &target]);
    assert_eq!(code, 0, "{r:#}");
    let attempts = r["target"]["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 1, "{r:#}");
    assert_eq!(
        attempts[0]["address"],
        format!("127.0.0.1:{}", server.port())
    );
    assert_eq!(attempts[0]["outcome"], "connected");
    assert_eq!(attempts[0]["error"], serde_json::Value::Null);
    assert_eq!(r["target"]["address"], attempts[0]["address"]);
}

#[test]
fn a_refused_attempt_says_why() {
    let port = support::closed_port();
    let (code, r) = run_json(&[&format!("127.0.0.1:{port}")]);
    assert_eq!(code, 3, "{r:#}");
    let attempts = r["target"]["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["outcome"], "connection_refused");
    assert_eq!(r["error"]["kind"], "connection_refused");
    assert!(attempts[0]["error"].as_str().unwrap().contains("refused"));
}

#[test]
fn the_wrong_family_is_one_line() {
    let server = Setup::new(&fixtures().good).start();
    let (code, r) = run_json(&["-6", &format!("127.0.0.1:{}", server.port())]);
    assert_eq!(code, 3, "{r:#}");
    assert_eq!(r["error"]["kind"], "other");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not an IPv6 address"),
        "{r:#}"
    );
    assert!(server.seen().is_empty(), "nothing may be sent");

    // A name with no address of that family (localhost has only 127.0.0.1 in this
    // machine's /etc/hosts: checked here, so the assertion stands on the machine's facts).
    let v6 = std::net::ToSocketAddrs::to_socket_addrs(&("localhost", 1))
        .map(|a| a.into_iter().any(|a| a.is_ipv6()))
        .unwrap_or(false);
    let (code, r) = run_json(&["-6", &format!("localhost:{}", server.port())]);
    if v6 {
        assert_ne!(r["error"]["phase"], "dns", "{r:#}");
    } else {
        assert_eq!(code, 3, "{r:#}");
        assert_eq!(r["error"]["phase"], "dns");
        assert_eq!(r["error"]["kind"], "dns");
        let m = r["error"]["message"].as_str().unwrap();
        assert!(
            m.contains("no IPv6 address") && m.contains("127.0.0.1"),
            "{m}"
        );
    }
    let out = run(&["-4", "-6", "localhost"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

/// A name whose first address (IPv6, sorted first by getaddrinfo) never answers: its listen
/// queue is full, so the kernel drops the SYNs as a black-holed route would. The second,
/// IPv4, is tried 250 ms later and wins, well within a `--timeout` that the first address
/// alone would use up.
#[test]
fn a_black_holed_first_address_does_not_use_up_the_timeout() {
    assert!(support::has_ipv6_loopback(), "this test needs ::1");
    let (hole, _held, _listener) = peers::full_backlog_at("[::1]:0".parse().unwrap());
    let server = Setup::new(&fixtures().good)
        .bind(&format!("127.0.0.1:{}", hole.port()))
        .start();
    let hosts = "::1 holed.test\n127.0.0.1 holed.test\n";
    let target = format!("holed.test:{}", hole.port());
    let ca = root();
    let out = support::run_with_hosts(
        hosts,
        &[
            "--json",
            "--ca-file",
            &ca,
            "--sni",
            "localhost",
            "--timeout",
            "3",
            &target,
        ],
    );
    let r: serde_json::Value = serde_json::from_str(out.stdout.trim())
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", out.stdout, out.stderr));
    support::assert_valid(&r);
    assert_eq!(out.code, 0, "{r:#}");
    let attempts = r["target"]["attempts"].as_array().expect("attempts");
    let shown: Vec<(&str, &str)> = attempts
        .iter()
        .map(|a| {
            (
                a["address"].as_str().unwrap(),
                a["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    let v6 = format!("[::1]:{}", hole.port());
    let v4 = format!("127.0.0.1:{}", hole.port());
    assert_eq!(
        shown,
        [(v6.as_str(), "abandoned"), (v4.as_str(), "connected")],
        "{r:#}"
    );
    // The second attempt began after the stagger, not after the first gave up.
    let second = attempts[1]["started_ms"].as_f64().unwrap();
    assert!((250.0..2500.0).contains(&second), "{r:#}");
    assert_eq!(r["target"]["address"], v4.as_str());
    assert_eq!(server.seen().len(), 1);
}

/// `--all-addresses`: every address of the name probed, one report each, in the order
/// resolved. Behind the name, 127.0.0.1 serves the good chain, 127.0.0.2 an expired one on the
/// same port, and ::1 refuses: the run says which is which, and exits with the worst status.
#[test]
fn every_address_of_a_name_is_probed_with_all_addresses() {
    let f = fixtures();
    let good = Setup::new(&f.good).start();
    let port = good.port();
    let stale = Setup::new(&f.expired)
        .bind(&format!("127.0.0.2:{port}"))
        .start();
    let hosts = "::1 pool.test\n127.0.0.1 pool.test\n127.0.0.2 pool.test\n";
    let target = format!("pool.test:{port}");
    let ca = root();
    let args = [
        "--json",
        "--ca-file",
        &ca,
        "--sni",
        "localhost",
        "--all-addresses",
        &target,
    ];
    let out = support::run_with_hosts(hosts, &args);
    let reports: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}\n{}", out.stderr)))
        .collect();
    reports.iter().for_each(support::assert_valid);
    let seen: Vec<(String, &str)> = reports
        .iter()
        .map(|r| {
            let attempts = r["target"]["attempts"].as_array().expect("attempts");
            assert_eq!(attempts.len(), 1, "one address each: {r:#}");
            assert_eq!(r["target"]["host"], "pool.test");
            (
                attempts[0]["address"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (format!("[::1]:{port}"), "connect_failed"),
            (format!("127.0.0.1:{port}"), "ok"),
            (format!("127.0.0.2:{port}"), "verify_failed"),
        ],
        "{reports:#?}"
    );
    // The name was looked up once, for all three.
    let dns: Vec<&serde_json::Value> = reports.iter().map(|r| &r["timing_ms"]["dns"]).collect();
    assert!(dns.iter().all(|d| *d == dns[0] && d.is_number()), "{dns:?}");
    assert_eq!(out.code, 3, "the worst of refused, verify failed and ok");
    assert_eq!((good.seen().len(), stale.seen().len()), (1, 1));

    // Without it, the one report of the name (Happy Eyeballs: ::1 refused, 127.0.0.1 wins).
    let one: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--all-addresses")
        .collect();
    let out = support::run_with_hosts(hosts, &one);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert_eq!(out.code, 0, "{}", out.stdout);

    // With -4, only the IPv4 addresses.
    let mut four = args.to_vec();
    four.insert(1, "-4");
    let out = support::run_with_hosts(hosts, &four);
    let statuses: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["status"].clone())
        .collect();
    assert_eq!(statuses, ["ok", "verify_failed"], "{}", out.stdout);
}

/// A name that does not resolve is one report under `--all-addresses` too, saying so.
#[test]
fn an_unresolved_name_is_one_report_with_all_addresses() {
    let out = support::run_with_hosts(
        "127.0.0.1 other.test\n",
        &["--json", "--all-addresses", "-6", "other.test:443"],
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    let r: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    support::assert_valid(&r);
    assert_eq!(out.code, 3, "{r:#}");
    assert_eq!(r["error"]["phase"], "dns", "{r:#}");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no IPv6 address"),
        "{r:#}"
    );
}
