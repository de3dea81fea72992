//! The authentication messages: Certificate, CertificateVerify and CertificateRequest.

use super::code_points::{CertificateType, ExtensionType, ProtocolVersion, SignatureScheme};
use super::error::{Error, Need};
use super::handshake::Read;
use super::hello::each_extension;
use super::reader::Reader;

/// What a certificate that x509-parser cannot read is called in `subjects`.
pub const UNPARSEABLE_CERTIFICATE: &str = "(unparseable certificate)";
/// What a distinguished name that x509-parser cannot read is called.
pub const UNPARSEABLE_NAME: &str = "(unparseable name)";

/// A Certificate message: how many certificates, and whose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Certificate {
    pub count: usize,
    /// Each certificate's subject as x509-parser prints it, or [`UNPARSEABLE_CERTIFICATE`].
    pub subjects: Vec<String>,
}

/// The signature over the handshake (TLS 1.3, or a client's in TLS 1.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateVerify {
    /// `None` before TLS 1.2, where the key implies it.
    pub signature_scheme: Option<SignatureScheme>,
}

/// The server asks the client for a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateRequest {
    /// Signature schemes the server accepts for the client's CertificateVerify.
    pub signature_algorithms: Vec<SignatureScheme>,
    /// Distinguished names of the CAs whose certificates the server accepts (empty: any), or
    /// [`UNPARSEABLE_NAME`].
    pub certificate_authorities: Vec<String>,
    /// TLS 1.2's certificate types; empty in TLS 1.3.
    pub certificate_types: Vec<CertificateType>,
}

/// RFC 5246 section 7.4.2 and RFC 8446 section 4.4.2 (which adds a request context and
/// per-certificate extensions).
pub(super) fn certificate(body: &[u8], tls13: bool) -> Read<Certificate> {
    let mut r = Reader::new(body);
    let head = (|| {
        if tls13 {
            r.vec8().need("certificate_request_context")?;
        }
        r.vec24().need("certificate_list")
    })();
    let framing = r.end("certificate_list");
    Read::of(
        head.map(|list| (list, Certificate::default())),
        |(list, out)| {
            each_certificate(list, tls13, |der| {
                out.count += 1;
                out.subjects.push(subject(der));
            })?;
            framing
        },
    )
    .map(|(_, fields)| fields)
}

/// Walk a certificate_list: each certificate's DER to `each`, in order (TLS 1.3's
/// per-certificate extensions skipped), until the list ends or a length points past it.
pub(super) fn each_certificate<'a>(
    list: &mut Reader<'a>,
    tls13: bool,
    mut each: impl FnMut(&'a [u8]),
) -> Result<(), Error> {
    while !list.is_empty() {
        each(list.vec24().need("cert_data")?.rest());
        if tls13 {
            list.vec16().need("certificate extensions")?;
        }
    }
    Ok(())
}

/// The subject of a DER certificate as a string, or a placeholder: a certificate we cannot
/// read is something to show, not a reason to fail.
fn subject(der: &[u8]) -> String {
    match x509_parser::parse_x509_certificate(der) {
        Ok((_, c)) => crate::cert::name_text(c.subject()),
        Err(_) => UNPARSEABLE_CERTIFICATE.to_string(),
    }
}

/// TLS 1.2 and 1.3 CertificateVerify: the scheme, then the signature. A TLS 1.0 or 1.1 one
/// (a client's) has only the signature, its scheme implied by the key.
pub(super) fn certificate_verify(
    body: &[u8],
    version: Option<ProtocolVersion>,
) -> Read<CertificateVerify> {
    let mut r = Reader::new(body);
    let head = match version {
        Some(v) if v < ProtocolVersion::TLS1_2 => Ok(CertificateVerify::default()),
        _ => r.u16().need("signature scheme").map(|s| CertificateVerify {
            signature_scheme: Some(SignatureScheme(s)),
        }),
    };
    Read::of(head, |_| {
        r.vec16().need("signature")?;
        r.end("signature")
    })
}

