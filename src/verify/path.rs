//! The certification path, built by webpki apart from the handshake, and its faults refined
//! with what the served certificates show.

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, TrustAnchor, UnixTime};

use super::served::{der_contents, issuer_index, served_path};
use super::Roots;
use crate::cert::Facts;
use crate::report::{Certificate, Finding, PathEntry, VerifyCode};

/// What path building found: a path to a trust anchor, or the fault that stopped it.
pub enum Outcome {
    Verified(Vec<PathEntry>),
    /// Only time stood in the way at every moment tried, and the served chain reaches a trust
    /// anchor by name: the path is fine apart from the validity already reported.
    OnlyTime,
    Fault(webpki::Error),
}

/// Build the path from `leaf` to one of `roots`.
///
/// webpki checks every certificate's validity while it builds the path, so the path is built
/// at several moments (now, then inside each certificate's window) until one gives an answer
/// that is not a time error. When every moment does (an expired leaf under a newer
/// intermediate), whether the chain reaches a trust anchor is judged by name.
pub fn build(
    leaf: &webpki::EndEntityCert<'_>,
    chain: &[CertificateDer<'static>],
    facts: &[Facts],
    now: i64,
    roots: &Roots,
    provider: &CryptoProvider,
) -> Outcome {
    let windows: Vec<(i64, i64)> = facts
        .iter()
        .filter(|f| f.parsed)
        .map(|f| (f.not_before, f.not_after))
        .collect();
    let mut moments = vec![now];
    moments.extend(moment_inside_all(&windows));
    moments.extend(windows.iter().map(|&(nb, na)| midpoint(nb, na)));
    let intermediates = chain.get(1..).unwrap_or_default();
    for at in moments {
        let result = leaf.verify_for_usage(
            provider.signature_verification_algorithms.all,
            &roots.anchors,
            intermediates,
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(at.max(0).unsigned_abs())),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        );
        match result {
            Ok(path) => {
                let mut entries = vec![PathEntry {
                    subject: name_string(facts.first().map_or(&[][..], |f| &f.subject)),
                    cert_index: Some(0),
                    trust_anchor: false,
                }];
                for cert in path.intermediate_certificates() {
                    let der = cert.der();
                    let index = chain.iter().position(|c| *c == der);
                    entries.push(PathEntry {
                        subject: index.and_then(|i| facts.get(i)).map_or_else(
                            || "(intermediate)".to_string(),
                            |f| name_string(&f.subject),
                        ),
                        cert_index: index,
                        trust_anchor: false,
                    });
                }
                entries.push(anchor_entry(path.anchor(), chain, facts));
                return Outcome::Verified(entries);
            }
            Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }) => {}
            Err(e) => return Outcome::Fault(e),
        }
    }
    if reaches_anchor_by_name(facts, roots) {
        Outcome::OnlyTime
    } else {
        Outcome::Fault(webpki::Error::UnknownIssuer)
    }
}

fn midpoint(a: i64, b: i64) -> i64 {
    a.saturating_add(b.saturating_sub(a) / 2)
}

fn moment_inside_all(windows: &[(i64, i64)]) -> Option<i64> {
    let lo = windows.iter().map(|w| w.0).max()?;
    let hi = windows.iter().map(|w| w.1).min()?;
    (lo <= hi).then(|| midpoint(lo, hi))
}

