//! `--shard K/N`: N runs over one list probe each target exactly once, the split is the
//! documented FNV-1a hash of `host:port` (computed here independently), and a share that
//! holds none of the list is a finished run, not an empty one.

mod support;

use std::collections::BTreeSet;

use support::fixtures::fixtures;
use support::rustls_server::Setup;
use support::{run, run_json_lines};

/// The documented split, written out again: FNV-1a 64 of the key, modulo N, plus one.
fn shard_of(key: &str, n: u64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h % n + 1
}

fn hosts(reports: &[serde_json::Value]) -> BTreeSet<String> {
    reports
        .iter()
        .map(|r| r["target"]["host"].as_str().expect("host").to_string())
        .collect()
}

#[test]
fn three_shards_probe_every_target_once() {
    let server = Setup::new(&fixtures().good).start();
    let connect = format!("127.0.0.1:{}", server.port());
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("targets.txt");
    let names: Vec<String> = (0..30).map(|i| format!("host-{i}.example")).collect();
    // Targets in several spellings of the same key, a comment, and one line that is no target.
    let mut text = String::from("# the fleet\n");
    for (i, n) in names.iter().enumerate() {
        text.push_str(&match i % 3 {
            0 => format!("{n}\n"),
            1 => format!("{}:443\n", n.to_uppercase()),
            _ => format!("https://{n}/status  # web\n"),
        });
    }
    text.push_str("not a target:x\n");
    std::fs::write(&list, text).unwrap();
    let list = list.display().to_string();

    let mut seen = BTreeSet::new();
    let mut invalid_reported = 0;
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let args = [
            "--shard",
            &shard,
            "--connect-to",
            &connect,
            "--insecure",
            "--targets-file",
            &list,
        ];
        let (_, reports) = run_json_lines(&args);
        let mine = hosts(&reports);
        let expected: BTreeSet<String> = names
            .iter()
            .filter(|n| shard_of(&format!("{n}:443"), 3) == k)
            .cloned()
            .collect();
        assert_eq!(mine, expected, "shard {shard}");
        assert!(seen.is_disjoint(&mine), "shard {shard} repeats a target");
        seen.extend(mine);
        let out = run(&args);
        if out.stderr.contains("not a target:x") {
            invalid_reported += 1;
            assert_eq!(shard_of("not a target:x", 3), k);
        }
    }
    assert_eq!(seen, names.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(
        invalid_reported, 1,
        "the bad line is reported by one shard only"
    );
}

#[test]
fn arguments_are_shared_out_too_and_an_empty_share_is_done() {
    let server = Setup::new(&fixtures().good).start();
    let connect = format!("127.0.0.1:{}", server.port());
    let names = ["a.example", "b.example", "c.example", "d.example"];
    let mut empty_shares = 0;
    for n in 1..=5u64 {
        for k in 1..=n {
            let shard = format!("{k}/{n}");
            let mut args = vec![
                "--json",
                "--shard",
                &shard,
                "--connect-to",
                &connect,
                "--insecure",
            ];
            args.extend(names);
            let out = run(&args);
            let expected: Vec<&str> = names
                .iter()
                .copied()
                .filter(|t| shard_of(&format!("{t}:443"), n) == k)
                .collect();
            let got: Vec<String> = out
                .stdout
                .lines()
                .map(|l| {
                    let r: serde_json::Value = serde_json::from_str(l).unwrap();
                    r["target"]["host"].as_str().unwrap().to_string()
                })
                .collect();
            assert_eq!(got, expected, "shard {shard}");
            // The names are not the certificate's: each probed target is verify_failed (exit
            // 1). Nothing of its own: no output and exit 0 (the other shards have the list).
            let status = if expected.is_empty() { 0 } else { 1 };
            empty_shares += usize::from(expected.is_empty());
            assert_eq!(out.code, status, "shard {shard}: {}", out.stderr);
            assert_eq!(out.stderr, "", "shard {shard}");
        }
    }
    assert!(empty_shares > 0, "some share of 4 names in 5 holds none");
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    for bad in ["0/3", "4/3", "1/0", "x", "1/3/2"] {
        let out = run(&["--shard", bad, "localhost"]);
        assert_eq!(out.code, 2, "{bad}");
        let line = out.stderr.lines().next().unwrap_or_default();
        assert!(line.contains("invalid --shard"), "{bad}: {}", out.stderr);
    }
}
