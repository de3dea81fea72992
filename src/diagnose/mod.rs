//! Explain a failed handshake in the contract's terms: kind, message, alert, and a hint a
//! person can act on. Pure: it reads what the probe saw, and what raw ClientHellos learnt.

mod alerts;
pub mod first_flight;
pub mod legacy;
mod not_tls;
mod rsa_pss;
pub mod words;

use std::io;

use rustls::{AlertDescription, PeerIncompatible};

use crate::net::starttls::Protocol;
use crate::report::{ErrorKind, Phase, ProbeError};
use crate::scan::accepted::Accepted;
use crate::tls::DriveError;
use crate::wire::code_points::SignatureScheme;
use crate::wire::names::alert_name;
use legacy::Offered;

/// What the probe saw of the peer, to make the explanation specific.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// The last handshake message the server sent before the failure (`ServerHello`...).
    pub last_server_message: Option<String>,
    /// The server sent a ServerHello (it accepted our version and suite).
    pub server_hello: bool,
    /// How many bytes the server sent in all.
    pub server_bytes: usize,
    /// When the server's bytes are not TLS: the first of them.
    pub not_tls: Option<Vec<u8>>,
    /// The CA names of the server's CertificateRequest, when it sent one.
    pub certificate_request: Option<Vec<String>>,
    /// We sent a client certificate (`--cert`).
    pub sent_client_certificate: bool,
    /// The server name we sent, if any.
    pub sni: Option<String>,
    /// The signature scheme of the server's TLS 1.2 ServerKeyExchange, by name, when it sent
    /// one.
    pub server_kx_signature_scheme: Option<SignatureScheme>,
    /// What raw ClientHellos learnt of the versions and suites the server accepts.
    pub accepted: Option<Accepted>,
    pub offered: Offered,
    /// The server's port, and the STARTTLS protocol spoken before TLS (if any): a port whose
    /// service speaks TLS only after its own preamble is named when it hangs up on a ClientHello.
    pub port: u16,
    pub starttls: Option<Protocol>,
    /// The preamble the server answered when asked after it hung up on our ClientHello
    /// ([`crate::net::Dialer::sniff_preamble`]).
    pub answers_preamble: Option<Protocol>,
    /// The ALPN protocol the server selected, and the ones we offered.
    pub server_alpn: Option<String>,
    pub offered_alpn: Vec<String>,
}

/// Whether it is worth asking the server, with raw ClientHellos, which versions and suites it
/// accepts: it refused our ClientHello itself, with an alert or by hanging up, or it answered
/// with a version rustls does not speak (a server older than TLS 1.3's supported_versions,
/// which picks its own version whatever the client says).
pub fn worth_asking(err: &DriveError, seen: &Seen) -> bool {
    if seen.not_tls.is_some() {
        return false;
    }
    if seen.server_hello {
        return matches!(
            err,
            DriveError::Tls(rustls::Error::PeerIncompatible(
                PeerIncompatible::ServerDoesNotSupportTls12Or13
                    | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
            ))
        );
    }
    match err {
        DriveError::Closed => true,
        DriveError::Io(e) => e.kind() == io::ErrorKind::ConnectionReset,
        DriveError::Tls(rustls::Error::AlertReceived(a)) => matches!(
            a,
            AlertDescription::ProtocolVersion
                | AlertDescription::HandshakeFailure
                | AlertDescription::InsufficientSecurity
                | AlertDescription::IllegalParameter
        ),
        DriveError::Tls(rustls::Error::PeerIncompatible(_)) => true,
        _ => false,
    }
}

