//! ClientHello and ServerHello (and HelloRetryRequest, a ServerHello in disguise).

use super::names::{
    cipher_suite_name, extension_name, group_name, signature_scheme_name, version_name,
};
use super::reader::Reader;
use crate::report::{ClientHelloFields, ServerHelloFields};

/// The random of a ServerHello that is really a HelloRetryRequest (RFC 8446 section 4.1.3).
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

const EXT_SERVER_NAME: u16 = 0;
const EXT_SUPPORTED_GROUPS: u16 = 10;
const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
const EXT_ALPN: u16 = 16;
const EXT_SUPPORTED_VERSIONS: u16 = 43;
const EXT_KEY_SHARE: u16 = 51;

pub(super) fn names(list: Vec<u16>, f: fn(u16) -> std::borrow::Cow<'static, str>) -> Vec<String> {
    list.into_iter().map(|v| f(v).into_owned()).collect()
}

pub(super) fn client_hello(body: &[u8]) -> Option<ClientHelloFields> {
    let mut r = Reader::new(body);
    let legacy_version = r.u16()?;
    r.bytes(32)?; // random
    r.vec8()?; // legacy_session_id
    let suites = r.vec16()?.u16s();
    r.vec8()?; // compression methods
    let mut out = ClientHelloFields {
        legacy_version: version_name(legacy_version).into_owned(),
        cipher_suites: names(suites, cipher_suite_name),
        ..Default::default()
    };
    let Some(mut exts) = r.vec16() else {
        return Some(out); // SSLv3-style hello without extensions
    };
    while let (Some(typ), Some(mut data)) = (exts.u16(), exts.vec16()) {
        out.extensions.push(extension_name(typ).into_owned());
        match typ {
            EXT_SERVER_NAME => {
                let mut list = data.vec16().unwrap_or(Reader::new(&[]));
                while let (Some(kind), Some(name)) = (list.u8(), list.vec16()) {
                    if kind == 0 {
                        out.sni = Some(String::from_utf8_lossy(name.rest()).into_owned());
                    }
                }
            }
            EXT_SUPPORTED_GROUPS => {
                out.groups = names(
                    data.vec16().map(Reader::u16s).unwrap_or_default(),
                    group_name,
                )
            }
            EXT_SIGNATURE_ALGORITHMS => {
                out.signature_algorithms = names(
                    data.vec16().map(Reader::u16s).unwrap_or_default(),
                    signature_scheme_name,
                )
            }
            EXT_ALPN => {
                let mut list = data.vec16().unwrap_or(Reader::new(&[]));
                while let Some(p) = list.vec8() {
                    out.alpn
                        .push(String::from_utf8_lossy(p.rest()).into_owned());
                }
            }
            EXT_SUPPORTED_VERSIONS => {
                let mut list = data.vec8().unwrap_or(Reader::new(&[]));
                while let Some(v) = list.u16() {
                    out.versions.push(version_name(v).into_owned());
                }
            }
            EXT_KEY_SHARE => {
                let mut list = data.vec16().unwrap_or(Reader::new(&[]));
                while let (Some(g), Some(_)) = (list.u16(), list.vec16()) {
                    out.key_share_groups.push(group_name(g).into_owned());
                }
            }
            _ => {}
        }
    }
    Some(out)
}

/// ServerHello fields, whether it is a HelloRetryRequest, and the version and suite chosen.
pub(super) fn server_hello(body: &[u8]) -> Option<(bool, ServerHelloFields, u16, u16)> {
    let mut r = Reader::new(body);
    let legacy_version = r.u16()?;
    let hrr = r.bytes(32)? == HRR_RANDOM;
    r.vec8()?;
    let suite = r.u16()?;
    r.u8()?;
    let mut version = legacy_version;
    let mut fields = ServerHelloFields {
        cipher_suite: cipher_suite_name(suite).into_owned(),
        ..Default::default()
    };
    if let Some(mut exts) = r.vec16() {
        while let (Some(typ), Some(mut data)) = (exts.u16(), exts.vec16()) {
            fields.extensions.push(extension_name(typ).into_owned());
            match typ {
                EXT_SUPPORTED_VERSIONS => version = data.u16().unwrap_or(version),
                // A ServerHello's key_share is one entry; a HelloRetryRequest's is just a group.
                EXT_KEY_SHARE => fields.group = data.u16().map(|g| group_name(g).into_owned()),
                _ => {}
            }
        }
    }
    fields.version = version_name(version).into_owned();
    Some((hrr, fields, version, suite))
}
