//! Certificate Transparency (RFC 6962): the SCTs of a certificate, the logs that signed them
//! (`--ct-log-list`, the v3 log list that Chrome and Apple publish), each SCT's signature
//! checked with its log's key, and what the Chrome and Apple CT policies ask of a
//! publicly-trusted certificate.
//!
//! Where the SCTs come from: the certificate's own extension, the stapled OCSP response's (the
//! SingleResponse for the leaf), and the TLS `signed_certificate_timestamp` extension, which
//! rustls's client cannot ask for: a ClientHello of our own asks it ([`Delivered`]).

mod precert;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use x509_parser::extensions::SignedCertificateTimestamp;
use x509_parser::prelude::{FromDer, ParsedExtension, SubjectPublicKeyInfo, X509Certificate};

use crate::report::{
    Certificate, Finding, Sct, SctSignature, SctSource, TrustStore, Verification, WarningCode,
};

/// The logs of a log list, by log ID.
#[derive(Debug, Default)]
pub struct LogList {
    logs: HashMap<[u8; 32], Log>,
}

#[derive(Debug)]
struct Log {
    description: String,
    operator: String,
    /// DER SubjectPublicKeyInfo.
    key: Vec<u8>,
}

/// At most this much of a log list is read (today's is about 100 KiB).
const LOG_LIST_AT_MOST: usize = 16 * 1024 * 1024;

impl LogList {
    /// Read `--ct-log-list FILE` within `wait`.
    pub fn load(path: &Path, wait: Duration) -> Result<LogList, String> {
        let shown = path.display();
        let bytes = crate::local_file::read(path, wait)
            .map_err(|e| format!("--ct-log-list {shown}: {e}"))?;
        if bytes.len() > LOG_LIST_AT_MOST {
            return Err(format!(
                "--ct-log-list {shown}: larger than a log list (16 MiB)"
            ));
        }
        LogList::parse(&bytes).map_err(|e| format!("--ct-log-list {shown}: {e}"))
    }

    /// The v3 format: `operators[]`, each with a `name` and `logs[]` (and `tiled_logs[]`) of
    /// `{description, log_id, key}`, IDs and keys in base64. A log whose ID is not the SHA-256
    /// of its key is refused: the list is not what it claims.
    pub fn parse(bytes: &[u8]) -> Result<LogList, String> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
        let operators = v["operators"]
            .as_array()
            .ok_or("not a v3 log list: no operators[]")?;
        let mut list = LogList::default();
        for op in operators {
            let operator = op["name"].as_str().unwrap_or("").to_string();
            let logs = op["logs"].as_array().into_iter().flatten();
            let tiled = op["tiled_logs"].as_array().into_iter().flatten();
            for log in logs.chain(tiled) {
                let description = log["description"].as_str().unwrap_or("").to_string();
                let b64 = |field: &str| {
                    log[field]
                        .as_str()
                        .and_then(|s| data_encoding::BASE64.decode(s.as_bytes()).ok())
                        .ok_or_else(|| format!("the log {description:?} has no base64 {field}"))
                };
                let key = b64("key")?;
                let id = b64("log_id")?;
                let digest = sha256(&key);
                if id[..] != digest[..] {
                    return Err(format!(
                        "the log {description:?}: its log_id is not the SHA-256 of its key"
                    ));
                }
                list.logs.insert(
                    digest,
                    Log {
                        description,
                        operator: operator.clone(),
                        key,
                    },
                );
            }
        }
        if list.logs.is_empty() {
            return Err("it lists no logs".to_string());
        }
        Ok(list)
    }
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// The SCTs embedded in `cert`, not yet judged.
pub fn embedded(cert: &X509Certificate<'_>) -> Vec<Sct> {
    embedded_raw(cert)
        .iter()
        .map(|s| unjudged(s, SctSource::Certificate))
        .collect()
}

