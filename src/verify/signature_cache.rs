//! Certificate signatures already checked in this run, and their verdicts.
//!
//! Across many servers the same links recur: every site of a CA serves the same intermediate,
//! signed by the same root, and a server probed again serves the same chain. Each distinct
//! (algorithm, key, signed bytes, signature) is verified once; after that its verdict is
//! looked up by the SHA-256 of all four, which costs about a microsecond where an ECDSA P-256
//! verification costs about forty. A verdict depends on nothing else, so a remembered one is
//! the verification's own. Handshake signatures (CertificateVerify, ServerKeyExchange) sign
//! a different transcript every time and are never looked up.
//!
//! At most [`KEPT`] verdicts are kept (about 80 KiB); the oldest go first.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

use aws_lc_rs::digest::{Context, SHA256};
use rustls::pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

/// How many verdicts are kept.
pub const KEPT: usize = 1024;

type Key = [u8; 32];

/// Verdicts by key, at most `kept`, the oldest dropped first.
struct Verdicts {
    by_key: HashMap<Key, bool>,
    order: VecDeque<Key>,
    kept: usize,
}

impl Verdicts {
    fn new(kept: usize) -> Verdicts {
        Verdicts {
            by_key: HashMap::new(),
            order: VecDeque::new(),
            kept,
        }
    }

    fn get(&self, key: &Key) -> Option<bool> {
        self.by_key.get(key).copied()
    }

    fn keep(&mut self, key: Key, verdict: bool) {
        if self.by_key.insert(key, verdict).is_none() {
            self.order.push_back(key);
            if self.order.len() > self.kept {
                if let Some(oldest) = self.order.pop_front() {
                    self.by_key.remove(&oldest);
                }
            }
        }
    }
}

static VERDICTS: Mutex<Option<Verdicts>> = Mutex::new(None);

/// What a verdict is looked up by: the SHA-256 of `parts`, each length-prefixed so that no two
/// different lists hash the same bytes.
fn key_of(parts: &[&[u8]]) -> Key {
    let mut hash = Context::new(&SHA256);
    for part in parts {
        hash.update(&(part.len() as u64).to_be_bytes());
        hash.update(part);
    }
    let mut key = [0u8; 32];
    key.copy_from_slice(hash.finish().as_ref());
    key
}

/// The verdict on a signature: remembered, or `verify`'s (then remembered). `parts` are what
/// the verdict depends on: the algorithm's identifiers, the key, the signed bytes and the
/// signature.
pub fn verdict(parts: &[&[u8]], verify: impl FnOnce() -> bool) -> bool {
    verdict_in(&VERDICTS, parts, verify)
}

fn verdict_in(
    store: &Mutex<Option<Verdicts>>,
    parts: &[&[u8]],
    verify: impl FnOnce() -> bool,
) -> bool {
    let lock = || store.lock().unwrap_or_else(PoisonError::into_inner);
    let key = key_of(parts);
    if let Some(verdict) = lock().as_ref().and_then(|v| v.get(&key)) {
        return verdict;
    }
    // Verified outside the lock: two threads may both verify a new signature; both agree.
    let verdict = verify();
    lock()
        .get_or_insert_with(|| Verdicts::new(KEPT))
        .keep(key, verdict);
    verdict
}

/// `algorithms`, each answering from the verdicts kept (for chain building).
pub fn remembering(
    algorithms: Vec<&'static dyn SignatureVerificationAlgorithm>,
) -> Vec<&'static dyn SignatureVerificationAlgorithm> {
    algorithms
        .into_iter()
        .map(|a| Box::leak(Box::new(Remembering(a))) as &'static dyn SignatureVerificationAlgorithm)
        .collect()
}

#[derive(Debug)]
struct Remembering(&'static dyn SignatureVerificationAlgorithm);

impl SignatureVerificationAlgorithm for Remembering {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let (key_alg, sig_alg) = (self.0.public_key_alg_id(), self.0.signature_alg_id());
        let parts = [
            key_alg.as_ref(),
            sig_alg.as_ref(),
            public_key,
            message,
            signature,
        ];
        let good = verdict(&parts, || {
            self.0
                .verify_signature(public_key, message, signature)
                .is_ok()
        });
        if good {
            Ok(())
        } else {
            Err(InvalidSignature)
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.0.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.0.signature_alg_id()
    }

    fn fips(&self) -> bool {
        self.0.fips()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_told_apart_however_the_bytes_are_split() {
        let one: [&[u8]; 2] = [b"alg", b"signed bytes"];
        let other: [&[u8]; 2] = [b"algsigned", b" bytes"];
        assert_ne!(key_of(&one), key_of(&other));
        assert_eq!(key_of(&one), key_of(&[b"alg", b"signed bytes"]));
    }

    #[test]
    fn a_verdict_is_kept_and_the_oldest_go_first() {
        let mut v = Verdicts::new(2);
        let (a, b, c) = (key_of(&[b"a"]), key_of(&[b"b"]), key_of(&[b"c"]));
        v.keep(a, true);
        v.keep(b, false);
        assert_eq!((v.get(&a), v.get(&b)), (Some(true), Some(false)));
        v.keep(c, true);
        assert_eq!(
            (v.get(&a), v.get(&b), v.get(&c)),
            (None, Some(false), Some(true))
        );
    }

    #[test]
    fn the_verifier_is_asked_once_per_signature() {
        let store = Mutex::new(None);
        let parts: [&[u8]; 2] = [b"key", b"signed"];
        let mut calls = 0;
        for _ in 0..3 {
            assert!(!verdict_in(&store, &parts, || {
                calls += 1;
                false
            }));
        }
        assert_eq!(calls, 1);
        assert!(verdict_in(&store, &[b"key", b"other"], || true));
    }
}
