//! Chain verification, apart from the handshake: the certificates the server sent (or the
//! files given to `tlsprobe verify`) are judged against a trust store, and every problem is
//! named with the contract's codes.
//!
//! A pipeline of stages, each a file that reads the previous one's result:
//! 1. `candidates`: every path the served certificates could make, by name, up to an anchor
//!    or a dead end;
//! 2. `build`: webpki's verdict on each anchored candidate alone (so no discarded path's
//!    error leaks into another's), at moments inside the validity windows if time was all;
//! 3. `judge`: only the certificates on a candidate, the anchor's own certificate included:
//!    validity, strength, the RFC 5280 profile (`rfc5280`, `name_constraints`), or for a dead
//!    end, why it is one (`dead_end`); the first candidate with no fault is the verified path,
//!    else the most plausible one is reported;
//! 4. `unused`: what was served but is not on that path, as warnings;
//! 5. `warnings`: how the path was served, what expires soon; plus the name (`identity`), the
//!    handshake signature and the OCSP staple;
//! 6. `hint`: a sentence on what to do, for every error.

mod build;
mod candidates;
mod common_name;
pub mod crls;
mod dead_end;
mod faults;
mod hint;
pub mod identity;
mod judge;
mod name_constraints;
pub mod ocsp;
pub mod ocsp_check;
mod path_view;
pub mod pss;
pub(crate) mod quote;
mod rfc5280;
mod roots;
mod served;
pub mod signature_cache;
mod staple;
mod strength;
mod unused;
mod warnings;
mod webpki_gaps;

pub use identity::Identity;
pub use roots::{Roots, RootsError};

use std::time::SystemTime;

use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm};
use webpki::CertRevocationList;

use crate::cert::Facts;
use crate::report::{Certificate, Finding, PathEntry, Verification, VerifyCode, WarningCode};
use crate::tls::SignatureCheck;
use crate::wire::names::signature_scheme_name;
use candidates::End;
use faults::Fault;
use judge::Judged;

/// What the leaf must be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Server,
    Client,
}

/// Everything the verifier needs from one probe, or one `tlsprobe verify`.
pub struct ChainInput<'a> {
    /// Leaf first, then the other certificates as served (in served order).
    pub chain: &'a [CertificateDer<'static>],
    /// The same certificates, described, index for index.
    pub described: &'a [Certificate],
    /// The same certificates' facts (`cert::examine`), index for index.
    pub facts: &'a [Facts],
    /// The name the leaf must be valid for.
    pub identity: &'a Identity,
    /// A server name was sent (SNI): without one, servers often present a default certificate.
    pub sni_sent: bool,
    pub purpose: Purpose,
    /// The chain came from a server (a probe), not from local files: the advice differs.
    pub from_server: bool,
    /// The server's handshake signature check, when there was one.
    pub signature: Option<&'a SignatureCheck>,
    /// The stapled OCSP response, when there was one that could be read.
    pub ocsp: Option<&'a ocsp::Staple>,
    /// The stapled OCSP response as received; empty when none was stapled.
    pub ocsp_der: &'a [u8],
    /// Revocation lists to check the path against (`--crl-file`).
    pub crls: &'a [CertRevocationList<'static>],
    /// Warn `expires_soon` for certificates with fewer days left than this.
    pub warn_days: i64,
    /// The validation time.
    pub now: SystemTime,
}

/// Judge the chain against `roots`, with these signature algorithms.
pub fn verify_chain(
    input: &ChainInput<'_>,
    roots: &Roots,
    algorithms: &[&dyn SignatureVerificationAlgorithm],
) -> Verification {
    let mut v = Verification {
        verified: false,
        trust_store: roots.store,
        hostname_matches: None,
        errors: Vec::new(),
        warnings: Vec::new(),
        path: Vec::new(),
    };
    let at = crate::cert::unix_seconds(input.now);
    let (leaf_der, leaf) = match leaf(input) {
        Ok(leaf) => leaf,
        Err(fault) => {
            v.errors.push(finish(fault, input));
            return v;
        }
    };

    // 1-3: candidates, each judged alone; the verified one, else the most plausible.
    let ctx = build::Context {
        leaf: &leaf,
        chain: input.chain,
        anchors: &roots.anchors,
        algorithms,
        purpose: input.purpose,
        crls: input.crls,
        at,
    };
    let chosen = chosen_path(input, roots, &ctx);

    let mut errors: Vec<Fault> = Vec::new();
    // The served certificates on the chosen path, in path order (its anchor last when the
    // server sent it too).
    let (on_path, root_sent) = chosen.as_ref().map_or((vec![0], None), served_on_path);
    if let Some(j) = &chosen {
        errors.extend(j.faults.iter().cloned());
        if j.candidate.end != End::Unanchored {
            v.path = path_entries(j, input);
        }
        if input.from_server && j.faults.is_empty() {
            errors.extend(anchored_on_an_intermediate(j));
        }
    }

    // The name, independently of the path.
    if let Some(result) = identity::matches(&leaf, leaf_der.as_ref(), input.identity) {
        v.hostname_matches = Some(result.is_ok());
        if let Err(why) = result {
            errors.push(name_fault(input, &why));
        }
    }

    // The server's handshake signature (a key too weak to verify with is already named).
    errors.extend(handshake_signature_fault(input, &errors));

    // The staple, checked against the leaf's issuer on the path. A proven one is read for
    // this leaf's own certID; an unchecked one only for what is on the safe side (revoked).
    staple_findings(
        input,
        chosen.as_ref(),
        roots,
        at,
        &mut errors,
        &mut v.warnings,
    );

    // 4-5: what the path does not use, how it was served.
    v.warnings.extend(warnings::warnings(
        input.described,
        &on_path,
        root_sent,
        input.warn_days,
    ));
    v.warnings.extend(unused::warnings(
        input.described,
        input.facts,
        &on_path,
        at,
        input.from_server,
    ));

    // 6: a hint for every error; leaf first, then up the chain, the chain as a whole last.
    errors.sort_by_key(|f| (f.cert_index.is_none(), f.cert_index));
    v.errors = errors.into_iter().map(|f| finish(f, input)).collect();
    v.verified = v.errors.is_empty();
    v
}