fn embedded_raw<'a>(cert: &'a X509Certificate<'a>) -> Vec<SignedCertificateTimestamp<'a>> {
    cert.extensions()
        .iter()
        .filter_map(|e| match e.parsed_extension() {
            ParsedExtension::SCT(list) => Some(list.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The SCT lists delivered beside the certificate, each empty when there is none: the OCSP
/// staple's extension value (an OCTET STRING holding the TLS-encoded list) and the TLS
/// extension's body (the TLS-encoded list itself).
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivered<'a> {
    pub ocsp: &'a [u8],
    pub tls_extension: &'a [u8],
}

impl Delivered<'_> {
    fn scts(&self) -> [(SctSource, Vec<SignedCertificateTimestamp<'_>>); 2] {
        [
            (SctSource::Ocsp, stapled_raw(self.ocsp)),
            (SctSource::TlsExtension, tls_raw(self.tls_extension)),
        ]
    }
}

/// The SCTs of a TLS-encoded SignedCertificateTimestampList, none when it does not read.
fn tls_raw(list: &[u8]) -> Vec<SignedCertificateTimestamp<'_>> {
    use x509_parser::extensions::parse_ct_signed_certificate_timestamp;
    let Some((len, mut rest)) = list.split_first_chunk::<2>() else {
        return Vec::new();
    };
    if usize::from(u16::from_be_bytes(*len)) != rest.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    while !rest.is_empty() {
        match parse_ct_signed_certificate_timestamp(rest) {
            Ok((after, sct)) => {
                out.push(sct);
                rest = after;
            }
            Err(_) => return Vec::new(),
        }
    }
    out
}

/// The SCTs of a stapled OCSP response's SCT list extension (its value's contents, an OCTET
/// STRING holding the TLS-encoded list), none when it does not read.
fn stapled_raw(value: &[u8]) -> Vec<SignedCertificateTimestamp<'_>> {
    if value.is_empty() {
        return Vec::new();
    }
    x509_parser::extensions::parse_ct_signed_certificate_timestamp_list(value)
        .map(|(_, list)| list)
        .unwrap_or_default()
}

fn unjudged(s: &SignedCertificateTimestamp<'_>, source: SctSource) -> Sct {
    Sct {
        source,
        version: match s.version.0 {
            0 => "v1".to_string(),
            n => format!("unknown ({n})"),
        },
        log_id: data_encoding::BASE64.encode(s.id.key_id),
        timestamp: timestamp_ms(s.timestamp),
        log: None,
        operator: None,
        signature: SctSignature::NotChecked,
    }
}

/// Milliseconds since the epoch as RFC 3339 UTC with milliseconds.
fn timestamp_ms(ms: u64) -> String {
    let secs = i64::try_from(ms / 1000).unwrap_or(i64::MAX);
    let whole = crate::cert::rfc3339(secs);
    match whole.strip_suffix('Z') {
        Some(base) => format!("{base}.{:03}Z", ms % 1000),
        None => ms.to_string(),
    }
}

/// Judge the leaf's SCTs (`leaf`, made from `leaf_der`; `delivered`, the lists delivered
/// beside it) with `logs`: each names its log and says whether the signature holds.
/// `issuer_key_hash` is the SHA-256 of the issuer's SubjectPublicKeyInfo, which an embedded
/// SCT signs over.
pub fn judge(
    leaf: &mut Certificate,
    leaf_der: &[u8],
    delivered: Delivered<'_>,
    issuer_key_hash: Option<[u8; 32]>,
    logs: Option<&LogList>,
) {
    let Some(logs) = logs else {
        return;
    };
    let Ok((_, cert)) = X509Certificate::from_der(leaf_der) else {
        return;
    };
    let tbs = precert::tbs_without_scts(leaf_der);
    let precert = match (issuer_key_hash, &tbs) {
        (Some(issuer), Some(tbs)) => Some(Entry::Precert { issuer, tbs }),
        _ => None,
    };
    let served = Some(Entry::X509(leaf_der));
    let [ocsp, tls] = delivered.scts();
    for (source, raw, entry) in [
        (SctSource::Certificate, embedded_raw(&cert), &precert),
        (ocsp.0, ocsp.1, &served),
        (tls.0, tls.1, &served),
    ] {
        let ours = leaf.sct_list.iter_mut().filter(|s| s.source == source);
        for (sct, s) in ours.zip(&raw) {
            let Some(log) = logs.logs.get(s.id.key_id) else {
                sct.signature = SctSignature::UnknownLog;
                continue;
            };
            sct.log = Some(log.description.clone());
            sct.operator = Some(log.operator.clone());
            sct.signature = match entry {
                Some(entry) if verifies(&log.key, &signed_data(s, entry), s) => SctSignature::Valid,
                Some(_) => SctSignature::Invalid,
                None => SctSignature::NoIssuer,
            };
        }
    }
}

/// What an SCT signs over (RFC 6962 §3.2's `signed_entry`).
enum Entry<'a> {
    /// `x509_entry`, type 0: the certificate as served, for an SCT delivered beside it (the
    /// TLS extension, an OCSP staple).
    X509(&'a [u8]),
    /// `precert_entry`, type 1: the issuer's key hash and the TBSCertificate without its SCT
    /// list, for an SCT embedded in the certificate.
    Precert { issuer: [u8; 32], tbs: &'a [u8] },
}

/// The `digitally-signed` struct of RFC 6962 §3.2 for `s` over `entry`.
fn signed_data(s: &SignedCertificateTimestamp<'_>, entry: &Entry<'_>) -> Vec<u8> {
    let mut out = vec![s.version.0, 0];
    out.extend_from_slice(&s.timestamp.to_be_bytes());
    let body = match entry {
        Entry::X509(der) => {
            out.extend_from_slice(&[0, 0]);
            der
        }
        Entry::Precert { issuer, tbs } => {
            out.extend_from_slice(&[0, 1]);
            out.extend_from_slice(issuer);
            tbs
        }
    };
    let len = body.len();
    out.extend_from_slice(&[(len >> 16) as u8, (len >> 8) as u8, len as u8]);
    out.extend_from_slice(body);
    let ext = s.extensions.0;
    out.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    out.extend_from_slice(ext);
    out
}

/// Whether `s`'s signature over `message` holds with the log key `spki`: ECDSA P-256 or RSA
/// PKCS#1 v1.5, with SHA-256 (RFC 6962 §2.1.4 allows no other).
fn verifies(spki: &[u8], message: &[u8], s: &SignedCertificateTimestamp<'_>) -> bool {
    use aws_lc_rs::signature::{
        UnparsedPublicKey, ECDSA_P256_SHA256_ASN1, RSA_PKCS1_2048_8192_SHA256,
    };
    const SHA256: u8 = 4;
    const RSA: u8 = 1;
    const ECDSA: u8 = 3;
    let Ok((_, key)) = SubjectPublicKeyInfo::from_der(spki) else {
        return false;
    };
    let point = &key.subject_public_key.data;
    let signature = s.signature.data;
    match (s.signature.hash_alg_id, s.signature.sign_alg_id) {
        (SHA256, ECDSA) => UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, point)
            .verify(message, signature)
            .is_ok(),
        (SHA256, RSA) => UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, point)
            .verify(message, signature)
            .is_ok(),
        _ => false,
    }
}

