//! The authentication messages: Certificate, CertificateVerify, CertificateRequest, and TLS
//! 1.2's ServerKeyExchange.

use super::handshake::Context;
use super::names::{cipher_suite_name, group_name, signature_scheme_name};
use super::reader::Reader;
use crate::report::{
    CertificateFields, CertificateRequestFields, CertificateVerifyFields, ServerKeyExchangeFields,
};

pub(super) fn certificate(body: &[u8], tls13: bool) -> Option<CertificateFields> {
    let mut r = Reader::new(body);
    if tls13 {
        r.vec8()?; // certificate_request_context
    }
    let mut list = r.vec24()?;
    let mut out = CertificateFields::default();
    while let Some(der) = list.vec24() {
        if tls13 {
            list.vec16()?; // per-certificate extensions
        }
        out.count += 1;
        out.subjects.push(subject(der.rest()));
    }
    Some(out)
}

fn subject(der: &[u8]) -> String {
    use x509_parser::prelude::FromDer;
    match x509_parser::certificate::X509Certificate::from_der(der) {
        Ok((_, c)) => c.subject().to_string(),
        Err(_) => "(unparseable certificate)".to_string(),
    }
}

pub(super) fn server_key_exchange(body: &[u8], ctx: &Context) -> Option<ServerKeyExchangeFields> {
    let suite = cipher_suite_name(ctx.suite?);
    let mut r = Reader::new(body);
    let mut out = ServerKeyExchangeFields::default();
    if suite.contains("_ECDHE_") || suite.contains("_ECDH_anon_") {
        if r.u8()? != 3 {
            return Some(out); // explicit curves: named nothing
        }
        out.group = Some(group_name(r.u16()?).into_owned());
        r.vec8()?;
    } else if suite.contains("_DHE_") || suite.contains("_DH_anon_") {
        let p = r.vec16()?.rest();
        let leading = p.iter().position(|&b| b != 0).unwrap_or(p.len());
        let p = &p[leading..];
        let top_bits = p.first().map_or(0, |b| 8 - b.leading_zeros());
        out.dh_bits = u32::try_from(p.len().saturating_sub(1) * 8)
            .ok()
            .map(|b| b + top_bits);
        r.vec16()?;
        r.vec16()?;
    } else {
        return Some(out);
    }
    // TLS 1.2 names the signature scheme; TLS 1.0/1.1 imply it from the key.
    if ctx.version == Some(0x0303) && !suite.contains("_anon_") {
        out.signature_scheme = r.u16().map(|s| signature_scheme_name(s).into_owned());
    }
    Some(out)
}

pub(super) fn certificate_verify(body: &[u8]) -> Option<CertificateVerifyFields> {
    let scheme = Reader::new(body).u16()?;
    Some(CertificateVerifyFields {
        signature_scheme: Some(signature_scheme_name(scheme).into_owned()),
    })
}

const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
const EXT_CERTIFICATE_AUTHORITIES: u16 = 47;

/// TLS 1.2 (RFC 5246 section 7.4.4) and TLS 1.3 (RFC 8446 section 4.3.2) CertificateRequest.
pub(super) fn certificate_request(body: &[u8], tls13: bool) -> Option<CertificateRequestFields> {
    let mut r = Reader::new(body);
    let mut out = CertificateRequestFields::default();
    if tls13 {
        r.vec8()?; // certificate_request_context
        let mut exts = r.vec16()?;
        while let (Some(typ), Some(mut data)) = (exts.u16(), exts.vec16()) {
            match typ {
                EXT_SIGNATURE_ALGORITHMS => out.signature_algorithms = schemes(data.vec16()?),
                EXT_CERTIFICATE_AUTHORITIES => {
                    out.certificate_authorities = names_of(data.vec16()?)
                }
                _ => {}
            }
        }
    } else {
        let types = r.vec8()?;
        out.certificate_types = types
            .rest()
            .iter()
            .map(|t| certificate_type_name(*t))
            .collect();
        // TLS 1.0/1.1 have no signature_algorithms here; their next field is the CA list.
        let mut lookahead = r.clone();
        if let (Some(algs), Some(cas)) = (lookahead.vec16(), lookahead.vec16()) {
            if lookahead.is_empty() {
                out.signature_algorithms = schemes(algs);
                out.certificate_authorities = names_of(cas);
                return Some(out);
            }
        }
        out.certificate_authorities = names_of(r.vec16()?);
    }
    Some(out)
}

fn schemes(list: Reader<'_>) -> Vec<String> {
    list.u16s()
        .into_iter()
        .map(|s| signature_scheme_name(s).into_owned())
        .collect()
}

/// A list of DER DistinguishedNames, each with a two-byte length, as strings.
fn names_of(mut list: Reader<'_>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(dn) = list.vec16() {
        use x509_parser::prelude::FromDer;
        out.push(match x509_parser::x509::X509Name::from_der(dn.rest()) {
            Ok((_, name)) => name.to_string(),
            Err(_) => "(unparseable name)".to_string(),
        });
    }
    out
}

fn certificate_type_name(t: u8) -> String {
    match t {
        1 => "rsa_sign".into(),
        2 => "dss_sign".into(),
        3 => "rsa_fixed_dh".into(),
        4 => "dss_fixed_dh".into(),
        64 => "ecdsa_sign".into(),
        65 => "rsa_fixed_ecdh".into(),
        66 => "ecdsa_fixed_ecdh".into(),
        n => format!("0x{n:02x}"),
    }
}