/// TLS 1.0-1.2 (RFC 5246 section 7.4.4; 1.0 and 1.1 have no signature algorithms) and TLS 1.3
/// (RFC 8446 section 4.3.2) CertificateRequest. `version` is the negotiated one, when known.
pub(super) fn certificate_request(
    body: &[u8],
    version: Option<ProtocolVersion>,
) -> Read<CertificateRequest> {
    let mut r = Reader::new(body);
    if version == Some(ProtocolVersion::TLS1_3) {
        let head = r
            .vec8()
            .need("certificate_request_context")
            .map(|_| CertificateRequest::default());
        return Read::of(head, |out| {
            let exts = r.vec16().need("extensions")?;
            let framing = r.end("extensions");
            let read = each_extension(exts, |typ, mut data| {
                match typ {
                    ExtensionType::SIGNATURE_ALGORITHMS => {
                        let list = data.vec16().need("signature_algorithms")?;
                        out.signature_algorithms = schemes(list)?;
                    }
                    ExtensionType::CERTIFICATE_AUTHORITIES => {
                        out.certificate_authorities =
                            distinguished_names(data.vec16().need("certificate_authorities")?)?;
                    }
                    _ => {}
                }
                Ok(())
            });
            read.and(framing)
        });
    }
    let head = r
        .vec8()
        .need("certificate_types")
        .map(|types| CertificateRequest {
            certificate_types: types.rest().iter().copied().map(CertificateType).collect(),
            ..Default::default()
        });
    Read::of(head, |out| {
        // Without a known version, guess TLS 1.2's layout when it accounts for every byte.
        let has_algorithms = match version {
            Some(v) => v >= ProtocolVersion::TLS1_2,
            None => {
                let mut ahead = r.clone();
                ahead.vec16().is_some() && ahead.vec16().is_some() && ahead.is_empty()
            }
        };
        if has_algorithms {
            out.signature_algorithms = schemes(r.vec16().need("signature_algorithms")?)?;
        }
        out.certificate_authorities =
            distinguished_names(r.vec16().need("certificate_authorities")?)?;
        r.end("certificate_authorities")
    })
}

fn schemes(list: Reader<'_>) -> Result<Vec<SignatureScheme>, Error> {
    list.list("signature_algorithms")
}

/// A list of DER DistinguishedNames, each with a two-byte length, as strings.
fn distinguished_names(mut list: Reader<'_>) -> Result<Vec<String>, Error> {
    use x509_parser::prelude::FromDer;
    let mut out = Vec::new();
    while !list.is_empty() {
        let dn = list.vec16().need("DistinguishedName")?;
        out.push(match x509_parser::x509::X509Name::from_der(dn.rest()) {
            Ok((_, name)) => crate::cert::name_text(&name),
            Err(_) => UNPARSEABLE_NAME.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_certificate_that_does_not_parse_is_named_not_fatal() {
        // TLS 1.2: one 3-byte "certificate".
        let read = certificate(&[0, 0, 6, 0, 0, 3, 1, 2, 3], false);
        assert_eq!(read.error, None);
        let c = read.fields.unwrap();
        assert_eq!(
            (c.count, c.subjects),
            (1, vec![UNPARSEABLE_CERTIFICATE.to_string()])
        );
        // TLS 1.3: empty context, one certificate whose extensions are cut off.
        let read = certificate(&[0, 0, 0, 5, 0, 0, 1, 9, 0], true);
        assert_eq!(read.error, Some(Error::Truncated("certificate extensions")));
        assert_eq!(read.fields.unwrap().count, 1);
        // An empty Certificate (a client with nothing to send).
        let read = certificate(&[0, 0, 0, 0], true);
        assert_eq!((read.fields.unwrap().count, read.error), (0, None));
    }

    #[test]
    fn certificate_verify_before_and_since_tls12() {
        let read = certificate_verify(&[8, 4, 0, 1, 9], Some(ProtocolVersion::TLS1_3));
        assert_eq!(read.error, None);
        let scheme = read.fields.unwrap().signature_scheme;
        assert_eq!(scheme, Some(SignatureScheme::RSA_PSS_RSAE_SHA256));
        let read = certificate_verify(&[0, 1, 9], Some(ProtocolVersion::TLS1_0));
        assert_eq!(
            (read.fields.unwrap().signature_scheme, read.error),
            (None, None)
        );
    }

    #[test]
    fn certificate_request_in_each_version() {
        // TLS 1.2: rsa_sign + ecdsa_sign, one scheme, no CAs.
        let body = [2, 1, 64, 0, 2, 4, 3, 0, 0];
        let read = certificate_request(&body, Some(ProtocolVersion::TLS1_2));
        assert_eq!(read.error, None);
        let f = read.fields.unwrap();
        assert_eq!(
            f.certificate_types,
            vec![CertificateType::RSA_SIGN, CertificateType::ECDSA_SIGN]
        );
        assert_eq!(
            f.signature_algorithms,
            vec![SignatureScheme::ECDSA_SECP256R1_SHA256]
        );
        // The same layout without a known version is recognised as TLS 1.2's.
        let unknown = certificate_request(&body, None).fields.unwrap();
        assert_eq!(unknown.signature_algorithms, f.signature_algorithms);
        // TLS 1.0: no signature algorithms; one CA name that does not parse.
        let read = certificate_request(
            &[1, 1, 0, 4, 0, 2, 0xff, 0xff],
            Some(ProtocolVersion::TLS1_0),
        );
        assert_eq!(read.error, None);
        assert_eq!(
            read.fields.unwrap().certificate_authorities,
            vec![UNPARSEABLE_NAME]
        );
        // TLS 1.3: empty context, signature_algorithms with ed25519.
        let read = certificate_request(
            &[0, 0, 8, 0, 13, 0, 4, 0, 2, 8, 7],
            Some(ProtocolVersion::TLS1_3),
        );
        assert_eq!(read.error, None);
        assert_eq!(
            read.fields.unwrap().signature_algorithms,
            vec![SignatureScheme::ED25519]
        );
    }
}
