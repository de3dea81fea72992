//! A stapled OCSP response (RFC 6960). Pure; never panics.
//!
//! [`read`] takes a response apart into what a signature check needs ([`BasicResponse`]);
//! [`parse`] and [`parse_for`] give what the report shows ([`Staple`]). Whether the response
//! is to be believed is [`super::ocsp_check`]'s question: nothing here checks a signature.

mod cert_id;

pub use cert_id::{serial_hex, CertId, CertIdHash, Identity, UnsupportedHash};

use x509_parser::certificate::X509Certificate;
use x509_parser::prelude::FromDer;

use crate::der::{self, constructed, primitive, Tlv};

use crate::report::OcspStatus;

/// What the staple says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staple {
    pub status: OcspStatus,
    pub this_update: Option<i64>,
    pub next_update: Option<i64>,
    /// The responder: its name, or `key hash <hex>`.
    pub responder: Option<String>,
    pub revoked_at: Option<i64>,
    /// The SCT list extension (1.3.6.1.4.1.11129.2.4.5) of this SingleResponse: its value's
    /// contents, an OCTET STRING holding the TLS-encoded list (RFC 6962 §3.3); empty when
    /// absent.
    pub sct_list: Vec<u8>,
}

impl Staple {
    pub fn this_update_rfc3339(&self) -> Option<String> {
        self.this_update.map(crate::cert::rfc3339)
    }

    pub fn next_update_rfc3339(&self) -> Option<String> {
        self.next_update.map(crate::cert::rfc3339)
    }
}

/// A successful basic OCSP response, taken apart. Every slice borrows the staple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicResponse<'a> {
    /// tbsResponseData exactly as received, tag and length included: what the signature covers.
    pub tbs: &'a [u8],
    pub responder: ResponderId<'a>,
    /// At least one.
    pub responses: Vec<SingleResponse<'a>>,
    /// signatureAlgorithm: the whole AlgorithmIdentifier, DER.
    pub signature_algorithm: &'a [u8],
    /// The signature BIT STRING's bits, without its unused-bits byte.
    pub signature: &'a [u8],
    /// The `certs` field: each certificate's whole DER, in order, unparsed; empty when absent.
    pub certs: Vec<&'a [u8]>,
}

/// Who says they signed the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponderId<'a> {
    /// The responder certificate's subject, as a whole DER Name.
    ByName(&'a [u8]),
    /// SHA-1 of the responder's subjectPublicKey bits.
    ByKey(&'a [u8]),
}

/// The status of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleResponse<'a> {
    pub cert_id: CertId<'a>,
    pub status: CertStatus,
    /// `None` when the time does not read.
    pub this_update: Option<i64>,
    pub next_update: Option<i64>,
    /// The SCT list extension's value, as [`Staple::sct_list`]; `None` when absent.
    pub sct_list: Option<&'a [u8]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertStatus {
    Good,
    Revoked { at: Option<i64> },
    Unknown,
}

impl CertStatus {
    /// The report's code for this status.
    pub fn code(self) -> OcspStatus {
        match self {
            CertStatus::Good => OcspStatus::Good,
            CertStatus::Revoked { .. } => OcspStatus::Revoked,
            CertStatus::Unknown => OcspStatus::Unknown,
        }
    }
}

/// OCSPResponseStatus (RFC 6960 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseStatus(pub u8);

impl ResponseStatus {
    pub const SUCCESSFUL: ResponseStatus = ResponseStatus(0);

    /// The RFC's name, or the number.
    pub fn name(self) -> String {
        match self.0 {
            0 => "successful".into(),
            1 => "malformedRequest".into(),
            2 => "internalError".into(),
            3 => "tryLater".into(),
            5 => "sigRequired".into(),
            6 => "unauthorized".into(),
            n => format!("status {n}"),
        }
    }
}

