//! Build a ClientHello record byte by byte. Pure: no I/O.

/// What to offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelloSpec {
    /// The highest version offered: 0x0300 (SSL 3.0) to 0x0304 (TLS 1.3). TLS 1.3 is offered
    /// through supported_versions, as RFC 8446 requires.
    pub version: u16,
    pub suites: Vec<u16>,
    pub sni: Option<String>,
    /// 32 random bytes (also used as the X25519 key share: the server never gets further than
    /// its ServerHello, so any 32 bytes do).
    pub random: [u8; 32],
    /// supported_groups; empty for [`DEFAULT_GROUPS`]. A TLS 1.3 hello carries an X25519 key
    /// share only when X25519 is among them, and otherwise none, so that a server that
    /// accepts one of the groups answers with a HelloRetryRequest naming it.
    pub groups: Vec<u16>,
}

pub const TLS13: u16 = 0x0304;
pub const TLS12: u16 = 0x0303;
pub const SSL3: u16 = 0x0300;

/// X25519, P-256, P-384, P-521, X448, ffdhe2048.
pub const DEFAULT_GROUPS: [u16; 6] = [29, 23, 24, 25, 30, 256];
const X25519: u16 = 29;
const SIGNATURE_ALGORITHMS: [u16; 15] = [
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0807, 0x0808, 0x0401, 0x0501, 0x0601, 0x0203,
    0x0201, 0x0402, 0x0202,
];

/// The whole record: header and ClientHello handshake message.
pub fn build(spec: &HelloSpec) -> Vec<u8> {
    let legacy_version = spec.version.min(TLS12);
    let mut body = Vec::with_capacity(512);
    body.extend_from_slice(&legacy_version.to_be_bytes());
    body.extend_from_slice(&spec.random);
    // A 32-byte session id, as TLS 1.3 middlebox compatibility mode sends.
    if spec.version == TLS13 {
        body.push(32);
        body.extend_from_slice(&spec.random);
    } else {
        body.push(0);
    }
    let mut suites: Vec<u8> = spec.suites.iter().flat_map(|s| s.to_be_bytes()).collect();
    // Signal secure renegotiation (RFC 5746): some old servers refuse a hello without it.
    if spec.version < TLS13 {
        suites.extend_from_slice(&[0x00, 0xff]);
    }
    push_vec16(&mut body, &suites);
    body.extend_from_slice(&[1, 0]); // compression: null only
                                     // SSL 3.0 servers may not parse extensions at all.
    if spec.version > SSL3 {
        push_vec16(&mut body, &extensions(spec));
    }

    let mut msg = Vec::with_capacity(body.len() + 4);
    msg.push(1); // client_hello
    msg.extend_from_slice(&u24(body.len()));
    msg.extend_from_slice(&body);

    let record_version: u16 = if spec.version == SSL3 { SSL3 } else { 0x0301 };
    let mut record = Vec::with_capacity(msg.len() + 5);
    record.push(22);
    record.extend_from_slice(&record_version.to_be_bytes());
    record.extend_from_slice(&u16::try_from(msg.len()).unwrap_or(u16::MAX).to_be_bytes());
    record.extend_from_slice(&msg);
    record
}