/// The CT step of a chain judged (a probe's, `tlsprobe verify`'s): the SCTs `delivered`
/// beside the leaf added to its own, each judged with `logs`, and the CT warnings added to
/// `verification`. Again with more delivered (the TLS extension's, asked for later): only
/// those are added, and the warnings said anew.
pub fn apply(
    certificates: &mut [Certificate],
    leaf_der: Option<&[u8]>,
    delivered: Delivered<'_>,
    verification: Option<&mut Verification>,
    logs: Option<&LogList>,
) {
    let Some(leaf_der) = leaf_der else {
        return;
    };
    let issuer = issuer_key_hash(certificates, verification.as_deref());
    let Some(leaf) = certificates.first_mut() else {
        return;
    };
    for (source, raw) in delivered.scts() {
        if !leaf.sct_list.iter().any(|s| s.source == source) {
            leaf.sct_list
                .extend(raw.iter().map(|s| unjudged(s, source)));
        }
    }
    judge(leaf, leaf_der, delivered, issuer, logs);
    if let Some(v) = verification {
        v.warnings
            .retain(|w| !matches!(w.code, WarningCode::NoSct | WarningCode::CtPolicy));
        let more = warnings(leaf, leaf_der, v);
        v.warnings.extend(more);
    }
}

/// Whether the CT warnings would be raised for this chain: then SCTs the server delivers
/// only when asked (the TLS extension) are worth asking for.
pub fn short(certificates: &[Certificate], leaf_der: &[u8], v: Option<&Verification>) -> bool {
    match (certificates.first(), v) {
        (Some(leaf), Some(v)) => !warnings(leaf, leaf_der, v).is_empty(),
        _ => false,
    }
}

