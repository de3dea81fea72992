//! Stage 1 of the verifier: every path the served certificates could make, from the leaf up,
//! following issuers by name, each ending at a trust anchor or at a dead end.
//!
//! webpki builds paths too, but it reports one error for all the paths it tried, ranked by
//! its own idea of specificity: an error from a path it discarded (a same-name certificate
//! with another key, an expired cross-sign) can hide what is wrong with the one that matters.
//! Enumerating the candidates here lets each be judged on its own (`build.rs`), and the
//! verdict come from the path that verified, or from the most plausible one.

use rustls::pki_types::TrustAnchor;

use super::served::der_contents;
use crate::cert::Facts;

/// At most this many certificates on a path, leaf and anchor excluded (webpki allows 6
/// intermediates; a little more lets an over-long path be named as such).
const MAX_INTERMEDIATES: usize = 8;
/// At most this many candidates: a hostile server can send many same-name certificates.
const MAX_CANDIDATES: usize = 32;

/// One possible path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Indices into the served certificates, leaf (0) first.
    pub certs: Vec<usize>,
    pub end: End,
}

/// How a candidate path ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// At this trust anchor (index into the store's anchors), which issued the last certificate.
    Anchor(usize),
    /// The leaf is self-signed and itself in the trust store, byte for byte (as OpenSSL trusts
    /// it).
    Direct,
    /// Nothing served or trusted issued the last certificate (or it is self-signed and not
    /// trusted).
    Unanchored,
}

impl Candidate {
    pub fn top(&self) -> usize {
        self.certs.last().copied().unwrap_or(0)
    }
}

/// Every candidate path from the leaf, anchored ones first at each step (the shortest way to a
/// trust anchor is tried before a longer one through a cross-signed certificate), in served
/// order otherwise. `anchor_certs` is index for index with `anchors` where the store holds
/// certificates (empty for the built-in roots).
pub fn candidates(
    facts: &[Facts],
    chain_der: &[&[u8]],
    anchors: &[TrustAnchor<'_>],
    anchor_certs: &[&[u8]],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    if !facts.first().is_some_and(|f| f.parsed) {
        return out;
    }
    // Only a self-signed leaf: OpenSSL too trusts one that is in the store, but not a
    // CA-issued leaf put there alone (that needs its issuer, as any other).
    if let (Some(leaf), Some(f)) = (chain_der.first(), facts.first()) {
        if f.self_signed && anchor_certs.contains(leaf) {
            out.push(Candidate {
                certs: vec![0],
                end: End::Direct,
            });
        }
    }
    let mut path = vec![0];
    walk(&mut path, facts, anchors, &mut out);
    out
}

fn walk(
    path: &mut Vec<usize>,
    facts: &[Facts],
    anchors: &[TrustAnchor<'_>],
    out: &mut Vec<Candidate>,
) {
    if out.len() >= MAX_CANDIDATES {
        return;
    }
    let Some(at) = path
        .last()
        .copied()
        .and_then(|i| facts.get(i).map(|f| (i, f)))
    else {
        return;
    };
    let (_, here) = at;
    let issuer = der_contents(&here.issuer);
    let mut found = false;
    for (a, anchor) in anchors.iter().enumerate() {
        if issuer == Some(anchor.subject.as_ref()) && out.len() < MAX_CANDIDATES {
            out.push(Candidate {
                certs: path.clone(),
                end: End::Anchor(a),
            });
            found = true;
        }
    }
    if !here.self_signed && path.len() <= MAX_INTERMEDIATES {
        for (j, f) in facts.iter().enumerate() {
            let fresh = !path.contains(&j)
                && !path.iter().any(|&p| {
                    facts
                        .get(p)
                        .is_some_and(|q| q.subject == f.subject && q.spki == f.spki)
                });
            if f.parsed && f.subject == here.issuer && fresh {
                found = true;
                path.push(j);
                walk(path, facts, anchors, out);
                path.pop();
            }
        }
    }
    if !found && out.len() < MAX_CANDIDATES {
        out.push(Candidate {
            certs: path.clone(),
            end: End::Unanchored,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(subject: &[u8], issuer: &[u8], key: u8) -> Facts {
        let wrap = |b: &[u8]| {
            let mut v = vec![0x30, u8::try_from(b.len()).unwrap_or(0)];
            v.extend_from_slice(b);
            v
        };
        Facts {
            parsed: true,
            subject: wrap(subject),
            issuer: wrap(issuer),
            self_signed: subject == issuer,
            spki: vec![key],
            ..Facts::default()
        }
    }

    fn anchor(subject: &'static [u8]) -> TrustAnchor<'static> {
        TrustAnchor {
            subject: subject.into(),
            subject_public_key_info: (&b"k"[..]).into(),
            name_constraints: None,
        }
    }

    #[test]
    fn anchors_first_then_cross_signs_then_dead_ends() {
        // leaf <- inter <- (root R, or cross-signed R issued by OLD)
        let facts = [
            cert(b"leaf", b"inter", 1),
            cert(b"inter", b"R", 2),
            cert(b"R", b"OLD", 3),
        ];
        let ders: [&[u8]; 3] = [b"a", b"b", b"c"];
        let got = candidates(&facts, &ders, &[anchor(b"R")], &[]);
        assert_eq!(
            got,
            vec![
                Candidate {
                    certs: vec![0, 1],
                    end: End::Anchor(0)
                },
                Candidate {
                    certs: vec![0, 1, 2],
                    end: End::Unanchored
                },
            ]
        );
        let none = candidates(&facts, &ders, &[], &[]);
        assert_eq!(
            none,
            vec![Candidate {
                certs: vec![0, 1, 2],
                end: End::Unanchored
            }]
        );
    }

    #[test]
    fn loops_and_duplicates_end() {
        let facts = [
            cert(b"a", b"b", 1),
            cert(b"b", b"a", 2),
            cert(b"b", b"a", 2),
        ];
        let ders: [&[u8]; 3] = [b"1", b"2", b"3"];
        let got = candidates(&facts, &ders, &[], &[]);
        assert!(got.iter().all(|c| c.end == End::Unanchored));
        assert!(got.len() <= 2, "{got:?}");
    }

    #[test]
    fn a_leaf_in_the_store_is_trusted_directly() {
        let facts = [cert(b"me", b"me", 1)];
        let ders: [&[u8]; 1] = [b"me-der"];
        let got = candidates(&facts, &ders, &[], &[b"me-der"]);
        assert_eq!(
            got[0],
            Candidate {
                certs: vec![0],
                end: End::Direct
            }
        );
    }

    #[test]
    fn many_same_name_issuers_are_bounded() {
        let mut facts = vec![cert(b"leaf", b"i", 0)];
        for k in 1..60u8 {
            facts.push(cert(b"i", b"i", k));
        }
        let ders: Vec<&[u8]> = facts.iter().map(|_| &b"x"[..]).collect();
        assert!(candidates(&facts, &ders, &[], &[]).len() <= MAX_CANDIDATES);
    }
}
