//! A root, an intermediate and a leaf: what the chain verifier reads from each.

use std::time::SystemTime;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose,
};

use super::{day, issued, key, params, self_signed};
use crate::cert::{check_signature, describe, examine, signed_by, Facts, SignatureCheck};

const AIA_URL: &str = "http://ca.example/root.crt";

struct Chain {
    root: Vec<u8>,
    intermediate: Vec<u8>,
    leaf: Vec<u8>,
}

fn ca_params(cn: &str, path_len: Option<u8>) -> CertificateParams {
    let mut p = params(cn);
    p.is_ca = IsCa::Ca(path_len.map_or(
        BasicConstraints::Unconstrained,
        BasicConstraints::Constrained,
    ));
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p
}

/// Authority Information Access with an OCSP responder and a caIssuers URL, DER by hand
/// (rcgen has no parameter for it).
fn aia(ca_issuers: &str) -> CustomExtension {
    /// AccessDescription: id-ad-ocsp (..48.1) or id-ad-caIssuers (..48.2), and a URI.
    fn access(method_last: u8, uri: &str) -> Vec<u8> {
        const ID_AD: [u8; 9] = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30];
        let mut body = ID_AD.to_vec();
        body.extend_from_slice(&[method_last, 0x86, u8::try_from(uri.len()).unwrap()]);
        body.extend_from_slice(uri.as_bytes());
        let mut out = vec![0x30, u8::try_from(body.len()).unwrap()];
        out.extend(body);
        out
    }
    let mut descriptions = access(1, "http://ocsp.example/");
    descriptions.extend(access(2, ca_issuers));
    let mut der = vec![0x30, u8::try_from(descriptions.len()).unwrap()];
    der.extend(descriptions);
    CustomExtension::from_oid_content(&[1, 3, 6, 1, 5, 5, 7, 1, 1], der)
}

fn chain() -> (Chain, [KeyPair; 3]) {
    let root_key = key(&rcgen::PKCS_ECDSA_P384_SHA384);
    let int_key = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let leaf_key = key(&rcgen::PKCS_ECDSA_P256_SHA256);

    let root_params = ca_params("Test Root", None);
    let mut int_params = ca_params("Test Intermediate", Some(0));
    int_params.use_authority_key_identifier_extension = true;
    int_params.custom_extensions.push(aia(AIA_URL));
    let mut leaf_params = params("leaf.example");
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.subject_alt_names =
        vec![rcgen::SanType::DnsName("leaf.example".try_into().unwrap())];
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];

    let chain = Chain {
        root: self_signed(&root_params, &root_key),
        intermediate: issued(&int_params, &int_key, &root_params, &root_key),
        leaf: issued(&leaf_params, &leaf_key, &int_params, &int_key),
    };
    (chain, [root_key, int_key, leaf_key])
}

fn facts(der: &[u8]) -> Facts {
    examine(der, SystemTime::now()).1
}

#[test]
fn the_root_alone_is_self_signed_and_only_the_cas_are_cas() {
    let (c, _) = chain();
    let now = SystemTime::now();
    let (root, int, leaf) = (
        describe(&c.root, now),
        describe(&c.intermediate, now),
        describe(&c.leaf, now),
    );

    assert!(root.is_ca && root.self_signed);
    assert!(int.is_ca && !int.self_signed);
    assert!(!leaf.is_ca && !leaf.self_signed);
    assert_eq!(leaf.issuer, int.subject);
    assert_eq!(int.issuer, root.subject);
    assert_eq!(root.key.curve.as_deref(), Some("P-384"));
    assert_eq!(
        int.signature_algorithm, "ecdsa-with-SHA384",
        "signed by the P-384 root"
    );
}

#[test]
fn facts_link_each_certificate_to_its_issuer() {
    let (c, _) = chain();
    let (root, int, leaf) = (facts(&c.root), facts(&c.intermediate), facts(&c.leaf));

    assert!(root.parsed && int.parsed && leaf.parsed);
    assert_eq!(leaf.issuer, int.subject);
    assert_eq!(int.issuer, root.subject);
    assert_eq!(root.issuer, root.subject);
    assert_ne!(leaf.subject, int.subject);
    // Raw DER Names: a SEQUENCE, tag and length included.
    assert_eq!(leaf.subject.first(), Some(&0x30));
    assert_eq!(leaf.spki.first(), Some(&0x30));

    assert!(root.self_signed && !int.self_signed && !leaf.self_signed);
    assert!(root.is_ca && int.is_ca && !leaf.is_ca);
    assert_eq!(
        (root.path_len, int.path_len, leaf.path_len),
        (None, Some(0), None)
    );
    assert!(root.allows_cert_sign && int.allows_cert_sign);
    assert!(!leaf.allows_cert_sign, "keyUsage digitalSignature only");
    assert!(leaf.allows_server_auth);
    assert!(
        root.allows_server_auth,
        "no extendedKeyUsage: no restriction"
    );

    assert_eq!(
        int.ca_issuers,
        [AIA_URL],
        "the OCSP entry is not a caIssuers URL"
    );
    assert!(leaf.ca_issuers.is_empty());
    assert!(int.subject_key_id.is_some());
    assert_eq!(leaf.authority_key_id, int.subject_key_id);
    assert_eq!(int.authority_key_id, root.subject_key_id);
}