/// The leaf, parsed for webpki; or why there is none to verify.
fn leaf<'a>(
    input: &ChainInput<'a>,
) -> Result<(&'a CertificateDer<'a>, webpki::EndEntityCert<'a>), Fault> {
    let Some(leaf_der) = input.chain.first() else {
        return Err(Fault::new(
            VerifyCode::Other,
            None,
            "no certificate was presented".into(),
        ));
    };
    match webpki::EndEntityCert::try_from(leaf_der) {
        Ok(leaf) if input.facts.first().is_some_and(|f| f.parsed) => Ok((leaf_der, leaf)),
        _ => {
            let why = input.described.first().map_or("", |d| d.subject.as_str());
            Err(Fault::new(
                VerifyCode::Malformed,
                Some(0),
                format!("the leaf certificate cannot be parsed: {why}"),
            ))
        }
    }
}

/// The served certificates on a path, in path order with its anchor last when the server
/// sent that too; and which one that anchor is.
fn served_on_path(j: &Judged) -> (Vec<usize>, Option<usize>) {
    let mut on_path = j.candidate.certs.clone();
    let root_sent = j.anchor.as_ref().and_then(|a| a.served);
    on_path.extend(root_sent);
    (on_path, root_sent)
}

/// Candidate paths, each judged alone, in order until one verifies (the rest cannot change
/// the verdict); the verified one, else the most plausible.
fn chosen_path(input: &ChainInput<'_>, roots: &Roots, ctx: &build::Context<'_>) -> Option<Judged> {
    let ders: Vec<&[u8]> = input.chain.iter().map(|c| c.as_ref()).collect();
    let anchor_certs: Vec<&[u8]> = roots.certs.iter().map(|c| c.as_ref()).collect();
    let mut judged: Vec<Judged> = Vec::new();
    for c in candidates::candidates(input.facts, &ders, &roots.anchors, &anchor_certs) {
        let j = judge::judge(c, input, roots, ctx);
        let verified = j.faults.is_empty();
        judged.push(j);
        if verified {
            break;
        }
    }
    choose(judged)
}

/// The leaf does not name the host (or address, or email) asked for.
fn name_fault(input: &ChainInput<'_>, why: &identity::Mismatch) -> Fault {
    Fault::new(
        VerifyCode::HostnameMismatch,
        Some(0),
        identity::message(input.identity, why, input.described.first(), input.sni_sent),
    )
}

/// The server's handshake signature does not verify with the leaf's key, unless `errors`
/// already say that key is too weak to verify with.
fn handshake_signature_fault(input: &ChainInput<'_>, errors: &[Fault]) -> Option<Fault> {
    let Some(SignatureCheck {
        scheme,
        error: Some(why),
    }) = input.signature
    else {
        return None;
    };
    let weak_leaf_key = errors
        .iter()
        .any(|f| f.code == VerifyCode::WeakKey && f.cert_index == Some(0));
    (!weak_leaf_key).then(|| {
        Fault::new(
            VerifyCode::BadSignature,
            Some(0),
            format!(
                "the server's handshake signature ({}) does not verify with the leaf's key: {why}",
                scheme.map_or_else(
                    || "implied by the key, as TLS 1.0 and 1.1 sign".into(),
                    |s| signature_scheme_name(u16::from(s))
                )
            ),
        )
    })
}

