//! What does not parse still gets an entry, and nothing panics.

use std::time::SystemTime;

use super::{key, params, self_signed};
use crate::cert::{examine, Facts};
use crate::report::KeyType;

fn assert_placeholder(der: &[u8]) {
    let (d, f) = examine(der, SystemTime::now());
    assert!(
        d.subject.starts_with("(unparseable certificate: "),
        "{}",
        d.subject
    );
    assert!(d.subject.ends_with(')'));
    assert!(d.issuer.is_empty() && d.serial.is_empty() && d.signature_algorithm.is_empty());
    assert!(d.not_before.is_empty() && d.not_after.is_empty() && d.sans.is_empty());
    assert_eq!(d.days_left, 0);
    assert_eq!(d.key.kind, KeyType::Unknown);
    assert_eq!((d.key.bits, d.key.curve.as_deref()), (None, None));
    assert!(!d.is_ca && !d.self_signed);
    let sha = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der);
    assert_eq!(d.sha256, crate::cert::hex(sha.as_ref()));
    assert_eq!(d.pem, crate::cert::pem(der));
    assert_eq!(f, Facts::default());
}

/// The reason in `(unparseable certificate: REASON)`.
fn reason(der: &[u8]) -> String {
    let subject = examine(der, SystemTime::now()).0.subject;
    subject["(unparseable certificate: ".len()..subject.len() - 1].to_string()
}

#[test]
fn the_reason_is_words_not_parser_internals() {
    let der = self_signed(&params("short"), &key(&rcgen::PKCS_ECDSA_P256_SHA256));
    assert_eq!(reason(b""), "no bytes");
    assert_eq!(
        reason(&der[..der.len() / 2]),
        "truncated: the DER ends early"
    );
    for bad in [&b"\x04\x02ab"[..], b"\x30\x03\x02\x01\x01", b"plain text"] {
        let why = reason(bad);
        assert!(!why.is_empty() && !why.contains('\n'), "{why}");
        assert!(!why.contains("NomError"), "{why}");
    }
}

#[test]
fn garbage_yields_a_placeholder() {
    for bad in [
        &b""[..],
        b"\x30",
        b"\x30\x03\x02\x01",
        b"\x30\x80\x00\x00",
        b"not a certificate at all",
    ] {
        assert_placeholder(bad);
    }
}

#[test]
fn every_truncation_and_many_bit_flips_are_survived() {
    let der = self_signed(
        &params("fuzz.example"),
        &key(&rcgen::PKCS_ECDSA_P256_SHA256),
    );
    for len in 0..der.len() {
        let (d, _) = examine(&der[..len], SystemTime::now());
        assert!(
            d.subject.starts_with("(unparseable"),
            "prefix of {len} bytes parsed"
        );
    }
    // Flipped bits may or may not parse; either way there is an entry with a real digest.
    for i in 0..der.len() {
        for bit in [0x01, 0x80] {
            let mut m = der.clone();
            m[i] ^= bit;
            let (d, _) = examine(&m, SystemTime::now());
            assert_eq!(d.sha256.len(), 64);
        }
    }
}

#[test]
fn bit_flips_in_every_extension_are_survived() {
    let mut p = params("extensions.example");
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Constrained(1));
    p.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    p.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    p.name_constraints = Some(rcgen::NameConstraints {
        permitted_subtrees: vec![rcgen::GeneralSubtree::DnsName("example.com".into())],
        excluded_subtrees: vec![rcgen::GeneralSubtree::IpAddress(rcgen::CidrSubnet::V4(
            [10, 0, 0, 0],
            [255, 0, 0, 0],
        ))],
    });
    p.crl_distribution_points = vec![rcgen::CrlDistributionPoint {
        uris: vec!["http://crl.example/ca.crl".into()],
    }];
    p.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
        &[1, 2, 3, 4],
        vec![0x05, 0x00],
    )];
    let der = self_signed(&p, &key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let (d, _) = examine(&der, SystemTime::now());
    assert_eq!(d.extensions.len(), 7, "{:?}", d.extensions);
    assert!(d.values.name_constraints.is_some() && d.values.crl_distribution_points.is_some());
    for i in 0..der.len() {
        for bit in [0x01, 0x80] {
            let mut m = der.clone();
            m[i] ^= bit;
            let (d, _) = examine(&m, SystemTime::now());
            assert_eq!(d.sha256.len(), 64);
        }
    }
}

#[test]
fn a_placeholder_has_no_pin_and_no_extensions() {
    let (d, _) = examine(b"\x30\x03\x02\x01\x01", SystemTime::now());
    assert!(d.pin_sha256.is_empty() && d.extensions.is_empty());
    assert_eq!(d.values, crate::report::ExtensionValues::default());
}
