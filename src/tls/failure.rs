//! Name a failed handshake in the contract's terms: kind, message, alert and a hint.

use std::io;

use rustls::{AlertDescription, PeerIncompatible};

use super::DriveError;
use crate::report::{ErrorKind, Phase, ProbeError};
use crate::wire::names::alert_name;

/// What the transcript showed of the peer, to make the explanation specific.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// The last message the server sent before the failure (`ServerHello`, `Certificate`...).
    pub last_server_message: Option<String>,
    /// When the server's bytes are not TLS: a printable quote of what it sent.
    pub not_tls: Option<String>,
}

/// Turn a handshake failure into the report's error.
pub fn explain(err: &DriveError, seen: &Seen) -> ProbeError {
    let after = match &seen.last_server_message {
        Some(m) => format!(" after the server's {m}"),
        None => " before the server answered".to_string(),
    };
    let e = |kind, message: String, hint: Option<&str>| ProbeError {
        phase: Phase::Handshake,
        kind,
        message,
        alert: None,
        hint: hint.map(str::to_string),
    };
    if let Some(quote) = &seen.not_tls {
        return e(
            ErrorKind::NotTls,
            format!("the server did not answer with TLS; it sent: {quote}"),
            Some("check the port: this service may speak plaintext or need --starttls"),
        );
    }
    match err {
        DriveError::Timeout => e(
            ErrorKind::Timeout,
            format!("no answer within the timeout{after}"),
            Some("the server accepted the connection but stalled; check that this port speaks TLS, or raise --timeout"),
        ),
        DriveError::Closed => e(
            ErrorKind::ConnectionClosed,
            format!("the server closed the connection{after}"),
            Some("the server dropped the handshake without an alert; it may reject the offered versions or server name (try --tls1.2, --sni)"),
        ),
        DriveError::Io(io) if io.kind() == io::ErrorKind::ConnectionReset => e(
            ErrorKind::ConnectionReset,
            format!("the server reset the connection{after}"),
            Some("the server (or a middlebox) aborted the handshake; it may reject the offered versions or server name (try --tls1.2, --sni)"),
        ),
        DriveError::Io(io) => e(ErrorKind::Other, format!("I/O error{after}: {io}"), None),
        DriveError::Tls(tls) => explain_tls(tls, &after),
    }
}

fn explain_tls(err: &rustls::Error, after: &str) -> ProbeError {
    let mut out = ProbeError {
        phase: Phase::Handshake,
        kind: ErrorKind::ProtocolError,
        message: format!("{err}{after}"),
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
            out.message = format!("the server sent a fatal alert: {name}{after}");
            out.hint = alert_hint(*alert).map(str::to_string);
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
                "the server sent something that breaks the TLS protocol; the transcript shows the last messages"
                    .to_string(),
            );
        }
        _ => out.kind = ErrorKind::Other,
    }
    out
}

/// What an alert usually means from a server answering our ClientHello.
fn alert_hint(alert: AlertDescription) -> Option<&'static str> {
    Some(match alert {
        AlertDescription::HandshakeFailure => {
            "the server accepts none of the offered cipher suites, groups or signature schemes; try --tls1.2, or check the server's configuration"
        }
        AlertDescription::ProtocolVersion => {
            "the server accepts none of the offered versions; it may accept only TLS 1.0/1.1, which current clients refuse"
        }
        AlertDescription::UnrecognisedName => {
            "the server does not serve this name; check the host name or set it with --sni"
        }
        AlertDescription::CertificateRequired => {
            "the server requires a client certificate: give one with --cert and --key"
        }
        AlertDescription::InsufficientSecurity => {
            "the server wants stronger parameters than those offered"
        }
        AlertDescription::NoApplicationProtocol => {
            "the server accepts none of the offered ALPN protocols; change --alpn"
        }
        AlertDescription::AccessDenied => "the server refused access to this client",
        AlertDescription::InternalError => "the server failed internally; check its logs",
        AlertDescription::DecodeError | AlertDescription::IllegalParameter => {
            "the server could not parse or accept our ClientHello; try --tls1.2"
        }
        _ => return None,
    })
}
