//! Client-initiated renegotiation: one TLS 1.2 handshake of our own, completed (an ECDHE
//! key exchange, the client's Finished, the server's Finished read), then a second
//! ClientHello sent under the new keys with renegotiation_info carrying the client's
//! verify_data (RFC 5746 section 3.5). A server that answers it with a ServerHello lets
//! clients start renegotiations, each a full handshake's work for the server (sslyze's
//! "client-initiated renegotiation DoS"); one that answers with no_renegotiation, another
//! alert or by closing does not. No certificate is checked: the answer is all we read, and
//! nothing but the hello is sent under the keys.
//!
//! The key schedule and the records are pure functions ([`Keys`], [`seal`], [`open`]); the
//! exchange is [`ask`].

use std::io::Write;
use std::time::Duration;

use aws_lc_rs::aead::{self, Aad, LessSafeKey, Nonce, UnboundKey};
use aws_lc_rs::agreement::{self, EphemeralPrivateKey, UnparsedPublicKey};
use aws_lc_rs::{digest, hmac, rand};

use super::asker::{random, Asker};
use super::client_hello::{build, Extras, HelloSpec};
use super::server_answer::{self, read_until, READ_LIMIT};
use crate::decrypt::prf;
use crate::wire::code_points::{
    CipherSuite, ContentType, ExtensionType, HandshakeType, NamedGroup, ProtocolVersion,
};
use crate::wire::codec::{vec16, vec8, Codec};
use crate::wire::first_flight::{self, End};
use crate::wire::handshake::{encode_message, messages};
use crate::wire::record;

/// At most this long for the server's Finished, and again for its answer to the second hello.
const WAIT: Duration = Duration::from_secs(3);

/// The suites offered: ECDHE with AES-GCM, either certificate.
const SUITES: [CipherSuite; 4] = [
    CipherSuite(0xc02b), // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    CipherSuite(0xc02f), // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    CipherSuite(0xc02c), // TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
    CipherSuite(0xc030), // TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
];

/// The groups offered, each one we can agree a key on.
const GROUPS: [NamedGroup; 3] = [
    NamedGroup::X25519,
    NamedGroup::SECP256R1,
    NamedGroup::SECP384R1,
];

/// What one of [`SUITES`] needs.
#[derive(Debug, Clone, Copy)]
struct Suite {
    aead: &'static aead::Algorithm,
    key_len: usize,
    prf: hmac::Algorithm,
    hash: &'static digest::Algorithm,
}

fn suite(code: CipherSuite) -> Option<Suite> {
    match code.0 {
        0xc02b | 0xc02f => Some(Suite {
            aead: &aead::AES_128_GCM,
            key_len: 16,
            prf: hmac::HMAC_SHA256,
            hash: &digest::SHA256,
        }),
        0xc02c | 0xc030 => Some(Suite {
            aead: &aead::AES_256_GCM,
            key_len: 32,
            prf: hmac::HMAC_SHA384,
            hash: &digest::SHA384,
        }),
        _ => None,
    }
}

fn agreement(group: NamedGroup) -> Option<&'static agreement::Algorithm> {
    match group {
        NamedGroup::X25519 => Some(&agreement::X25519),
        NamedGroup::SECP256R1 => Some(&agreement::ECDH_P256),
        NamedGroup::SECP384R1 => Some(&agreement::ECDH_P384),
        _ => None,
    }
}

/// The keys of one TLS 1.2 AES-GCM connection (RFC 5246 section 6.3, RFC 5288).
struct Keys {
    suite: Suite,
    master: Vec<u8>,
    client_key: Vec<u8>,
    server_key: Vec<u8>,
    client_salt: [u8; 4],
    server_salt: [u8; 4],
}

impl Keys {
    /// From the master secret and the two randoms.
    fn new(suite: Suite, master: Vec<u8>, client_random: &[u8], server_random: &[u8]) -> Keys {
        let swapped = [server_random, client_random].concat();
        let n = suite.key_len;
        let block = prf(suite.prf, &master, b"key expansion", &swapped, 2 * n + 8);
        let salt = |at: usize| {
            let mut s = [0u8; 4];
            s.copy_from_slice(&block[at..at + 4]);
            s
        };
        Keys {
            suite,
            client_key: block[..n].to_vec(),
            server_key: block[n..2 * n].to_vec(),
            client_salt: salt(2 * n),
            server_salt: salt(2 * n + 4),
            master,
        }
    }

