//! A failed handshake with a server beyond rustls, once tlsprobe read that server's first
//! flight itself: the message says what was read, and the hint says which clients connect
//! (each claim is tried with curl in the tests) and what to change on the server.

use crate::report::ProbeError;
use crate::wire::code_points::{CipherSuite, ProtocolVersion};
use crate::wire::suites::{facts, Auth};

/// A DH group smaller than this is weak: OpenSSL 3 refuses it at its default security level,
/// and it is within reach of a well-funded attacker (Logjam, CVE-2015-4000).
pub const WEAK_DH_BITS: u32 = 2048;

/// What the first flight showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlightFacts {
    pub version: ProtocolVersion,
    pub suite: CipherSuite,
    /// The DHE prime's size, for a DHE suite.
    pub dh_bits: Option<u32>,
    pub certificates: usize,
}

/// The explanation of the refused handshake, made to say what the first flight showed.
pub fn explain(mut e: ProbeError, f: &FlightFacts) -> ProbeError {
    e.message = format!(
        "read the server's {} first flight ({}): {}; the handshake was not completed",
        f.version,
        read(f),
        e.message
    );
    e.hint = Some(hint(f));
    e
}

fn read(f: &FlightFacts) -> String {
    let mut parts = vec![f.suite.to_string()];
    match f.dh_bits {
        Some(bits) if bits < WEAK_DH_BITS => parts.push(format!(
            "a {bits}-bit DH group, weak: under {WEAK_DH_BITS} bits"
        )),
        Some(bits) => parts.push(format!("a {bits}-bit DH group")),
        None => {}
    }
    parts.push(match f.certificates {
        0 => "no certificate".into(),
        1 => "1 certificate".into(),
        n => format!("{n} certificates"),
    });
    parts.join(", ")
}

/// Which clients connect, and what to change on the server.
fn hint(f: &FlightFacts) -> String {
    let v = f.version;
    if v <= ProtocolVersion::SSL3 {
        return format!(
            "no current client speaks {v} (OpenSSL 3 and rustls have no SSL 3.0 at all): enable TLS 1.2 or 1.3 on the server"
        );
    }
    let weak_dh = f.dh_bits.is_some_and(|b| b < WEAK_DH_BITS);
    if v.is_legacy() {
        let (curl, s_client) = if v == ProtocolVersion::TLS1_0 {
            ("--tlsv1.0", "-tls1")
        } else {
            ("--tlsv1.1", "-tls1_1")
        };
        return format!(
            "browsers and rustls-based clients refuse {v}, and OpenSSL 3 clients connect only when told to allow it (curl {curl} --ciphers DEFAULT@SECLEVEL=0, openssl s_client {s_client} -cipher DEFAULT@SECLEVEL=0): enable TLS 1.2 or 1.3 on the server{}",
            if weak_dh { format!(", with a DH group of at least {WEAK_DH_BITS} bits") } else { String::new() }
        );
    }
    let modern = match facts(f.suite.0).map(|s| s.auth) {
        Some(Auth::Ecdsa) => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        _ => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    };
    let suite = f.suite;
    if weak_dh {
        return format!(
            "rustls-based clients refuse {suite}, and OpenSSL 3 clients refuse a DH group under {WEAK_DH_BITS} bits unless told to allow it (curl --ciphers DEFAULT@SECLEVEL=0): use a DH group of at least {WEAK_DH_BITS} bits, and enable an ECDHE suite with AES-GCM or ChaCha20-Poly1305 on the server, e.g. {modern}"
        );
    }
    format!(
        "OpenSSL-based clients such as curl connect with their default settings, but rustls-based clients refuse {suite}: enable an ECDHE suite with AES-GCM or ChaCha20-Poly1305 on the server, e.g. {modern}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ErrorKind, Phase};

    fn refused() -> ProbeError {
        ProbeError {
            phase: Phase::Handshake,
            kind: ErrorKind::ProtocolVersion,
            message: "the server accepts only TLSv1.0 (TLS_RSA_WITH_AES_128_CBC_SHA)".into(),
            alert: Some("protocol_version".into()),
            hint: Some("old".into()),
        }
    }

    #[test]
    fn the_message_says_what_was_read_and_the_hint_which_clients_connect() {
        let f = FlightFacts {
            version: ProtocolVersion::TLS1_0,
            suite: CipherSuite(0x0033),
            dh_bits: Some(1024),
            certificates: 2,
        };
        let e = explain(refused(), &f);
        assert_eq!(
            e.message,
            "read the server's TLSv1.0 first flight (TLS_DHE_RSA_WITH_AES_128_CBC_SHA, a 1024-bit DH group, weak: under 2048 bits, 2 certificates): the server accepts only TLSv1.0 (TLS_RSA_WITH_AES_128_CBC_SHA); the handshake was not completed"
        );
        let said = e.hint.unwrap();
        assert!(
            said.contains("curl --tlsv1.0 --ciphers DEFAULT@SECLEVEL=0"),
            "{said}"
        );
        assert!(said.contains("at least 2048 bits"), "{said}");
        assert_eq!(
            (e.kind, e.alert.as_deref()),
            (ErrorKind::ProtocolVersion, Some("protocol_version"))
        );

        let ecdsa_cbc = FlightFacts {
            version: ProtocolVersion::TLS1_2,
            suite: CipherSuite(0xc009),
            dh_bits: None,
            certificates: 1,
        };
        let said = hint(&ecdsa_cbc);
        assert!(
            said.starts_with("OpenSSL-based clients such as curl connect"),
            "{said}"
        );
        assert!(
            said.ends_with("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            "{said}"
        );
        assert!(read(&ecdsa_cbc).ends_with(", 1 certificate"));
    }
}
