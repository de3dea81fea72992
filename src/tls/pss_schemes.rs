//! The `rsa_pss_pss_*` TLS signature schemes (RFC 8446 section 4.2.3): RSASSA-PSS signatures by
//! a key whose SubjectPublicKeyInfo says id-RSASSA-PSS. Such a key can sign with nothing else,
//! and rustls offers no scheme for it, so without these a server holding one cannot be probed.
//!
//! What rustls 0.23 does with them: it has no names for 0x0809..0x080b (they are
//! `SignatureScheme::Unknown`), but offers whatever the verifier lists and, in TLS 1.3, hands
//! a CertificateVerify with any offered scheme to the verifier. In TLS 1.2 it checks the
//! ServerKeyExchange's scheme against the suite's signature algorithm before asking the
//! verifier, finds none for an unknown scheme and aborts with `SignedKxWithWrongAlgorithm`:
//! TLS 1.2 with an RSA-PSS key cannot complete, and [`verify`] is only reached in TLS 1.3.

use aws_lc_rs::signature::{
    RsaParameters, UnparsedPublicKey, RSA_PSS_2048_8192_SHA256, RSA_PSS_2048_8192_SHA384,
    RSA_PSS_2048_8192_SHA512,
};
use rustls::pki_types::CertificateDer;
use rustls::SignatureScheme;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::{
    Oid, OID_NIST_HASH_SHA256, OID_NIST_HASH_SHA384, OID_NIST_HASH_SHA512, OID_PKCS1_RSASSAPSS,
};
use x509_parser::prelude::FromDer;
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::SubjectPublicKeyInfo;

/// rsa_pss_pss_sha256, rsa_pss_pss_sha384, rsa_pss_pss_sha512.
pub const SCHEMES: [SignatureScheme; 3] = [
    SignatureScheme::Unknown(0x0809),
    SignatureScheme::Unknown(0x080a),
    SignatureScheme::Unknown(0x080b),
];

/// The hash of one of [`SCHEMES`].
struct SchemeHash {
    name: &'static str,
    oid: Oid<'static>,
    /// Digest length: TLS fixes the salt at this length.
    len: u32,
    verify: &'static RsaParameters,
}

fn scheme_hash(scheme: SignatureScheme) -> Option<SchemeHash> {
    Some(match u16::from(scheme) {
        0x0809 => SchemeHash {
            name: "SHA-256",
            oid: OID_NIST_HASH_SHA256,
            len: 32,
            verify: &RSA_PSS_2048_8192_SHA256,
        },
        0x080a => SchemeHash {
            name: "SHA-384",
            oid: OID_NIST_HASH_SHA384,
            len: 48,
            verify: &RSA_PSS_2048_8192_SHA384,
        },
        0x080b => SchemeHash {
            name: "SHA-512",
            oid: OID_NIST_HASH_SHA512,
            len: 64,
            verify: &RSA_PSS_2048_8192_SHA512,
        },
        _ => return None,
    })
}

/// Check a handshake signature made with one of [`SCHEMES`] under the leaf `cert`'s key.
/// `None` when `scheme` is not one of them; otherwise why the signature is refused, if it is.
pub(super) fn verify(
    scheme: SignatureScheme,
    message: &[u8],
    cert: &CertificateDer<'_>,
    signature: &[u8],
) -> Option<Result<(), String>> {
    let hash = scheme_hash(scheme)?;
    Some(verify_with(&hash, message, cert, signature))
}

fn verify_with(
    hash: &SchemeHash,
    message: &[u8],
    cert: &CertificateDer<'_>,
    signature: &[u8],
) -> Result<(), String> {
    let (_, cert) = X509Certificate::from_der(cert)
        .map_err(|e| format!("the leaf certificate cannot be parsed: {e}"))?;
    let spki = cert.public_key();
    let key_oid = &spki.algorithm.algorithm;
    if *key_oid != OID_PKCS1_RSASSAPSS {
        // RFC 8446 section 4.2.3: these schemes are for id-RSASSA-PSS keys only.
        return Err(format!(
            "rsa_pss_pss schemes need an RSA-PSS key (id-RSASSA-PSS), but the leaf's key is {key_oid}"
        ));
    }
    allowed_by_key(spki, hash)?;
    UnparsedPublicKey::new(hash.verify, &spki.subject_public_key.data)
        .verify(message, signature)
        .map_err(|_| {
            format!(
                "the RSASSA-PSS signature ({}, MGF1 with {}, {}-byte salt) does not verify",
                hash.name, hash.name, hash.len
            )
        })
}

