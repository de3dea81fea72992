//! Build a ClientHello record byte by byte, with [`crate::wire`]'s codec (the same code points
//! and length-prefixed vectors its parsers read). Pure: no I/O.

use crate::wire::code_points::{
    CipherSuite, ExtensionType, HandshakeType, NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::wire::codec::{list, vec16, vec8, Codec};
use crate::wire::handshake::encode_message;
use crate::wire::record;

/// What to offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelloSpec {
    /// The highest version offered: SSL 3.0 to TLS 1.3. TLS 1.3 is offered through
    /// supported_versions, as RFC 8446 requires.
    pub version: ProtocolVersion,
    pub suites: Vec<CipherSuite>,
    pub sni: Option<String>,
    /// 32 random bytes (also used as the X25519 key share: the server never gets further than
    /// its ServerHello, so any 32 bytes do).
    pub random: [u8; 32],
    /// supported_groups; empty for [`DEFAULT_GROUPS`]. A TLS 1.3 hello carries an X25519 key
    /// share only when X25519 is among them, and otherwise none, so that a server that
    /// accepts one of the groups answers with a HelloRetryRequest naming it.
    pub groups: Vec<NamedGroup>,
    /// Ask for the server's OCSP staple (status_request, RFC 6066 section 8), as browsers do.
    pub status_request: bool,
    /// Ask for the SCTs of the server's certificate (signed_certificate_timestamp, RFC 6962
    /// section 3.3.1), as Chrome does.
    pub sct: bool,
    /// The ALPN protocols to offer, in order; none when empty.
    pub alpn: Vec<Vec<u8>>,
    /// What the scan's checks offer besides (none by default).
    pub extras: Extras,
}

/// Offers made only to see how a server answers them: the scan's checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extras {
    /// DEFLATE compression (method 1) before null: a server that takes it is open to CRIME.
    pub deflate: bool,
    /// The heartbeat extension (RFC 6520), mode peer_allowed_to_send.
    pub heartbeat: bool,
    /// An empty session_ticket extension (RFC 5077): a server that wants to issue one echoes it.
    pub session_ticket: bool,
    /// encrypt_then_mac (RFC 7366).
    pub encrypt_then_mac: bool,
    /// TLS_FALLBACK_SCSV (RFC 7507): this hello says it is a retry at a lower version than the
    /// client supports, which a server that knows better refuses (inappropriate_fallback).
    pub fallback_scsv: bool,
    /// signature_algorithms of these schemes alone, instead of every scheme: in TLS 1.2 they
    /// say which certificate the server may answer with (RSA, ECDSA, Ed25519).
    pub signature_schemes: Option<&'static [SignatureScheme]>,
    /// This hello renegotiates: renegotiation_info carries the client's verify_data of the
    /// handshake before (RFC 5746 section 3.5), and the SCSV is not sent.
    pub renegotiated_connection: Option<[u8; 12]>,
}

/// The versions as plain numbers, for the callers that still hold versions as `u16`.
pub const TLS13: u16 = ProtocolVersion::TLS1_3.0;
pub const TLS12: u16 = ProtocolVersion::TLS1_2.0;
pub const SSL3: u16 = ProtocolVersion::SSL3.0;

/// X25519, P-256, P-384, P-521, X448, ffdhe2048.
pub const DEFAULT_GROUPS: [NamedGroup; 6] = [
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
    NamedGroup::SECP521R1,
    NamedGroup::X448,
    NamedGroup::FFDHE2048,
];
const SIGNATURE_ALGORITHMS: [SignatureScheme; 15] = [
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::ECDSA_SECP521R1_SHA512,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    SignatureScheme::RSA_PKCS1_SHA256,
    SignatureScheme::RSA_PKCS1_SHA384,
    SignatureScheme::RSA_PKCS1_SHA512,
    SignatureScheme::ECDSA_SHA1,
    SignatureScheme::RSA_PKCS1_SHA1,
    SignatureScheme::DSA_SHA256,
    SignatureScheme::DSA_SHA1,
];
/// server_name's name type for a DNS host name.
const HOST_NAME: u8 = 0;
/// ec_point_formats' one format: uncompressed.
const UNCOMPRESSED: u8 = 0;
/// psk_key_exchange_modes' psk_dhe_ke.
const PSK_DHE_KE: u8 = 1;
/// status_request's status type: ocsp.
const OCSP: u8 = 1;
/// The null compression method, the only one offered unless [`Extras::deflate`].
const NULL_COMPRESSION: u8 = 0;
/// DEFLATE (RFC 3749).
pub const DEFLATE: u8 = 1;
/// The heartbeat extension's mode peer_allowed_to_send (RFC 6520 section 2).
const PEER_ALLOWED_TO_SEND: u8 = 1;

