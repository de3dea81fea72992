//! `describe` on well-formed certificates of each key kind.

use std::net::{IpAddr, Ipv6Addr};
use std::time::SystemTime;

use rcgen::{SanType, SerialNumber};

use super::{day, key, key_summary, params, self_signed, HOUR};
use crate::cert::describe;
use crate::report::KeyType;

#[test]
fn an_ecdsa_p256_leaf_with_every_kind_of_name() {
    let k = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    let mut p = params("www.example.com");
    p.distinguished_name
        .push(rcgen::DnType::OrganizationName, "Example");
    p.serial_number = Some(SerialNumber::from_slice(&[0x01, 0x23, 0xab]));
    p.not_before = rcgen::date_time_ymd(2026, 1, 1);
    p.not_after = rcgen::date_time_ymd(2026, 12, 31);
    p.subject_alt_names = vec![
        SanType::DnsName("www.example.com".try_into().unwrap()),
        SanType::IpAddress(IpAddr::from([192, 0, 2, 7])),
        SanType::IpAddress(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
        SanType::IpAddress("::ffff:192.0.2.1".parse().unwrap()),
        SanType::Rfc822Name("admin@example.com".try_into().unwrap()),
        SanType::URI("https://example.com/".try_into().unwrap()),
    ];
    let d = describe(&self_signed(&p, &k), day(2026, 12, 1));

    assert_eq!(d.subject, "CN=www.example.com, O=Example");
    assert_eq!(d.issuer, d.subject);
    assert_eq!(d.serial, "0123ab");
    assert_eq!(d.not_before, "2026-01-01T00:00:00Z");
    assert_eq!(d.not_after, "2026-12-31T00:00:00Z");
    assert_eq!(d.days_left, 30);
    assert_eq!(
        d.sans,
        [
            "www.example.com",
            "192.0.2.7",
            "2001:db8::1",
            "::ffff:192.0.2.1",
            "email:admin@example.com",
            "URI:https://example.com/",
        ]
    );
    assert_eq!(d.key.kind, KeyType::Ec);
    assert_eq!(d.key.bits, Some(256));
    assert_eq!(d.key.curve.as_deref(), Some("P-256"));
    assert_eq!(d.signature_algorithm, "ecdsa-with-SHA256");
    assert!(d.self_signed, "self-signed leaf");
    assert!(!d.is_ca);
    assert_eq!(d.sha256.len(), 64);
    assert!(d
        .sha256
        .bytes()
        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
}

#[test]
fn each_key_kind_reads_with_its_size_and_signature() {
    let cases: [(&'static rcgen::SignatureAlgorithm, &str); 7] = [
        (
            &rcgen::PKCS_ECDSA_P256_SHA256,
            "EC 256 P-256 ecdsa-with-SHA256",
        ),
        (
            &rcgen::PKCS_ECDSA_P384_SHA384,
            "EC 384 P-384 ecdsa-with-SHA384",
        ),
        (
            &rcgen::PKCS_ECDSA_P521_SHA512,
            "EC 521 P-521 ecdsa-with-SHA512",
        ),
        (&rcgen::PKCS_ED25519, "Ed25519 256 - ED25519"),
        (
            &rcgen::PKCS_RSA_SHA256,
            "RSA 2048 - sha256WithRSAEncryption",
        ),
        (
            &rcgen::PKCS_RSA_SHA512,
            "RSA 2048 - sha512WithRSAEncryption",
        ),
        (&rcgen::PKCS_ML_DSA_44, "ML-DSA-44 - - ML-DSA-44"),
    ];
    for (alg, want) in cases {
        let d = describe(&self_signed(&params("k"), &key(alg)), SystemTime::now());
        assert_eq!(key_summary(&d), want);
        // P-521, SHA-512 ECDSA and ML-DSA are beyond x509-parser's own verify_signature.
        assert!(d.self_signed, "{want}: verifies under its own key");
    }
}

#[test]
fn days_left_rounds_down_and_goes_negative_once_expired() {
    let mut p = params("old.example");
    p.not_before = rcgen::date_time_ymd(2000, 1, 1);
    p.not_after = rcgen::date_time_ymd(2001, 1, 1);
    let der = self_signed(&p, &key(&rcgen::PKCS_ECDSA_P256_SHA256));
    let expiry = day(2001, 1, 1);

    assert_eq!(describe(&der, expiry - 36 * HOUR).days_left, 1);
    assert_eq!(describe(&der, expiry - HOUR).days_left, 0);
    assert_eq!(
        describe(&der, expiry).days_left,
        0,
        "not_after itself is still valid"
    );
    assert_eq!(describe(&der, expiry + HOUR).days_left, -1);
    assert_eq!(describe(&der, expiry + 36 * HOUR).days_left, -2);
    assert_eq!(describe(&der, day(2026, 1, 1)).days_left, -9131);
    let d = describe(&der, day(2026, 1, 1));
    assert_eq!(d.not_before, "2000-01-01T00:00:00Z");
    assert_eq!(d.not_after, "2001-01-01T00:00:00Z");
}

#[test]
fn serials_drop_der_padding_only() {
    let k = key(&rcgen::PKCS_ECDSA_P256_SHA256);
    for (bytes, want) in [
        (&[0x80, 0x01][..], "8001"),
        (&[0x00, 0x00, 0x05], "05"),
        (&[0x00], "00"),
        (&[0x7f; 20], "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f"),
    ] {
        let mut p = params("serial");
        p.serial_number = Some(SerialNumber::from_slice(bytes));
        assert_eq!(
            describe(&self_signed(&p, &k), SystemTime::now()).serial,
            want
        );
    }
}

#[test]
fn pem_is_64_column_base64_of_the_der() {
    let der = self_signed(&params("pem"), &key(&rcgen::PKCS_RSA_SHA256));
    let pem = describe(&der, SystemTime::now()).pem;
    let lines: Vec<&str> = pem.lines().collect();
    assert_eq!(lines.first(), Some(&"-----BEGIN CERTIFICATE-----"));
    assert_eq!(lines.last(), Some(&"-----END CERTIFICATE-----"));
    assert!(pem.ends_with("-----\n"));
    let body = &lines[1..lines.len() - 1];
    assert!(body[..body.len() - 1].iter().all(|l| l.len() == 64));
    assert!((1..=64).contains(&body[body.len() - 1].len()));
    let decoded = data_encoding::BASE64
        .decode(body.concat().as_bytes())
        .unwrap();
    assert_eq!(decoded, der);
    let sha = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der);
    assert_eq!(
        describe(&der, SystemTime::now()).sha256,
        crate::cert::hex(sha.as_ref())
    );
}

#[test]
fn pem_line_breaks_fall_on_64_exactly() {
    // 48 bytes are exactly 64 base64 characters: one full line, no empty line after it.
    assert_eq!(
        crate::cert::pem(&[0u8; 48]),
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            "A".repeat(64)
        )
    );
    assert_eq!(
        crate::cert::pem(&[]),
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"
    );
}
