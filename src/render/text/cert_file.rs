//! `tlsprobe cert FILE...` as text: each file's certificates in the probe's certificate view,
//! then every extension in plain words and the weak-algorithm findings. [`extensions`] is the
//! one way any view writes a certificate's extensions.

use std::io::{self, Write};

use super::{certificate, clean, BAD, DIM, HEAD};
use crate::report::{
    CertFile, Certificate, Extension, ExtensionName, KeyPurpose, KeyUsageBit, Policy,
};

/// `tlsprobe cert FILE`: the file's certificates, their extensions and findings, then its
/// error if any. `verbose` > 0 adds OIDs, SCT log IDs, policy statements and the PEM.
pub fn cert_file(out: &mut dyn Write, file: &CertFile, verbose: u8) -> io::Result<()> {
    let name = if file.file == crate::inspect::STDIN {
        "standard input"
    } else {
        &file.file
    };
    writeln!(out, "{HEAD}{}{HEAD:#}", clean(name))?;
    for (i, c) in file.certificates.iter().enumerate() {
        certificate(out, i, c)?;
        extensions(out, c, verbose)?;
        for f in file.findings.iter().filter(|f| f.cert_index == Some(i)) {
            writeln!(
                out,
                "     {BAD}weak{BAD:#}      {}: {}",
                f.code.as_str(),
                clean(&f.message)
            )?;
            if let Some(h) = &f.hint {
                writeln!(out, "               {DIM}hint: {}{DIM:#}", clean(h))?;
            }
        }
        if verbose > 0 {
            for line in c.pem.lines() {
                writeln!(out, "     {DIM}{line}{DIM:#}")?;
            }
        }
    }
    // Not wrapped: the file view has no width (a pin is one word anyway).
    super::summary::checks(out, &file.checks, usize::MAX)?;
    if let Some(e) = &file.error {
        writeln!(out, "  {BAD}✗ {}{BAD:#}", clean(e))?;
    }
    Ok(())
}

/// Width of the extension titles, so the values line up.
const TITLE: usize = 22;

/// Every extension of `c` in certificate order, one or more lines each, in words: what it
/// says, then `[critical]` where it is and `[malformed]` where it does not decode (or
/// repeats). With `verbose`, the brackets carry its OID too, and SCT log IDs and policy
/// statements are listed.
pub fn extensions(out: &mut dyn Write, c: &Certificate, verbose: u8) -> io::Result<()> {
    if c.extensions.is_empty() {
        return Ok(());
    }
    writeln!(out, "     extensions")?;
    for e in &c.extensions {
        let mut rows = rows(e, c, verbose > 0);
        let mut marks = Vec::new();
        if e.critical {
            marks.push("critical");
        }
        if e.malformed {
            marks.push("malformed");
        }
        if verbose > 0 && e.name.is_some() {
            marks.push(&e.oid);
        }
        if let Some((_, value)) = rows.first_mut().filter(|_| !marks.is_empty()) {
            if !value.is_empty() {
                value.push(' ');
            }
            value.push_str(&format!("[{}]", marks.join(", ")));
        }
        for (title, value) in rows {
            writeln!(out, "       {title:<TITLE$} {}", clean(&value))?;
        }
    }
    Ok(())
}

/// The lines of one extension: (title, value); the title empty on continuation lines.
fn rows(e: &Extension, c: &Certificate, verbose: bool) -> Vec<(String, String)> {
    use ExtensionName as N;
    let v = &c.values;
    let Some(name) = e.name else {
        return vec![(e.oid.clone(), "unknown extension".to_string())];
    };
    let title = title(name).to_string();
    if e.malformed {
        // Its value (if another copy decoded) is on that copy's line.
        return vec![(title, String::new())];
    }
    let one = |value: String| vec![(title.clone(), value)];
    let value = match name {
        N::KeyUsage => v.key_usage.as_ref().map(|bits| {
            let words: Vec<&str> = bits.iter().map(|b| usage_words(*b)).collect();
            words.join(", ")
        }),
        N::ExtendedKeyUsage => v.extended_key_usage.as_ref().map(|p| {
            let words: Vec<&str> = p.iter().map(purpose_words).collect();
            words.join(", ")
        }),
        N::BasicConstraints => v.basic_constraints.map(|bc| match (bc.ca, bc.path_len) {
            (true, Some(0)) => {
                "a CA, path length 0 (may issue only end-entity certificates)".to_string()
            }
            (true, Some(n)) => format!("a CA, path length {n} (at most {n} CAs below it)"),
            (true, None) => "a CA, no path length limit".to_string(),
            (false, _) => "not a CA".to_string(),
        }),
        N::SubjectKeyIdentifier => v.subject_key_id.clone(),
        N::AuthorityKeyIdentifier => Some(
            v.authority_key_id
                .clone()
                .unwrap_or_else(|| "issuer name and serial, no key id".to_string()),
        ),
        N::SubjectAltName => Some("the names above".to_string()),
        N::AuthorityInfoAccess => {
            return match &v.authority_info_access {
                Some(aia) => {
                    let mut rows = Vec::new();
                    list_rows(&mut rows, "OCSP responder", &aia.ocsp);
                    list_rows(&mut rows, "CA issuers", &aia.ca_issuers);
                    list_rows(&mut rows, "other access", &aia.other);
                    if rows.is_empty() {
                        rows.push((title, "empty".to_string()));
                    }
                    rows
                }
                None => one(String::new()),
            };
        }
        N::CrlDistributionPoints => {
            return match &v.crl_distribution_points {
                Some(points) if !points.is_empty() => {
                    let mut rows = Vec::new();
                    list_rows(&mut rows, &title, points);
                    rows
                }
                Some(_) => one("no URL (the CRL issuer is named instead)".to_string()),
                None => one(String::new()),
            };
        }
        N::CertificatePolicies => {
            return match &v.certificate_policies {
                Some(policies) => {
                    let mut rows = Vec::new();
                    for (i, p) in policies.iter().enumerate() {
                        let t = if i == 0 { title.clone() } else { String::new() };
                        rows.push((t, policy_words(p)));
                        if verbose {
                            for cps in &p.cps {
                                rows.push((String::new(), format!("  statement {cps}")));
                            }
                        }
                    }
                    if rows.is_empty() {
                        rows.push((title, "none".to_string()));
                    }
                    rows
                }
                None => one(String::new()),
            };
        }
        N::SignedCertificateTimestamps => v.scts.as_ref().map(|s| {
            let plural = if s.count == 1 { "" } else { "s" };
            if verbose && !s.log_ids.is_empty() {
                format!(
                    "{} SCT{plural}, from logs {}",
                    s.count,
                    s.log_ids.join(", ")
                )
            } else {
                format!("{} SCT{plural} embedded", s.count)
            }
        }),
        N::NameConstraints => {
            return match &v.name_constraints {
                Some(nc) => {
                    let mut rows = Vec::new();
                    list_rows(&mut rows, "permitted names", &nc.permitted);
                    list_rows(&mut rows, "excluded names", &nc.excluded);
                    if rows.is_empty() {
                        rows.push((title, "empty".to_string()));
                    }
                    rows
                }
                None => one(String::new()),
            };
        }
        N::PrecertificatePoison => {
            Some("a precertificate for CT logs, not for use by a server".to_string())
        }
        N::OcspNoCheck => Some("OCSP responses it signs need no revocation check".to_string()),
        _ => Some("present".to_string()),
    };
    one(value.unwrap_or_default())
}