/// The issuer key hash for the leaf of `certificates`: the next key on the verified path (its
/// pin is that hash), else the second certificate served.
pub fn issuer_key_hash(
    certificates: &[Certificate],
    verification: Option<&Verification>,
) -> Option<[u8; 32]> {
    let pin = verification
        .and_then(|v| v.path.get(1))
        .map(|e| e.pin_sha256.as_str())
        .or_else(|| certificates.get(1).map(|c| c.pin_sha256.as_str()))?;
    let bytes = data_encoding::BASE64.decode(pin.as_bytes()).ok()?;
    bytes.try_into().ok()
}

/// The CT warnings for a chain verified against a public store (the Mozilla roots, the
/// system's): `no_sct` when the leaf has none, `ct_policy` when it has fewer than the Chrome
/// and Apple policies ask (embedded: two for a certificate valid 180 days or less, three
/// beyond; or two delivered beside it, in an OCSP staple or the TLS extension; and, where the log list says who
/// runs the logs, from two operators at least).
pub fn warnings(
    leaf: &Certificate,
    leaf_der: &[u8],
    v: &Verification,
) -> Vec<Finding<WarningCode>> {
    if !v.verified || !matches!(v.trust_store, TrustStore::Mozilla | TrustStore::System) {
        return Vec::new();
    }
    let finding = |code, message: String, hint: &str| Finding {
        code,
        cert_index: Some(0),
        message,
        hint: Some(hint.to_string()),
    };
    if leaf.sct_list.is_empty() {
        return vec![finding(
            WarningCode::NoSct,
            format!("the leaf ({}) carries no SCT: Chrome and Safari refuse a publicly-trusted certificate that was not logged in Certificate Transparency", leaf.subject),
            "have the CA issue the certificate with embedded SCTs (every public CA does by default), or staple them",
        )];
    }
    let Ok((_, cert)) = X509Certificate::from_der(leaf_der) else {
        return Vec::new();
    };
    let validity = cert.validity();
    let lifetime_days = (validity.not_after.timestamp() - validity.not_before.timestamp()) / 86_400;
    let wanted = embedded_wanted(lifetime_days);
    let embedded = leaf
        .sct_list
        .iter()
        .filter(|s| s.source == SctSource::Certificate && s.signature != SctSignature::Invalid)
        .count();
    // Delivered beside the certificate (an OCSP staple, the TLS extension): two suffice,
    // whatever the lifetime.
    let beside = leaf
        .sct_list
        .iter()
        .filter(|s| s.source != SctSource::Certificate && s.signature != SctSignature::Invalid)
        .count();
    let mut operators: Vec<&str> = leaf
        .sct_list
        .iter()
        .filter(|s| s.signature == SctSignature::Valid)
        .filter_map(|s| s.operator.as_deref())
        .collect();
    operators.sort_unstable();
    operators.dedup();
    let checked = leaf
        .sct_list
        .iter()
        .any(|s| s.signature != SctSignature::NotChecked);
    let mut out = Vec::new();
    if !enough(embedded, beside, lifetime_days) {
        let stapled = match beside {
            0 => String::new(),
            n => format!(" (and {n} delivered beside it, where two would do)"),
        };
        out.push(finding(
            WarningCode::CtPolicy,
            format!(
                "the leaf carries {embedded} SCT{}{stapled} where the Chrome and Apple CT policies ask {wanted} of a certificate valid {lifetime_days} days",
                if embedded == 1 { "" } else { "s" }
            ),
            "have the CA log the certificate with more logs",
        ));
    } else if checked && operators.len() < 2 {
        out.push(finding(
            WarningCode::CtPolicy,
            format!(
                "the leaf's SCTs that verify come from {} log operator{} where the Chrome and Apple CT policies ask two",
                operators.len(),
                if operators.len() == 1 { "" } else { "s" }
            ),
            "have the CA log the certificate with logs of another operator",
        ));
    }
    out
}

