//! webpki's error on one candidate path, in the contract's terms: a code, the certificate it
//! concerns, and a sentence that names what is wrong without webpki's internal names.

use super::path_view::PathView;
use crate::report::VerifyCode;

/// A finding before it is placed in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub code: VerifyCode,
    pub cert_index: Option<usize>,
    pub message: String,
    /// About the trust anchor (served or not): the advice differs from an intermediate's.
    pub about_anchor: bool,
}

impl Fault {
    pub fn new(code: VerifyCode, cert_index: Option<usize>, message: String) -> Fault {
        Fault {
            code,
            cert_index,
            message,
            about_anchor: false,
        }
    }

    /// The same fault, marked as about the trust anchor.
    pub fn about_anchor(mut self) -> Fault {
        self.about_anchor = true;
        self
    }
}

/// Name webpki's error `e` on the path `p`. Time errors never come here (`build.rs` turns
/// them into `OnlyTime`); name errors neither (the name is checked on its own).
pub fn from_webpki(e: &webpki::Error, p: &PathView<'_>) -> Fault {
    use webpki::Error as E;
    use VerifyCode as C;
    let leaf = p.who(0);
    #[allow(deprecated)]
    match e {
        E::CaUsedAsEndEntity => Fault::new(
            C::BadUsage,
            Some(0),
            format!("{leaf} is a CA certificate (basicConstraints CA:TRUE) and cannot be used as a leaf"),
        ),
        E::EndEntityUsedAsCa => {
            let at = p.first_non_ca().unwrap_or_else(|| p.top());
            Fault::new(
                C::NotACa,
                Some(at),
                format!("{} issued another certificate but is not a CA (basicConstraints CA:FALSE or absent)", p.who(at)),
            )
        }
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) => {
            match super::webpki_gaps::eku_refuses(p) {
                Some(i) => super::webpki_gaps::eku_fault(p, i),
                None => Fault::new(
                    C::BadUsage,
                    Some(0),
                    format!("{leaf}'s extended key usage does not allow {}", p.purpose_words()),
                ),
            }
        }
        E::EmptyEkuExtension => Fault::new(
            C::BadUsage,
            Some(0),
            format!("{leaf} has an empty extendedKeyUsage extension, which allows nothing"),
        ),
        E::InvalidSignatureForPublicKey => {
            let at = p.first_bad_signature();
            let message = match at {
                Some(i) => format!("the signature on {} does not verify with its issuer's key", p.who(i)),
                None => "a certificate's signature does not verify with its issuer's key".to_string(),
            };
            Fault::new(C::BadSignature, at, message)
        }
        E::SignatureAlgorithmMismatch => Fault::new(
            C::Malformed,
            None,
            "a certificate's outer signature algorithm differs from the one in its signed part".to_string(),
        ),
        E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => Fault::new(
            C::WeakKey,
            None,
            "a certificate on the path has a key current clients refuse (a small or unusual RSA key, an explicit or weak curve, DSA)".to_string(),
        ),
        E::UnsupportedSignatureAlgorithm | E::UnsupportedSignatureAlgorithmContext(_) => Fault::new(
            C::WeakSignature,
            None,
            "a certificate on the path is signed with an algorithm current clients refuse".to_string(),
        ),
        E::NameConstraintViolation => Fault::new(
            C::NameConstraints,
            Some(0),
            format!("{leaf} has a name outside what a CA on the path may issue for (name constraints)"),
        ),
        E::MalformedNameConstraint | E::InvalidNetworkMaskConstraint => Fault::new(
            C::NameConstraints,
            None,
            "a CA on the path has malformed name constraints".to_string(),
        ),
        E::UnsupportedNameType => Fault::new(
            C::NameConstraints,
            Some(0),
            format!("{leaf} has a kind of name that a CA's name constraints restrict and that cannot be checked"),
        ),
        E::PathLenConstraintViolated | E::MaximumPathDepthExceeded => {
            let at = p.path_len_violator();
            Fault::new(
                C::PathLength,
                at,
                match at {
                    Some(i) => format!("the path has more CAs below {} than its pathLenConstraint allows", p.who(i)),
                    None => "the path is longer than a CA on it (or any client) allows".to_string(),
                },
            )
        }
        E::UnsupportedCriticalExtension => Fault::new(
            C::BadExtension,
            None,
            "a certificate on the path has a critical extension that clients do not know, so they must refuse it".to_string(),
        ),
        E::UnsupportedCertVersion => Fault::new(
            C::Malformed,
            None,
            "a certificate on the path is not an X.509 version 3 certificate".to_string(),
        ),
        E::InvalidCertValidity => Fault::new(
            C::Malformed,
            None,
            "a certificate on the path has a validity period that ends before it starts".to_string(),
        ),
        E::InvalidSerialNumber => Fault::new(
            C::Malformed,
            None,
            "a certificate on the path has an invalid serial number".to_string(),
        ),
        E::MalformedDnsIdentifier => Fault::new(
            C::BadExtension,
            Some(0),
            format!("{leaf} has a malformed DNS name in its subject alternative names"),
        ),
        E::MalformedExtensions | E::TrailingData(_) | E::ExtensionValueInvalid => Fault::new(
            C::BadExtension,
            None,
            "a certificate on the path has a malformed extension".to_string(),
        ),
        E::BadDer | E::BadDerTime => Fault::new(
            C::Malformed,
            None,
            "a certificate on the path is not valid DER".to_string(),
        ),
        E::CertRevoked => {
            let at = p.revoked_by_crl();
            Fault::new(
                C::Revoked,
                at,
                match at {
                    Some(i) => format!("{} is revoked by a CRL given with --crl-file", p.who(i)),
                    None => "a certificate on the path is revoked by a CRL given with --crl-file".to_string(),
                },
            )
        }
        E::CertDistrusted => Fault::new(
            C::UnknownIssuer,
            None,
            "a certificate on the path is distrusted".to_string(),
        ),
        E::UnknownIssuer => Fault::new(
            C::UnknownIssuer,
            Some(p.top()),
            format!("no trust anchor issued {}", p.who(p.top())),
        ),
        other => Fault::new(
            C::Other,
            None,
            format!("the chain does not verify ({})", plain(other)),
        ),
    }
}

/// webpki's Display is the variant's name; make it a phrase at least
/// ("UnknownRevocationStatus" -> "unknown revocation status").
fn plain(e: &webpki::Error) -> String {
    let raw = e.to_string();
    let head = raw.split(['(', ' ', '{']).next().unwrap_or(&raw);
    let mut out = String::new();
    for (i, ch) in head.chars().enumerate() {
        if ch.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words() {
        assert_eq!(
            plain(&webpki::Error::UnknownRevocationStatus),
            "unknown revocation status"
        );
    }
}
