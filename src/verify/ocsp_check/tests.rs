//! [`check`] against responses made by `openssl ocsp` for certificates made by rcgen: who
//! signed, for which certificate, with which CertID hash and signature algorithm.

use std::path::Path;
use std::time::SystemTime;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SerialNumber,
};
use time::{Duration, OffsetDateTime};

use super::*;
use crate::report::OcspStatus;
use crate::verify::ocsp::{CertStatus, ResponseStatus};

/// The leaf's serial, and another one the index also knows (as revoked).
const LEAF_SERIAL: [u8; 2] = [0x1a, 0x2b];
const OTHER_SERIAL: &str = "0x3C4D";

fn now() -> i64 {
    crate::cert::unix_seconds(SystemTime::now())
}

#[derive(Clone, Copy, Debug)]
enum Alg {
    P256,
    P384,
    Ed25519,
    Rsa2048,
}

fn key(alg: Alg) -> KeyPair {
    match alg {
        Alg::P256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256),
        Alg::P384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384),
        // rcgen writes Ed25519 keys as PKCS #8 v2 (with the public key), which OpenSSL 3.0
        // does not load: let openssl make the key.
        Alg::Ed25519 => KeyPair::from_pem(&openssl_stdout(&["genpkey", "-algorithm", "ed25519"])),
        Alg::Rsa2048 => {
            KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        }
    }
    .expect("generate key")
}

/// Run `openssl ARGS`, fail the test unless it succeeds, and return what it printed.
fn openssl_stdout(args: &[&str]) -> String {
    String::from_utf8(crate::testutil::openssl(Path::new("."), args)).expect("openssl prints text")
}

fn params(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::new(Vec::<String>::new()).expect("params");
    p.distinguished_name = DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, cn);
    p
}

/// A responder certificate's parameters: `CN=<cn>`, with id-kp-OCSPSigning when `signing`.
fn responder_params(cn: &str, signing: bool) -> CertificateParams {
    let mut p = params(cn);
    p.extended_key_usages = if signing {
        vec![ExtendedKeyUsagePurpose::OcspSigning]
    } else {
        vec![ExtendedKeyUsagePurpose::ServerAuth]
    };
    p
}

/// A certificate and its key: DER, and PEM files for openssl.
struct Party {
    der: Vec<u8>,
    cert: String,
    key: String,
}

fn write_party(dir: &Path, name: &str, cert: &rcgen::Certificate, key: &KeyPair) -> Party {
    let path = |ext: &str| {
        let p = dir.join(format!("{name}.{ext}"));
        p.to_str().expect("utf-8 path").to_string()
    };
    let (cert_path, key_path) = (path("pem"), path("key"));
    std::fs::write(&cert_path, cert.pem()).expect("write certificate");
    std::fs::write(&key_path, key.serialize_pem()).expect("write key");
    Party {
        der: cert.der().to_vec(),
        cert: cert_path,
        key: key_path,
    }
}

/// A CA (`CN=<name> CA`), the leaf it issued (serial 1A2B), and openssl's index of both
/// serials, in one temporary directory.
struct Pki {
    dir: tempfile::TempDir,
    ca: Party,
    issuer: Issuer<'static, KeyPair>,
    leaf: Party,
}

impl Pki {
    fn new(name: &str, alg: Alg) -> Pki {
        let dir = tempfile::tempdir().expect("tempdir");
        let ca_key = key(alg);
        let mut p = params(&format!("{name} CA"));
        p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        p.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_cert = p.self_signed(&ca_key).expect("self-sign CA");
        let ca = write_party(dir.path(), "ca", &ca_cert, &ca_key);
        let issuer = Issuer::new(p, ca_key);

        let mut p = params("leaf.example");
        p.serial_number = Some(SerialNumber::from_slice(&LEAF_SERIAL));
        let leaf_key = key(Alg::P256);
        let leaf_cert = p.signed_by(&leaf_key, &issuer).expect("sign leaf");
        let leaf = write_party(dir.path(), "leaf", &leaf_cert, &leaf_key);

        std::fs::write(
            dir.path().join("index.txt"),
            "V\t300101000000Z\t\t1A2B\tunknown\t/CN=leaf.example\n\
             R\t300101000000Z\t250101000000Z\t3C4D\tunknown\t/CN=other.example\n",
        )
        .expect("write index");
        Pki {
            dir,
            ca,
            issuer,
            leaf,
        }
    }