/// Why a staple is not a basic response we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The DER does not have the shape RFC 6960 gives; names the part where it went wrong.
    Malformed(&'static str),
    /// The responder answered with an error status instead of a response.
    NotSuccessful(ResponseStatus),
    /// A response of another type than id-pkix-ocsp-basic, by dotted OID.
    NotBasic(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Malformed(part) => write!(f, "its {part} is malformed"),
            ReadError::NotSuccessful(s) => write!(f, "it is an error ({}), not a status", s.name()),
            ReadError::NotBasic(oid) => write!(f, "it is of type {oid}, not a basic OCSP response"),
        }
    }
}

/// id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1, DER contents.
const OCSP_BASIC: [u8; 9] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

/// Take a stapled OCSPResponse apart.
pub fn read(staple: &[u8]) -> Result<BasicResponse<'_>, ReadError> {
    use ReadError::Malformed;
    // OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED, responseBytes [0] EXPLICIT OPTIONAL }
    let (resp, _) = der::expect(der::SEQUENCE, staple).ok_or(Malformed("OCSPResponse"))?;
    let (status, rest) =
        der::expect(der::ENUMERATED, resp.body).ok_or(Malformed("responseStatus"))?;
    match status.body {
        [0] => {}
        [n] => return Err(ReadError::NotSuccessful(ResponseStatus(*n))),
        _ => return Err(Malformed("responseStatus")),
    }
    // ResponseBytes ::= SEQUENCE { responseType OID, response OCTET STRING }
    let bytes = der::expect(constructed(0), rest)
        .and_then(|(b, _)| der::expect(der::SEQUENCE, b.body))
        .ok_or(Malformed("responseBytes"))?
        .0;
    let (kind, rest) = der::expect(der::OID, bytes.body).ok_or(Malformed("responseType"))?;
    if kind.body != OCSP_BASIC {
        let oid = x509_parser::der_parser::oid::Oid::new(kind.body.into());
        return Err(ReadError::NotBasic(oid.to_id_string()));
    }
    let (octets, _) = der::expect(der::OCTET_STRING, rest).ok_or(Malformed("responseBytes"))?;
    basic(octets.body)
}

/// BasicOCSPResponse ::= SEQUENCE { tbsResponseData, signatureAlgorithm, signature BIT STRING,
/// certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
fn basic(der_bytes: &[u8]) -> Result<BasicResponse<'_>, ReadError> {
    use ReadError::Malformed;
    let (basic, _) = der::expect(der::SEQUENCE, der_bytes).ok_or(Malformed("BasicOCSPResponse"))?;
    let (tbs, rest) = der::expect(der::SEQUENCE, basic.body).ok_or(Malformed("tbsResponseData"))?;
    let (algorithm, rest) =
        der::expect(der::SEQUENCE, rest).ok_or(Malformed("signatureAlgorithm"))?;
    let (signature, rest) = der::expect(der::BIT_STRING, rest).ok_or(Malformed("signature"))?;
    // A signature is whole bytes: the unused-bits count must be 0.
    let signature = match signature.body.split_first() {
        Some((0, bits)) => bits,
        _ => return Err(Malformed("signature")),
    };
    let certs = match der::tlv(rest) {
        None => Vec::new(),
        Some((t, _)) if t.tag == constructed(0) => der::expect(der::SEQUENCE, t.body)
            .and_then(|(list, _)| der::children(list.body))
            .ok_or(Malformed("certs"))?
            .iter()
            .map(|c| c.raw)
            .collect(),
        Some(_) => return Err(Malformed("certs")),
    };
    let (responder, responses) = response_data(&tbs).ok_or(Malformed("tbsResponseData"))?;
    Ok(BasicResponse {
        tbs: tbs.raw,
        responder,
        responses,
        signature_algorithm: algorithm.raw,
        signature,
        certs,
    })
}

