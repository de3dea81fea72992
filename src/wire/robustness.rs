//! Property tests: the wire parsers never panic, whatever the bytes, and read real handshakes
//! without complaint. The deterministic PRNG of [`crate::testutil`] keeps them reproducible.

use super::alert::alerts;
use super::code_points::{CipherSuite, HandshakeType, ProtocolVersion};
use super::handshake::{parse_message, Context};
use super::reassembly::Reassembler;
use super::record::{self, split};
use crate::record::Recording;
use crate::report::Side;
use crate::testutil::Rng;

/// Every combination of negotiated state a message may be read under.
fn contexts() -> Vec<Context> {
    let mut out = vec![Context::default()];
    for version in [0x0301, 0x0303, 0x0304] {
        for suite in [
            0x1301, 0xc02b, 0xc02f, 0x009e, 0x0033, 0xccac, 0x00aa, 0x002f,
        ] {
            out.push(Context {
                version: Some(ProtocolVersion(version)),
                suite: Some(CipherSuite(suite)),
            });
        }
    }
    out
}

/// The plaintext handshake messages of a recorded direction: (type, body).
fn messages(rec: &Recording, side: Side) -> Vec<(HandshakeType, Vec<u8>)> {
    let mut h = Reassembler::default();
    let mut out = Vec::new();
    for r in split(rec.bytes(side)).0 {
        if r.content_type == record::HANDSHAKE {
            h.push(r.fragment);
            while let Some(m) = h.next_message() {
                out.push((m.msg_type, m.body));
            }
        }
    }
    out
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let contexts = contexts();
    for i in 0..20_000 {
        let len = rng.below(if i % 10 == 0 { 2000 } else { 120 });
        let bytes = rng.bytes(len);
        let msg_type = HandshakeType(match i % 3 {
            0 => rng.byte(),
            _ => [1, 2, 4, 8, 11, 12, 13, 15, 24][rng.below(9)],
        });
        let mut ctx = contexts[rng.below(contexts.len())];
        let _ = parse_message(msg_type, &bytes, &mut ctx);
        let _ = split(&bytes);
        let _ = alerts(&bytes);
        let mut h = Reassembler::default();
        h.push(&bytes);
        while h.next_message().is_some() {}
        let _ = h.partial();
    }
}

#[test]
fn real_messages_read_cleanly_and_their_mutations_never_panic() {
    use crate::testutil::Pair;
    let mut rng = Rng(0xfeed_f00d_dead_beef);
    let contexts = contexts();
    let mut seen = 0;
    for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
        let (rec, _) = Pair::new(version).run();
        for side in [Side::Client, Side::Server] {
            let mut context = Context::default();
            for (msg_type, body) in messages(&rec, side) {
                let clean = parse_message(msg_type, &body, &mut context);
                assert_eq!(clean.error, None, "{} from {side:?}", clean.kind);
                seen += 1;
                for _ in 0..1000 {
                    let mut body = body.clone();
                    rng.mutate(&mut body);
                    let mut c = match rng.below(2) {
                        0 => context,
                        _ => contexts[rng.below(contexts.len())],
                    };
                    let _ = parse_message(msg_type, &body, &mut c);
                }
            }
        }
    }
    assert!(seen >= 7, "{seen} messages");
}