/// Turn a handshake failure into the report's error.
pub fn explain(err: &DriveError, seen: &Seen) -> ProbeError {
    let after = match &seen.last_server_message {
        Some(m) => format!(" after the server's {m}"),
        None => " in answer to our ClientHello".to_string(),
    };
    let mut e = basic(err, &after);
    if matches!(err, DriveError::Timeout) && seen.last_server_message.is_none() {
        e.message = match seen.server_bytes {
            0 => "the server accepted the connection but sent nothing within the timeout".into(),
            n => format!("the server sent {n} bytes but no complete message within the timeout"),
        };
    }
    // Whatever a server does once it has asked for a certificate and got none (an alert, a
    // close, a reset, a plaintext error) is its answer to that.
    if let Some(cas) = &seen.certificate_request {
        if !seen.sent_client_certificate && rejects_client(err) {
            let how = match (&e.alert, err, &seen.not_tls) {
                (Some(a), _, _) => format!("alert {a}"),
                (None, _, Some(bytes)) => format!(
                    "it answered in plaintext: {}",
                    crate::net::starttls::quote(first_line(bytes))
                ),
                (None, DriveError::Refused(words), _) => format!("it answered {words}"),
                (None, DriveError::Closed, _) => "it closed the connection".into(),
                (None, DriveError::Io(e), _) if e.kind() == io::ErrorKind::ConnectionReset => {
                    "it reset the connection".into()
                }
                (None, DriveError::Io(_), _) => "it closed the connection".into(),
                _ => "it broke off the handshake".into(),
            };
            e.kind = ErrorKind::ClientCertificateRequired;
            e.message = format!(
                "the server requires a client certificate and turned us away without one ({how})"
            );
            let accepted = if cas.is_empty() {
                "it did not name the CAs it accepts".to_string()
            } else {
                format!("it accepts certificates issued by: {}", cas.join("; "))
            };
            e.hint = Some(format!(
                "give a client certificate with --cert and --key; {accepted}"
            ));
            return e;
        }
    }
    // An alert is the server's word, whatever bytes followed it.
    let alerted = matches!(err, DriveError::Tls(rustls::Error::AlertReceived(_)));
    if let (Some(bytes), false) = (&seen.not_tls, alerted) {
        e.alert = None;
        if seen.server_hello {
            e.kind = ErrorKind::ProtocolError;
            e.message = format!(
                "the server stopped speaking TLS{after} and sent plaintext: {}",
                crate::net::starttls::quote(first_line(bytes))
            );
            e.hint = Some(
                "the server broke off the TLS handshake in its own protocol; its words say why, and its log will say more"
                    .into(),
            );
        } else {
            let (what, hint) = not_tls::identify(bytes);
            e.kind = ErrorKind::NotTls;
            e.message = what;
            e.hint = Some(hint);
        }
        return e;
    }
    if let Some((kind, message, hint)) = rsa_pss::explain(err, seen.server_kx_signature_scheme) {
        e.kind = kind;
        e.message = message;
        e.hint = Some(hint);
        return e;
    }
    if matches!(
        err,
        DriveError::Tls(rustls::Error::PeerMisbehaved(
            rustls::PeerMisbehaved::SelectedUnofferedApplicationProtocol
        ))
    ) {
        let chose = seen
            .server_alpn
            .as_deref()
            .map_or_else(|| "a protocol".to_string(), crate::verify::quote::quoted);
        let offered = if seen.offered_alpn.is_empty() {
            "we offered none".to_string()
        } else {
            format!("we offered {}", seen.offered_alpn.join(", "))
        };
        e.message = format!(
            "the server selected the ALPN protocol {chose}, which we did not offer ({offered})"
        );
        e.hint = Some(
            "a server may only choose among the protocols offered (RFC 7301): fix its ALPN configuration, or offer that protocol with --alpn".into(),
        );
        return e;
    }
    if let Some(hint) = needs_preamble(err, seen) {
        e.hint = Some(hint);
        return e;
    }
    if let Some(accepted) = &seen.accepted {
        if let Some((kind, message, hint)) = legacy::explain(accepted, &seen.offered) {
            e.kind = kind;
            e.message = message;
            e.hint = Some(hint);
            return e;
        }
    }
    if matches!(
        err,
        DriveError::Tls(rustls::Error::AlertReceived(
            AlertDescription::UnrecognisedName
        ))
    ) {
        e.hint = Some(match &seen.sni {
            Some(name) => format!("the server does not serve the name {name}: check the host name, or send the name it expects with --sni"),
            None => "the server wants a server name (SNI) and none was sent: give one with --sni NAME".into(),
        });
    }
    e
}

/// The error as rustls and the socket report it, before what the transcript adds.
fn basic(err: &DriveError, after: &str) -> ProbeError {
    let e = |kind, message: String, hint: &str| ProbeError {
        phase: Phase::Handshake,
        kind,
        message,
        alert: None,
        hint: Some(hint.to_string()),
    };
    match err {
        DriveError::Timeout => e(
            ErrorKind::Timeout,
            format!("no answer within the timeout{after}"),
            "the server accepted the connection but stalled; check that this port speaks TLS, or raise --timeout",
        ),
        DriveError::Closed => e(
            ErrorKind::ConnectionClosed,
            format!("the server closed the connection{after}"),
            "the server dropped the handshake without an alert; it may reject the offered versions or server name (try --tls1.2, --sni)",
        ),
        DriveError::Io(io) if io.kind() == io::ErrorKind::ConnectionReset => e(
            ErrorKind::ConnectionReset,
            format!("the server reset the connection{after}"),
            "the server (or a middlebox) aborted the handshake; it may reject the offered versions or server name (try --tls1.2, --sni)",
        ),
        DriveError::Io(io) => ProbeError {
            hint: None,
            ..e(ErrorKind::Other, format!("I/O error{after}: {io}"), "")
        },
        DriveError::Tls(tls) => explain_tls(tls, after),
        DriveError::Refused(words) => e(
            ErrorKind::ProtocolError,
            format!("the server turned us away after the handshake: {words}"),
            "the server's words say why; its log will say more",
        ),
    }
}

