//! TLS 1.3 decryption input: arbitrary server records opened with fixed secrets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::time::Duration;
use tlsprobe::decrypt::{Secrets, Tls13Decryptor};
use tlsprobe::record::{Event, Recording};
use tlsprobe::report::Side;
use tlsprobe::transcript::Decrypt;
use tlsprobe::wire::code_points::{CipherSuite, HandshakeType};

fuzz_target!(|data: &[u8]| {
    let Some((&suite, bytes)) = data.split_first() else {
        return;
    };
    let suite = CipherSuite(0x1301 + u16::from(suite % 3));
    let secrets = Secrets {
        client_random: vec![0; 32],
        entries: [
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET",
            "CLIENT_TRAFFIC_SECRET_0",
            "SERVER_TRAFFIC_SECRET_0",
        ]
        .iter()
        .map(|l| {
            (
                l.to_string(),
                vec![
                    7u8;
                    if suite == CipherSuite::TLS13_AES_256_GCM_SHA384 {
                        48
                    } else {
                        32
                    }
                ],
            )
        })
        .collect(),
    };
    let Some(mut d) = Tls13Decryptor::new(suite, &secrets) else {
        return;
    };
    // Straight into the decryptor, then through the transcript as server records.
    let _ = d.decrypt(Side::Server, &[23, 3, 3, 0, 0], bytes);
    d.on_handshake(Side::Server, HandshakeType::FINISHED);
    let rec = Recording {
        client: Vec::new(),
        server: bytes.to_vec(),
        events: vec![Event {
            side: Side::Server,
            at: Duration::ZERO,
            end: bytes.len(),
        }],
        server_cut: false,
        ..Recording::default()
    };
    let mut d = Tls13Decryptor::new(suite, &secrets).expect("same secrets");
    let _ = tlsprobe::transcript::build(&rec, Some(&mut d as &mut dyn Decrypt), false);
});