/// The whole record: header and ClientHello handshake message.
pub fn build(spec: &HelloSpec) -> Vec<u8> {
    let tls13 = spec.version == ProtocolVersion::TLS1_3;
    let mut msg = Vec::with_capacity(512);
    encode_message(HandshakeType::CLIENT_HELLO, &mut msg, |body| {
        spec.version.min(ProtocolVersion::TLS1_2).encode(body);
        body.extend_from_slice(&spec.random);
        // A 32-byte session id, as TLS 1.3 middlebox compatibility mode sends.
        vec8(body, |id| {
            if tls13 {
                id.extend_from_slice(&spec.random);
            }
        });
        vec16(body, |suites| {
            list(suites, &spec.suites);
            // Signal secure renegotiation (RFC 5746): some old servers refuse a hello without
            // it.
            if !tls13 && spec.extras.renegotiated_connection.is_none() {
                CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV.encode(suites);
            }
            if spec.extras.fallback_scsv {
                CipherSuite::TLS_FALLBACK_SCSV.encode(suites);
            }
        });
        vec8(body, |methods| {
            if spec.extras.deflate {
                DEFLATE.encode(methods);
            }
            NULL_COMPRESSION.encode(methods)
        });
        // SSL 3.0 servers may not parse extensions at all.
        if spec.version > ProtocolVersion::SSL3 {
            vec16(body, |exts| extensions(exts, spec));
        }
    });

    let record_version = if spec.version == ProtocolVersion::SSL3 {
        ProtocolVersion::SSL3
    } else {
        ProtocolVersion::TLS1_0
    };
    let mut out = Vec::with_capacity(msg.len() + 5);
    record::HANDSHAKE.encode(&mut out);
    record_version.encode(&mut out);
    vec16(&mut out, |fragment| fragment.extend_from_slice(&msg));
    out
}

fn extensions(out: &mut Vec<u8>, spec: &HelloSpec) {
    if let Some(name) = &spec.sni {
        extension(out, ExtensionType::SERVER_NAME, |data| {
            vec16(data, |names| {
                HOST_NAME.encode(names);
                vec16(names, |n| n.extend_from_slice(name.as_bytes()));
            });
        });
    }
    if spec.status_request {
        // ocsp, no responder ids, no request extensions.
        extension(out, ExtensionType::STATUS_REQUEST, |data| {
            OCSP.encode(data);
            vec16(data, |_| {});
            vec16(data, |_| {});
        });
    }
    if spec.sct {
        extension(out, ExtensionType::SIGNED_CERTIFICATE_TIMESTAMP, |_| {});
    }
    if !spec.alpn.is_empty() {
        extension(out, ExtensionType::ALPN, |data| {
            vec16(data, |names| {
                for name in &spec.alpn {
                    vec8(names, |n| n.extend_from_slice(name));
                }
            });
        });
    }
    let groups: &[NamedGroup] = if spec.groups.is_empty() {
        &DEFAULT_GROUPS
    } else {
        &spec.groups
    };
    extension(out, ExtensionType::SUPPORTED_GROUPS, |data| {
        vec16(data, |l| list(l, groups));
    });
    extension(out, ExtensionType::EC_POINT_FORMATS, |data| {
        vec8(data, |l| UNCOMPRESSED.encode(l));
    });
    if spec.version >= ProtocolVersion::TLS1_2 {
        extension(out, ExtensionType::SIGNATURE_ALGORITHMS, |data| {
            let schemes = spec
                .extras
                .signature_schemes
                .unwrap_or(&SIGNATURE_ALGORITHMS);
            vec16(data, |l| list(l, schemes));
        });
    }
    extension(out, ExtensionType::EXTENDED_MASTER_SECRET, |_| {});
    if spec.extras.heartbeat {
        extension(out, ExtensionType::HEARTBEAT, |data| {
            PEER_ALLOWED_TO_SEND.encode(data)
        });
    }
    if spec.extras.session_ticket {
        extension(out, ExtensionType::SESSION_TICKET, |_| {});
    }
    if spec.extras.encrypt_then_mac {
        extension(out, ExtensionType::ENCRYPT_THEN_MAC, |_| {});
    }
    // renegotiated_connection: empty in a first handshake.
    extension(out, ExtensionType::RENEGOTIATION_INFO, |data| {
        vec8(data, |d| {
            if let Some(verify_data) = spec.extras.renegotiated_connection {
                d.extend_from_slice(&verify_data);
            }
        })
    });
    if spec.version == ProtocolVersion::TLS1_3 {
        extension(out, ExtensionType::SUPPORTED_VERSIONS, |data| {
            vec8(data, |l| ProtocolVersion::TLS1_3.encode(l));
        });
        extension(out, ExtensionType::PSK_KEY_EXCHANGE_MODES, |data| {
            vec8(data, |l| PSK_DHE_KE.encode(l));
        });
        // An X25519 share, or none.
        extension(out, ExtensionType::KEY_SHARE, |data| {
            vec16(data, |shares| {
                if groups.contains(&NamedGroup::X25519) {
                    NamedGroup::X25519.encode(shares);
                    vec16(shares, |k| k.extend_from_slice(&spec.random));
                }
            });
        });
    }
}

