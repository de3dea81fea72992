//! Certificate signatures that webpki's own algorithms cannot match: those made by issuers
//! whose key is an RSA-PSS key (SubjectPublicKeyInfo id-RSASSA-PSS, as `openssl genpkey
//! -algorithm RSA-PSS` and `certtool --key-type rsa-pss` make), and RSASSA-PSS signatures
//! encoded otherwise than the one form webpki knows.
//!
//! webpki picks an algorithm by comparing, byte for byte, the certificate's signatureAlgorithm
//! with [`SignatureVerificationAlgorithm::signature_alg_id`] and the issuer's key algorithm
//! with [`SignatureVerificationAlgorithm::public_key_alg_id`]. So every encoding met in
//! practice needs an algorithm of its own; these are the ones OpenSSL 3 and GnuTLS 3.7 write
//! (checked against their output in the tests below):
//!
//! - issuer key: rsaEncryption; id-RSASSA-PSS without parameters (no restriction); or
//!   id-RSASSA-PSS restricted to one hash, with MGF1 of that hash and a salt of the digest's
//!   length, hash identifiers with NULL parameters (OpenSSL) or none (GnuTLS).
//! - signature: RSASSA-PSS with MGF1 of the same hash and a salt of the digest's length, with
//!   NULL (OpenSSL) or absent (GnuTLS) hash parameters; or with the longest salt the issuer's
//!   modulus allows, which OpenSSL 3.0 uses by default when the key does not restrict it,
//!   for 2048-, 3072- and 4096-bit issuers.
//!
//! Not covered: keys restricted to MGF1 with SHA-1 (OpenSSL's `rsa_pss_keygen_md` alone),
//! whose signatures aws-lc-rs cannot verify; chains using them stay unverifiable.

use aws_lc_rs::signature::{
    RsaParameters, RsaPssSaltLength, UnparsedPublicKey, RSA_PSS_2048_8192_SHA256,
    RSA_PSS_2048_8192_SHA384, RSA_PSS_2048_8192_SHA512,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};

mod encoding;

use encoding::{pss, Der, Hash, HashParams, KEY_PSS_ANY, KEY_RSA};

/// The provider's algorithms, then ours: what chain building should accept.
pub fn signature_algorithms(
    provider: &CryptoProvider,
) -> Vec<&'static dyn SignatureVerificationAlgorithm> {
    provider
        .signature_verification_algorithms
        .all
        .iter()
        .copied()
        .chain(ours().map(|a| a as &'static dyn SignatureVerificationAlgorithm))
        .collect()
}

/// One (issuer key encoding, signature encoding) pair and how to verify it.
#[derive(Debug, Clone, Copy)]
struct PssAlgorithm {
    /// Contents of the issuer's SubjectPublicKeyInfo AlgorithmIdentifier.
    key: &'static Der,
    /// Contents of the certificate's signatureAlgorithm.
    signature: &'static Der,
    verify: &'static RsaParameters,
}

impl SignatureVerificationAlgorithm for PssAlgorithm {
    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        AlgorithmIdentifier::from_slice(self.key.as_slice())
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        AlgorithmIdentifier::from_slice(self.signature.as_slice())
    }

    /// `public_key` is the subjectPublicKey BIT STRING's contents: a PKCS #1 RSAPublicKey for
    /// rsaEncryption and id-RSASSA-PSS keys alike, which is what aws-lc-rs reads.
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        UnparsedPublicKey::new(self.verify, public_key)
            .verify(message, signature)
            .map_err(|_| InvalidSignature)
    }

    // Not FIPS: a salt longer than the digest is not FIPS-approved, and nothing here is
    // validated as such anyway.
    fn fips(&self) -> bool {
        false
    }
}

