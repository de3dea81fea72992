//! Chain verification, apart from the handshake: the chain the server sent is judged against a
//! trust store, and every problem found is named with the contract's codes.
//!
//! webpki stops at the first error and says `UnknownIssuer` for several different mistakes, so
//! validity and hostname are checked on their own, the path is built at a time inside the
//! certificates' validity (so an expired leaf still reveals an unknown issuer), and webpki's
//! error is refined with what the served certificates show.

mod roots;

pub use roots::{Roots, RootsError};

use std::time::{SystemTime, UNIX_EPOCH};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

use crate::report::{Certificate, Finding, Verification, VerifyCode};
use crate::tls::SignatureCheck;

/// Everything the verifier needs from one probe.
pub struct ChainInput<'a> {
    /// As served, leaf first.
    pub chain: &'a [CertificateDer<'static>],
    /// The same certificates, described (`cert::describe`), index for index.
    pub described: &'a [Certificate],
    /// The name the certificate must be valid for.
    pub name: &'a ServerName<'static>,
    /// A server name was sent (SNI): without one, servers often present a default certificate.
    pub sni_sent: bool,
    /// The server's handshake signature check, when there was one.
    pub signature: Option<&'a SignatureCheck>,
    pub now: SystemTime,
}

/// Judge the served chain against `roots`.
pub fn verify_chain(
    input: &ChainInput<'_>,
    roots: &Roots,
    provider: &CryptoProvider,
) -> Verification {
    let mut errors = Vec::new();
    let mut hostname_matches = false;
    let err = |code, cert_index, message: String| Finding {
        code,
        cert_index,
        message,
    };

    let Some(leaf_der) = input.chain.first() else {
        errors.push(err(
            VerifyCode::Other,
            None,
            "the server sent no certificate".to_string(),
        ));
        return verdict(roots, false, errors);
    };

    let windows: Vec<Option<(i64, i64)>> = input.chain.iter().map(|c| validity(c)).collect();
    let now = unix_seconds(input.now);
    for (i, w) in windows.iter().enumerate() {
        let Some((not_before, not_after)) = *w else {
            continue;
        };
        let d = input.described.get(i);
        let who = describe_index(i, d);
        if now < not_before {
            let when = d.map_or("", |d| d.not_before.as_str());
            errors.push(err(
                VerifyCode::NotYetValid,
                Some(i),
                format!(
                    "{who} is not valid until {when} (in {} days)",
                    days(not_before - now)
                ),
            ));
        } else if now > not_after {
            let when = d.map_or("", |d| d.not_after.as_str());
            errors.push(err(
                VerifyCode::Expired,
                Some(i),
                format!(
                    "{who} expired on {when} ({} days ago)",
                    days(now - not_after)
                ),
            ));
        }
    }

    match webpki::EndEntityCert::try_from(leaf_der) {
        Err(e) => errors.push(err(
            VerifyCode::Other,
            Some(0),
            format!("the leaf certificate cannot be parsed: {e:?}"),
        )),
        Ok(leaf) => {
            match leaf.verify_is_valid_for_subject_name(input.name) {
                Ok(()) => hostname_matches = true,
                Err(_) => errors.push(err(
                    VerifyCode::HostnameMismatch,
                    Some(0),
                    hostname_message(input.name, input.described.first(), input.sni_sent),
                )),
            }
            if !roots.certs.contains(leaf_der) {
                if let Some(e) = path_fault(&leaf, input, &windows, now, roots, provider) {
                    errors.push(path_error(&e, input.described, roots));
                }
            }
        }
    }

    if let Some(SignatureCheck {
        scheme,
        error: Some(why),
    }) = input.signature
    {
        errors.push(err(
            VerifyCode::BadSignature,
            Some(0),
            format!(
                "the server's handshake signature ({}) does not verify with the leaf's key: {why}",
                crate::wire::names::signature_scheme_name(u16::from(*scheme))
            ),
        ));
    }

    verdict(roots, hostname_matches, errors)
}

fn verdict(
    roots: &Roots,
    hostname_matches: bool,
    errors: Vec<Finding<VerifyCode>>,
) -> Verification {
    Verification {
        verified: errors.is_empty(),
        trust_store: roots.store,
        hostname_matches,
        errors,
        warnings: Vec::new(),
    }
}

