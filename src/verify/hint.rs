//! Stage 6: one sentence on what to do, for every verification error.

use crate::report::VerifyCode;

/// Where the certificate concerned sits, as far as the advice depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Leaf,
    Intermediate,
    /// The trust anchor (from the store, sent by the server too or not).
    Anchor,
    /// The chain as a whole (cert_index null).
    Elsewhere,
}

/// The hint for an error with `code` about a certificate at `place`. `from_server`: the chain
/// came from a server (a probe), not from files (`tlsprobe verify`).
pub fn hint(code: VerifyCode, place: Place, from_server: bool) -> String {
    use VerifyCode as C;
    let operator = if from_server {
        "the server's operator"
    } else {
        "its owner"
    };
    let s = match (code, place) {
        (C::Expired, Place::Leaf) => format!("{operator} must renew the certificate and install the new one; clients refuse it until then"),
        (C::Expired, Place::Intermediate) => "install the CA's current intermediate in place of the expired one (the CA's download page or the caIssuers URL has it)".to_string(),
        (C::Expired, Place::Anchor | Place::Elsewhere) => "replace the expired root in your trust store with the CA's current one".to_string(),
        (C::WeakKey, Place::Anchor) => "this root is too weak to trust: replace it in your trust store with the CA's current, stronger root".to_string(),
        (C::BadExtension, Place::Anchor) => "the root in your trust store breaks the X.509 profile strict clients enforce: replace it with the CA's current root".to_string(),
        (C::NotYetValid, _) => "check this machine's clock; if it is right, the certificate was installed before its start date".to_string(),
        (C::HostnameMismatch, _) => "use a name the certificate lists, or have it reissued with this name in its subject alternative names".to_string(),
        (C::UnknownIssuer, _) if from_server => "if the root is a private or corporate CA, pass it with --ca-file; otherwise the server must send its intermediates".to_string(),
        (C::UnknownIssuer, _) => "pass the root with --ca-file, or the missing intermediate with --untrusted".to_string(),
        (C::SelfSigned, _) => "trust this certificate explicitly with --ca-file, or replace it with one issued by a CA".to_string(),
        (C::IncompleteChain, _) if from_server => "configure the server to send the full chain (leaf first, then each intermediate), as the CA provides it".to_string(),
        (C::IncompleteChain, _) => "add the intermediate certificate with --untrusted".to_string(),
        (C::Revoked, _) => "the CA revoked this certificate: it must be replaced, not renewed in place".to_string(),
        (C::WeakSignature, _) => "have the certificate reissued with a SHA-256 (or stronger) signature".to_string(),
        (C::WeakKey, _) => "reissue the certificate with a 2048-bit or larger RSA key, or a P-256 or P-384 EC key".to_string(),
        (C::BadSignature, _) if from_server => "the certificate does not match the key or issuer it claims: check that the server serves the right certificate, key and chain files".to_string(),
        (C::BadSignature, _) => "the certificate does not match the issuer it names: the chain file holds the wrong issuer, or the certificate was altered".to_string(),
        (C::NotACa, _) => "the chain includes a certificate that is not a CA in an issuer's place: use the chain file the CA provided".to_string(),
        (C::BadUsage, Place::Leaf) => "have the certificate reissued for this purpose (extendedKeyUsage serverAuth for a server, clientAuth for a client)".to_string(),
        (C::BadUsage, _) => "a CA on the path is not allowed to issue certificates: its keyUsage lacks keyCertSign; use a chain from a proper CA".to_string(),
        (C::NameConstraints, _) => "the CA is constrained not to issue for this name: get the certificate from a CA allowed to issue for it".to_string(),
        (C::PathLength, _) => "the path has more intermediates than a CA allows: use a shorter chain from the CA".to_string(),
        (C::BadExtension, _) => "the certificate breaks the X.509 profile that strict clients enforce: have it reissued by a conforming CA".to_string(),
        (C::Malformed, _) => "the certificate is not valid X.509 and strict clients refuse it: have it reissued".to_string(),
        (C::BadOcspStaple, _) => "the server staples an OCSP response that does not prove this certificate's status: make it fetch a fresh response from its CA's responder".to_string(),
        (C::Other, _) => "compare with `openssl verify -show_chain` on the same chain to see which certificate is at fault".to_string(),
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_sentence() {
        use VerifyCode as C;
        for code in [
            C::Expired,
            C::NotYetValid,
            C::HostnameMismatch,
            C::UnknownIssuer,
            C::SelfSigned,
            C::IncompleteChain,
            C::Revoked,
            C::WeakSignature,
            C::WeakKey,
            C::BadSignature,
            C::NotACa,
            C::BadUsage,
            C::NameConstraints,
            C::PathLength,
            C::BadExtension,
            C::Malformed,
            C::BadOcspStaple,
            C::Other,
        ] {
            for place in [
                Place::Leaf,
                Place::Intermediate,
                Place::Anchor,
                Place::Elsewhere,
            ] {
                for from_server in [true, false] {
                    let h = hint(code, place, from_server);
                    assert!(!h.is_empty() && !h.contains(". "), "{code:?}: {h}");
                }
            }
        }
    }
}