/// Every (key, signature) pair of `keys` and `signatures`.
const fn cross<const N: usize>(
    keys: &[&'static Der],
    signatures: &[(&'static Der, &'static RsaParameters)],
) -> [PssAlgorithm; N] {
    assert!(keys.len() * signatures.len() == N, "table size");
    let first = PssAlgorithm {
        key: keys[0],
        signature: signatures[0].0,
        verify: signatures[0].1,
    };
    let mut out = [first; N];
    let mut n = 0;
    let mut k = 0;
    while k < keys.len() {
        let mut s = 0;
        while s < signatures.len() {
            out[n] = PssAlgorithm {
                key: keys[k],
                signature: signatures[s].0,
                verify: signatures[s].1,
            };
            n += 1;
            s += 1;
        }
        k += 1;
    }
    out
}

/// The encodings and algorithms for one hash. A key restricted to that hash carries the same
/// AlgorithmIdentifier as a digest-salt signature with it, so those serve as keys too.
macro_rules! algorithms_for {
    ($module:ident, $hash:expr, $aws:path) => {
        mod $module {
            use super::*;

            const HASH: Hash = $hash;
            pub(super) static SIG_OPENSSL: Der = pss(HASH, HashParams::Null, HASH.len());
            static SIG_GNUTLS: Der = pss(HASH, HashParams::Absent, HASH.len());
            static SIG_MAX_2048: Der = pss(HASH, HashParams::Null, HASH.max_salt(2048));
            static SIG_MAX_3072: Der = pss(HASH, HashParams::Null, HASH.max_salt(3072));
            static SIG_MAX_4096: Der = pss(HASH, HashParams::Null, HASH.max_salt(4096));

            static DIGEST_SALT: RsaParameters = $aws;
            static MAX_SALT_2048: RsaParameters =
                $aws.with_pss_salt_length(RsaPssSaltLength::Custom(HASH.max_salt(2048)));
            static MAX_SALT_3072: RsaParameters =
                $aws.with_pss_salt_length(RsaPssSaltLength::Custom(HASH.max_salt(3072)));
            static MAX_SALT_4096: RsaParameters =
                $aws.with_pss_salt_length(RsaPssSaltLength::Custom(HASH.max_salt(4096)));

            /// Issuers with an id-RSASSA-PSS key, any of these signatures.
            pub(super) static PSS_KEYS: [PssAlgorithm; 15] = cross(
                &[&KEY_PSS_ANY, &SIG_OPENSSL, &SIG_GNUTLS],
                &[
                    (&SIG_OPENSSL, &DIGEST_SALT),
                    (&SIG_GNUTLS, &DIGEST_SALT),
                    (&SIG_MAX_2048, &MAX_SALT_2048),
                    (&SIG_MAX_3072, &MAX_SALT_3072),
                    (&SIG_MAX_4096, &MAX_SALT_4096),
                ],
            );

            /// Issuers with an rsaEncryption key: webpki already has OpenSSL's digest-salt
            /// encoding, not these.
            pub(super) static RSA_KEYS: [PssAlgorithm; 4] = cross(
                &[&KEY_RSA],
                &[
                    (&SIG_GNUTLS, &DIGEST_SALT),
                    (&SIG_MAX_2048, &MAX_SALT_2048),
                    (&SIG_MAX_3072, &MAX_SALT_3072),
                    (&SIG_MAX_4096, &MAX_SALT_4096),
                ],
            );
        }
    };
}

algorithms_for!(sha256, Hash::Sha256, RSA_PSS_2048_8192_SHA256);
algorithms_for!(sha384, Hash::Sha384, RSA_PSS_2048_8192_SHA384);
algorithms_for!(sha512, Hash::Sha512, RSA_PSS_2048_8192_SHA512);

/// All of ours, for [`signature_algorithms`].
fn ours() -> impl Iterator<Item = &'static PssAlgorithm> {
    [
        &sha256::PSS_KEYS[..],
        &sha256::RSA_KEYS[..],
        &sha384::PSS_KEYS[..],
        &sha384::RSA_KEYS[..],
        &sha512::PSS_KEYS[..],
        &sha512::RSA_KEYS[..],
    ]
    .into_iter()
    .flatten()
}

#[cfg(test)]
mod tests {
    use crate::testutil::openssl;
    use std::path::Path;

    use x509_parser::prelude::{FromDer, X509Certificate};

    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_openssl_digest_salt_form_is_the_one_webpki_has() {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let (_, algs) = provider
            .signature_verification_algorithms
            .mapping
            .iter()
            .find(|(scheme, _)| *scheme == rustls::SignatureScheme::RSA_PSS_SHA256)
            .expect("webpki has RSA-PSS SHA-256");
        let webpki_ids: Vec<_> = algs.iter().map(|a| a.signature_alg_id()).collect();
        assert!(webpki_ids.contains(&AlgorithmIdentifier::from_slice(
            sha256::SIG_OPENSSL.as_slice()
        )));
    }