/// The first path fault webpki finds that is not about time (validity is reported on its own).
///
/// webpki checks every certificate's validity while it builds the path, so the path is built at
/// several moments (now, then inside each certificate's window) until one gives an answer that
/// is not a time error. When every moment does (an expired leaf under a newer intermediate),
/// whether the chain reaches a trust anchor is judged by name.
fn path_fault(
    leaf: &webpki::EndEntityCert<'_>,
    input: &ChainInput<'_>,
    windows: &[Option<(i64, i64)>],
    now: i64,
    roots: &Roots,
    provider: &CryptoProvider,
) -> Option<webpki::Error> {
    let mut moments = vec![path_time(windows, now)];
    moments.extend(
        windows
            .iter()
            .flatten()
            .map(|&(nb, na)| nb.saturating_add(na.saturating_sub(nb) / 2)),
    );
    for at in moments {
        let result = leaf.verify_for_usage(
            provider.signature_verification_algorithms.all,
            &roots.anchors,
            &input.chain[1..],
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(at.max(0).unsigned_abs())),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        );
        match result {
            Ok(_) => return None,
            Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }) => {
                continue
            }
            Err(e) => return Some(e),
        }
    }
    (!reaches_anchor_by_name(input.chain, input.described, roots))
        .then_some(webpki::Error::UnknownIssuer)
}

