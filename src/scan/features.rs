//! The checks auditors run beside the suites, each from one raw hello of our own: what a TLS
//! 1.0-1.2 ServerHello answers when offered everything (renegotiation_info, extended master
//! secret, encrypt-then-MAC, heartbeat, session tickets, DEFLATE), Heartbleed on that same
//! connection when heartbeat is on, TLS_FALLBACK_SCSV, SSL 2.0, and client-initiated
//! renegotiation (one handshake of ours completed, then renegotiated). Then the findings they
//! make, and what the probe's own NewSessionTickets say of tickets and 0-RTT.

use std::io::Write;
use std::time::Duration;

use super::asker::{random, Asker};
use super::client_hello::{Extras, HelloSpec, DEFLATE};
use super::server_answer::{self, Answer, READ_LIMIT};
use super::{heartbeat, sslv2};
use crate::report::{
    Message, MessageFields, MessageKind, ProtocolVersion as Version, ScanCode, ScanFeatures,
    ScanFinding, Severity,
};
use crate::wire::code_points::{
    AlertDescription, CipherSuite, ExtensionType, HandshakeType, ProtocolVersion,
};
use crate::wire::first_flight::{self, End};
use crate::wire::names::extension_name;

/// At most this long is given to a heartbeat's answer: a server that drops heartbeats before
/// the handshake ends says nothing at all.
const HEARTBEAT_WAIT: Duration = Duration::from_secs(3);

/// RFC 8446 section 4.6.1: no ticket may live longer than seven days.
const TLS13_MAX_TICKET_S: u32 = 7 * 24 * 3600;
/// A ticket that outlives a day keeps its key (and the sessions it protects) that long.
const LONG_TICKET_S: u32 = 24 * 3600;

/// The features learnt with raw hellos. `accepted` holds each accepted version (newest first)
/// with its suites in the server's order.
pub fn survey(asker: &Asker<'_>, accepted: &[(u16, Vec<u16>)]) -> ScanFeatures {
    let mut out = ScanFeatures::default();
    let legacy = accepted
        .iter()
        .find(|(v, _)| ProtocolVersion(*v) < ProtocolVersion::TLS1_3);
    if let Some((version, suites)) = legacy {
        offered_everything(asker, ProtocolVersion(*version), suites, &mut out);
    }
    // A hello at the second-highest version says it is a fallback from the highest.
    if let [_, (lower, suites), ..] = accepted {
        out.fallback_scsv = fallback(asker, ProtocolVersion(*lower), suites);
    }
    out.sslv2 = sslv2_spoken(asker);
    if accepted
        .iter()
        .any(|(v, _)| ProtocolVersion(*v) == ProtocolVersion::TLS1_2)
    {
        out.client_renegotiation = super::renegotiation::ask(asker);
    }
    out
}

/// One hello at `version` offering `suites` and every extension; its ServerHello read for
/// what it answered, then Heartbleed asked on the same connection when heartbeat is on.
fn offered_everything(
    asker: &Asker<'_>,
    version: ProtocolVersion,
    suites: &[u16],
    out: &mut ScanFeatures,
) {
    let spec = HelloSpec {
        status_request: true,
        sct: true,
        alpn: vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        extras: Extras {
            deflate: true,
            heartbeat: true,
            session_ticket: true,
            encrypt_then_mac: true,
            ..Extras::default()
        },
        ..asker.spec(version, suites.iter().copied().map(CipherSuite).collect())
    };
    asker.count();
    let Ok(mut sock) = server_answer::send_hello(asker.dialer, &spec, asker.deadline) else {
        return;
    };
    let flight_bytes = server_answer::read_flight(&mut sock, asker.deadline);
    let flight = first_flight::read(&flight_bytes);
    let Some((hello, _)) = flight.hello.filter(|(h, _)| h.version == version) else {
        return;
    };
    let has = |e: ExtensionType| Some(hello.extensions.contains(&e));
    out.hello_version = Some(Version(version.0));
    out.server_extensions = hello
        .extensions
        .iter()
        .map(|e| extension_name(e.0).into_owned())
        .collect();
    out.secure_renegotiation = has(ExtensionType::RENEGOTIATION_INFO);
    out.extended_master_secret = has(ExtensionType::EXTENDED_MASTER_SECRET);
    out.encrypt_then_mac = has(ExtensionType::ENCRYPT_THEN_MAC);
    out.session_ticket = has(ExtensionType::SESSION_TICKET);
    out.compression = Some(hello.compression_method == DEFLATE);
    out.heartbeat = has(ExtensionType::HEARTBEAT);
    if out.heartbeat == Some(true) && flight.end == End::Done {
        let wait = asker.deadline.capped(HEARTBEAT_WAIT);
        if sock.write_all(&heartbeat::requests(version)).is_ok() {
            let (got, _) = server_answer::read_until(&mut sock, wait, READ_LIMIT, |b| {
                heartbeat::vulnerable(b).is_some()
            });
            out.heartbleed = heartbeat::vulnerable(&got);
        }
    }
}