/// Did the server turn the client away, once it had asked for a certificate? Any alert, a
/// close, a reset or a broken pipe, or bytes that are not TLS; not our own deadline.
fn rejects_client(err: &DriveError) -> bool {
    match err {
        DriveError::Tls(
            rustls::Error::AlertReceived(_)
            | rustls::Error::InvalidMessage(_)
            | rustls::Error::PeerSentOversizedRecord,
        ) => true,
        DriveError::Closed | DriveError::Io(_) | DriveError::Refused(_) => true,
        DriveError::Tls(_) | DriveError::Timeout => false,
    }
}

/// The first line of what a server said.
fn first_line(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    &bytes[..end]
}

/// A server that hung up on our ClientHello without a word, on the port of a service that
/// speaks TLS only after its own preamble and says nothing first (LDAP, PostgreSQL): the hint
/// names the preamble.
fn needs_preamble(err: &DriveError, seen: &Seen) -> Option<String> {
    let accepts_tls = seen
        .accepted
        .as_ref()
        .is_some_and(|a| !a.versions.is_empty());
    if !hung_up(err, seen) || accepts_tls {
        return None;
    }
    if let Some(protocol) = seen.answers_preamble {
        return Some(format!(
            "this is {} server (it answered {}'s preamble when asked): {}",
            protocol.with_article(),
            protocol.name(),
            not_tls::advice(protocol)
        ));
    }
    let protocol = [Protocol::Ldap, Protocol::Postgres]
        .into_iter()
        .find(|p| p.default_port() == seen.port)?;
    Some(format!(
        "port {} is usually {}'s, which {}; or, if this port speaks TLS at once, the server may reject the offered versions or server name (try --tls1.2, --sni)",
        seen.port,
        protocol.name(),
        not_tls::advice(protocol)
            .split_once(' ')
            .map_or("", |(_, rest)| rest)
    ))
}

/// The server hung up on our ClientHello without a byte, and no preamble was spoken: it may
/// be a service that speaks TLS only after a preamble of its own.
pub fn hung_up(err: &DriveError, seen: &Seen) -> bool {
    let gone = matches!(err, DriveError::Closed)
        || matches!(err, DriveError::Io(e) if e.kind() == io::ErrorKind::ConnectionReset);
    gone && seen.server_bytes == 0 && seen.starttls.is_none()
}

