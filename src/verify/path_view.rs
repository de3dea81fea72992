//! One candidate path with what the judging stages ask of it: who each certificate is, which
//! link's signature fails, which CA's constraint a long path breaks.

use rustls::pki_types::CertificateDer;

use super::candidates::Candidate;
use super::served::der_contents;
use super::{ChainInput, Purpose};
use crate::cert::{Facts, SignatureCheck};
use crate::report::Certificate;

/// The trust anchor that ends a candidate, with its certificate when the store has one.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// RFC 4514-style subject.
    pub subject: String,
    /// The anchor's SubjectPublicKeyInfo, DER (SEQUENCE included).
    pub spki: Vec<u8>,
    pub der: Option<CertificateDer<'static>>,
    pub described: Option<Certificate>,
    pub facts: Option<Facts>,
    /// The served certificate that is this anchor too (same subject and key), if any.
    pub served: Option<usize>,
    /// Where it came from, for messages ("--ca-file").
    pub store: &'static str,
}

impl Anchor {
    /// "the trust anchor CN=Root (from --ca-file)".
    pub fn who(&self) -> String {
        format!("the trust anchor {} (from {})", self.subject, self.store)
    }

    /// A self-signed root, or (when the store has no certificate for it) presumed one.
    pub fn is_root(&self) -> bool {
        self.facts.as_ref().is_none_or(|f| f.self_signed)
    }
}

/// A candidate path over the served certificates.
pub struct PathView<'a> {
    pub candidate: &'a Candidate,
    pub input: &'a ChainInput<'a>,
    pub anchor: Option<&'a Anchor>,
}

impl PathView<'_> {
    /// "certificate 1 (CN=Intermediate)".
    pub fn who(&self, i: usize) -> String {
        describe_index(i, self.input.described.get(i))
    }

    pub fn top(&self) -> usize {
        self.candidate.top()
    }

    pub fn facts(&self, i: usize) -> Option<&Facts> {
        self.input.facts.get(i)
    }

    pub fn der(&self, i: usize) -> Option<&[u8]> {
        self.input.chain.get(i).map(|c| c.as_ref())
    }

    pub fn purpose_words(&self) -> &'static str {
        match self.input.purpose {
            Purpose::Server => "TLS server authentication (serverAuth)",
            Purpose::Client => "TLS client authentication (clientAuth)",
        }
    }

    /// The first certificate above the leaf that is not a CA.
    pub fn first_non_ca(&self) -> Option<usize> {
        self.candidate
            .certs
            .iter()
            .skip(1)
            .copied()
            .find(|&i| self.facts(i).is_some_and(|f| !f.is_ca))
    }

    /// The DER of every certificate on the path, leaf first, then the anchor's own
    /// certificate when the store has it.
    pub fn ders(&self) -> Vec<&[u8]> {
        let mut ders: Vec<&[u8]> = self
            .candidate
            .certs
            .iter()
            .filter_map(|&i| self.der(i))
            .collect();
        if let Some(d) = self.anchor.and_then(|a| a.der.as_ref()) {
            ders.push(d.as_ref());
        }
        ders
    }

    /// Each link of the path: a served certificate, and how its signature checks under its
    /// issuer's key (the next certificate up, or the anchor); `None` when that key is not known.
    fn links(&self) -> impl Iterator<Item = (usize, Option<SignatureCheck>)> + '_ {
        let certs = &self.candidate.certs;
        certs.iter().enumerate().map(move |(k, &child)| {
            let issuer_spki = match certs.get(k + 1) {
                Some(&up) => self.facts(up).map(|f| f.spki.as_slice()),
                None => self.anchor.map(|a| a.spki.as_slice()),
            };
            let check = self
                .der(child)
                .zip(issuer_spki)
                .map(|(der, spki)| crate::cert::check_signature(der, spki));
            (child, check)
        })
    }

    /// The served certificate on the path whose signature does not verify under its issuer's
    /// key. Algorithms we cannot check count as verifying: only a definite failure is named.
    pub fn first_bad_signature(&self) -> Option<usize> {
        self.links()
            .find(|(_, check)| *check == Some(SignatureCheck::Invalid))
            .map(|(child, _)| child)
    }

    /// Whether every link of the path (anchor included) has a signature that verifies or
    /// cannot be checked.
    pub fn signatures_hold(&self) -> bool {
        self.first_bad_signature().is_none()
    }

    /// Whether every link of the path (anchor included) has a signature that we verified
    /// ourselves: stronger than [`Self::signatures_hold`], which lets through what we cannot
    /// check.
    pub fn signatures_verified(&self) -> bool {
        self.links()
            .all(|(_, check)| check == Some(SignatureCheck::Valid))
    }

    /// The first certificate on the path that a given CRL from its issuer lists as revoked.
    pub fn revoked_by_crl(&self) -> Option<usize> {
        use x509_parser::prelude::FromDer;
        self.candidate.certs.iter().copied().find(|&i| {
            let Some(der) = self.der(i) else { return false };
            let Ok((_, cert)) = x509_parser::certificate::X509Certificate::from_der(der) else {
                return false;
            };
            let issuer = cert.issuer().as_raw();
            self.input.crls.iter().any(|crl| {
                let same_issuer =
                    crl.issuer() == issuer || Some(crl.issuer()) == der_contents(issuer);
                same_issuer && matches!(crl.find_serial(cert.raw_serial()), Ok(Some(_)))
            })
        })
    }

    /// The CA on the path whose pathLenConstraint the certificates below it exceed.
    pub fn path_len_violator(&self) -> Option<usize> {
        let certs = &self.candidate.certs;
        for (k, &i) in certs.iter().enumerate().skip(1) {
            // CAs strictly between this one and the leaf; self-issued ones do not count.
            let below = certs[1..k]
                .iter()
                .filter(|&&j| self.facts(j).is_some_and(|f| f.subject != f.issuer))
                .count();
            if let Some(limit) = self.facts(i).and_then(|f| f.path_len) {
                if below > limit as usize {
                    return Some(i);
                }
            }
        }
        None
    }
}