/// The trust anchor that ended the path, and whether the server sent it too.
fn anchor_entry(
    anchor: &TrustAnchor<'_>,
    chain: &[CertificateDer<'static>],
    facts: &[Facts],
) -> PathEntry {
    let sent = facts.iter().position(|f| {
        f.parsed
            && der_contents(&f.subject) == Some(anchor.subject.as_ref())
            && der_contents(&f.spki) == Some(anchor.subject_public_key_info.as_ref())
    });
    let _ = chain;
    PathEntry {
        subject: name_string(&sequence(anchor.subject.as_ref())),
        cert_index: sent,
        trust_anchor: true,
    }
}

/// Whether the top of the served path is, or is issued by, a trust anchor (names only).
fn reaches_anchor_by_name(facts: &[Facts], roots: &Roots) -> bool {
    let path = served_path(facts);
    let Some(top) = path.last().and_then(|&i| facts.get(i)) else {
        return false;
    };
    let names = [der_contents(&top.subject), der_contents(&top.issuer)];
    roots
        .anchors
        .iter()
        .any(|a| names.contains(&Some(a.subject.as_ref())))
}

/// Wrap name contents back into a SEQUENCE, to parse it as a Name.
fn sequence(contents: &[u8]) -> Vec<u8> {
    let len = contents.len();
    let mut out = vec![0x30];
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xff {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        let l = u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes();
        out.extend_from_slice(&[0x82, l[0], l[1]]);
    }
    out.extend_from_slice(contents);
    out
}

/// A DER Name as an RFC 4514-style string.
pub fn name_string(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    x509_parser::x509::X509Name::from_der(der)
        .map_or_else(|_| "(unparseable name)".to_string(), |(_, n)| n.to_string())
}

/// Name webpki's fault in the contract's terms, with what the served certificates show.
pub fn fault(
    e: &webpki::Error,
    described: &[Certificate],
    facts: &[Facts],
    roots: &Roots,
) -> Finding<VerifyCode> {
    let leaf_self_signed = facts.first().is_some_and(|f| f.self_signed);
    let store = roots.store_name();
    let who = |i: usize| describe_index(i, described.get(i));
    let (code, cert_index, message) = match e {
        webpki::Error::UnknownIssuer | webpki::Error::CaUsedAsEndEntity if leaf_self_signed => (
            VerifyCode::SelfSigned,
            Some(0),
            format!("the certificate is self-signed and not trusted by {store}"),
        ),
        webpki::Error::UnknownIssuer => {
            let path = served_path(facts);
            let top = path.last().copied().unwrap_or(0);
            match facts.get(top) {
                Some(f) if f.self_signed => (
                    VerifyCode::UnknownIssuer,
                    Some(top),
                    format!("the chain ends at the root {}, which is not trusted by {store}", who(top)),
                ),
                Some(f) if f.parsed && !issued_by_anchor(f, roots) => {
                    let mut message = format!(
                        "the server did not send the issuer of {}: {} (nor is it in {store})",
                        who(top),
                        name_string(&f.issuer)
                    );
                    if let Some(url) = f.ca_issuers.first() {
                        message.push_str(&format!("; the certificate says it can be fetched from {url}"));
                    }
                    (VerifyCode::IncompleteChain, Some(top), message)
                }
                _ => (
                    VerifyCode::UnknownIssuer,
                    Some(top),
                    format!("no path from {} to a root trusted by {store}", who(top)),
                ),
            }
        }
        webpki::Error::CaUsedAsEndEntity => (
            VerifyCode::BadUsage,
            Some(0),
            "the leaf is a CA certificate (basicConstraints CA:TRUE) and cannot identify a server".to_string(),
        ),
        webpki::Error::EndEntityUsedAsCa => {
            let issuer = issuer_index(facts, 0).unwrap_or(1);
            (
                VerifyCode::NotACa,
                Some(issuer),
                format!("{} issued another certificate but is not a CA (basicConstraints CA:FALSE)", who(issuer)),
            )
        }
        #[allow(deprecated)]
        webpki::Error::RequiredEkuNotFound | webpki::Error::RequiredEkuNotFoundContext(_) => (
            VerifyCode::BadUsage,
            Some(0),
            "the certificate's extended key usage does not allow TLS server authentication (serverAuth)".to_string(),
        ),
        webpki::Error::InvalidSignatureForPublicKey => (
            VerifyCode::BadSignature,
            None,
            "a certificate's signature does not verify with its issuer's key".to_string(),
        ),
        #[allow(deprecated)]
        webpki::Error::UnsupportedSignatureAlgorithm
        | webpki::Error::UnsupportedSignatureAlgorithmContext(_)
        | webpki::Error::UnsupportedSignatureAlgorithmForPublicKey
        | webpki::Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => (
            VerifyCode::WeakSignature,
            None,
            "a certificate in the chain uses a signature algorithm or key current clients refuse".to_string(),
        ),
        other => (VerifyCode::Other, None, format!("the chain does not verify: {other:?}")),
    };
    Finding {
        code,
        cert_index,
        message,
    }
}

fn issued_by_anchor(f: &Facts, roots: &Roots) -> bool {
    let issuer = der_contents(&f.issuer);
    roots
        .anchors
        .iter()
        .any(|a| issuer == Some(a.subject.as_ref()))
}

pub fn describe_index(i: usize, c: Option<&Certificate>) -> String {
    match c {
        Some(c) if !c.subject.is_empty() => format!("certificate {i} ({})", c.subject),
        _ => format!("certificate {i}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_inside_every_window() {
        assert_eq!(moment_inside_all(&[(0, 100), (10, 200)]), Some(55));
        assert_eq!(moment_inside_all(&[(0, 10), (20, 30)]), None);
        assert_eq!(moment_inside_all(&[]), None);
    }

    #[test]
    fn sequence_round_trips_through_der_contents() {
        for len in [0usize, 5, 127, 128, 255, 256, 1000] {
            let body = vec![7u8; len];
            assert_eq!(der_contents(&sequence(&body)), Some(&body[..]), "{len}");
        }
    }
}