fn extensions(spec: &HelloSpec) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    if let Some(name) = &spec.sni {
        let mut entry = vec![0u8]; // host_name
        push_vec16(&mut entry, name.as_bytes());
        let mut list = Vec::new();
        push_vec16(&mut list, &entry);
        extension(&mut out, 0, &list);
    }
    let groups: &[u16] = if spec.groups.is_empty() {
        &DEFAULT_GROUPS
    } else {
        &spec.groups
    };
    let share_x25519 = groups.contains(&X25519);
    let groups: Vec<u8> = groups.iter().flat_map(|g| g.to_be_bytes()).collect();
    let mut data = Vec::new();
    push_vec16(&mut data, &groups);
    extension(&mut out, 10, &data); // supported_groups
    extension(&mut out, 11, &[1, 0]); // ec_point_formats: uncompressed
    if spec.version >= TLS12 {
        let algs: Vec<u8> = SIGNATURE_ALGORITHMS
            .iter()
            .flat_map(|a| a.to_be_bytes())
            .collect();
        let mut data = Vec::new();
        push_vec16(&mut data, &algs);
        extension(&mut out, 13, &data); // signature_algorithms
    }
    extension(&mut out, 23, &[]); // extended_master_secret
    extension(&mut out, 65281, &[0]); // renegotiation_info, empty
    if spec.version == TLS13 {
        extension(&mut out, 43, &[2, 0x03, 0x04]); // supported_versions: TLS 1.3
        extension(&mut out, 45, &[1, 1]); // psk_key_exchange_modes: psk_dhe_ke
        let mut share = Vec::new();
        if share_x25519 {
            share.extend_from_slice(&X25519.to_be_bytes());
            push_vec16(&mut share, &spec.random);
        }
        let mut data = Vec::new();
        push_vec16(&mut data, &share);
        extension(&mut out, 51, &data); // key_share: X25519, or none
    }
    out
}

fn extension(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend_from_slice(&typ.to_be_bytes());
    push_vec16(out, data);
}

fn push_vec16(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&u16::try_from(data.len()).unwrap_or(u16::MAX).to_be_bytes());
    out.extend_from_slice(data);
}

fn u24(n: usize) -> [u8; 3] {
    let n = u32::try_from(n).unwrap_or(u32::MAX).min(0xff_ffff);
    let b = n.to_be_bytes();
    [b[1], b[2], b[3]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::MessageFields;
    use crate::wire::handshake::{parse, Context};

    fn parsed(spec: &HelloSpec) -> crate::report::ClientHelloFields {
        let rec = build(spec);
        assert_eq!(rec[0], 22);
        let len = usize::from(u16::from_be_bytes([rec[3], rec[4]]));
        assert_eq!(rec.len(), 5 + len, "record length");
        let body = &rec[9..];
        assert_eq!(rec[5], 1);
        match parse(1, body, &mut Context::default()).1 {
            MessageFields::ClientHello(c) => c,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn our_own_parser_reads_what_the_builder_writes() {
        let tls13 = parsed(&HelloSpec {
            version: TLS13,
            suites: vec![0x1301, 0x1302],
            sni: Some("example.com".into()),
            random: [7; 32],
            groups: vec![],
        });
        assert_eq!(tls13.versions, vec!["TLSv1.3"]);
        assert_eq!(
            tls13.cipher_suites,
            vec!["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]
        );
        assert_eq!(tls13.key_share_groups, vec!["X25519"]);
        assert_eq!(tls13.sni.as_deref(), Some("example.com"));

        let tls10 = parsed(&HelloSpec {
            version: 0x0301,
            suites: vec![0x002f],
            sni: None,
            random: [1; 32],
            groups: vec![],
        });
        assert_eq!(tls10.legacy_version, "TLSv1.0");
        assert!(tls10.versions.is_empty());
        assert!(tls10.signature_algorithms.is_empty());
        assert_eq!(
            tls10.cipher_suites,
            vec![
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
            ]
        );

        let ssl3 = parsed(&HelloSpec {
            version: SSL3,
            suites: vec![0x000a],
            sni: None,
            random: [2; 32],
            groups: vec![],
        });
        assert_eq!(ssl3.legacy_version, "SSLv3");
        assert!(ssl3.extensions.is_empty());

        let p384_only = parsed(&HelloSpec {
            version: TLS13,
            suites: vec![0x1301],
            sni: None,
            random: [3; 32],
            groups: vec![24],
        });
        assert_eq!(p384_only.groups, vec!["secp384r1"]);
        assert!(
            p384_only.key_share_groups.is_empty(),
            "no share: the server must ask"
        );
    }
}