#[test]
fn signed_by_follows_the_keys_not_the_names() {
    let (c, _) = chain();
    assert!(signed_by(&c.leaf, &c.intermediate));
    assert!(signed_by(&c.intermediate, &c.root));
    assert!(signed_by(&c.root, &c.root));
    assert!(!signed_by(&c.leaf, &c.root));
    assert!(!signed_by(&c.intermediate, &c.leaf));
    assert!(!signed_by(&c.leaf, b"garbage"));
    assert!(!signed_by(b"garbage", &c.intermediate));

    let int_spki = facts(&c.intermediate).spki;
    let root_spki = facts(&c.root).spki;
    assert_eq!(check_signature(&c.leaf, &int_spki), SignatureCheck::Valid);
    assert_eq!(
        check_signature(&c.leaf, &root_spki),
        SignatureCheck::Invalid
    );
    assert_eq!(
        check_signature(&c.leaf, b"\x30\x00"),
        SignatureCheck::Invalid
    );
}

#[test]
fn a_key_of_the_wrong_type_is_invalid_not_unsupported() {
    let (c, _) = chain();
    let rsa = facts(&self_signed(&params("rsa"), &key(&rcgen::PKCS_RSA_SHA256))).spki;
    let ed = facts(&self_signed(&params("ed"), &key(&rcgen::PKCS_ED25519))).spki;
    assert_eq!(check_signature(&c.leaf, &rsa), SignatureCheck::Invalid);
    assert_eq!(check_signature(&c.leaf, &ed), SignatureCheck::Invalid);
}

#[test]
fn a_tampered_signature_is_invalid() {
    let (c, _) = chain();
    let mut bad = c.leaf.clone();
    // The signature is the last field: flip a bit inside it.
    let last = bad.len() - 3;
    bad[last] ^= 0x01;
    assert!(!signed_by(&bad, &c.intermediate));
    assert!(describe(&bad, SystemTime::now())
        .subject
        .starts_with("CN=leaf"));
}

#[test]
fn same_names_but_another_key_is_not_self_signed() {
    // Issuer and subject are both "CN=Twin", but the signing key is not the certificate's.
    let twin = params("Twin");
    let other_key = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let der = issued(
        &twin,
        &key(&rcgen::PKCS_ECDSA_P256_SHA256),
        &twin,
        &other_key,
    );
    let (d, f) = examine(&der, SystemTime::now());
    assert_eq!(d.subject, d.issuer);
    assert!(!d.self_signed && !f.self_signed);
}

#[test]
fn a_self_signed_leaf_is_self_signed_but_not_a_ca() {
    let mut p = params("localhost");
    p.subject_alt_names = vec![rcgen::SanType::DnsName("localhost".try_into().unwrap())];
    let (d, f) = examine(
        &self_signed(&p, &key(&rcgen::PKCS_ED25519)),
        SystemTime::now(),
    );
    assert!(d.self_signed && f.self_signed);
    assert!(!d.is_ca && !f.is_ca);
}

#[test]
fn usage_restrictions() {
    let k = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let mut client_only = params("client");
    client_only.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let f = facts(&self_signed(&client_only, &k));
    assert!(!f.allows_server_auth && f.allows_client_auth);

    let mut any_only = params("any");
    any_only.extended_key_usages = vec![ExtendedKeyUsagePurpose::Any];
    let f = facts(&self_signed(&any_only, &k));
    assert!(!f.allows_server_auth && !f.allows_client_auth);

    let mut both = params("both");
    both.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ClientAuth,
        ExtendedKeyUsagePurpose::ServerAuth,
    ];
    assert!(facts(&self_signed(&both, &k)).allows_server_auth);

    let mut ca_without_cert_sign = ca_params("ca", None);
    ca_without_cert_sign.key_usages = vec![KeyUsagePurpose::CrlSign];
    let f = facts(&self_signed(&ca_without_cert_sign, &k));
    assert!(f.is_ca && !f.allows_cert_sign);
}

#[test]
fn the_validity_window_as_system_times() {
    let mut p = params("window");
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2026, 3, 1);
    let f = facts(&self_signed(&p, &key(&rcgen::PKCS_ECDSA_P256_SHA256)));
    assert_eq!(f.valid_from(), day(2026, 1, 1));
    assert_eq!(f.valid_until(), day(2026, 3, 1));
    assert!(f.valid_at(day(2026, 1, 1)) && f.valid_at(day(2026, 3, 1)));
    assert!(f.valid_at(day(2026, 2, 1)));
    assert!(!f.valid_at(day(2025, 12, 31)) && !f.valid_at(day(2026, 3, 2)));
    assert!(
        !Facts::default().valid_at(day(1970, 1, 1)),
        "unparsed is never valid"
    );
}
