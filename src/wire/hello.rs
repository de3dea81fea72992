//! ClientHello and ServerHello (and HelloRetryRequest, a ServerHello in disguise), and the
//! extension walk they share with the other messages that carry extensions.

use super::code_points::{
    CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use super::error::{Error, Need};
use super::handshake::Read;
use super::reader::Reader;

/// The random of a ServerHello that is really a HelloRetryRequest (RFC 8446 section 4.1.3).
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// What a client offered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientHello {
    /// The record-layer-era version field (TLS 1.2 for every TLS 1.3 client).
    pub legacy_version: ProtocolVersion,
    /// From supported_versions; empty when the extension is absent.
    pub versions: Vec<ProtocolVersion>,
    pub cipher_suites: Vec<CipherSuite>,
    pub groups: Vec<NamedGroup>,
    pub key_share_groups: Vec<NamedGroup>,
    pub signature_algorithms: Vec<SignatureScheme>,
    pub alpn: Vec<String>,
    pub sni: Option<String>,
    /// In the order sent.
    pub extensions: Vec<ExtensionType>,
}

/// What a server chose (ServerHello and HelloRetryRequest).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerHello {
    /// The chosen version: supported_versions' when present, else the legacy field.
    pub version: ProtocolVersion,
    pub cipher_suite: CipherSuite,
    /// The key_share group (TLS 1.3), or the group a HelloRetryRequest asks for.
    pub group: Option<NamedGroup>,
    /// In the order sent.
    pub extensions: Vec<ExtensionType>,
    /// The random says this is a HelloRetryRequest.
    pub retry_request: bool,
    /// The ALPN protocol a TLS 1.2 server selected (TLS 1.3 says it in EncryptedExtensions).
    pub alpn: Option<String>,
    /// The signed_certificate_timestamp extension's body (RFC 6962 §3.3): the TLS-encoded
    /// SignedCertificateTimestampList, unread.
    pub sct_list: Option<Vec<u8>>,
    /// The compression method chosen: 0 (null), or 1 (DEFLATE) from a server that compresses.
    pub compression_method: u8,
    /// The heartbeat extension's mode (RFC 6520): 1 when the server lets us send heartbeats.
    pub heartbeat: Option<u8>,
}

/// Walk an extensions block (the bytes inside its length), calling `each` with every
/// extension's type and body. An extension whose body `each` cannot read does not stop the walk
/// (the framing says where the next one starts); the first such problem is returned at the end.
pub(super) fn each_extension<'a>(
    mut list: Reader<'a>,
    mut each: impl FnMut(ExtensionType, Reader<'a>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut first = Ok(());
    while !list.is_empty() {
        let framed = list
            .u16()
            .need("extension type")
            .and_then(|typ| Ok((ExtensionType(typ), list.vec16().need("extension")?)));
        let (typ, body) = match framed {
            Ok(f) => f,
            Err(e) => return first.and(Err(e)),
        };
        let read = each(typ, body);
        first = first.and(read);
    }
    first
}

/// A protocol name list (ALPN): each name with a one-byte length.
fn protocol_names(mut data: Reader<'_>) -> Result<Vec<String>, Error> {
    let mut list = data.vec16().need("protocol_name_list")?;
    data.end("protocol_name_list")?;
    let mut out = Vec::new();
    while !list.is_empty() {
        let name = list.vec8().need("protocol_name")?;
        out.push(String::from_utf8_lossy(name.rest()).into_owned());
    }
    Ok(out)
}

/// The one protocol a server selected (in EncryptedExtensions).
pub(super) fn selected_protocol(data: Reader<'_>) -> Result<Option<String>, Error> {
    protocol_names(data).map(|mut names| names.pop())
}

pub(super) fn client_hello(body: &[u8]) -> Read<ClientHello> {
    let mut r = Reader::new(body);
    let head = client_hello_head(&mut r);
    Read::of(head, |out| client_hello_extensions(&mut r, out))
}

fn client_hello_head(r: &mut Reader<'_>) -> Result<ClientHello, Error> {
    let legacy_version = r.u16().need("legacy_version")?;
    r.bytes(32).need("random")?;
    r.vec8().need("legacy_session_id")?;
    let suites = r.vec16().need("cipher_suites")?.list("cipher_suites")?;
    r.vec8().need("legacy_compression_methods")?;
    Ok(ClientHello {
        legacy_version: ProtocolVersion(legacy_version),
        cipher_suites: suites,
        ..Default::default()
    })
}

fn client_hello_extensions(r: &mut Reader<'_>, out: &mut ClientHello) -> Result<(), Error> {
    if r.is_empty() {
        return Ok(()); // an SSLv3-style hello without extensions
    }
    let exts = r.vec16().need("extensions")?;
    let framing = r.end("extensions");
    let read = each_extension(exts, |typ, mut data| {
        out.extensions.push(typ);
        match typ {
            ExtensionType::SERVER_NAME => {
                let mut list = data.vec16().need("server_name_list")?;
                while !list.is_empty() {
                    let kind = list.u8().need("server_name")?;
                    let name = list.vec16().need("server_name")?;
                    if kind == 0 {
                        out.sni = Some(String::from_utf8_lossy(name.rest()).into_owned());
                    }
                }
            }
            ExtensionType::SUPPORTED_GROUPS => {
                let list = data.vec16().need("supported_groups")?;
                out.groups = list.list("supported_groups")?;
            }
            ExtensionType::SIGNATURE_ALGORITHMS => {
                let list = data.vec16().need("signature_algorithms")?;
                out.signature_algorithms = list.list("signature_algorithms")?;
            }
            ExtensionType::ALPN => out.alpn = protocol_names(data)?,
            ExtensionType::SUPPORTED_VERSIONS => {
                let list = data.vec8().need("supported_versions")?;
                out.versions = list.list("supported_versions")?;
            }
            ExtensionType::KEY_SHARE => {
                let mut list = data.vec16().need("key_share")?;
                while !list.is_empty() {
                    let group = list.u16().need("key_share entry")?;
                    list.vec16().need("key_exchange")?;
                    out.key_share_groups.push(NamedGroup(group));
                }
            }
            _ => {}
        }
        Ok(())
    });
    read.and(framing)
}