/// The OCSP staple's findings, checked against the leaf's issuer on the `chosen` path.
fn staple_findings(
    input: &ChainInput<'_>,
    chosen: Option<&Judged>,
    roots: &Roots,
    at: i64,
    errors: &mut Vec<Fault>,
    warnings: &mut Vec<Finding<WarningCode>>,
) {
    match staple::check(input, chosen, roots, at) {
        staple::Checked::None => {}
        staple::Checked::Proven(s) => staple::findings(&s, true, at, errors, warnings),
        staple::Checked::Unchecked => {
            if let Some(s) = input.ocsp {
                staple::findings(s, false, at, errors, warnings);
            }
        }
        staple::Checked::Fault(f) => {
            errors.push(Fault::new(VerifyCode::BadOcspStaple, Some(0), f.message()));
        }
    }
}

/// For the fuzzers: the profile and name-constraint checks on `der` in every role, and on a
/// path of it under itself. Returns how many faults they found; never panics.
#[doc(hidden)]
pub fn check_profile(der: &[u8]) -> usize {
    let roles = [
        rfc5280::Role::Leaf,
        rfc5280::Role::Intermediate,
        rfc5280::Role::Anchor,
    ];
    let faults: usize = roles
        .into_iter()
        .map(|r| rfc5280::check(der, r, "certificate", Some(0)).len())
        .sum();
    let nc = usize::from(name_constraints::check(&[der, der]).is_err());
    faults + nc + usize::from(name_constraints::involves_forms_webpki_refuses(&[der]))
}

/// The verified candidate (the first with no fault), else the most plausible: one that
/// reaches an anchor and whose signatures hold, with the fewest faults; then any that reaches
/// an anchor; then the longest dead end.
fn choose(judged: Vec<Judged>) -> Option<Judged> {
    if let Some(pos) = judged.iter().position(|j| j.faults.is_empty()) {
        return judged.into_iter().nth(pos);
    }
    let rank = |j: &Judged| {
        let anchored = j.candidate.end != End::Unanchored;
        (
            !(anchored && j.signatures_hold),
            !anchored,
            j.faults.len(),
            usize::MAX - j.candidate.certs.len(),
        )
    };
    let best = judged
        .iter()
        .enumerate()
        .min_by_key(|(_, j)| rank(j))
        .map(|(i, _)| i)?;
    judged.into_iter().nth(best)
}

fn path_entries(j: &Judged, input: &ChainInput<'_>) -> Vec<PathEntry> {
    let mut entries: Vec<PathEntry> = j
        .candidate
        .certs
        .iter()
        .map(|&i| PathEntry {
            subject: input
                .described
                .get(i)
                .map_or_else(String::new, |c| c.subject.clone()),
            cert_index: Some(i),
            trust_anchor: j.candidate.end == End::Direct,
            pin_sha256: input
                .described
                .get(i)
                .map_or_else(String::new, |c| c.pin_sha256.clone()),
        })
        .collect();
    if let Some(a) = &j.anchor {
        entries.push(PathEntry {
            subject: a.subject.clone(),
            cert_index: a.served,
            trust_anchor: true,
            pin_sha256: crate::cert::pin_of_spki(&a.spki),
        });
    }
    entries
}

/// A path that ends on an anchor that is not a root (an intermediate someone put in the trust
/// store) verifies here only: the server did not send that intermediate.
fn anchored_on_an_intermediate(j: &Judged) -> Option<Fault> {
    let a = j.anchor.as_ref()?;
    if a.served.is_some() || a.is_root() {
        return None;
    }
    Some(Fault::new(
        VerifyCode::IncompleteChain,
        Some(j.candidate.top()),
        format!(
            "the server did not send the intermediate {}; the chain verified only because {} holds that intermediate, and clients that trust only roots will fail",
            a.subject, a.store
        ),
    ))
}

/// The weak_signature and weak_key findings a probe makes, for certificates outside any chain
/// (`tlsprobe cert`): each judged on its own, a self-signed one as a root would be (its own
/// signature is not judged, its key is).
pub fn weak_algorithms(certs: &[crate::report::Certificate]) -> Vec<Finding<VerifyCode>> {
    let all: Vec<usize> = (0..certs.len()).collect();
    strength::weaknesses(certs, &all)
        .into_iter()
        .map(|f| {
            let root = f
                .cert_index
                .and_then(|i| certs.get(i))
                .is_some_and(|c| c.self_signed);
            let place = match f.cert_index {
                _ if root => hint::Place::Anchor,
                Some(0) => hint::Place::Leaf,
                Some(_) => hint::Place::Intermediate,
                None => hint::Place::Elsewhere,
            };
            Finding {
                code: f.code,
                cert_index: f.cert_index,
                hint: Some(hint::hint(f.code, place, false)),
                message: f.message,
            }
        })
        .collect()
}

/// A fault as the report shows it, with its hint.
fn finish(f: Fault, input: &ChainInput<'_>) -> Finding<VerifyCode> {
    let place = match f.cert_index {
        _ if f.about_anchor => hint::Place::Anchor,
        Some(0) => hint::Place::Leaf,
        Some(_) => hint::Place::Intermediate,
        None => hint::Place::Elsewhere,
    };
    Finding {
        code: f.code,
        cert_index: f.cert_index,
        hint: Some(hint::hint(f.code, place, input.from_server)),
        message: f.message,
    }
}