/// Whether a hello at `version` with TLS_FALLBACK_SCSV is refused as an inappropriate
/// fallback; null when the server answers otherwise (another alert, silence).
fn fallback(asker: &Asker<'_>, version: ProtocolVersion, suites: &[u16]) -> Option<bool> {
    let spec = HelloSpec {
        extras: Extras {
            fallback_scsv: true,
            ..Extras::default()
        },
        ..asker.spec(version, suites.iter().copied().map(CipherSuite).collect())
    };
    match asker.answer(&spec) {
        Answer::Alert(AlertDescription::INAPPROPRIATE_FALLBACK) => Some(true),
        Answer::Hello { .. } => Some(false),
        _ => None,
    }
}

/// Whether the server answers an SSL 2.0 CLIENT-HELLO with a SERVER-HELLO; null when it could
/// not be asked or kept silent.
fn sslv2_spoken(asker: &Asker<'_>) -> Option<bool> {
    let mut challenge = [0u8; 16];
    challenge.copy_from_slice(&random()[..16]);
    asker.count();
    let mut sock = server_answer::send_bytes(
        asker.dialer,
        &sslv2::client_hello(&challenge),
        asker.deadline,
    )
    .ok()?;
    let (got, stop) = server_answer::read_until(&mut sock, asker.deadline, READ_LIMIT, |b| {
        sslv2::answer(b).is_some()
    });
    match sslv2::answer(&got) {
        Some(sslv2::Answer::ServerHello { .. }) => Some(true),
        Some(sslv2::Answer::Other) => Some(false),
        // Closed or reset without a word: no SSL 2.0 here.
        None => stop.closed().then_some(false),
    }
}

/// The ticket lifetime and 0-RTT allowance of the probe's own NewSessionTickets.
pub fn tickets(features: &mut ScanFeatures, handshake: &[Message]) {
    let tickets: Vec<_> = handshake
        .iter()
        .filter(|m| m.kind == MessageKind::Handshake(HandshakeType::NEW_SESSION_TICKET))
        .filter_map(|m| match &m.fields {
            MessageFields::NewSessionTicket(t) => Some(t),
            _ => None,
        })
        .collect();
    features.ticket_lifetime_s = tickets.iter().filter_map(|t| t.lifetime_s).max();
    if !tickets.is_empty() {
        features.early_data = Some(tickets.iter().any(|t| t.max_early_data.unwrap_or(0) > 0));
    }
}