/// One row per item, the title on the first.
fn list_rows(rows: &mut Vec<(String, String)>, title: &str, items: &[String]) {
    for (i, item) in items.iter().enumerate() {
        let t = if i == 0 {
            title.to_string()
        } else {
            String::new()
        };
        rows.push((t, item.clone()));
    }
}

fn title(name: ExtensionName) -> &'static str {
    use ExtensionName as N;
    match name {
        N::SubjectKeyIdentifier => "subject key id",
        N::KeyUsage => "key usage",
        N::SubjectAltName => "subject alt names",
        N::IssuerAltName => "issuer alt names",
        N::BasicConstraints => "basic constraints",
        N::NameConstraints => "name constraints",
        N::CrlDistributionPoints => "CRL",
        N::CertificatePolicies => "policies",
        N::PolicyMappings => "policy mappings",
        N::AuthorityKeyIdentifier => "authority key id",
        N::PolicyConstraints => "policy constraints",
        N::ExtendedKeyUsage => "extended key usage",
        N::FreshestCrl => "delta CRL",
        N::InhibitAnyPolicy => "inhibit any-policy",
        N::AuthorityInfoAccess => "authority info access",
        N::SubjectInfoAccess => "subject info access",
        N::SubjectDirectoryAttributes => "directory attributes",
        N::SignedCertificateTimestamps => "CT timestamps",
        N::PrecertificatePoison => "CT poison",
        N::TlsFeature => "TLS feature",
        N::OcspNoCheck => "OCSP no check",
        N::NetscapeCertType => "Netscape cert type",
        N::NetscapeComment => "Netscape comment",
    }
}

fn usage_words(bit: KeyUsageBit) -> &'static str {
    use KeyUsageBit as K;
    match bit {
        K::DigitalSignature => "digital signature",
        K::NonRepudiation => "non-repudiation",
        K::KeyEncipherment => "key encipherment",
        K::DataEncipherment => "data encipherment",
        K::KeyAgreement => "key agreement",
        K::KeyCertSign => "certificate signing",
        K::CrlSign => "CRL signing",
        K::EncipherOnly => "encipher only",
        K::DecipherOnly => "decipher only",
    }
}

fn purpose_words(p: &KeyPurpose) -> &str {
    match p {
        KeyPurpose::ServerAuth => "TLS server",
        KeyPurpose::ClientAuth => "TLS client",
        KeyPurpose::CodeSigning => "code signing",
        KeyPurpose::EmailProtection => "email protection",
        KeyPurpose::TimeStamping => "time stamping",
        KeyPurpose::OcspSigning => "OCSP signing",
        KeyPurpose::Any => "any purpose",
        KeyPurpose::Other(oid) => oid,
    }
}

/// A policy OID, with the CA/Browser Forum's meaning where it has one.
fn policy_words(p: &Policy) -> String {
    let meaning = match p.oid.as_str() {
        "2.23.140.1.2.1" => Some("domain validated"),
        "2.23.140.1.2.2" => Some("organization validated"),
        "2.23.140.1.2.3" => Some("individual validated"),
        "2.23.140.1.1" => Some("extended validation"),
        "2.5.29.32.0" => Some("any policy"),
        _ => None,
    };
    match meaning {
        Some(m) => format!("{} ({m})", p.oid),
        None => p.oid.clone(),
    }
}