    /// The client's Finished verify_data over `transcript` (every handshake message so far).
    fn client_verify_data(&self, transcript: &[u8]) -> Vec<u8> {
        let hash = digest::digest(self.suite.hash, transcript);
        prf(
            self.suite.prf,
            &self.master,
            b"client finished",
            hash.as_ref(),
            12,
        )
    }
}

/// An AES-GCM record's nonce: the 4-byte salt, then the explicit 8 (RFC 5288 section 3).
fn nonce(salt: &[u8; 4], explicit: &[u8]) -> Option<Nonce> {
    let mut n = [0u8; 12];
    n[..4].copy_from_slice(salt);
    n.get_mut(4..)?.copy_from_slice(explicit.get(..8)?);
    Nonce::try_assume_unique_for_key(&n).ok()
}

fn additional_data(seq: u64, content_type: ContentType, len: usize) -> [u8; 13] {
    let mut ad = [0u8; 13];
    ad[..8].copy_from_slice(&seq.to_be_bytes());
    ad[8] = content_type.0;
    ad[9..11].copy_from_slice(&ProtocolVersion::TLS1_2.0.to_be_bytes());
    ad[11..].copy_from_slice(&u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes());
    ad
}

/// One client record of `content_type` holding `plaintext`, sealed with sequence number `seq`.
fn seal(keys: &Keys, seq: u64, content_type: ContentType, plaintext: &[u8]) -> Option<Vec<u8>> {
    let key = LessSafeKey::new(UnboundKey::new(keys.suite.aead, &keys.client_key).ok()?);
    let mut sealed = plaintext.to_vec();
    let aad = additional_data(seq, content_type, plaintext.len());
    key.seal_in_place_append_tag(
        nonce(&keys.client_salt, &seq.to_be_bytes())?,
        Aad::from(aad),
        &mut sealed,
    )
    .ok()?;
    let body = [&seq.to_be_bytes()[..], &sealed].concat();
    Some(record(content_type, &body))
}

/// The plaintext of a server record's `fragment` (explicit nonce, ciphertext, tag), with
/// sequence number `seq`; `None` when it does not open.
fn open(keys: &Keys, seq: u64, content_type: ContentType, fragment: &[u8]) -> Option<Vec<u8>> {
    let (explicit, sealed) = (fragment.get(..8)?, fragment.get(8..)?);
    let len = sealed.len().checked_sub(16)?;
    let key = LessSafeKey::new(UnboundKey::new(keys.suite.aead, &keys.server_key).ok()?);
    let mut buf = sealed.to_vec();
    let aad = additional_data(seq, content_type, len);
    let plain = key
        .open_in_place(
            nonce(&keys.server_salt, explicit)?,
            Aad::from(aad),
            &mut buf,
        )
        .ok()?;
    Some(plain.to_vec())
}

/// One TLS 1.2 record of `content_type` holding `body`.
fn record(content_type: ContentType, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    content_type.encode(&mut out);
    ProtocolVersion::TLS1_2.encode(&mut out);
    vec16(&mut out, |b| b.extend_from_slice(body));
    out
}

/// A handshake message: type, 24-bit length, body.
fn message(kind: HandshakeType, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 4);
    encode_message(kind, &mut out, |b| b.extend_from_slice(body));
    out
}

/// The records in `bytes`, whole ones only: (type, fragment).
fn records(bytes: &[u8]) -> Vec<(ContentType, &[u8])> {
    let (records, _) = record::split(bytes);
    records
        .into_iter()
        .map(|r| (r.content_type, r.fragment))
        .collect()
}

/// The handshake messages of a plaintext first flight, through the ServerHelloDone, as the
/// transcript hashes them.
fn flight_messages(bytes: &[u8]) -> Option<Vec<u8>> {
    let stream: Vec<u8> = records(bytes)
        .into_iter()
        .take_while(|(t, _)| *t == ContentType::HANDSHAKE)
        .flat_map(|(_, f)| f.iter().copied())
        .collect();
    let mut len = 0;
    for (kind, body) in messages(&stream) {
        len += 4 + body.len();
        if kind == HandshakeType::SERVER_HELLO_DONE {
            return stream.get(..len).map(<[u8]>::to_vec);
        }
    }
    None
}

/// The server's ECDHE share from ServerECDHParams: named_curve (3), the group, the point.
fn server_share(params: &[u8]) -> Option<(NamedGroup, &[u8])> {
    if *params.first()? != 3 {
        return None;
    }
    let group = NamedGroup(u16::from_be_bytes([*params.get(1)?, *params.get(2)?]));
    let len = usize::from(*params.get(3)?);
    Some((group, params.get(4..4 + len)?))
}

