//! `--shard K/N`: this run's deterministic share of the targets, so that a batch system (GNU
//! parallel, Kubernetes indexed jobs, Slurm arrays) can spread one list over N machines and
//! every target is probed by exactly one of them.
//!
//! A target belongs to shard `fnv1a64(key) % N + 1`, where the key is the target as tlsprobe
//! writes it (`host:port`: lowercase, an international name in A-labels, an IPv6 address in
//! brackets; so `Example.com`, `example.com:443` and `https://example.com/` are one target) and
//! a line that is not a target is keyed by its text (trimmed, comment removed), so that its
//! error is reported by exactly one shard too. FNV-1a (64-bit, offset basis
//! 0xcbf29ce484222325, prime 0x100000001b3) is fixed here and will not change: a list split
//! today splits the same way with a later tlsprobe.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// One share of `count`: `index` from 1 to `count`; and how many entries it left to others.
#[derive(Debug, Clone)]
pub struct Shard {
    index: u64,
    count: u64,
    others: Arc<AtomicUsize>,
}

impl Shard {
    /// `K/N` with 1 <= K <= N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = |why: &str| format!("invalid --shard '{s}': {why}");
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| bad("give K/N, e.g. 1/4 for the first of four shares"))?;
        let number = |v: &str| {
            v.trim()
                .parse::<u64>()
                .map_err(|_| bad(&format!("'{v}' is not a whole number")))
        };
        let (index, count) = (number(k)?, number(n)?);
        if count == 0 {
            return Err(bad("N must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(bad(&format!(
                "K counts from 1 to N ({count}); a 0-based index such as Kubernetes' \
                 JOB_COMPLETION_INDEX needs +1"
            )));
        }
        Ok(Shard {
            index,
            count,
            others: Arc::default(),
        })
    }

    /// Whether the entry with this key is this shard's (else it is counted as another's).
    pub fn keeps(&self, key: &str) -> bool {
        let mine = fnv1a64(key.as_bytes()) % self.count + 1 == self.index;
        if !mine {
            self.others.fetch_add(1, Ordering::Relaxed);
        }
        mine
    }

    /// How many entries were left to the other shards: a run that had some, but none of its
    /// own, did its share.
    pub fn others(&self) -> usize {
        self.others.load(Ordering::Relaxed)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// FNV-1a, 64 bits.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fnv1a() {
        // The reference values of the FNV test suite (www.isthe.com/chongo/src/fnv/test_fnv.c).
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn every_key_in_exactly_one_shard_and_shares_even() {
        let n = 7;
        let shards: Vec<Shard> = (1..=n)
            .map(|k| Shard::parse(&format!("{k}/{n}")).unwrap())
            .collect();
        let mut sizes = vec![0usize; n];
        let keys = 20_000;
        for i in 0..keys {
            let key = format!("host-{i}.example.com:443");
            let owners: Vec<usize> = (0..n).filter(|&s| shards[s].keeps(&key)).collect();
            assert_eq!(owners.len(), 1, "{key}");
            sizes[owners[0]] += 1;
        }
        let even = keys / n;
        for size in sizes {
            assert!(size.abs_diff(even) < even / 10, "{size} vs {even}");
        }
    }

    #[test]
    fn one_shard_keeps_everything() {
        let all = Shard::parse("1/1").unwrap();
        assert!(["a:1", "", "[::1]:443"].iter().all(|k| all.keeps(k)));
        assert_eq!(all.others(), 0);
        let half = Shard::parse("1/2").unwrap();
        let kept = (0..100).filter(|i| half.keeps(&i.to_string())).count();
        assert_eq!(half.others(), 100 - kept);
    }

    #[test]
    fn forms() {
        assert_eq!(Shard::parse("2/4").unwrap().to_string(), "2/4");
        for bad in ["", "1", "0/4", "5/4", "1/0", "a/4", "1/b", "-1/4", "1/4/5"] {
            let e = Shard::parse(bad).unwrap_err();
            assert!(e.starts_with("invalid --shard"), "{e}");
            assert!(!e.contains('\n'));
        }
    }
}
