//! Test support inside the crate, the one home of what unit tests share: a real handshake
//! between rustls peers in memory, recorded as the probe would see it; a deterministic PRNG;
//! a stand-in decryptor; and the `openssl` command line, for what only it can make.

use std::sync::Arc;
use std::time::Duration;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{
    ClientConfig, ClientConnection, KeyLog, RootCertStore, ServerConfig, ServerConnection,
    SupportedProtocolVersion,
};

use crate::record::{Event, Recording};
use crate::report::Side;
use crate::transcript::Decrypt;
use crate::wire::code_points::{ContentType, HandshakeType};

/// A full TLS 1.3 handshake as the transcript lists it, ChangeCipherSpec aside.
pub const TLS13_HANDSHAKE: [(Side, &str); 7] = [
    (Side::Client, "ClientHello"),
    (Side::Server, "ServerHello"),
    (Side::Server, "EncryptedExtensions"),
    (Side::Server, "Certificate"),
    (Side::Server, "CertificateVerify"),
    (Side::Server, "Finished"),
    (Side::Client, "Finished"),
];

/// The start of a TLS 1.3 handshake whose server wants another key share.
pub const HELLO_RETRY: [(Side, &str); 4] = [
    (Side::Client, "ClientHello"),
    (Side::Server, "HelloRetryRequest"),
    (Side::Client, "ClientHello"),
    (Side::Server, "ServerHello"),
];

/// How the two peers are set up.
pub struct Pair {
    pub version: &'static SupportedProtocolVersion,
    /// Restrict the server to this TLS 1.3 suite (IANA code point).
    pub suite: Option<u16>,
    /// Restrict the server to this key-exchange group: one the client sends no key share for
    /// provokes a HelloRetryRequest.
    pub server_group: Option<u16>,
    /// The server asks for a client certificate (and accepts none).
    pub request_client_cert: bool,
    pub key_log: Option<Arc<dyn KeyLog>>,
    /// After the handshake, the server sends a KeyUpdate and one application-data record.
    pub key_update: bool,
}

impl Pair {
    pub fn new(version: &'static SupportedProtocolVersion) -> Pair {
        Pair {
            version,
            suite: None,
            server_group: None,
            request_client_cert: false,
            key_log: None,
            key_update: false,
        }
    }

    /// Run the handshake; return the recording and the negotiated suite's code point.
    pub fn run(self) -> (Recording, u16) {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "test ca");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let mut leaf_params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
        leaf_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "localhost");
        let leaf = leaf_params.signed_by(&key, &issuer).unwrap();
        let mut roots = RootCertStore::empty();
        roots.add(CertificateDer::from(ca.der().to_vec())).unwrap();
        let roots = Arc::new(roots);

        let mut server_provider = rustls::crypto::aws_lc_rs::default_provider();
        if let Some(code) = self.suite {
            server_provider
                .cipher_suites
                .retain(|s| u16::from(s.suite()) == code);
        }
        if let Some(code) = self.server_group {
            server_provider
                .kx_groups
                .retain(|g| u16::from(g.name()) == code);
        }
        let builder = ServerConfig::builder_with_provider(Arc::new(server_provider))
            .with_protocol_versions(&[self.version])
            .unwrap();
        let builder = if self.request_client_cert {
            let verifier = WebPkiClientVerifier::builder(roots.clone())
                .allow_unauthenticated()
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let server = builder
            .with_single_cert(
                vec![leaf.der().clone(), ca.der().clone()],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
            )
            .unwrap();

        let provider: Arc<CryptoProvider> = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let mut client = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[self.version])
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        client.alpn_protocols = vec![b"h2".to_vec()];
        if let Some(k) = self.key_log {
            client.key_log = k;
        }
        let mut c =
            ClientConnection::new(Arc::new(client), "localhost".try_into().unwrap()).unwrap();
        let mut s = ServerConnection::new(Arc::new(server)).unwrap();

        let mut rec = Recording::default();
        let mut clock = 0u64;
        let mut updated = false;
        for _ in 0..20 {
            shuttle(&mut c, &mut s, &mut rec, &mut clock);
            if !c.is_handshaking() && !s.is_handshaking() && !c.wants_write() && !s.wants_write() {
                if self.key_update && !updated {
                    updated = true;
                    s.refresh_traffic_keys().unwrap();
                    std::io::Write::write_all(&mut s.writer(), b"after the update").unwrap();
                    continue;
                }
                break;
            }
        }
        assert!(!c.is_handshaking(), "handshake completed");
        let suite = u16::from(c.negotiated_cipher_suite().unwrap().suite());
        (rec, suite)
    }
}