/// ResponseData ::= SEQUENCE { version [0] EXPLICIT DEFAULT v1, responderID, producedAt,
/// responses SEQUENCE OF SingleResponse, responseExtensions [1] EXPLICIT OPTIONAL }
fn response_data<'a>(tbs: &Tlv<'a>) -> Option<(ResponderId<'a>, Vec<SingleResponse<'a>>)> {
    let mut fields = der::children(tbs.body)?.into_iter().peekable();
    if fields.peek().is_some_and(|t| t.tag == constructed(0)) {
        fields.next();
    }
    let id = fields.next()?;
    let responder = match id.tag {
        t if t == constructed(1) => ResponderId::ByName(der::expect(der::SEQUENCE, id.body)?.0.raw),
        t if t == constructed(2) => {
            ResponderId::ByKey(der::expect(der::OCTET_STRING, id.body)?.0.body)
        }
        _ => return None,
    };
    let _produced_at = fields.next().filter(|t| t.tag == der::GENERALIZED_TIME)?;
    let list = fields.next().filter(|t| t.tag == der::SEQUENCE)?;
    let responses = der::children(list.body)?
        .iter()
        .map(single)
        .collect::<Option<Vec<_>>>()?;
    (!responses.is_empty()).then_some((responder, responses))
}

/// SingleResponse ::= SEQUENCE { certID, certStatus, thisUpdate, nextUpdate [0] EXPLICIT
/// OPTIONAL, singleExtensions [1] EXPLICIT OPTIONAL }
fn single<'a>(t: &Tlv<'a>) -> Option<SingleResponse<'a>> {
    if t.tag != der::SEQUENCE {
        return None;
    }
    let parts = der::children(t.body)?;
    let cert_id = CertId::read(parts.first()?)?;
    let status = parts.get(1)?;
    let status = match status.tag {
        // good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo, unknown [2] IMPLICIT NULL
        s if s == primitive(0) => CertStatus::Good,
        s if s == constructed(1) => CertStatus::Revoked {
            at: der::tlv(status.body).and_then(|(t, _)| der::time(&t)),
        },
        s if s == primitive(2) => CertStatus::Unknown,
        _ => return None,
    };
    let this_update = parts.get(2).filter(|t| t.tag == der::GENERALIZED_TIME)?;
    let next_update = parts
        .get(3)
        .filter(|t| t.tag == constructed(0))
        .and_then(|t| der::tlv(t.body))
        .and_then(|(t, _)| der::time(&t));
    let sct_list = parts
        .iter()
        .skip(3)
        .find(|t| t.tag == constructed(1))
        .and_then(|t| extension(t, &SCT_LIST));
    Some(SingleResponse {
        cert_id,
        status,
        this_update: der::time(this_update),
        next_update,
        sct_list,
    })
}

/// The OCSP SCT list extension's OID, 1.3.6.1.4.1.11129.2.4.5, DER contents.
const SCT_LIST: [u8; 10] = [0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x05];

/// The value (extnValue's contents) of the extension `oid` in `[n] EXPLICIT Extensions`,
/// where `Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue
/// OCTET STRING }`.
fn extension<'a>(explicit: &Tlv<'a>, oid: &[u8]) -> Option<&'a [u8]> {
    let (list, _) = der::expect(der::SEQUENCE, explicit.body)?;
    der::children(list.body)?.iter().find_map(|ext| {
        let fields = der::children(ext.body).filter(|_| ext.tag == der::SEQUENCE)?;
        let (id, value) = (fields.first()?, fields.last()?);
        (id.tag == der::OID && id.body == oid && value.tag == der::OCTET_STRING)
            .then_some(value.body)
    })
}

impl BasicResponse<'_> {
    /// The responder as the report names it: its name, or `key hash <hex>`.
    pub fn responder_name(&self) -> String {
        match self.responder {
            ResponderId::ByName(name) => x509_parser::x509::X509Name::from_der(name)
                .map_or_else(|_| "(unparseable name)".to_string(), |(_, n)| n.to_string()),
            ResponderId::ByKey(hash) => format!("key hash {}", crate::cert::hex(hash)),
        }
    }

    fn staple(&self, single: &SingleResponse<'_>) -> Staple {
        Staple {
            status: single.status.code(),
            this_update: single.this_update,
            next_update: single.next_update,
            responder: Some(self.responder_name()),
            revoked_at: match single.status {
                CertStatus::Revoked { at } => at,
                _ => None,
            },
            sct_list: single.sct_list.unwrap_or_default().to_vec(),
        }
    }
}