    /// A certificate issued by this CA.
    fn issue(&self, name: &str, p: &CertificateParams) -> Party {
        let k = key(Alg::P256);
        let cert = p.signed_by(&k, &self.issuer).expect("sign");
        write_party(self.dir.path(), name, &cert, &k)
    }

    /// A self-signed certificate, issued by nobody this CA knows.
    fn stranger(&self, name: &str, p: &CertificateParams) -> Party {
        let k = key(Alg::P256);
        let cert = p.self_signed(&k).expect("self-sign");
        write_party(self.dir.path(), name, &cert, &k)
    }

    /// `openssl ocsp` as a responder signing with `signer`, for this CA's certificates: `extra`
    /// options (a digest such as `-sha256` must come before the certificates), then `about`
    /// (`-cert FILE` or `-serial N`, repeated for several SingleResponses).
    fn respond(&self, signer: &Party, extra: &[&str], about: &[&str]) -> Vec<u8> {
        let out = self.dir.path().join("response.der");
        let mut args = vec![
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            &signer.cert,
            "-rkey",
            &signer.key,
            "-CA",
            &self.ca.cert,
            "-issuer",
            &self.ca.cert,
            "-ndays",
            "1",
            "-respout",
            out.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(about);
        crate::testutil::openssl(self.dir.path(), &args);
        std::fs::read(&out).expect("read the response openssl wrote")
    }

    /// A response about this CA's leaf.
    fn for_leaf(&self, signer: &Party, extra: &[&str]) -> Vec<u8> {
        self.respond(signer, extra, &["-cert", &self.leaf.cert])
    }

    fn check(&self, staple: &[u8]) -> Result<(), StapleFault> {
        check(staple, &self.leaf.der, Some(&self.ca.der), now())
    }
}

fn unauthorised(fault: Result<(), StapleFault>) -> (String, Unauthorised) {
    match fault {
        Err(StapleFault::UnauthorisedResponder { responder, why, .. }) => (responder, why),
        other => panic!("expected UnauthorisedResponder, got {other:?}"),
    }
}

#[test]
fn the_issuer_itself_may_sign_with_any_common_algorithm() {
    let cases: [(Alg, &[&str], &str); 4] = [
        (Alg::P256, &[], "ecdsa-with-SHA256"),
        (Alg::P384, &["-rmd", "sha384"], "ecdsa-with-SHA384"),
        (Alg::Ed25519, &[], "ED25519"),
        (Alg::P256, &["-rmd", "sha512"], "ecdsa-with-SHA512"),
    ];
    for (alg, extra, algorithm) in cases {
        let pki = Pki::new("ec", alg);
        let staple = pki.for_leaf(&pki.ca, extra);
        assert_eq!(signature_name(&staple), algorithm, "{alg:?} {extra:?}");
        assert_eq!(pki.check(&staple), Ok(()), "{alg:?} {extra:?}");
    }
    // One RSA key (slow to make) for every digest, PKCS #1 v1.5 and PSS.
    let pki = Pki::new("rsa", Alg::Rsa2048);
    let cases: [(&[&str], &str); 5] = [
        (&[], "sha256WithRSAEncryption"),
        (&["-rmd", "sha1"], "sha1WithRSAEncryption"),
        (&["-rmd", "sha384"], "sha384WithRSAEncryption"),
        (&["-rmd", "sha512"], "sha512WithRSAEncryption"),
        (
            &[
                "-rsigopt",
                "rsa_padding_mode:pss",
                "-rsigopt",
                "rsa_pss_saltlen:digest",
            ],
            "RSASSA-PSS",
        ),
    ];
    for (extra, algorithm) in cases {
        let staple = pki.for_leaf(&pki.ca, extra);
        assert_eq!(signature_name(&staple), algorithm, "{extra:?}");
        assert_eq!(pki.check(&staple), Ok(()), "{extra:?}");
    }
}

fn signature_name(staple: &[u8]) -> String {
    let basic = ocsp::read(staple).expect("openssl's response reads");
    let (_, alg) = AlgorithmIdentifier::from_der(basic.signature_algorithm).expect("algorithm");
    signature_algorithm_name(&alg)
}

#[test]
fn a_delegated_responder_with_ocsp_signing_may_sign() {
    let pki = Pki::new("delegating", Alg::P256);
    let responder = pki.issue("responder", &responder_params("ocsp responder", true));
    let staple = pki.for_leaf(&responder, &[]);
    let basic = ocsp::read(&staple).expect("reads");
    assert_eq!(
        basic.certs,
        vec![&responder.der[..]],
        "openssl carries the signer"
    );
    assert_eq!(pki.check(&staple), Ok(()));
    // Named by its key hash instead of its name: the same signer, the same verdict.
    let by_key = pki.for_leaf(&responder, &["-resp_key_id"]);
    assert!(matches!(
        ocsp::read(&by_key).map(|b| b.responder),
        Ok(ocsp::ResponderId::ByKey(_))
    ));
    assert_eq!(pki.check(&by_key), Ok(()));
}

#[test]
fn a_responder_without_ocsp_signing_is_unauthorised() {
    let pki = Pki::new("careless", Alg::P256);
    let responder = pki.issue("no-eku", &responder_params("server not responder", false));
    let fault = pki.check(&pki.for_leaf(&responder, &[]));
    let message = fault.clone().map_err(|f| f.message());
    assert_eq!(
        unauthorised(fault),
        (
            "CN=server not responder".into(),
            Unauthorised::NoOcspSigning
        )
    );
    let message = message.expect_err("a fault");
    assert!(message.contains("id-kp-OCSPSigning"), "{message}");
}

/// An unrelated key is not a forged signature when its certificate comes along: the signature
/// is good, the signer is no one the issuer authorised. Without its certificate (the
/// `-resp_no_certs` a careful forger would not use either) no key we know verifies it at all.
#[test]
fn an_unrelated_key_is_unauthorised_with_its_certificate_and_a_bad_signature_without() {
    let pki = Pki::new("victim", Alg::P256);
    let rogue = pki.stranger("rogue", &responder_params("rogue responder", true));
    assert_eq!(
        unauthorised(pki.check(&pki.for_leaf(&rogue, &[]))),
        ("CN=rogue responder".into(), Unauthorised::NotIssuedByIssuer)
    );
    let bare = pki.check(&pki.for_leaf(&rogue, &["-resp_no_certs"]));
    assert_eq!(
        bare,
        Err(StapleFault::BadSignature {
            algorithm: "ecdsa-with-SHA256".into(),
            issuer: "CN=victim CA".into(),
            certs: 0,
        })
    );

    // Even under the issuer's own name: the name matches, the issuer's key did not sign it.
    let impostor = pki.stranger("impostor", &responder_params("victim CA", true));
    assert_eq!(
        unauthorised(pki.check(&pki.for_leaf(&impostor, &[]))),
        ("CN=victim CA".into(), Unauthorised::NotIssuedByIssuer)
    );
}

#[test]
fn an_expired_or_not_yet_valid_responder_is_unauthorised() {
    let pki = Pki::new("dated", Alg::P256);
    let day = Duration::days(1);
    let t = OffsetDateTime::now_utc();
    let mut p = responder_params("old responder", true);
    (p.not_before, p.not_after) = (t - day * 30, t - day);
    let old = pki.issue("old", &p);
    let (who, why) = unauthorised(pki.check(&pki.for_leaf(&old, &[])));
    assert_eq!(who, "CN=old responder");
    let Unauthorised::Expired { not_after } = why else {
        panic!("expected Expired, got {why:?}");
    };
    assert!(not_after < now());

    let mut p = responder_params("early responder", true);
    (p.not_before, p.not_after) = (t + day, t + day * 30);
    let early = pki.issue("early", &p);
    let (_, why) = unauthorised(pki.check(&pki.for_leaf(&early, &[])));
    assert!(matches!(why, Unauthorised::NotYetValid { .. }), "{why:?}");

    let fault = pki.check(&pki.for_leaf(&old, &[])).expect_err("expired");
    assert!(
        fault.message().contains("expired on"),
        "{}",
        fault.message()
    );
}

#[test]
fn a_response_for_another_serial_is_the_wrong_certificate() {
    let pki = Pki::new("busy", Alg::P256);
    let staple = pki.respond(&pki.ca, &[], &["-serial", OTHER_SERIAL]);
    let fault = pki.check(&staple).expect_err("another serial");
    assert_eq!(
        fault,
        StapleFault::WrongCertificate {
            serial_in_staple: "3c4d".into(),
            leaf_serial: "1a2b".into(),
            other_issuer: false,
        }
    );
    assert_eq!(
        fault.message(),
        "the stapled OCSP response is for certificate serial 3c4d, not for this certificate \
         (serial 1a2b); the server is stapling a stale or wrong response"
    );
}

#[test]
fn a_response_from_another_ca_for_the_same_serial_is_the_wrong_certificate() {
    let ours = Pki::new("ours", Alg::P256);
    let theirs = Pki::new("theirs", Alg::P256);
    for extra in [&[][..], &["-sha256"]] {
        let staple = theirs.for_leaf(&theirs.ca, extra);
        assert_eq!(
            ours.check(&staple),
            Err(StapleFault::WrongCertificate {
                serial_in_staple: "1a2b".into(),
                leaf_serial: "1a2b".into(),
                other_issuer: true,
            }),
            "{extra:?}"
        );
    }
}

#[test]
fn sha2_cert_ids_are_checked_too() {
    let pki = Pki::new("modern", Alg::P256);
    let sha2 = |n: u8| vec![0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, n];
    // The digest option sets the request's CertID hash, which the response copies.
    let cases: [(&[&str], Vec<u8>); 4] = [
        (&[], vec![0x2b, 0x0e, 0x03, 0x02, 0x1a]),
        (&["-sha256"], sha2(1)),
        (&["-sha384"], sha2(2)),
        (&["-sha512"], sha2(3)),
    ];
    for (extra, oid) in cases {
        let staple = pki.for_leaf(&pki.ca, extra);
        let basic = ocsp::read(&staple).expect("reads");
        let cert_id = &basic.responses[0].cert_id;
        assert_eq!(
            (cert_id.hash_oid, cert_id.hash().is_some()),
            (&oid[..], true),
            "{extra:?}"
        );
        assert_eq!(pki.check(&staple), Ok(()), "{extra:?}");
    }
    let md5 = pki.for_leaf(&pki.ca, &["-md5"]);
    assert_eq!(
        pki.check(&md5),
        Err(StapleFault::Unreadable {
            why: Unreadable::UnsupportedHash("1.2.840.113549.2.5".into())
        })
    );
}

/// OpenSSL 3.0's `-rcid` (a CertID hash for the response alone) writes serial 0 into the
/// CertID: a "good" for no certificate, which must not pass for the leaf.
#[test]
fn openssl_rcid_names_serial_zero_and_is_the_wrong_certificate() {
    let pki = Pki::new("rcid", Alg::P256);
    let staple = pki.for_leaf(&pki.ca, &["-rcid", "sha256"]);
    assert_eq!(
        pki.check(&staple),
        Err(StapleFault::WrongCertificate {
            serial_in_staple: "00".into(),
            leaf_serial: "1a2b".into(),
            other_issuer: false,
        })
    );
}

#[test]
fn the_leafs_own_response_is_found_among_several() {
    let pki = Pki::new("batch", Alg::P256);
    let staple = pki.respond(
        &pki.ca,
        &[],
        &["-serial", OTHER_SERIAL, "-cert", &pki.leaf.cert],
    );
    let basic = ocsp::read(&staple).expect("reads");
    assert_eq!(basic.responses.len(), 2);
    assert!(matches!(
        basic.responses[0].status,
        CertStatus::Revoked { at: Some(_) }
    ));
    assert_eq!(pki.check(&staple), Ok(()));
    assert_eq!(
        ocsp::parse(&staple).map(|s| s.status),
        Some(OcspStatus::Revoked)
    );
    for issuer in [Some(&pki.ca.der[..]), None] {
        let leafs = ocsp::parse_for(&staple, &pki.leaf.der, issuer);
        assert_eq!(
            leafs.map(|s| s.status),
            Some(OcspStatus::Good),
            "{issuer:?}"
        );
    }
}

#[test]
fn a_genuine_revoked_response_passes_the_check() {
    let pki = Pki::new("strict", Alg::P256);
    let staple = pki.respond(&pki.ca, &[], &["-serial", OTHER_SERIAL]);
    let mut other = params("other.example");
    other.serial_number = Some(SerialNumber::from_slice(&[0x3c, 0x4d]));
    let other = pki.issue("other", &other);
    assert_eq!(check(&staple, &other.der, Some(&pki.ca.der), now()), Ok(()));
    let staple = ocsp::parse_for(&staple, &other.der, Some(&pki.ca.der)).expect("parses");
    assert_eq!(staple.status, OcspStatus::Revoked);
    assert_eq!(
        staple.revoked_at.map(crate::cert::rfc3339).as_deref(),
        Some("2025-01-01T00:00:00Z")
    );
}

#[test]
fn a_tampered_signature_or_body_is_a_bad_signature() {
    let pki = Pki::new("tamper", Alg::P256);
    let staple = pki.for_leaf(&pki.ca, &[]);
    let (tbs, signature) = ranges(&staple);
    let bad = StapleFault::BadSignature {
        algorithm: "ecdsa-with-SHA256".into(),
        issuer: "CN=tamper CA".into(),
        certs: 1,
    };
    // The last byte of the signature lies inside its last INTEGER: the DER stays valid.
    let mut tampered = staple.clone();
    tampered[signature.end - 1] ^= 1;
    assert_eq!(pki.check(&tampered), Err(bad.clone()));
    // The last digit of producedAt's seconds (the first GeneralizedTime, `YYYYMMDDHHMMSSZ`):
    // the DER stays valid, the signed bytes do not.
    let time = staple
        .windows(2)
        .position(|w| w == [0x18, 15])
        .expect("a GeneralizedTime");
    let at = time + 2 + 13;
    assert!(tbs.contains(&at));
    let mut tampered = staple.clone();
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    assert_eq!(pki.check(&tampered), Err(bad));
}

/// Where the tbsResponseData and the signature lie in `staple`.
fn ranges(staple: &[u8]) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let basic = ocsp::read(staple).expect("reads");
    let at = |part: &[u8]| {
        let start = part.as_ptr() as usize - staple.as_ptr() as usize;
        start..start + part.len()
    };
    (at(basic.tbs), at(basic.signature))
}