/// Whether the top of the served path is, or is issued by, a trust anchor (names only).
fn reaches_anchor_by_name(
    chain: &[CertificateDer<'_>],
    described: &[Certificate],
    roots: &Roots,
) -> bool {
    let top = top_of_served_path(described);
    let Some(Ok((_, cert))) = chain
        .get(top)
        .map(|der| x509_parser::parse_x509_certificate(der))
    else {
        return false;
    };
    let names = [cert.subject().as_raw(), cert.issuer().as_raw()].map(der_contents);
    roots
        .anchors
        .iter()
        .any(|a| names.contains(&Some(a.subject.as_ref())))
}

/// The contents of a DER SEQUENCE (webpki keeps names without their outer tag and length).
fn der_contents(der: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = der.split_first()?;
    if tag != 0x30 {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let skip = match len {
        0..=0x7f => 0,
        0x81..=0x84 => usize::from(len & 0x7f),
        _ => return None,
    };
    rest.get(skip..)
}

/// Refine webpki's path-building error with what the served certificates show.
fn path_error(e: &webpki::Error, described: &[Certificate], roots: &Roots) -> Finding<VerifyCode> {
    let leaf_self_signed = described.first().is_some_and(|c| c.self_signed);
    let store = store_name(roots);
    let (code, cert_index, message) = match e {
        webpki::Error::UnknownIssuer | webpki::Error::CaUsedAsEndEntity if leaf_self_signed => (
            VerifyCode::SelfSigned,
            Some(0),
            format!("the certificate is self-signed and not trusted by {store}"),
        ),
        webpki::Error::UnknownIssuer => {
            let top = top_of_served_path(described);
            let who = describe_index(top, described.get(top));
            match described.get(top) {
                Some(c) if c.self_signed => (
                    VerifyCode::UnknownIssuer,
                    Some(top),
                    format!("the chain ends at the root {who}, which is not trusted by {store}"),
                ),
                Some(c) => (
                    VerifyCode::UnknownIssuer,
                    Some(top),
                    format!(
                        "the issuer of {who}, {}, was not sent by the server and is not trusted by {store}",
                        c.issuer
                    ),
                ),
                None => (VerifyCode::UnknownIssuer, None, format!("no path to a root trusted by {store}")),
            }
        }
        webpki::Error::CaUsedAsEndEntity => (
            VerifyCode::BadUsage,
            Some(0),
            "the leaf is a CA certificate (basicConstraints CA:TRUE) and cannot identify a server".to_string(),
        ),
        webpki::Error::EndEntityUsedAsCa => {
            let issuer = issuer_index(described, 0).unwrap_or(1);
            (
                VerifyCode::NotACa,
                Some(issuer),
                format!(
                    "{} issued another certificate but is not a CA (basicConstraints CA:FALSE)",
                    describe_index(issuer, described.get(issuer))
                ),
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
        webpki::Error::CertExpired { .. } => (VerifyCode::Expired, None, "a certificate in the path has expired".to_string()),
        webpki::Error::CertNotValidYet { .. } => (
            VerifyCode::NotYetValid,
            None,
            "a certificate in the path is not valid yet".to_string(),
        ),
        other => (VerifyCode::Other, None, format!("the chain does not verify: {other:?}")),
    };
    Finding {
        code,
        cert_index,
        message,
    }
}

/// Index of the served certificate that issued certificate `i`, matched by name.
fn issuer_index(described: &[Certificate], i: usize) -> Option<usize> {
    let child = described.get(i)?;
    described
        .iter()
        .enumerate()
        .find(|(j, c)| *j != i && c.subject == child.issuer)
        .map(|(j, _)| j)
}

/// Follow issuers from the leaf through the served certificates; the last one reached.
fn top_of_served_path(described: &[Certificate]) -> usize {
    let mut at = 0;
    for _ in 0..described.len() {
        match issuer_index(described, at) {
            Some(next) if !described.get(at).is_some_and(|c| c.self_signed) => at = next,
            _ => break,
        }
    }
    at
}

fn store_name(roots: &Roots) -> &'static str {
    match roots.store {
        crate::report::TrustStore::Mozilla => "the Mozilla root store",
        crate::report::TrustStore::System => "the system trust store",
        crate::report::TrustStore::File => "--ca-file",
    }
}

fn describe_index(i: usize, c: Option<&Certificate>) -> String {
    match c {
        Some(c) if !c.subject.is_empty() => format!("certificate {i} ({})", c.subject),
        _ => format!("certificate {i}"),
    }
}

fn hostname_message(name: &ServerName<'_>, leaf: Option<&Certificate>, sni_sent: bool) -> String {
    let mut message = hostname_mismatch(name, leaf);
    if !sni_sent {
        message.push_str(
            "; no server name (SNI) was sent, and servers often present a default certificate without one: try --sni NAME",
        );
    }
    message
}

fn hostname_mismatch(name: &ServerName<'_>, leaf: Option<&Certificate>) -> String {
    let wanted = match name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "the target".to_string(),
    };
    match leaf {
        Some(c) if !c.sans.is_empty() => format!(
            "the certificate is for {}, not for {wanted}",
            c.sans.join(", ")
        ),
        Some(c) => format!(
            "the certificate has no subject alternative names ({}), so it is not valid for {wanted}",
            c.subject
        ),
        None => format!("the certificate is not valid for {wanted}"),
    }
}

/// The validity window of a certificate as Unix seconds, if it parses.
fn validity(der: &CertificateDer<'_>) -> Option<(i64, i64)> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let v = cert.validity();
    Some((v.not_before.timestamp(), v.not_after.timestamp()))
}

/// When to build the path: now, unless some certificate is outside its validity; then a moment
/// inside every window (or the leaf's), so that the path's other faults still show.
fn path_time(windows: &[Option<(i64, i64)>], now: i64) -> i64 {
    let known: Vec<(i64, i64)> = windows.iter().flatten().copied().collect();
    if known.iter().all(|&(nb, na)| nb <= now && now <= na) {
        return now;
    }
    let lo = known.iter().map(|w| w.0).max().unwrap_or(now);
    let hi = known.iter().map(|w| w.1).min().unwrap_or(now);
    if lo <= hi {
        lo.saturating_add(hi.saturating_sub(lo) / 2)
    } else {
        windows
            .first()
            .copied()
            .flatten()
            .map_or(now, |(nb, na)| nb.saturating_add(na.saturating_sub(nb) / 2))
    }
}

fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

fn days(seconds: i64) -> i64 {
    seconds / 86_400
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_time_is_now_when_all_valid() {
        assert_eq!(path_time(&[Some((0, 100)), Some((10, 200))], 50), 50);
    }

    #[test]
    fn path_time_moves_inside_every_window() {
        let t = path_time(&[Some((0, 100)), Some((10, 200))], 500);
        assert!((10..=100).contains(&t), "{t}");
    }

    #[test]
    fn path_time_falls_back_to_the_leaf_window() {
        let t = path_time(&[Some((0, 10)), Some((20, 30))], 500);
        assert!((0..=10).contains(&t), "{t}");
    }
}
