//! What an alert from a server usually means during a handshake.

use rustls::AlertDescription;

/// A sentence a person can act on, for the alerts that have a usual cause.
pub fn hint(alert: AlertDescription) -> Option<&'static str> {
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
        AlertDescription::UnknownCA | AlertDescription::BadCertificate => {
            "the server rejected our client certificate; check --cert and the CAs the server trusts"
        }
        _ => return None,
    })
}