/// The findings the features make. `tls13` says whether the server's tickets are TLS 1.3's
/// (their lifetime is capped by RFC 8446).
pub fn findings(f: &ScanFeatures, tls13: bool) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    let version = f.hello_version.map(|v| v.to_string()).unwrap_or_default();
    if f.sslv2 == Some(true) {
        out.push(ScanFinding::new(ScanCode::Sslv2, Severity::High, "SSL 2.0 is spoken: its handshake lets an attacker decrypt the server's TLS sessions that share the RSA key (DROWN, CVE-2016-0800)"));
    }
    if f.heartbleed == Some(true) {
        out.push(ScanFinding::new(ScanCode::Heartbleed, Severity::High, format!("a heartbeat claiming {} bytes it did not carry was answered with that many bytes of the server's memory (Heartbleed, CVE-2014-0160): upgrade OpenSSL and replace the key", heartbeat::CLAIMED)));
    } else if f.heartbeat == Some(true) {
        out.push(ScanFinding::new(ScanCode::Heartbeat, Severity::Low, format!("{version} answers the heartbeat extension: nothing needs it, and it was Heartbleed's way in")));
    }
    if f.compression == Some(true) {
        out.push(ScanFinding::new(ScanCode::Compression, Severity::High, format!("{version} takes DEFLATE compression, which leaks secrets in the traffic to an attacker who can add to it (CRIME)")));
    }
    if f.secure_renegotiation == Some(false) {
        out.push(ScanFinding::new(ScanCode::InsecureRenegotiation, Severity::High, format!("{version} does not answer renegotiation_info: without RFC 5746 an attacker can splice a prefix into the client's session")));
    }
    if f.client_renegotiation == Some(true) {
        out.push(ScanFinding::new(ScanCode::ClientRenegotiation, Severity::Medium, "the server renegotiates when its client asks: each renegotiation costs it a full handshake, so one connection can keep it busy (a denial of service that no connection limit stops); OpenSSL 3 refuses unless told -client_renegotiation"));
    }
    if f.extended_master_secret == Some(false) {
        out.push(ScanFinding::new(ScanCode::NoExtendedMasterSecret, Severity::Low, format!("{version} does not answer extended_master_secret: without RFC 7627 its sessions are open to triple-handshake attacks")));
    }
    if f.fallback_scsv == Some(false) {
        out.push(ScanFinding::new(ScanCode::NoFallbackScsv, Severity::Medium, "a hello marked as a fallback (TLS_FALLBACK_SCSV) was answered at a lower version: a downgrade by an attacker goes unnoticed (RFC 7507)"));
    }
    if f.early_data == Some(true) {
        out.push(ScanFinding::new(ScanCode::EarlyData, Severity::Low, "the server's tickets allow 0-RTT early data, which an attacker can replay: the application must accept only idempotent requests there (RFC 8446 section 8)"));
    }
    match f.ticket_lifetime_s {
        Some(s) if tls13 && s > TLS13_MAX_TICKET_S => out.push(ScanFinding::new(ScanCode::LongTicketLifetime, Severity::Medium, format!("tickets are said to live {s} s, longer than the seven days TLS 1.3 allows (RFC 8446 section 4.6.1)"))),
        Some(s) if s > LONG_TICKET_S => out.push(ScanFinding::new(ScanCode::LongTicketLifetime, Severity::Low, format!("tickets live {} h: the key that protects them, and every session it resumes, is exposed for that long (rotate it daily)", s / 3600))),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::NewSessionTicketFields;
    use crate::report::{RecordKind, Side};

    #[test]
    fn findings_follow_the_features() {
        let quiet = ScanFeatures {
            hello_version: Some(Version::TLS1_2),
            secure_renegotiation: Some(true),
            extended_master_secret: Some(true),
            compression: Some(false),
            heartbeat: Some(false),
            fallback_scsv: Some(true),
            sslv2: Some(false),
            ticket_lifetime_s: Some(7200),
            early_data: Some(false),
            ..ScanFeatures::default()
        };
        assert!(findings(&quiet, true).is_empty());
        assert!(
            findings(&ScanFeatures::default(), false).is_empty(),
            "unknown is no finding"
        );
        let loud = ScanFeatures {
            secure_renegotiation: Some(false),
            extended_master_secret: Some(false),
            compression: Some(true),
            heartbeat: Some(true),
            fallback_scsv: Some(false),
            sslv2: Some(true),
            ticket_lifetime_s: Some(TLS13_MAX_TICKET_S + 1),
            early_data: Some(true),
            ..quiet.clone()
        };
        let codes: Vec<&str> = findings(&loud, true)
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(
            codes,
            [
                "sslv2",
                "heartbeat",
                "compression",
                "insecure_renegotiation",
                "no_extended_master_secret",
                "no_fallback_scsv",
                "early_data",
                "long_ticket_lifetime"
            ]
        );
        let bled = ScanFeatures {
            heartbleed: Some(true),
            ..loud
        };
        let f = findings(&bled, false);
        assert!(f.iter().any(|f| f.code == ScanCode::Heartbleed));
        assert!(!f.iter().any(|f| f.code == ScanCode::Heartbeat));
        let long = f
            .iter()
            .find(|f| f.code == ScanCode::LongTicketLifetime)
            .unwrap();
        assert_eq!(
            long.severity,
            Severity::Low,
            "TLS 1.2 tickets are not capped"
        );
    }

    #[test]
    fn tickets_say_lifetime_and_early_data() {
        let ticket = |lifetime_s, max_early_data| Message {
            t_ms: 0.0,
            from: Side::Server,
            record: RecordKind::Handshake,
            kind: MessageKind::Handshake(HandshakeType::NEW_SESSION_TICKET),
            length: 0,
            encrypted: true,
            fields: MessageFields::NewSessionTicket(NewSessionTicketFields {
                lifetime_s,
                max_early_data,
            }),
            record_bytes: None,
        };
        let mut f = ScanFeatures::default();
        tickets(&mut f, &[]);
        assert_eq!((f.ticket_lifetime_s, f.early_data), (None, None));
        tickets(
            &mut f,
            &[ticket(Some(300), None), ticket(Some(7200), Some(16384))],
        );
        assert_eq!(
            (f.ticket_lifetime_s, f.early_data),
            (Some(7200), Some(true))
        );
        tickets(&mut f, &[ticket(Some(300), Some(0))]);
        assert_eq!(f.early_data, Some(false));
    }
}
