//! Record and handshake parsing: arbitrary bytes in both directions, cut into reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use tlsprobe::record::{Event, Recording};
use tlsprobe::report::Side;

fuzz_target!(|data: &[u8]| {
    // First byte: where the client's bytes end; the rest alternates in chunks of 1 to 64.
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let split = usize::from(split).min(rest.len());
    let (client, server) = rest.split_at(split);
    let mut rec = Recording {
        client: client.to_vec(),
        server: server.to_vec(),
        events: Vec::new(),
        server_cut: false,
        ..Recording::default()
    };
    let (mut c, mut s, mut i) = (0usize, 0usize, 0u64);
    while c < client.len() || s < server.len() {
        let step = 1 + (i as usize * 7) % 64;
        if (i % 2 == 0 && c < client.len()) || s >= server.len() {
            c = (c + step).min(client.len());
            rec.events.push(Event {
                side: Side::Client,
                at: Duration::from_micros(i),
                end: c,
            });
        } else {
            s = (s + step).min(server.len());
            rec.events.push(Event {
                side: Side::Server,
                at: Duration::from_micros(i),
                end: s,
            });
        }
        i += 1;
    }
    let t = tlsprobe::transcript::build(&rec, None, true);
    let _ = serde_json::to_string(&t.messages);
});