/// Flipping any bit the signature covers, or of the signature itself, never passes; flipping
/// anything anywhere never panics.
#[test]
fn no_flipped_bit_in_the_signed_part_passes() {
    let pki = Pki::new("flip", Alg::P256);
    let responder = pki.issue("flip-responder", &responder_params("flip responder", true));
    for staple in [pki.for_leaf(&pki.ca, &[]), pki.for_leaf(&responder, &[])] {
        let (tbs, signature) = ranges(&staple);
        for i in 0..staple.len() {
            let mut flipped = staple.clone();
            flipped[i] ^= 1 << (i % 8);
            let verdict = pki.check(&flipped);
            if tbs.contains(&i) || signature.contains(&i) {
                assert!(verdict.is_err(), "byte {i} flipped still passes");
            }
        }
    }
}

#[test]
fn an_algorithm_we_cannot_verify_is_named() {
    let pki = Pki::new("exotic", Alg::P256);
    let key = pki.dir.path().join("ed448.key");
    let cert = pki.dir.path().join("ed448.pem");
    let (key, cert) = (
        key.to_str().expect("utf-8").to_string(),
        cert.to_str().expect("utf-8").to_string(),
    );
    crate::testutil::openssl(
        pki.dir.path(),
        &[
            "req",
            "-x509",
            "-newkey",
            "ed448",
            "-nodes",
            "-subj",
            "/CN=ed448",
            "-days",
            "30",
            "-keyout",
            &key,
            "-out",
            &cert,
        ],
    );
    let ed448 = Party {
        der: Vec::new(),
        cert,
        key,
    };
    let fault = pki
        .check(&pki.for_leaf(&ed448, &[]))
        .expect_err("unverifiable");
    assert_eq!(
        fault,
        StapleFault::Unreadable {
            why: Unreadable::UnsupportedSignature("ED448".into())
        }
    );
}