/// The anchor `a` of `roots`, described for the judging stages.
pub fn anchor(
    a: usize,
    roots: &super::Roots,
    chain: &[CertificateDer<'static>],
    facts: &[Facts],
    now: std::time::SystemTime,
) -> Option<Anchor> {
    let ta = roots.anchors.get(a)?;
    let der = roots.certs.get(a).cloned();
    let (described, facts_of) = match &der {
        Some(d) => {
            let (c, f) = crate::cert::examine_trusted(d, now);
            (Some(c), Some(f))
        }
        None => (None, None),
    };
    // The served certificate that is this anchor: the store's certificate itself, or (for the
    // built-in roots, which come without certificates) a self-signed one with its name and key.
    // A cross-sign shares name and key but is another certificate, and is not the anchor.
    let served = facts.iter().zip(chain).position(|(f, c)| {
        let same_key = f.parsed
            && der_contents(&f.subject) == Some(ta.subject.as_ref())
            && der_contents(&f.spki) == Some(ta.subject_public_key_info.as_ref());
        same_key
            && match &der {
                Some(d) => d == c,
                None => f.self_signed,
            }
    });
    Some(Anchor {
        subject: super::served::name_string(&super::served::sequence(ta.subject.as_ref())),
        spki: super::served::sequence(ta.subject_public_key_info.as_ref()),
        der,
        described,
        facts: facts_of,
        served,
        store: roots.store_name(),
    })
}

pub fn describe_index(i: usize, c: Option<&Certificate>) -> String {
    match c {
        Some(c) if !c.subject.is_empty() => format!("certificate {i} ({})", c.subject),
        _ => format!("certificate {i}"),
    }
}