/// Whether the key's RSASSA-PSS-params, when it has them, allow signing with `hash`: RFC 4055
/// section 3.1 binds the key to their hash and mask generation function, and makes their salt
/// length a minimum.
fn allowed_by_key(spki: &SubjectPublicKeyInfo<'_>, hash: &SchemeHash) -> Result<(), String> {
    let Some(params) = spki.algorithm.parameters.as_ref() else {
        return Ok(()); // no restriction
    };
    let params = RsaSsaPssParams::try_from(params)
        .map_err(|e| format!("the leaf's RSA-PSS key parameters cannot be read: {e}"))?;
    let key_hash = params.hash_algorithm_oid();
    if *key_hash != hash.oid {
        return Err(format!(
            "the leaf's RSA-PSS key is restricted to the hash {key_hash}, not {}",
            hash.name
        ));
    }
    let mgf = params
        .mask_gen_algorithm()
        .map_err(|e| format!("the leaf's RSA-PSS mask generation function cannot be read: {e}"))?;
    let (mgf_oid, mgf_hash) = (&mgf.mgf, &mgf.hash);
    if mgf_oid.as_bytes() != crate::cert::oids::MGF1 || *mgf_hash != hash.oid {
        return Err(format!(
            "the leaf's RSA-PSS key is restricted to the mask {mgf_oid} with {mgf_hash}, and TLS needs MGF1 with {}",
            hash.name
        ));
    }
    if params.salt_length() > hash.len {
        return Err(format!(
            "the leaf's RSA-PSS key needs salts of at least {} bytes, and TLS fixes it at {}",
            params.salt_length(),
            hash.len
        ));
    }
    if params.trailer_field() != 1 {
        return Err(format!(
            "the leaf's RSA-PSS key has trailer field {}, not 1",
            params.trailer_field()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::testutil::openssl;

    use super::*;

    /// A self-signed certificate for a key made by `genpkey` with `pkeyopts`, and a signature
    /// over `MESSAGE` by that key with `digest` and a digest-length salt, as TLS makes them.
    fn key_and_signature(pkeyopts: &[&str], algorithm: &str, digest: &str) -> (Vec<u8>, Vec<u8>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let mut args = vec!["genpkey", "-algorithm", algorithm, "-out", "key.pem"];
        for opt in pkeyopts {
            args.extend_from_slice(&["-pkeyopt", opt]);
        }
        openssl(d, &args);
        openssl(
            d,
            &[
                "req", "-x509", "-key", "key.pem", "-subj", "/CN=pss", "-days", "1", "-outform",
                "DER", "-out", "cert.der",
            ],
        );
        std::fs::write(d.join("message"), MESSAGE).expect("write message");
        openssl(
            d,
            &[
                "dgst",
                digest,
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:digest",
                "-sign",
                "key.pem",
                "-out",
                "sig",
                "message",
            ],
        );
        let read = |name: &str| std::fs::read(d.join(name)).expect("read");
        (read("cert.der"), read("sig"))
    }

    const MESSAGE: &[u8] = b"TLS 1.3, server CertificateVerify (stand-in)";
    const SHA256: SignatureScheme = SignatureScheme::Unknown(0x0809);
    const SHA384: SignatureScheme = SignatureScheme::Unknown(0x080a);

    fn check(scheme: SignatureScheme, cert: &[u8], sig: &[u8]) -> Result<(), String> {
        verify(scheme, MESSAGE, &CertificateDer::from(cert), sig).expect("one of ours")
    }

    #[test]
    fn only_the_three_rsa_pss_pss_schemes_are_ours() {
        let cert = CertificateDer::from(&b"not a certificate"[..]);
        for scheme in SCHEMES {
            assert!(verify(scheme, b"", &cert, b"").is_some(), "{scheme:?}");
        }
        assert!(verify(SignatureScheme::RSA_PSS_SHA256, b"", &cert, b"").is_none());
        assert!(verify(SignatureScheme::Unknown(0x080c), b"", &cert, b"").is_none());
        assert!(verify(SHA256, b"", &cert, b"")
            .expect("ours")
            .expect_err("garbage")
            .contains("cannot be parsed"));
    }

    #[test]
    fn an_unrestricted_pss_key_verifies_and_refuses_a_changed_message() {
        let (cert, sig) = key_and_signature(&[], "RSA-PSS", "-sha256");
        assert_eq!(check(SHA256, &cert, &sig), Ok(()));
        let why = verify(
            SHA256,
            b"another message",
            &CertificateDer::from(&cert[..]),
            &sig,
        )
        .expect("ours")
        .expect_err("changed message");
        assert!(why.contains("does not verify"), "{why}");
        // The same signature read as SHA-384 does not verify either.
        assert!(check(SHA384, &cert, &sig).is_err());
    }

    #[test]
    fn a_key_restricted_to_sha256_allows_only_sha256() {
        let opts = [
            "rsa_pss_keygen_md:sha256",
            "rsa_pss_keygen_mgf1_md:sha256",
            "rsa_pss_keygen_saltlen:32",
        ];
        let (cert, sig) = key_and_signature(&opts, "RSA-PSS", "-sha256");
        assert_eq!(check(SHA256, &cert, &sig), Ok(()));
        let why = check(SHA384, &cert, &sig).expect_err("restricted to SHA-256");
        assert!(
            why.contains("restricted to the hash 2.16.840.1.101.3.4.2.1"),
            "{why}"
        );
    }

    #[test]
    fn a_key_restricted_to_mgf1_with_sha1_cannot_sign_for_tls() {
        // `rsa_pss_keygen_md` alone leaves the mask at its default, MGF1 with SHA-1.
        let (cert, _) = key_and_signature(&["rsa_pss_keygen_md:sha256"], "RSA-PSS", "-sha256");
        let why = check(SHA256, &cert, b"").expect_err("MGF1 with SHA-1");
        assert!(why.contains("mask"), "{why}");
    }

    #[test]
    fn an_rsa_encryption_key_is_not_for_rsa_pss_pss() {
        let (cert, sig) = key_and_signature(&[], "RSA", "-sha256");
        let why = check(SHA256, &cert, &sig).expect_err("rsaEncryption key");
        assert!(why.contains("1.2.840.113549.1.1.1"), "{why}");
    }
}
