//! Property tests: `build` never panics on random bytes, mutated or truncated real handshakes,
//! or odd event layouts, and what it returns always serialises.

use std::time::Duration;

use super::*;
use crate::record::Event;
use crate::testutil::{Rng, XorDecryptor};

/// Deliver `client` and `server` in random-sized reads and writes, randomly interleaved.
fn recording_of(client: Vec<u8>, server: Vec<u8>, rng: &mut Rng) -> Recording {
    let mut events = Vec::new();
    let (mut c, mut s) = (0, 0);
    while c < client.len() || s < server.len() {
        let at = Duration::from_micros(events.len() as u64);
        if rng.below(2) == 0 && c < client.len() {
            c = (c + 1 + rng.below(300)).min(client.len());
            events.push(Event {
                side: Side::Client,
                at,
                end: c,
            });
        } else if s < server.len() {
            s = (s + 1 + rng.below(300)).min(server.len());
            events.push(Event {
                side: Side::Server,
                at,
                end: s,
            });
        }
    }
    Recording {
        client,
        server,
        events,
        server_cut: false,
        ..Recording::default()
    }
}

#[test]
fn never_panics_on_random_or_mutated_input() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let seeds = [
        crate::testutil::Pair::new(&rustls::version::TLS12).run().0,
        crate::testutil::Pair::new(&rustls::version::TLS13).run().0,
    ];
    for i in 0..6000 {
        let (client, server) = if i % 3 == 0 {
            let n = rng.below(2000);
            let mut server = rng.bytes(n);
            // Often start like a record, so the layers above the record layer get exercised.
            if i % 2 == 0 && server.len() > 3 {
                server[0] = 20 + rng.below(5) as u8;
                server[1] = 3;
            }
            (Vec::new(), server)
        } else {
            let seed = &seeds[i % 2];
            let (mut client, mut server) = (seed.client.clone(), seed.server.clone());
            match rng.below(3) {
                0 => rng.mutate(&mut client),
                1 => rng.mutate(&mut server),
                _ => {
                    rng.mutate(&mut client);
                    rng.mutate(&mut server);
                }
            }
            (client, server)
        };
        let rec = recording_of(client, server, &mut rng);
        let t = match i % 4 {
            0 => build(&rec, Some(&mut XorDecryptor::default()), true),
            _ => build(&rec, None, false),
        };
        for m in &t.malformed {
            assert!(m.message < t.messages.len());
        }
        assert!(t.unfinished.len() <= 2);
        assert!(serde_json::to_string(&t.messages).is_ok());
    }
}

#[test]
fn events_that_do_not_match_the_bytes_are_survived() {
    let rec = crate::testutil::Pair::new(&rustls::version::TLS13).run().0;
    let mut rng = Rng(7);
    for _ in 0..500 {
        let mut r = rec.clone();
        // Drop, duplicate and shift events: the ordering must still not panic or lose records.
        r.events.retain(|_| rng.below(4) != 0);
        for e in &mut r.events {
            e.end = e
                .end
                .saturating_add(rng.below(3))
                .saturating_sub(rng.below(3));
        }
        let whole = build(&rec, None, false).messages.len();
        assert_eq!(build(&r, None, false).messages.len(), whole);
    }
    let no_events = Recording {
        events: Vec::new(),
        ..rec.clone()
    };
    let t = build(&no_events, None, false);
    assert!(t.messages.iter().all(|m| m.t_ms == 0.0));
}
