//! Reaching a name's addresses: every attempt reported (Happy Eyeballs, RFC 8305), and `-4` /
//! `-6` keeping to one family. The racing itself (a refusal moves on at once, the stagger,
//! the first to connect wins) is unit-tested in src/net/eyeballs.rs.

mod support;

use support::fixtures::fixtures;
use support::rustls_server::Setup;
use support::{root, run, run_json};

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