/// What a stapled OCSPResponse says, from its first SingleResponse; `None` when it is not a
/// successful basic response.
pub fn parse(der: &[u8]) -> Option<Staple> {
    let basic = read(der).ok()?;
    basic.responses.first().map(|s| basic.staple(s))
}

/// What a stapled OCSPResponse says about `leaf_der`: the SingleResponse whose CertID names it
/// (by serial alone when the issuer is not known), else the first one. `None` when it is not
/// a successful basic response.
pub fn parse_for(der: &[u8], leaf_der: &[u8], issuer_der: Option<&[u8]>) -> Option<Staple> {
    let basic = read(der).ok()?;
    let leaf = X509Certificate::from_der(leaf_der).ok().map(|(_, c)| c);
    let issuer = issuer_der
        .and_then(|d| X509Certificate::from_der(d).ok())
        .map(|(_, c)| c);
    let named = |s: &&SingleResponse<'_>| match (&leaf, &issuer) {
        (Some(leaf), Some(issuer)) => s.cert_id.names(&Identity::new(leaf, issuer)) == Ok(true),
        (Some(leaf), None) => s.cert_id.has_serial(leaf.raw_serial()),
        (None, _) => false,
    };
    let single = basic
        .responses
        .iter()
        .find(named)
        .or(basic.responses.first())?;
    Some(basic.staple(single))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same "random" bytes on every run.
    fn garbage(n: usize, rng: &mut crate::testutil::Rng) -> Vec<u8> {
        let s = rng.next();
        (0..n % 200).map(|i| (s >> (i % 57)) as u8).collect()
    }

    #[test]
    fn garbage_is_none_never_a_panic() {
        let mut rng = crate::testutil::Rng(0x2545_f491_4f6c_dd1d);
        for n in 0..5000usize {
            let mut bytes = garbage(n, &mut rng);
            if let Some(b) = bytes.first_mut() {
                *b = 0x30;
            }
            let _ = parse(&bytes);
            let _ = parse_for(&bytes, &bytes, Some(&bytes));
            let _ = read(&bytes);
        }
        assert_eq!(parse(&[]), None);
        assert_eq!(read(&[]), Err(ReadError::Malformed("OCSPResponse")));
    }

    #[test]
    fn an_error_status_is_named() {
        let try_later = [0x30, 0x03, 0x0a, 0x01, 0x03];
        assert_eq!(parse(&try_later), None);
        assert_eq!(
            read(&try_later),
            Err(ReadError::NotSuccessful(ResponseStatus(3)))
        );
        assert_eq!(
            read(&try_later).map(|_| ()).unwrap_err().to_string(),
            "it is an error (tryLater), not a status"
        );
    }

    #[test]
    fn another_response_type_is_named() {
        // responseType 1.3.6.1.5.5.7.48.1.2 (a nonce OID, not a response type)
        let mut oid = OCSP_BASIC;
        oid[8] = 2;
        let mut bytes = vec![0x06, 9];
        bytes.extend_from_slice(&oid);
        bytes.extend_from_slice(&[0x04, 0x00]);
        let mut inner = vec![0x30, bytes.len() as u8];
        inner.extend(bytes);
        let mut explicit0 = vec![0xa0, inner.len() as u8];
        explicit0.extend(inner);
        let mut resp = vec![0x0a, 0x01, 0x00];
        resp.extend(explicit0);
        let mut der = vec![0x30, resp.len() as u8];
        der.extend(resp);
        assert_eq!(
            read(&der),
            Err(ReadError::NotBasic("1.3.6.1.5.5.7.48.1.2".into()))
        );
    }
}