pub(super) fn server_hello(body: &[u8]) -> Read<ServerHello> {
    let mut r = Reader::new(body);
    let head = server_hello_head(&mut r);
    Read::of(head, |out| server_hello_extensions(&mut r, out))
}

fn server_hello_head(r: &mut Reader<'_>) -> Result<ServerHello, Error> {
    let version = r.u16().need("legacy_version")?;
    let retry_request = r.bytes(32).need("random")? == HRR_RANDOM;
    r.vec8().need("legacy_session_id")?;
    let suite = r.u16().need("cipher_suite")?;
    let compression_method = r.u8().need("legacy_compression_method")?;
    Ok(ServerHello {
        version: ProtocolVersion(version),
        cipher_suite: CipherSuite(suite),
        retry_request,
        compression_method,
        ..Default::default()
    })
}

fn server_hello_extensions(r: &mut Reader<'_>, out: &mut ServerHello) -> Result<(), Error> {
    if r.is_empty() {
        return Ok(());
    }
    let exts = r.vec16().need("extensions")?;
    let framing = r.end("extensions");
    let read = each_extension(exts, |typ, mut data| {
        out.extensions.push(typ);
        match typ {
            ExtensionType::SUPPORTED_VERSIONS => {
                out.version = ProtocolVersion(data.u16().need("selected_version")?);
            }
            // A ServerHello's key_share is one entry; a HelloRetryRequest's is just the group.
            ExtensionType::KEY_SHARE => {
                out.group = Some(NamedGroup(data.u16().need("key_share")?));
            }
            ExtensionType::ALPN => out.alpn = selected_protocol(data)?,
            ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP => {
                out.sct_list = Some(data.rest().to_vec());
            }
            ExtensionType::HEARTBEAT => out.heartbeat = Some(data.u8().need("heartbeat mode")?),
            _ => {}
        }
        Ok(())
    });
    read.and(framing)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ClientHello body: TLS 1.2 legacy version, two suites, then `exts` as the extensions.
    fn client_hello_body(exts: &[u8]) -> Vec<u8> {
        let mut b = vec![3, 3];
        b.extend_from_slice(&[0; 32]);
        b.extend_from_slice(&[0, 0, 4, 0x13, 0x01, 0x0a, 0x0a, 1, 0]);
        b.extend_from_slice(&u16::try_from(exts.len()).unwrap().to_be_bytes());
        b.extend_from_slice(exts);
        b
    }

    #[test]
    fn reads_a_client_hello_and_keeps_what_came_before_a_bad_extension() {
        let sni = [0, 0, 0, 8, 0, 6, 0, 0, 3, b'a', b'.', b'b'];
        let alpn = [0, 16, 0, 5, 0, 3, 2, b'h', b'2'];
        let mut exts = [&sni[..], &alpn[..]].concat();
        let read = client_hello(&client_hello_body(&exts));
        let ch = read.fields.unwrap();
        assert_eq!(read.error, None);
        assert_eq!(ch.sni.as_deref(), Some("a.b"));
        assert_eq!(ch.alpn, vec!["h2"]);
        assert_eq!(
            ch.cipher_suites,
            vec![CipherSuite::TLS13_AES_128_GCM_SHA256, CipherSuite(0x0a0a)]
        );
        assert_eq!(
            ch.extensions,
            vec![ExtensionType::SERVER_NAME, ExtensionType::ALPN]
        );

        // supported_groups with an odd-length list, then ALPN: both named, the error kept.
        exts = [&[0, 10, 0, 3, 0, 1, 29][..], &alpn[..]].concat();
        let read = client_hello(&client_hello_body(&exts));
        assert_eq!(read.error, Some(Error::Truncated("supported_groups")));
        let ch = read.fields.unwrap();
        assert_eq!(ch.extensions.len(), 2);
        assert_eq!(ch.alpn, vec!["h2"]);

        let read = client_hello(&[3, 3, 0]);
        assert!(read.fields.is_none());
        assert_eq!(read.error, Some(Error::Truncated("random")));
    }

    #[test]
    fn reads_a_hello_retry_request() {
        let mut b = vec![3, 3];
        b.extend_from_slice(&HRR_RANDOM);
        b.extend_from_slice(&[0, 0x13, 0x02, 0]);
        b.extend_from_slice(&[0, 12, 0, 43, 0, 2, 3, 4, 0, 51, 0, 2, 0, 24]);
        let read = server_hello(&b);
        let sh = read.fields.unwrap();
        assert_eq!(read.error, None);
        assert!(sh.retry_request);
        assert_eq!(
            (sh.version, sh.cipher_suite),
            (
                ProtocolVersion::TLS1_3,
                CipherSuite::TLS13_AES_256_GCM_SHA384
            )
        );
        assert_eq!(sh.group, Some(NamedGroup::SECP384R1));
        assert_eq!(
            sh.extensions,
            vec![ExtensionType::SUPPORTED_VERSIONS, ExtensionType::KEY_SHARE]
        );
        // One byte too many after the extensions.
        b.push(0);
        assert_eq!(
            server_hello(&b).error,
            Some(Error::TrailingBytes {
                after: "extensions",
                extra: 1
            })
        );
    }
}
