//! TLS 1.3 record decryption from the traffic secrets rustls hands to its `KeyLog` (and TLS
//! 1.2 from the master secret: [`tls12`]).
//!
//! In TLS 1.3 everything after ServerHello is encrypted. The handshake keys are ours (we are the
//! client), so the recorded records can be opened after the fact: HKDF-Expand-Label derives each
//! direction's key and IV from its traffic secret (RFC 8446 section 7.1), and the record's AEAD
//! nonce is that IV XORed with the record sequence number (section 5.3). This is pure: it reads
//! secrets and bytes, and never touches the connection.

mod tls12;

use std::sync::{Arc, Mutex, PoisonError};

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey, NONCE_LEN};
use aws_lc_rs::{digest, hkdf, hmac};

use crate::keylog::KeyLogFile;
use crate::report::Side;
use crate::transcript::Decrypt;
use crate::wire::code_points::{CipherSuite, ContentType, HandshakeType};
pub(crate) use tls12::prf;
pub use tls12::Tls12Decryptor;

/// The secrets rustls logged during one handshake, by NSS key-log label.
#[derive(Debug, Default, Clone)]
pub struct Secrets {
    pub client_random: Vec<u8>,
    pub entries: Vec<(String, Vec<u8>)>,
}

impl Secrets {
    pub fn get(&self, label: &str) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, s)| s.as_slice())
    }
}

/// A rustls `KeyLog` that keeps the secrets in memory for the decryptor and, when the user
/// asked for one, appends them to a key-log file.
#[derive(Debug, Default)]
pub struct SecretLog {
    secrets: Mutex<Secrets>,
    file: Option<Arc<KeyLogFile>>,
}

impl SecretLog {
    pub fn new(file: Option<Arc<KeyLogFile>>) -> Arc<Self> {
        Arc::new(SecretLog {
            secrets: Mutex::default(),
            file,
        })
    }

    pub fn take(&self) -> Secrets {
        std::mem::take(&mut *self.secrets.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl rustls::KeyLog for SecretLog {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let mut s = self.secrets.lock().unwrap_or_else(PoisonError::into_inner);
        s.client_random = client_random.to_vec();
        s.entries.push((label.to_string(), secret.to_vec()));
        if let Some(f) = &self.file {
            f.write(label, client_random, secret);
        }
    }
}

/// The AEAD and hash of a TLS 1.3 cipher suite.
#[derive(Debug, Clone, Copy)]
pub struct Suite {
    aead: &'static aead::Algorithm,
    hkdf: hkdf::Algorithm,
}

impl Suite {
    /// The TLS 1.3 suite with this IANA code point, if it is one we can open.
    pub fn tls13(code: CipherSuite) -> Option<Suite> {
        let (aead, hkdf) = match code {
            CipherSuite::TLS13_AES_128_GCM_SHA256 => (&aead::AES_128_GCM, hkdf::HKDF_SHA256),
            CipherSuite::TLS13_AES_256_GCM_SHA384 => (&aead::AES_256_GCM, hkdf::HKDF_SHA384),
            CipherSuite::TLS13_CHACHA20_POLY1305_SHA256 => {
                (&aead::CHACHA20_POLY1305, hkdf::HKDF_SHA256)
            }
            _ => return None,
        };
        Some(Suite { aead, hkdf })
    }
}

/// One direction's current keys.
struct Direction {
    secret: Vec<u8>,
    key: LessSafeKey,
    iv: [u8; NONCE_LEN],
    seq: u64,
    /// The application secret to move to after this side's Finished.
    next: Option<Vec<u8>>,
}

impl Direction {
    fn new(suite: Suite, secret: &[u8], next: Option<&[u8]>) -> Option<Direction> {
        let key_len = suite.aead.key_len();
        let mut key = vec![0u8; key_len];
        expand_label(suite.hkdf, secret, b"key", &mut key)?;
        let mut iv = [0u8; NONCE_LEN];
        expand_label(suite.hkdf, secret, b"iv", &mut iv)?;
        Some(Direction {
            secret: secret.to_vec(),
            key: LessSafeKey::new(UnboundKey::new(suite.aead, &key).ok()?),
            iv,
            seq: 0,
            next: next.map(<[u8]>::to_vec),
        })
    }

    fn open(&mut self, header: &[u8], ciphertext: &[u8]) -> Option<(ContentType, Vec<u8>)> {
        let mut nonce = self.iv;
        for (n, s) in nonce[NONCE_LEN - 8..]
            .iter_mut()
            .zip(self.seq.to_be_bytes())
        {
            *n ^= s;
        }
        let mut buf = ciphertext.to_vec();
        let plain = self
            .key
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(header),
                &mut buf,
            )
            .ok()?;
        self.seq = self.seq.checked_add(1)?;
        // TLSInnerPlaintext: content, the real content type, then zero padding.
        let end = plain.iter().rposition(|&b| b != 0)?;
        let content_type = ContentType(*plain.get(end)?);
        let len = end;
        buf.truncate(len);
        Some((content_type, buf))
    }
}

/// Opens a TLS 1.3 connection's protected records, in order, for the transcript.
pub struct Tls13Decryptor {
    suite: Suite,
    client: Option<Direction>,
    server: Option<Direction>,
    /// The transcript hash so far, and how many bytes of the handshake log it has taken: the
    /// log only grows, so the client's Finished continues the hash the server's began.
    transcript: Option<(usize, digest::Context)>,
}

impl Tls13Decryptor {
    /// Keys for both directions from the logged secrets; `None` when the handshake secrets are
    /// missing (the handshake failed before they were derived) or the suite is not TLS 1.3.
    pub fn new(suite_code: CipherSuite, secrets: &Secrets) -> Option<Tls13Decryptor> {
        let suite = Suite::tls13(suite_code)?;
        let client = Direction::new(
            suite,
            secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET")?,
            secrets.get("CLIENT_TRAFFIC_SECRET_0"),
        );
        let server = Direction::new(
            suite,
            secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET")?,
            secrets.get("SERVER_TRAFFIC_SECRET_0"),
        );
        Some(Tls13Decryptor {
            suite,
            client,
            server,
            transcript: None,
        })
    }

