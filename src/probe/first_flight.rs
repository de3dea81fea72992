//! When rustls cannot finish a handshake with a legacy server: a second connection, reached as
//! the first was (directly, through `--proxy`, after the STARTTLS preamble), tlsprobe's own
//! ClientHello offering what a mainstream client would, and the server's plaintext first
//! flight recorded up to its ServerHelloDone. Then a polite goodbye: user_canceled and
//! close_notify, as a client that changed its mind sends (RFC 5246 section 7.2.1).

use std::io::Write;
use std::net::Shutdown;

use rustls::pki_types::CertificateDer;

use super::ProbeSettings;
use crate::deadline::Deadline;
use crate::diagnose::first_flight::FlightFacts;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::report::ProtocolVersion;
use crate::scan::client_hello::{build, Extras, HelloSpec};
use crate::scan::server_answer::read_flight;
use crate::tls::{kx_signature, Captured};
use crate::transcript::{self, Transcript};
use crate::wire::code_points::{AlertDescription, AlertLevel, CipherSuite};
use crate::wire::first_flight::{self, End, FirstFlight};
use crate::wire::handshake::ServerHello;
use crate::wire::names::known_cipher_suites;
use crate::wire::record;
use crate::wire::suites::{facts, Auth, Cipher, Kx, SuiteFacts};

/// What the second connection read.
pub(super) struct Flight {
    /// Both directions of it, message by message.
    pub transcript: Transcript,
    /// The ServerHello that began the flight.
    pub hello: ServerHello,
    /// The chain, staple and ServerKeyExchange signature check, as a rustls handshake
    /// captures them, for the same judge.
    pub captured: Captured,
}

impl Flight {
    /// What the explanation of the failure says of the flight.
    pub fn facts(&self) -> FlightFacts {
        FlightFacts {
            version: self.hello.version,
            suite: self.hello.cipher_suite,
            dh_bits: self
                .transcript
                .server_key_exchange()
                .and_then(|k| k.dh_bits),
            certificates: self.captured.chain.len(),
        }
    }
}

/// Reach the server again and read its first flight in answer to a mainstream client's
/// ClientHello. `None` when it could not be reached, or it answered with no TLS 1.0-1.2
/// ServerHello.
pub(super) fn read(
    dialer: &Dialer,
    settings: &ProbeSettings,
    sni: Option<&str>,
    deadline: Deadline,
) -> Option<Flight> {
    let stream = dialer.open(deadline).ok()?;
    let client_random = crate::scan::asker::random();
    let spec = HelloSpec {
        version: crate::wire::code_points::ProtocolVersion::TLS1_2,
        suites: mainstream_suites(),
        sni: sni.map(str::to_string),
        random: client_random,
        groups: Vec::new(),
        status_request: true,
        sct: false,
        extras: Extras::default(),
        alpn: settings.offer.alpn.clone(),
    };
    let mut io = Recorder::new(stream);
    io.write_all(&build(&spec)).ok()?;
    let bytes = read_flight(&mut io, deadline);
    let read = first_flight::read(&bytes);
    let (hello, server_random) = read.hello.clone()?;
    if hello.version > crate::wire::code_points::ProtocolVersion::TLS1_2 || read.end == End::Tls13 {
        return None;
    }
    goodbye(&mut io, hello.version);
    let (_, recording) = io.into_parts();
    let transcript = transcript::build(&recording, None, settings.keep_records);
    let captured = captured(&read, &client_random, &server_random);
    Some(Flight {
        transcript,
        hello,
        captured,
    })
}

/// The chain, the staple and the ServerKeyExchange signature checked with the leaf's key.
pub(super) fn captured(
    read: &FirstFlight,
    client_random: &[u8; 32],
    server_random: &[u8; 32],
) -> Captured {
    let signature = match (&read.key_exchange, read.certificates.first()) {
        (Some(kx), Some(leaf)) => {
            let signed = [&client_random[..], &server_random[..], &kx.params].concat();
            kx_signature::check(leaf, kx.scheme, &signed, &kx.signature)
        }
        _ => None,
    };
    Captured {
        chain: read
            .certificates
            .iter()
            .map(|der| CertificateDer::from(der.clone()))
            .collect(),
        ocsp: read.ocsp_response.clone().unwrap_or_default(),
        signature,
        client_certificate_requested: read.certificate_request,
    }
}