#[test]
fn without_the_issuer_it_cannot_be_checked() {
    let pki = Pki::new("lonely", Alg::P256);
    let staple = pki.for_leaf(&pki.ca, &[]);
    assert_eq!(
        check(&staple, &pki.leaf.der, None, now()),
        Err(StapleFault::IssuerUnknown)
    );
    assert_eq!(
        check(&staple, &pki.leaf.der, Some(b"not a certificate"), now()),
        Err(StapleFault::IssuerUnknown)
    );
    // What cannot be read is named as such first: the staple is at fault whoever issued it.
    assert!(matches!(
        check(b"junk", &pki.leaf.der, None, now()),
        Err(StapleFault::Unreadable { .. })
    ));
}

#[test]
fn garbage_and_truncations_are_unreadable_never_a_panic() {
    let pki = Pki::new("garbage", Alg::P256);
    let staple = pki.for_leaf(&pki.ca, &[]);
    for n in 0..staple.len() {
        let verdict = pki.check(&staple[..n]);
        assert!(
            matches!(verdict, Err(StapleFault::Unreadable { .. })),
            "{n} bytes: {verdict:?}"
        );
    }
    let mut rng = crate::testutil::Rng(0x9e37_79b9_7f4a_7c15);
    for n in 0..3000usize {
        let seed = rng.next();
        let mut bytes: Vec<u8> = (0..n % 300).map(|i| (seed >> (i % 59)) as u8).collect();
        if let Some(b) = bytes.first_mut() {
            *b = 0x30;
        }
        let verdict = pki.check(&bytes);
        assert!(verdict.is_err(), "{bytes:02x?}");
        let _ = check(&staple, &bytes, Some(&bytes), now());
    }
    let try_later = [0x30, 0x03, 0x0a, 0x01, 0x03];
    let fault = pki.check(&try_later).expect_err("an error status");
    assert_eq!(
        fault,
        StapleFault::Unreadable {
            why: Unreadable::Read(ReadError::NotSuccessful(ResponseStatus(3)))
        }
    );
    assert!(fault.message().contains("tryLater"), "{}", fault.message());
}

#[test]
fn every_message_is_one_sentence() {
    let faults = [
        StapleFault::BadSignature {
            algorithm: "ED25519".into(),
            issuer: "CN=i".into(),
            certs: 2,
        },
        StapleFault::UnauthorisedResponder {
            responder: "CN=r".into(),
            issuer: "CN=i".into(),
            why: Unauthorised::NotIssuedByIssuer,
        },
        StapleFault::UnauthorisedResponder {
            responder: "CN=r".into(),
            issuer: "CN=i".into(),
            why: Unauthorised::NotYetValid { not_before: 0 },
        },
        StapleFault::WrongCertificate {
            serial_in_staple: "01".into(),
            leaf_serial: "01".into(),
            other_issuer: true,
        },
        StapleFault::Unreadable {
            why: Unreadable::Read(ReadError::Malformed("certs")),
        },
        StapleFault::Unreadable {
            why: Unreadable::Read(ReadError::NotBasic("1.2.3".into())),
        },
        StapleFault::IssuerUnknown,
    ];
    for f in faults {
        let m = f.message();
        assert!(m.starts_with("the ") || m.starts_with("a "), "{m}");
        assert!(!m.contains('\n') && !m.ends_with('.'), "{m}");
    }
}
