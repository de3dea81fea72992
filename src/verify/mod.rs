//! Chain verification, apart from the handshake: the chain the server sent is judged against a
//! trust store, and every problem found is named with the contract's codes.
//!
//! webpki stops at the first error and says `UnknownIssuer` for several different mistakes, so
//! validity, hostname and algorithm strength are checked on their own, the path is built at a
//! moment inside the certificates' validity (so an expired leaf still reveals an unknown
//! issuer), and webpki's error is refined with what the served certificates show.

pub mod ocsp;
mod path;
mod roots;
mod served;
mod strength;
mod warnings;

pub use roots::{Roots, RootsError};

use std::time::SystemTime;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::cert::Facts;
use crate::report::{Certificate, Finding, PathEntry, Verification, VerifyCode, WarningCode};
use crate::tls::SignatureCheck;
use crate::wire::names::signature_scheme_name;
use path::{describe_index, Outcome};

/// Everything the verifier needs from one probe.
pub struct ChainInput<'a> {
    /// As served, leaf first.
    pub chain: &'a [CertificateDer<'static>],
    /// The same certificates, described, index for index.
    pub described: &'a [Certificate],
    /// The same certificates' facts (`cert::examine`), index for index.
    pub facts: &'a [Facts],
    /// The name the certificate must be valid for.
    pub name: &'a ServerName<'static>,
    /// A server name was sent (SNI): without one, servers often present a default certificate.
    pub sni_sent: bool,
    /// The server's handshake signature check, when there was one.
    pub signature: Option<&'a SignatureCheck>,
    /// The stapled OCSP response, when there was one that could be read.
    pub ocsp: Option<&'a ocsp::Staple>,
    /// Warn `expires_soon` for certificates with fewer days left than this.
    pub warn_days: i64,
    pub now: SystemTime,
}

/// Judge the served chain against `roots`.
pub fn verify_chain(
    input: &ChainInput<'_>,
    roots: &Roots,
    provider: &CryptoProvider,
) -> Verification {
    let mut v = Verification {
        verified: false,
        trust_store: roots.store,
        hostname_matches: false,
        errors: Vec::new(),
        warnings: Vec::new(),
        path: Vec::new(),
    };
    let Some(leaf_der) = input.chain.first() else {
        v.errors.push(error(
            VerifyCode::Other,
            None,
            "the server sent no certificate".into(),
        ));
        return v;
    };
    let now = crate::cert::unix_seconds(input.now);
    v.errors.extend(validity(input, now));

    let leaf = match webpki::EndEntityCert::try_from(leaf_der) {
        Ok(leaf) => leaf,
        Err(e) => {
            v.errors.push(error(
                VerifyCode::Other,
                Some(0),
                format!("the leaf certificate cannot be parsed: {e:?}"),
            ));
            return v;
        }
    };
    match leaf.verify_is_valid_for_subject_name(input.name) {
        Ok(()) => v.hostname_matches = true,
        Err(_) => v.errors.push(error(
            VerifyCode::HostnameMismatch,
            Some(0),
            hostname_message(input.name, input.described.first(), input.sni_sent),
        )),
    }

    let weak = strength::weaknesses(input.described, &served_below_anchor(input.facts));
    let path_fault = if roots.certs.contains(leaf_der) {
        // Trusted directly, as OpenSSL trusts a certificate that is itself in the store.
        v.path = vec![PathEntry {
            subject: input
                .described
                .first()
                .map_or_else(String::new, |c| c.subject.clone()),
            cert_index: Some(0),
            trust_anchor: true,
        }];
        None
    } else {
        match path::build(&leaf, input.chain, input.facts, now, roots, provider) {
            Outcome::Verified(entries) => {
                v.path = entries;
                anchored_on_an_intermediate(&v.path, roots)
            }
            Outcome::OnlyTime => None,
            Outcome::Fault(e) => Some(path::fault(&e, input.described, input.facts, roots)),
        }
    };
    // webpki's verdict on a weak algorithm is generic; ours names it, so keep only ours.
    match path_fault {
        Some(f) if f.code == VerifyCode::WeakSignature && !weak.is_empty() => {}
        Some(f) => v.errors.push(f),
        None => {}
    }
    let weak_leaf_key = weak
        .iter()
        .any(|f| f.code == VerifyCode::WeakKey && f.cert_index == Some(0));
    v.errors.extend(weak);

    if let Some(SignatureCheck {
        scheme,
        error: Some(why),
    }) = input.signature
    {
        // A key too weak to verify with is already named as such.
        if !weak_leaf_key {
            v.errors.push(error(
                VerifyCode::BadSignature,
                Some(0),
                format!(
                    "the server's handshake signature ({}) does not verify with the leaf's key: {why}",
                    signature_scheme_name(u16::from(*scheme))
                ),
            ));
        }
    }

    if let Some(staple) = input.ocsp {
        ocsp_findings(staple, now, &mut v);
    }

    let served_path = if v.path.is_empty() {
        served::served_path(input.facts)
    } else {
        warnings::served_indices(&v.path)
    };
    v.warnings.extend(warnings::warnings(
        input.described,
        input.facts,
        &served_path,
        roots,
        input.warn_days,
    ));
    v.verified = v.errors.is_empty();
    v
}

fn error(code: VerifyCode, cert_index: Option<usize>, message: String) -> Finding<VerifyCode> {
    Finding {
        code,
        cert_index,
        message,
    }
}