    fn side(&mut self, side: Side) -> &mut Option<Direction> {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }
}

impl Decrypt for Tls13Decryptor {
    fn decrypt(
        &mut self,
        side: Side,
        header: &[u8],
        ciphertext: &[u8],
    ) -> Option<(ContentType, Vec<u8>)> {
        self.side(side).as_mut()?.open(header, ciphertext)
    }

    fn on_handshake(&mut self, side: Side, msg_type: HandshakeType) {
        let suite = self.suite;
        let slot = self.side(side);
        let next = match (msg_type, slot.as_mut()) {
            (HandshakeType::FINISHED, Some(d)) => d.next.take(),
            (HandshakeType::KEY_UPDATE, Some(d)) => {
                let mut s = vec![0u8; d.secret.len()];
                expand_label(suite.hkdf, &d.secret, b"traffic upd", &mut s).map(|()| s)
            }
            _ => return,
        };
        // Without the next secret the following records cannot be opened: stop decrypting
        // this direction rather than misreading them.
        *slot = next.and_then(|s| Direction::new(suite, &s, None));
    }

    /// verify_data = HMAC(finished_key, Transcript-Hash(messages before it)), finished_key =
    /// HKDF-Expand-Label(the side's handshake traffic secret, "finished", "", Hash.length)
    /// (RFC 8446 section 4.4.4); after a HelloRetryRequest the first ClientHello is replaced
    /// by its message_hash (section 4.4.1).
    fn check_finished(&mut self, side: Side, handshake: &[u8], verify_data: &[u8]) -> Option<bool> {
        let (digest_alg, hmac_alg) = if self.suite.hkdf == hkdf::HKDF_SHA384 {
            (&digest::SHA384, hmac::HMAC_SHA384)
        } else {
            (&digest::SHA256, hmac::HMAC_SHA256)
        };
        let secret = self.side(side).as_ref()?.secret.clone();
        let mut finished_key = vec![0u8; digest_alg.output_len()];
        expand_label(self.suite.hkdf, &secret, b"finished", &mut finished_key)?;
        let hash = self.transcript_hash(handshake, digest_alg)?;
        let key = hmac::Key::new(hmac_alg, &finished_key);
        Some(hmac::sign(&key, hash.as_ref()).as_ref() == verify_data)
    }
}

impl Tls13Decryptor {
    /// Transcript-Hash of the handshake log `log` (which holds at least what earlier calls
    /// were given), continuing the hash of the earlier calls.
    fn transcript_hash(
        &mut self,
        log: &[u8],
        alg: &'static digest::Algorithm,
    ) -> Option<digest::Digest> {
        let (taken, context) = match &mut self.transcript {
            Some((taken, context)) if *taken <= log.len() => {
                context.update(log.get(*taken..)?);
                (taken, context)
            }
            slot => {
                let mut context = digest::Context::new(alg);
                context.update(&transcript_after_retry(log, alg)?);
                let (taken, context) = slot.insert((0, context));
                (taken, context)
            }
        };
        *taken = log.len();
        Some(context.clone().finish())
    }
}

/// SHA-256 of "HelloRetryRequest" (RFC 8446 section 4.1.3): the random of a ServerHello that
/// is one.
const HRR_RANDOM: [u8; 32] = [
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

/// The handshake messages as the transcript hash takes them: when the second message is a
/// HelloRetryRequest, the first ClientHello becomes message_hash (type 254, Hash(ClientHello1)).
fn transcript_after_retry(log: &[u8], alg: &'static digest::Algorithm) -> Option<Vec<u8>> {
    let message_len = |at: usize| -> Option<usize> {
        let len = log.get(at + 1..at + 4)?;
        Some(4 + (usize::from(len[0]) << 16 | usize::from(len[1]) << 8 | usize::from(len[2])))
    };
    let first = message_len(0)?;
    let second = log.get(first..)?;
    // ServerHello: type 2, length (3), legacy_version (2), random (32).
    let retry = second.first() == Some(&2) && second.get(6..38) == Some(&HRR_RANDOM[..]);
    if !retry {
        return Some(log.to_vec());
    }
    let hashed = digest::digest(alg, log.get(..first)?);
    let mut out = vec![254, 0, 0, u8::try_from(alg.output_len()).ok()?];
    out.extend_from_slice(hashed.as_ref());
    out.extend_from_slice(second);
    Some(out)
}

/// HKDF-Expand-Label(secret, label, "", out.len()) of RFC 8446 section 7.1.
fn expand_label(alg: hkdf::Algorithm, secret: &[u8], label: &[u8], out: &mut [u8]) -> Option<()> {
    let len = u16::try_from(out.len()).ok()?.to_be_bytes();
    let full_label_len = [u8::try_from(6 + label.len()).ok()?];
    let info: [&[u8]; 5] = [&len, &full_label_len, b"tls13 ", label, &[0u8]];
    let prk = hkdf::Prk::new_less_safe(alg, secret);
    prk.expand(&info, Len(out.len())).ok()?.fill(out).ok()
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::MessageFields;

    /// RFC 8448 section 3 ("Simple 1-RTT Handshake"): the server handshake traffic secret and
    /// the key and IV derived from it.
    #[test]
    fn expand_label_matches_rfc8448() {
        let secret = hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
        let mut key = [0u8; 16];
        expand_label(hkdf::HKDF_SHA256, &secret, b"key", &mut key).unwrap();
        assert_eq!(key.to_vec(), hex("3fce516009c21727d0f2e4e86ee403bc"));
        let mut iv = [0u8; 12];
        expand_label(hkdf::HKDF_SHA256, &secret, b"iv", &mut iv).unwrap();
        assert_eq!(iv.to_vec(), hex("5d313eb2671276ee13000b30"));
    }

    use crate::report::MessageKind;
    use crate::testutil::Pair;
    use crate::transcript::{build, Transcript};

    /// A real TLS 1.3 handshake in memory, decrypted from the client's secrets.
    fn decrypted(pair: Pair) -> Transcript {
        let log = SecretLog::new(None);
        let pair = Pair {
            key_log: Some(log.clone()),
            ..pair
        };
        let (rec, suite) = pair.run();
        let mut d =
            Tls13Decryptor::new(CipherSuite(suite), &log.take()).expect("secrets for TLS 1.3");
        build(&rec, Some(&mut d), false)
    }

    fn kinds(t: &Transcript) -> Vec<(Side, String)> {
        t.messages
            .iter()
            .filter(|m| m.kind != MessageKind::ChangeCipherSpec)
            .map(|m| (m.from, m.kind.to_string()))
            .collect()
    }

    fn named(list: &[(Side, &str)]) -> Vec<(Side, String)> {
        list.iter().map(|(s, k)| (*s, k.to_string())).collect()
    }

    #[test]
    fn every_tls13_suite_decrypts() {
        use Side::*;
        for suite in [0x1301, 0x1302, 0x1303] {
            let t = decrypted(Pair {
                suite: Some(suite),
                ..Pair::new(&rustls::version::TLS13)
            });
            let k = kinds(&t);
            assert_eq!(
                k[..7],
                named(&crate::testutil::TLS13_HANDSHAKE),
                "suite {suite:#06x}"
            );
            // rustls sends its session tickets after the client's Finished, under the
            // application keys: proof that the keys moved on.
            assert!(
                k[7..]
                    .iter()
                    .all(|m| *m == (Server, "NewSessionTicket".into())),
                "{k:?}"
            );
            assert!(k.len() > 7, "{k:?}");
            let MessageFields::EncryptedExtensions(ee) = &t.messages[3].fields else {
                panic!("{:?}", t.messages[3]);
            };
            assert_eq!(ee.alpn, None);
            let cert = t
                .messages
                .iter()
                .find(|m| m.kind == HandshakeType::CERTIFICATE)
                .unwrap();
            let MessageFields::Certificate(c) = &cert.fields else {
                panic!()
            };
            assert_eq!((c.count, c.subjects[0].as_str()), (2, "CN=localhost"));
            assert!(t
                .messages
                .iter()
                .skip(2)
                .all(|m| m.encrypted || m.kind == MessageKind::ChangeCipherSpec));
        }
    }

    #[test]
    fn hello_retry_request_is_named_and_followed_by_a_second_client_hello() {
        use Side::*;
        // The client sends key shares for X25519MLKEM768 and X25519 only.
        let t = decrypted(Pair {
            server_group: Some(0x0018), // secp384r1
            ..Pair::new(&rustls::version::TLS13)
        });
        let k = kinds(&t);
        assert_eq!(k[..4], named(&crate::testutil::HELLO_RETRY));
        let MessageFields::ServerHello(hrr) = &t.messages[1].fields else {
            panic!()
        };
        assert_eq!(hrr.group.as_deref(), Some("secp384r1"));
        let second = t
            .messages
            .iter()
            .filter(|m| m.kind == HandshakeType::CLIENT_HELLO)
            .nth(1)
            .unwrap();
        let MessageFields::ClientHello(ch) = &second.fields else {
            panic!()
        };
        assert_eq!(ch.key_share_groups, vec!["secp384r1"]);
        let finished = |side| k.contains(&(side, "Finished".to_string()));
        assert!(finished(Server) && finished(Client));
    }

    #[test]
    fn certificate_request_and_the_clients_empty_certificate() {
        let t = decrypted(Pair {
            request_client_cert: true,
            ..Pair::new(&rustls::version::TLS13)
        });
        let req = t
            .messages
            .iter()
            .find(|m| m.kind == HandshakeType::CERTIFICATE_REQUEST)
            .expect("request");
        let MessageFields::CertificateRequest(r) = &req.fields else {
            panic!()
        };
        assert_eq!(r.certificate_authorities, vec!["CN=test ca"]);
        assert!(r
            .signature_algorithms
            .iter()
            .any(|s| s == "ecdsa_secp256r1_sha256"));
        let client_cert = t
            .messages
            .iter()
            .find(|m| m.from == Side::Client && m.kind == HandshakeType::CERTIFICATE)
            .expect("client Certificate");
        let MessageFields::Certificate(c) = &client_cert.fields else {
            panic!()
        };
        assert_eq!(c.count, 0);
    }

    #[test]
    fn key_update_moves_to_the_next_keys() {
        let t = decrypted(Pair {
            key_update: true,
            ..Pair::new(&rustls::version::TLS13)
        });
        let at = t
            .messages
            .iter()
            .position(|m| m.kind == HandshakeType::KEY_UPDATE)
            .expect("KeyUpdate");
        let after = &t.messages[at + 1..];
        let data = after
            .iter()
            .find(|m| m.kind == MessageKind::ApplicationData)
            .expect("data after the update");
        // Opened (its plaintext length, not the ciphertext's), so the updated keys were right.
        assert_eq!(data.length, b"after the update".len());
    }

    #[test]
    fn garbage_never_opens_and_never_panics() {
        let log = SecretLog::new(None);
        let (rec, suite) = Pair {
            key_log: Some(log.clone()),
            ..Pair::new(&rustls::version::TLS13)
        }
        .run();
        let suite = CipherSuite(suite);
        let secrets = log.take();
        let mut rng = crate::testutil::Rng(0x1234_5678_9abc_def0);
        for n in 0..2000usize {
            let seed = rng.next();
            let mut d = Tls13Decryptor::new(suite, &secrets).unwrap();
            let len = n % 300;
            let bytes: Vec<u8> = (0..len).map(|i| (seed >> (i % 56)) as u8).collect();
            let side = if n % 2 == 0 {
                Side::Client
            } else {
                Side::Server
            };
            assert!(d.decrypt(side, &[23, 3, 3, 0, len as u8], &bytes).is_none());
            d.on_handshake(side, HandshakeType((seed % 256) as u8));
        }
        // The real records still open after all that (a fresh decryptor).
        let mut d = Tls13Decryptor::new(suite, &secrets).unwrap();
        assert!(build(&rec, Some(&mut d), false)
            .messages
            .iter()
            .any(|m| m.kind == HandshakeType::FINISHED));
        assert!(
            Tls13Decryptor::new(CipherSuite(0xc02b), &secrets).is_none(),
            "not a TLS 1.3 suite"
        );
        assert!(
            Tls13Decryptor::new(suite, &Secrets::default()).is_none(),
            "no secrets"
        );
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