/// How the server answered the second hello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    /// A ServerHello: the renegotiation goes ahead.
    Hello,
    /// An alert, or the connection closed.
    Refused,
}

/// What the records after our second hello say, once they say it: a handshake record whose
/// first message is a ServerHello, an alert (no_renegotiation, or any other), or nothing yet.
/// `seq` is the server's next sequence number.
fn reply(keys: &Keys, mut seq: u64, bytes: &[u8]) -> Option<Reply> {
    for (content_type, fragment) in records(bytes) {
        let plain = open(keys, seq, content_type, fragment)?;
        seq += 1;
        match content_type {
            ContentType::HANDSHAKE if plain.first() == Some(&HandshakeType::SERVER_HELLO.0) => {
                return Some(Reply::Hello)
            }
            // A HelloRequest, or a ticket: not yet the answer.
            ContentType::HANDSHAKE => {}
            ContentType::ALERT => return Some(Reply::Refused),
            _ => {}
        }
    }
    None
}

/// Whether the server takes a renegotiation its client starts: `Some(true)` when it answers
/// the second hello with a ServerHello, `Some(false)` when it refuses (an alert, or it closes),
/// `None` when the first handshake could not be completed with our suites and groups.
pub fn ask(asker: &Asker<'_>) -> Option<bool> {
    let client_random = random();
    let spec = HelloSpec {
        groups: GROUPS.to_vec(),
        random: client_random,
        ..asker.spec(ProtocolVersion::TLS1_2, SUITES.to_vec())
    };
    let hello = build(&spec);
    asker.count();
    let mut sock = server_answer::send_bytes(asker.dialer, &hello, asker.deadline).ok()?;
    let flight_bytes = server_answer::read_flight(&mut sock, asker.deadline);
    let flight = first_flight::read(&flight_bytes);
    let (server_hello, server_random) = flight.hello.clone()?;
    if server_hello.version != ProtocolVersion::TLS1_2 || flight.end != End::Done {
        return None;
    }
    let suite = suite(server_hello.cipher_suite)?;
    let (group, share) = server_share(&flight.key_exchange.as_ref()?.params)?;
    let alg = agreement(group)?;
    let rng = rand::SystemRandom::new();
    let private = EphemeralPrivateKey::generate(alg, &rng).ok()?;
    let public = private.compute_public_key().ok()?;
    let pre_master =
        agreement::agree_ephemeral(private, UnparsedPublicKey::new(alg, share), (), |k| {
            Ok(k.to_vec())
        })
        .ok()?;
    let mut point = Vec::with_capacity(public.as_ref().len() + 1);
    vec8(&mut point, |p| p.extend_from_slice(public.as_ref()));
    let key_exchange = message(HandshakeType::CLIENT_KEY_EXCHANGE, &point);
    let mut transcript = hello.get(5..)?.to_vec();
    transcript.extend_from_slice(&flight_messages(&flight_bytes)?);
    transcript.extend_from_slice(&key_exchange);
    // We offer extended_master_secret (RFC 7627): a server that answers it derives the
    // master secret from the transcript so far instead of the randoms.
    let master = if server_hello
        .extensions
        .contains(&ExtensionType::EXTENDED_MASTER_SECRET)
    {
        let hash = digest::digest(suite.hash, &transcript);
        prf(
            suite.prf,
            &pre_master,
            b"extended master secret",
            hash.as_ref(),
            48,
        )
    } else {
        let randoms = [&client_random[..], &server_random[..]].concat();
        prf(suite.prf, &pre_master, b"master secret", &randoms, 48)
    };
    let keys = Keys::new(suite, master, &client_random, &server_random);
    let verify_data = keys.client_verify_data(&transcript);
    let finished = message(HandshakeType::FINISHED, &verify_data);
    let mut flight = record(ContentType::HANDSHAKE, &key_exchange);
    flight.extend(record(ContentType::CHANGE_CIPHER_SPEC, &[1]));
    flight.extend(seal(&keys, 0, ContentType::HANDSHAKE, &finished)?);
    sock.write_all(&flight).ok()?;

    // The server's ChangeCipherSpec and Finished (its first sealed record).
    let wait = asker.deadline.capped(WAIT);
    let finished_read = |b: &[u8]| {
        records(b)
            .iter()
            .any(|(t, _)| *t == ContentType::HANDSHAKE || *t == ContentType::ALERT)
    };
    let (got, _) = read_until(&mut sock, wait, READ_LIMIT, finished_read);
    let (kind, fragment) = records(&got)
        .into_iter()
        .find(|(t, _)| *t != ContentType::CHANGE_CIPHER_SPEC)?;
    let plain = open(&keys, 0, kind, fragment)?;
    if kind != ContentType::HANDSHAKE || plain.first() != Some(&HandshakeType::FINISHED.0) {
        return None;
    }

    // The second hello, under the keys, naming the first handshake.
    let mut verify = [0u8; 12];
    verify.copy_from_slice(&verify_data);
    let again = HelloSpec {
        random: random(),
        extras: Extras {
            renegotiated_connection: Some(verify),
            ..Extras::default()
        },
        ..spec
    };
    let again = build(&again);
    sock.write_all(&seal(&keys, 1, ContentType::HANDSHAKE, again.get(5..)?)?)
        .ok()?;
    let wait = asker.deadline.capped(WAIT);
    let (got, stop) = read_until(&mut sock, wait, READ_LIMIT, |b| {
        reply(&keys, 1, b).is_some()
    });
    match reply(&keys, 1, &got) {
        Some(Reply::Hello) => Some(true),
        Some(Reply::Refused) => Some(false),
        None => stop.closed().then_some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_records_only() {
        let mut bytes = record(ContentType::HANDSHAKE, b"abc");
        bytes.extend_from_slice(&record(ContentType::ALERT, b"\x01\x64")[..4]);
        let got = records(&bytes);
        assert_eq!(got, vec![(ContentType::HANDSHAKE, &b"abc"[..])]);
        assert!(records(&[22, 3]).is_empty());
    }

    #[test]
    fn a_flight_ends_at_its_server_hello_done() {
        let hello = message(HandshakeType::SERVER_HELLO, b"hello");
        let done = message(HandshakeType::SERVER_HELLO_DONE, b"");
        // Split across two records, with a byte after the flight.
        let stream = [&hello[..], &done[..]].concat();
        let mut bytes = record(ContentType::HANDSHAKE, &stream[..3]);
        bytes.extend(record(ContentType::HANDSHAKE, &stream[3..]));
        bytes.extend(record(ContentType::ALERT, b"\x01\x00"));
        assert_eq!(flight_messages(&bytes), Some(stream.clone()));
        // Cut short, or never done: none.
        assert_eq!(
            flight_messages(&record(ContentType::HANDSHAKE, &hello)),
            None
        );
        assert_eq!(
            flight_messages(&record(ContentType::HANDSHAKE, &stream[..7])),
            None
        );
    }

    #[test]
    fn the_servers_share_is_read_or_refused() {
        let params = [3, 0, 29, 2, 0xaa, 0xbb];
        assert_eq!(
            server_share(&params),
            Some((NamedGroup::X25519, &[0xaa, 0xbb][..]))
        );
        assert_eq!(server_share(&params[..5]), None);
        assert_eq!(server_share(&[1, 0, 29, 0]), None, "explicit curves");
        assert_eq!(server_share(&[]), None);
    }

    #[test]
    fn a_sealed_record_opens_with_the_other_sides_keys() {
        let suite = suite(CipherSuite(0xc02f)).unwrap();
        let keys = Keys::new(suite, vec![7; 48], &[1; 32], &[2; 32]);
        // The server's keys are the client's, swapped: a record we seal opens as the
        // server's only when the roles are swapped.
        let mirrored = Keys {
            suite,
            master: keys.master.clone(),
            client_key: keys.server_key.clone(),
            server_key: keys.client_key.clone(),
            client_salt: keys.server_salt,
            server_salt: keys.client_salt,
        };
        let sealed = seal(&keys, 5, ContentType::HANDSHAKE, b"renegotiate").unwrap();
        let (kind, fragment) = records(&sealed)[0];
        assert_eq!(
            open(&mirrored, 5, kind, fragment).as_deref(),
            Some(&b"renegotiate"[..])
        );
        assert_eq!(
            open(&mirrored, 6, kind, fragment),
            None,
            "wrong sequence number"
        );
        assert_eq!(
            open(&keys, 5, kind, fragment),
            None,
            "the client's own keys"
        );
        assert_eq!(
            reply(&mirrored, 5, &sealed),
            None,
            "a hello of ours is no answer"
        );
        assert_eq!(reply(&mirrored, 0, b"\x15\x03\x03\x00\x02\x01\x64"), None);
    }
}