fn extension(out: &mut Vec<u8>, typ: ExtensionType, data: impl FnOnce(&mut Vec<u8>)) {
    typ.encode(out);
    vec16(out, data);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::handshake::{parse_message, ClientHello, Context, Fields};

    fn parsed(spec: &HelloSpec) -> ClientHello {
        let rec = build(spec);
        assert_eq!(rec[0], 22);
        let len = usize::from(u16::from_be_bytes([rec[3], rec[4]]));
        assert_eq!(rec.len(), 5 + len, "record length");
        let body = &rec[9..];
        assert_eq!(rec[5], 1);
        let p = parse_message(HandshakeType::CLIENT_HELLO, body, &mut Context::default());
        assert_eq!(p.error, None);
        match p.fields {
            Fields::ClientHello(c) => c,
            other => panic!("{other:?}"),
        }
    }

    /// The bytes the builder wrote before it used the codec, for one hello of each shape.
    #[test]
    fn the_bytes_are_unchanged() {
        let tls13 = build(&HelloSpec {
            version: ProtocolVersion::TLS1_3,
            suites: vec![CipherSuite::TLS13_AES_128_GCM_SHA256],
            sni: Some("a.b".into()),
            random: [7; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        let mut want = vec![22, 3, 1, 0, 0xd7, 1, 0, 0, 0xd3, 3, 3];
        want.extend_from_slice(&[7; 32]);
        want.push(32);
        want.extend_from_slice(&[7; 32]);
        want.extend_from_slice(&[0, 2, 0x13, 1, 1, 0, 0, 0x88]);
        want.extend_from_slice(&[0, 0, 0, 8, 0, 6, 0, 0, 3, b'a', b'.', b'b']);
        want.extend_from_slice(&[0, 10, 0, 14, 0, 12, 0, 29, 0, 23, 0, 24, 0, 25, 0, 30, 1, 0]);
        want.extend_from_slice(&[0, 11, 0, 2, 1, 0]);
        want.extend_from_slice(&[0, 13, 0, 32, 0, 30]);
        for s in [
            0x0403u16, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0401, 0x0501,
            0x0601, 0x0203, 0x0201, 0x0402, 0x0202,
        ] {
            want.extend_from_slice(&s.to_be_bytes());
        }
        want.extend_from_slice(&[0, 23, 0, 0, 0xff, 0x01, 0, 1, 0]);
        want.extend_from_slice(&[0, 43, 0, 3, 2, 3, 4, 0, 45, 0, 2, 1, 1]);
        want.extend_from_slice(&[0, 51, 0, 38, 0, 36, 0, 29, 0, 32]);
        want.extend_from_slice(&[7; 32]);
        assert_eq!(tls13, want);

        let ssl3 = build(&HelloSpec {
            version: ProtocolVersion::SSL3,
            suites: vec![CipherSuite(0x000a)],
            sni: None,
            random: [2; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        let mut want = vec![22, 3, 0, 0, 47, 1, 0, 0, 43, 3, 0];
        want.extend_from_slice(&[2; 32]);
        want.extend_from_slice(&[0, 0, 4, 0, 0x0a, 0, 0xff, 1, 0]);
        assert_eq!(ssl3, want);
    }

    #[test]
    fn status_request_is_asked_for_only_when_wanted() {
        let spec = |status_request| HelloSpec {
            version: ProtocolVersion::TLS1_2,
            suites: vec![CipherSuite(0x002f)],
            sni: Some("example.com".into()),
            random: [7; 32],
            groups: vec![],
            status_request,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        };
        let asked = parsed(&spec(true));
        assert_eq!(asked.extensions[1], ExtensionType::STATUS_REQUEST);
        let plain = parsed(&spec(false));
        assert!(!plain.extensions.contains(&ExtensionType::STATUS_REQUEST));
        assert_eq!(asked.extensions.len(), plain.extensions.len() + 1);
        // ocsp, an empty responder id list, no request extensions.
        let bytes = build(&spec(true));
        assert!(bytes.windows(9).any(|w| w == [0, 5, 0, 5, 1, 0, 0, 0, 0]));
    }

    #[test]
    fn alpn_is_offered_in_order_when_asked() {
        let mut spec = HelloSpec {
            version: ProtocolVersion::TLS1_2,
            suites: vec![CipherSuite(0x002f)],
            sni: None,
            random: [7; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        };
        assert_eq!(parsed(&spec).alpn, vec!["h2", "http/1.1"]);
        spec.alpn.clear();
        assert!(!parsed(&spec).extensions.contains(&ExtensionType::ALPN));
    }

    #[test]
    fn our_own_parser_reads_what_the_builder_writes() {
        let tls13 = parsed(&HelloSpec {
            version: ProtocolVersion::TLS1_3,
            suites: vec![
                CipherSuite::TLS13_AES_128_GCM_SHA256,
                CipherSuite::TLS13_AES_256_GCM_SHA384,
            ],
            sni: Some("example.com".into()),
            random: [7; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        assert_eq!(tls13.versions, vec![ProtocolVersion::TLS1_3]);
        assert_eq!(
            tls13.cipher_suites,
            vec![
                CipherSuite::TLS13_AES_128_GCM_SHA256,
                CipherSuite::TLS13_AES_256_GCM_SHA384
            ]
        );
        assert_eq!(tls13.key_share_groups, vec![NamedGroup::X25519]);
        assert_eq!(tls13.sni.as_deref(), Some("example.com"));

        let tls10 = parsed(&HelloSpec {
            version: ProtocolVersion::TLS1_0,
            suites: vec![CipherSuite(0x002f)],
            sni: None,
            random: [1; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        assert_eq!(tls10.legacy_version, ProtocolVersion::TLS1_0);
        assert!(tls10.versions.is_empty());
        assert!(tls10.signature_algorithms.is_empty());
        assert_eq!(
            tls10.cipher_suites,
            vec![
                CipherSuite(0x002f),
                CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV
            ]
        );

        let ssl3 = parsed(&HelloSpec {
            version: ProtocolVersion::SSL3,
            suites: vec![CipherSuite(0x000a)],
            sni: None,
            random: [2; 32],
            groups: vec![],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        assert_eq!(ssl3.legacy_version, ProtocolVersion::SSL3);
        assert!(ssl3.extensions.is_empty());

        let p384_only = parsed(&HelloSpec {
            version: ProtocolVersion::TLS1_3,
            suites: vec![CipherSuite::TLS13_AES_128_GCM_SHA256],
            sni: None,
            random: [3; 32],
            groups: vec![NamedGroup::SECP384R1],
            status_request: false,
            sct: false,
            extras: Extras::default(),
            alpn: Vec::new(),
        });
        assert_eq!(p384_only.groups, vec![NamedGroup::SECP384R1]);
        assert!(
            p384_only.key_share_groups.is_empty(),
            "no share: the server must ask"
        );
    }
}
