//! A server whose key is an RSA-PSS key, met over TLS 1.2: it signs its ServerKeyExchange
//! with an `rsa_pss_pss_*` scheme, which we offer (for TLS 1.3), but rustls 0.23 then refuses
//! as "signed with the wrong algorithm" before our verifier is asked (see `tls::pss_schemes`).
//! The server did nothing wrong, so say what happened instead of blaming it.

use rustls::PeerMisbehaved;

use crate::report::ErrorKind;
use crate::tls::{DriveError, RSA_PSS_PSS_SCHEMES};
use crate::wire::code_points::SignatureScheme;

/// Kind, message and hint when `err` is rustls refusing an `rsa_pss_pss_*` ServerKeyExchange
/// signature (`scheme`, as the transcript names it).
pub fn explain(
    err: &DriveError,
    scheme: Option<SignatureScheme>,
) -> Option<(ErrorKind, String, String)> {
    if !matches!(
        err,
        DriveError::Tls(rustls::Error::PeerMisbehaved(
            PeerMisbehaved::SignedKxWithWrongAlgorithm
        ))
    ) {
        return None;
    }
    let scheme = scheme?;
    RSA_PSS_PSS_SCHEMES
        .iter()
        .any(|s| SignatureScheme(u16::from(*s)) == scheme)
        .then(|| {
            (
                ErrorKind::Other,
                format!(
                    "the server signed its TLS 1.2 key exchange with {scheme}, as its RSA-PSS key requires, and rustls accepts that scheme only in TLS 1.3"
                ),
                "the server is not at fault; probe it with --tls1.3 (the certificates it sent are reported all the same)".to_string(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrong_algorithm() -> DriveError {
        DriveError::Tls(rustls::Error::PeerMisbehaved(
            PeerMisbehaved::SignedKxWithWrongAlgorithm,
        ))
    }

    #[test]
    fn only_an_rsa_pss_pss_scheme_refused_by_rustls_is_explained() {
        let (kind, message, hint) = explain(
            &wrong_algorithm(),
            Some(SignatureScheme::RSA_PSS_PSS_SHA256),
        )
        .expect("explained");
        assert_eq!(kind, ErrorKind::Other);
        assert!(message.contains("rsa_pss_pss_sha256"), "{message}");
        assert!(hint.contains("--tls1.3"), "{hint}");
        // A server signing with ECDSA under an RSA suite did break the protocol.
        assert!(explain(
            &wrong_algorithm(),
            Some(SignatureScheme::ECDSA_SECP256R1_SHA256)
        )
        .is_none());
        assert!(explain(&wrong_algorithm(), None).is_none());
        assert!(explain(
            &DriveError::Closed,
            Some(SignatureScheme::RSA_PSS_PSS_SHA256)
        )
        .is_none());
    }
}