/// How many embedded SCTs the Chrome and Apple CT policies ask of a certificate valid
/// `lifetime_days`.
fn embedded_wanted(lifetime_days: i64) -> usize {
    if lifetime_days <= 180 {
        2
    } else {
        3
    }
}

/// Whether `embedded` SCTs in the certificate and `beside` delivered with it (in an OCSP
/// staple, the TLS extension) are as many as the policies ask: enough of either kind.
fn enough(embedded: usize, beside: usize, lifetime_days: i64) -> bool {
    embedded >= embedded_wanted(lifetime_days) || beside >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tls_list_reads_whole_or_not_at_all() {
        // v1, a log ID, a timestamp, no extensions, SHA-256/ECDSA, a 2-byte signature.
        let mut sct = vec![0];
        sct.extend_from_slice(&[7; 32]);
        sct.extend_from_slice(&1_000u64.to_be_bytes());
        sct.extend_from_slice(&[0, 0, 4, 3, 0, 2, 0xaa, 0xbb]);
        let entry = [&(sct.len() as u16).to_be_bytes()[..], &sct].concat();
        let list = |entries: &[u8]| [&(entries.len() as u16).to_be_bytes()[..], entries].concat();
        let both = list(&[&entry[..], &entry[..]].concat());
        let two = tls_raw(&both);
        assert_eq!(two.len(), 2);
        assert_eq!((two[1].id.key_id, two[1].timestamp), (&[7u8; 32], 1_000));
        assert!(
            tls_raw(&list(&entry[..entry.len() - 1])).is_empty(),
            "cut short"
        );
        assert!(
            tls_raw(&list(&entry)[..entry.len()]).is_empty(),
            "length past the end"
        );
        assert!(tls_raw(&[]).is_empty() && tls_raw(&[0]).is_empty());
    }

    #[test]
    fn the_policies_count_embedded_and_stapled_scts_apart() {
        assert!(enough(2, 0, 90));
        assert!(!enough(2, 0, 397));
        assert!(enough(3, 0, 397));
        assert!(!enough(1, 1, 90), "one of each is neither kind's count");
        assert!(enough(0, 2, 397), "two stapled do, whatever the lifetime");
        assert!(enough(2, 2, 397));
        assert!(!enough(0, 1, 30));
    }

    #[test]
    fn timestamps_to_the_millisecond() {
        assert_eq!(timestamp_ms(1_685_389_440_979), "2023-05-29T19:44:00.979Z");
        assert_eq!(timestamp_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn a_log_list_whose_ids_are_not_its_keys_is_refused() {
        let key = data_encoding::BASE64.encode(b"not really a key");
        let id = data_encoding::BASE64.encode(&sha256(b"not really a key"));
        let list = |id: &str| {
            format!(
                r#"{{"operators":[{{"name":"Op","logs":[{{"description":"L","log_id":"{id}","key":"{key}"}}]}}]}}"#
            )
        };
        let ok = LogList::parse(list(&id).as_bytes()).unwrap();
        assert_eq!(ok.logs.len(), 1);
        let e = LogList::parse(list(&key).as_bytes()).unwrap_err();
        assert!(e.contains("not the SHA-256"), "{e}");
        assert!(LogList::parse(b"{}").unwrap_err().contains("operators"));
        assert!(LogList::parse(br#"{"operators":[]}"#)
            .unwrap_err()
            .contains("no logs"));
    }
}