/// expired and not_yet_valid, for every served certificate.
fn validity(input: &ChainInput<'_>, now: i64) -> Vec<Finding<VerifyCode>> {
    let mut out = Vec::new();
    for (i, f) in input.facts.iter().enumerate().filter(|(_, f)| f.parsed) {
        let d = input.described.get(i);
        let who = describe_index(i, d);
        if now < f.not_before {
            let when = d.map_or("", |d| d.not_before.as_str());
            let days = (f.not_before - now) / 86_400;
            out.push(error(
                VerifyCode::NotYetValid,
                Some(i),
                format!("{who} is not valid until {when} (in {days} days)"),
            ));
        } else if now > f.not_after {
            let when = d.map_or("", |d| d.not_after.as_str());
            let days = (now - f.not_after) / 86_400;
            out.push(error(
                VerifyCode::Expired,
                Some(i),
                format!("{who} expired on {when} ({days} days ago)"),
            ));
        }
    }
    out
}

/// The served certificates the path would use below its anchor: the served path by name,
/// without a self-signed root at its top.
fn served_below_anchor(facts: &[Facts]) -> Vec<usize> {
    let mut path = served::served_path(facts);
    if path.len() > 1
        && path
            .last()
            .and_then(|&i| facts.get(i))
            .is_some_and(|f| f.self_signed)
    {
        path.pop();
    }
    path
}

/// A path that ends on an anchor that is not a root (an intermediate someone put in the trust
/// store) verifies here only: the server did not send that intermediate.
fn anchored_on_an_intermediate(path: &[PathEntry], roots: &Roots) -> Option<Finding<VerifyCode>> {
    let anchor = path.last()?;
    if anchor.cert_index.is_some() {
        return None; // the server sent it
    }
    let anchor_cert = roots.certs.iter().find_map(|c| {
        let (_, p) = x509_parser::parse_x509_certificate(c).ok()?;
        (p.subject().to_string() == anchor.subject)
            .then(|| p.subject().as_raw() == p.issuer().as_raw())
    });
    match anchor_cert {
        Some(false) => {
            let below = path.len().checked_sub(2).and_then(|i| path.get(i));
            let idx = below.and_then(|e| e.cert_index);
            Some(error(
                VerifyCode::IncompleteChain,
                idx,
                format!(
                    "the server did not send the intermediate {}; the chain verified only because {} holds that intermediate, and clients that trust only roots will fail",
                    anchor.subject,
                    roots.store_name()
                ),
            ))
        }
        _ => None,
    }
}

fn ocsp_findings(staple: &ocsp::Staple, now: i64, v: &mut Verification) {
    if staple.status == "revoked" {
        let when = staple
            .revoked_at
            .map_or_else(String::new, |t| format!(" on {}", crate::cert::rfc3339(t)));
        v.errors.push(error(
            VerifyCode::Revoked,
            Some(0),
            format!("the stapled OCSP response says the certificate was revoked{when}"),
        ));
    }
    if let Some(next) = staple.next_update.filter(|next| *next < now) {
        v.warnings.push(Finding {
            code: WarningCode::StaleOcsp,
            cert_index: Some(0),
            message: format!(
                "the stapled OCSP response is stale: its nextUpdate was {}; the server should fetch a fresh one",
                crate::cert::rfc3339(next)
            ),
        });
    }
}

fn hostname_message(name: &ServerName<'_>, leaf: Option<&Certificate>, sni_sent: bool) -> String {
    let wanted = match name {
        ServerName::DnsName(d) => d.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        _ => "the target".to_string(),
    };
    let mut message = match leaf {
        Some(c) if !c.sans.is_empty() => format!("the certificate is for {}, not for {wanted}", c.sans.join(", ")),
        Some(c) => format!(
            "the certificate has no subject alternative names ({}), so it is not valid for {wanted}",
            c.subject
        ),
        None => format!("the certificate is not valid for {wanted}"),
    };
    if !sni_sent {
        message.push_str(
            "; no server name (SNI) was sent, and servers often present a default certificate without one: try --sni NAME",
        );
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::TrustStore;

    fn empty() -> Verification {
        Verification {
            verified: true,
            trust_store: TrustStore::File,
            hostname_matches: true,
            errors: vec![],
            warnings: vec![],
            path: vec![],
        }
    }

    #[test]
    fn a_revoked_staple_is_an_error_and_a_stale_one_a_warning() {
        let staple = ocsp::Staple {
            status: "revoked",
            this_update: Some(1_000),
            next_update: Some(2_000),
            responder: None,
            revoked_at: Some(500),
        };
        let mut v = empty();
        ocsp_findings(&staple, 1_500, &mut v);
        assert_eq!(v.errors.len(), 1);
        assert_eq!(v.errors[0].code, VerifyCode::Revoked);
        assert!(v.warnings.is_empty(), "not stale yet");

        let good = ocsp::Staple {
            status: "good",
            revoked_at: None,
            ..staple
        };
        let mut v = empty();
        ocsp_findings(&good, 3_000, &mut v);
        assert!(v.errors.is_empty());
        assert_eq!(v.warnings[0].code, WarningCode::StaleOcsp);
        assert!(
            v.warnings[0].message.contains("1970-01-01T00:33:20Z"),
            "{}",
            v.warnings[0].message
        );
    }
}