/// Move whatever each side has to send to the other, recording it.
fn shuttle(
    c: &mut ClientConnection,
    s: &mut ServerConnection,
    rec: &mut Recording,
    clock: &mut u64,
) {
    let mut buf = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut buf).unwrap();
    }
    if !buf.is_empty() {
        *clock += 1;
        rec.client.extend_from_slice(&buf);
        rec.events.push(Event {
            side: Side::Client,
            at: Duration::from_millis(*clock),
            end: rec.client.len(),
        });
        s.read_tls(&mut &buf[..]).unwrap();
        s.process_new_packets().unwrap();
    }
    let mut buf = Vec::new();
    while s.wants_write() {
        s.write_tls(&mut buf).unwrap();
    }
    if !buf.is_empty() {
        *clock += 1;
        rec.server.extend_from_slice(&buf);
        rec.events.push(Event {
            side: Side::Server,
            at: Duration::from_millis(*clock),
            end: rec.server.len(),
        });
        c.read_tls(&mut &buf[..]).unwrap();
        c.process_new_packets().unwrap();
    }
}

/// Run `openssl ARGS` in `dir`, fail the test unless it succeeds, and return its standard
/// output.
pub fn openssl(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (is it installed?)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// xorshift64*: deterministic, dependency-free randomness for the property tests: the same
/// bytes on every run. The one generator of the unit tests; seed it with anything but 0.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform-ish in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }

    /// Change `v` a little: overwrite, drop, insert or duplicate bytes, or cut it short.
    pub fn mutate(&mut self, v: &mut Vec<u8>) {
        for _ in 0..1 + self.below(4) {
            if v.is_empty() {
                v.push(self.byte());
                continue;
            }
            let at = self.below(v.len());
            match self.below(6) {
                0 | 1 => v[at] = self.byte(),
                2 => drop(v.remove(at)),
                3 => v.insert(at, self.byte()),
                4 => v.truncate(at),
                // A length field is the likeliest target of a bit flip that matters.
                _ => v[at] ^= 1 << self.below(8),
            }
        }
    }
}

/// A stand-in for TLS 1.3 decryption (XOR with 0x55, the inner content type last): it
/// "opens" every record, so the transcript's decrypted path can be tested without keys. It
/// keeps what it was asked and told.
#[derive(Default)]
pub struct XorDecryptor {
    /// The first byte of each record header it was asked to open (the record's type).
    pub asked: Vec<u8>,
    /// The handshake messages it was told of, in order.
    pub told: Vec<(Side, HandshakeType)>,
}

impl XorDecryptor {
    /// What `decrypt` opens back to `inner` (content, then the inner content type).
    pub fn seal(inner: &[u8]) -> Vec<u8> {
        inner.iter().map(|b| b ^ 0x55).collect()
    }
}

impl Decrypt for XorDecryptor {
    fn decrypt(
        &mut self,
        _: Side,
        header: &[u8],
        ciphertext: &[u8],
    ) -> Option<(ContentType, Vec<u8>)> {
        self.asked.push(header.first().copied().unwrap_or_default());
        let mut plain = XorDecryptor::seal(ciphertext);
        let inner = plain.pop()?;
        Some((ContentType(inner), plain))
    }
    fn on_handshake(&mut self, side: Side, msg_type: HandshakeType) {
        self.told.push((side, msg_type));
    }
}