fn explain_tls(err: &rustls::Error, after: &str) -> ProbeError {
    let mut out = ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::ProtocolError,
        message: format!("{}{after}", words::tls_error(err)),
        alert: None,
        hint: None,
    };
    match err {
        rustls::Error::AlertReceived(alert) => {
            let name = alert_name(u8::from(*alert)).into_owned();
            out.kind = match alert {
                AlertDescription::CertificateRequired => ErrorKind::ClientCertificateRequired,
                AlertDescription::ProtocolVersion => ErrorKind::ProtocolVersion,
                _ => ErrorKind::Alert,
            };
            out.message = format!("the server sent a fatal alert, {name},{after}");
            out.hint = alerts::hint(*alert).map(str::to_string);
            out.alert = Some(name);
        }
        rustls::Error::PeerIncompatible(p) => {
            let (kind, hint) = match p {
                PeerIncompatible::ServerDoesNotSupportTls12Or13
                | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig
                | PeerIncompatible::SupportedVersionsExtensionRequired => (
                    ErrorKind::ProtocolVersion,
                    "the server chose a protocol version we did not offer; current clients require TLS 1.2 or later",
                ),
                PeerIncompatible::NoCipherSuitesInCommon => (
                    ErrorKind::NoCommonCipher,
                    "the server chose a cipher suite we did not offer; it may accept only legacy suites",
                ),
                _ => (
                    ErrorKind::ProtocolError,
                    "the server's parameters are not compatible with ours",
                ),
            };
            out.kind = kind;
            out.hint = Some(hint.to_string());
        }
        rustls::Error::InvalidMessage(_)
        | rustls::Error::PeerMisbehaved(_)
        | rustls::Error::InappropriateMessage { .. }
        | rustls::Error::InappropriateHandshakeMessage { .. }
        | rustls::Error::PeerSentOversizedRecord
        | rustls::Error::DecryptError => {
            out.hint = Some(
                "the server broke the TLS protocol; the transcript shows the last messages before it did"
                    .to_string(),
            );
        }
        _ => out.kind = ErrorKind::Other,
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked_for_a_certificate() -> Seen {
        Seen {
            last_server_message: Some("ServerHelloDone".into()),
            server_hello: true,
            server_bytes: 900,
            certificate_request: Some(vec!["CN=Client CA".into()]),
            ..Seen::default()
        }
    }

    #[test]
    fn any_answer_to_a_missing_certificate_is_that() {
        let reset = || DriveError::Io(io::Error::from(io::ErrorKind::ConnectionReset));
        let pipe = || DriveError::Io(io::Error::from(io::ErrorKind::BrokenPipe));
        let cases: [(DriveError, Option<&[u8]>, &str); 6] = [
            (
                DriveError::Tls(rustls::Error::AlertReceived(AlertDescription::DecodeError)),
                None,
                "(alert decode_error)",
            ),
            (DriveError::Closed, None, "(it closed the connection)"),
            (reset(), None, "(it reset the connection)"),
            (pipe(), None, "(it closed the connection)"),
            (
                DriveError::Tls(rustls::Error::InvalidMessage(
                    rustls::InvalidMessage::InvalidContentType,
                )),
                Some(b"500 OOPS: no client certificate\r\n"),
                "(it answered in plaintext: \"500 OOPS: no client certificate\")",
            ),
            (
                DriveError::Refused("\"421 4.7.1 No client certificate presented\"".into()),
                None,
                "(it answered \"421 4.7.1 No client certificate presented\")",
            ),
        ];
        for (err, not_tls, how) in cases {
            let seen = Seen {
                not_tls: not_tls.map(<[u8]>::to_vec),
                ..asked_for_a_certificate()
            };
            let e = explain(&err, &seen);
            assert_eq!(e.kind, ErrorKind::ClientCertificateRequired, "{err:?}");
            assert!(e.message.ends_with(how), "{}", e.message);
            assert!(e.hint.as_deref().unwrap().contains("CN=Client CA"));
        }
        // Our own deadline is not the server's answer.
        let e = explain(&DriveError::Timeout, &asked_for_a_certificate());
        assert_eq!(e.kind, ErrorKind::Timeout);
    }

    #[test]
    fn an_alert_wins_over_the_plaintext_after_it() {
        let seen = Seen {
            server_hello: true,
            not_tls: Some(b"500 OOPS: something\r\n".to_vec()),
            ..Seen::default()
        };
        let alert = DriveError::Tls(rustls::Error::AlertReceived(
            AlertDescription::HandshakeFailure,
        ));
        assert_eq!(explain(&alert, &seen).kind, ErrorKind::Alert);
        let garbage = DriveError::Tls(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType,
        ));
        let e = explain(&garbage, &seen);
        assert_eq!(
            e.kind,
            ErrorKind::ProtocolError,
            "after a ServerHello: not not_tls"
        );
        assert!(
            e.message.contains("\"500 OOPS: something\""),
            "{}",
            e.message
        );
        assert!(!e.hint.unwrap().contains("does not speak TLS first"));
    }

    #[test]
    fn a_hang_up_names_the_preamble_the_server_answered() {
        let seen = Seen {
            port: 15432,
            answers_preamble: Some(Protocol::Postgres),
            ..Seen::default()
        };
        let e = explain(&DriveError::Closed, &seen);
        assert!(e.hint.unwrap().contains("--starttls postgres"));
        let by_port = Seen {
            port: 389,
            ..Seen::default()
        };
        assert!(explain(&DriveError::Closed, &by_port)
            .hint
            .unwrap()
            .contains("--starttls ldap"));
        // Not after a preamble, and not when the server accepts TLS all the same.
        let spoke = Seen {
            starttls: Some(Protocol::Ldap),
            ..by_port.clone()
        };
        assert!(!explain(&DriveError::Closed, &spoke)
            .hint
            .unwrap()
            .contains("--starttls"));
        let accepts = Seen {
            accepted: Some(Accepted {
                versions: vec![(0x0301, vec![0x002f])],
            }),
            ..by_port
        };
        assert!(!explain(&DriveError::Closed, &accepts)
            .hint
            .unwrap()
            .contains("--starttls"));
    }
}