    #[test]
    fn ours_follow_the_providers_and_no_pair_of_encodings_is_listed_twice() {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let all = signature_algorithms(&provider);
        let theirs = provider.signature_verification_algorithms.all.len();
        assert_eq!(all.len(), theirs + 3 * (15 + 4));
        let mut pairs: Vec<_> = all
            .iter()
            .map(|a| (a.public_key_alg_id(), a.signature_alg_id()))
            .collect();
        pairs.sort_by(|a, b| (a.0.as_ref(), a.1.as_ref()).cmp(&(b.0.as_ref(), b.1.as_ref())));
        let before = pairs.len();
        pairs.dedup();
        assert_eq!(
            pairs.len(),
            before,
            "a pair webpki already has, or one of ours twice"
        );
    }

    /// One DER TLV: (tag, contents, rest).
    fn tlv(der: &[u8]) -> (u8, &[u8], &[u8]) {
        let (len, header) = match der[1] {
            n if n < 0x80 => (usize::from(n), 2),
            0x81 => (usize::from(der[2]), 3),
            0x82 => (usize::from(u16::from_be_bytes([der[2], der[3]])), 4),
            other => panic!("length form {other:#x}"),
        };
        (der[0], &der[header..header + len], &der[header + len..])
    }

    /// A self-signed certificate from `openssl req -x509` over a key made with `genpkey`.
    fn openssl_cert(dir: &Path, genpkey: &[&str], req: &[&str]) -> Vec<u8> {
        let mut args = vec!["genpkey", "-out", "key.pem"];
        args.extend_from_slice(genpkey);
        openssl(dir, &args);
        let mut args = vec![
            "req", "-x509", "-key", "key.pem", "-subj", "/CN=pss", "-days", "1", "-outform", "DER",
            "-out", "cert.der",
        ];
        args.extend_from_slice(req);
        openssl(dir, &args);
        std::fs::read(dir.join("cert.der")).expect("read cert.der")
    }

    /// The algorithm webpki would pick for `der`'s own signature, and whether it verifies, and
    /// whether a changed message is refused.
    fn check_self_signature(der: &[u8]) -> (bool, bool) {
        let (_, cert_contents, _) = tlv(der);
        let (_, _, after_tbs) = tlv(cert_contents);
        let (_, sig_alg, _) = tlv(after_tbs);
        let (_, cert) = X509Certificate::from_der(der).expect("parse");
        let spki = cert.public_key();
        let (_, spki_contents, _) = tlv(spki.raw);
        let (_, key_alg, _) = tlv(spki_contents);
        let alg = ours()
            .find(|a| a.key.as_slice() == key_alg && a.signature.as_slice() == sig_alg)
            .unwrap_or_else(|| {
                panic!(
                    "no algorithm for key {} signature {}",
                    hex(key_alg),
                    hex(sig_alg)
                )
            });
        let key = &spki.subject_public_key.data;
        let tbs = cert.tbs_certificate.as_ref();
        let sig = &cert.signature_value.data;
        let good = alg.verify_signature(key, tbs, sig).is_ok();
        let mut changed = tbs.to_vec();
        if let Some(last) = changed.last_mut() {
            *last ^= 1;
        }
        (good, alg.verify_signature(key, &changed, sig).is_err())
    }

    #[test]
    fn openssl_pss_certificates_find_an_algorithm_that_verifies_them() {
        let cases: [(&[&str], &[&str]); 6] = [
            (&["-algorithm", "RSA-PSS"], &[]),
            (&["-algorithm", "RSA-PSS"], &["-sha384"]),
            (
                &["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:3072"],
                &["-sha512"],
            ),
            (
                &[
                    "-algorithm",
                    "RSA-PSS",
                    "-pkeyopt",
                    "rsa_pss_keygen_md:sha256",
                    "-pkeyopt",
                    "rsa_pss_keygen_mgf1_md:sha256",
                    "-pkeyopt",
                    "rsa_pss_keygen_saltlen:32",
                ],
                &[],
            ),
            // An rsaEncryption key signing with PSS: OpenSSL 3.0 takes the longest salt.
            (&["-algorithm", "RSA"], &["-sigopt", "rsa_padding_mode:pss"]),
            (
                &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
                &["-sigopt", "rsa_padding_mode:pss", "-sha384"],
            ),
        ];
        for (genpkey, req) in cases {
            let dir = tempfile::tempdir().expect("tempdir");
            let der = openssl_cert(dir.path(), genpkey, req);
            assert_eq!(
                check_self_signature(&der),
                (true, true),
                "{genpkey:?} {req:?}"
            );
        }
    }
}