/// user_canceled then close_notify, each a warning, then the end of our side. Failures are
/// of no consequence: the server may have gone already.
pub(super) fn goodbye(io: &mut Recorder<std::net::TcpStream>, version: ProtocolVersion) {
    let mut out = Vec::with_capacity(14);
    for description in [
        AlertDescription::USER_CANCELED,
        AlertDescription::CLOSE_NOTIFY,
    ] {
        out.extend_from_slice(&[record::ALERT.0]);
        out.extend_from_slice(&version.0.to_be_bytes());
        out.extend_from_slice(&[0, 2, AlertLevel::WARNING.0, description.0]);
    }
    let _ = io.write_all(&out);
    let _ = io.get_ref().shutdown(Shutdown::Write);
}

/// Every TLS 1.0-1.2 suite we know, in the order a mainstream client prefers them: ECDHE with
/// AEAD, ECDHE with CBC, RSA key exchange, DHE, then 3DES; the ones no mainstream client
/// offers (RC4, export, anonymous, NULL, PSK, static DH, ...) after all of those, so that a
/// server that accepts only such a suite still answers.
pub(super) fn mainstream_suites() -> Vec<CipherSuite> {
    let mut suites: Vec<(u8, usize, CipherSuite)> = known_cipher_suites()
        .enumerate()
        .filter_map(|(i, s)| {
            let f = facts(s)?;
            (!f.tls13() && f.kx != Kx::Scsv).then(|| (rank(f), i, CipherSuite(s)))
        })
        .collect();
    suites.sort_by_key(|(rank, i, _)| (*rank, *i));
    suites.into_iter().map(|(_, _, s)| s).collect()
}

/// A suite's place in [`mainstream_suites`]: lower first.
fn rank(f: &SuiteFacts) -> u8 {
    let mainstream_cipher = matches!(
        f.cipher,
        Cipher::Aes128 | Cipher::Aes256 | Cipher::ChaCha20 | Cipher::TripleDes
    );
    let mainstream_auth = matches!(f.auth, Auth::Rsa | Auth::Ecdsa);
    if !mainstream_cipher || !mainstream_auth || f.export {
        return 9;
    }
    match (f.kx, f.cipher, f.mode.is_aead()) {
        (_, Cipher::TripleDes, _) => 8,
        (Kx::Ecdhe, _, true) => 0,
        (Kx::Ecdhe, _, false) => 1,
        (Kx::Rsa, _, true) => 2,
        (Kx::Rsa, _, false) => 3,
        (Kx::Dhe, _, true) => 4,
        (Kx::Dhe, _, false) => 5,
        _ => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainstream_suites_come_first_in_a_mainstream_order() {
        let suites = mainstream_suites();
        let at = |code: u16| suites.iter().position(|s| s.0 == code).unwrap();
        // ECDHE-RSA-AES128-GCM < ECDHE-RSA-AES128-SHA < AES128-GCM < AES128-SHA <
        // DHE-RSA-AES128-GCM < DHE-RSA-AES128-SHA < DES-CBC3-SHA < RC4-SHA, NULL-SHA.
        let order = [0xc02f, 0xc013, 0x009c, 0x002f, 0x009e, 0x0033, 0x000a];
        for pair in order.windows(2) {
            assert!(at(pair[0]) < at(pair[1]), "{pair:x?}");
        }
        assert!(at(0x000a) < at(0x0005) && at(0x000a) < at(0x0002));
        assert!(!suites.iter().any(|s| s.is_tls13() || s.0 == 0x00ff));
        // Every suite we know but TLS 1.3's and the SCSVs is offered.
        assert!(suites.len() > 300, "{}", suites.len());
    }
}
