//! rustls's errors in words a person reads. rustls's own Display prints its enum names
//! (`peer is incompatible: ServerTlsVersionIsDisabledByOurConfig`); messages in reports and on
//! stderr say what happened instead. The common cases have a sentence of their own; the many
//! rarer ones (rustls has some hundred) have their name spelt out in words.

use rustls::{Error, InconsistentKeys, PeerIncompatible};

use crate::wire::names::alert_name;

/// `e` as a phrase without a trailing period: "the server chose a TLS version we did not offer".
pub fn tls_error(e: &Error) -> String {
    match e {
        Error::AlertReceived(a) => {
            format!("the server sent the alert {}", alert_name(u8::from(*a)))
        }
        Error::PeerIncompatible(p) => incompatible(p),
        Error::PeerMisbehaved(p) => format!(
            "the server broke the TLS protocol ({})",
            spelt(&format!("{p:?}"))
        ),
        Error::InvalidMessage(m) => format!(
            "the server sent a malformed message ({})",
            spelt(&format!("{m:?}"))
        ),
        Error::InappropriateMessage { got_type, .. } => format!(
            "the server sent an unexpected {} record",
            spelt(&format!("{got_type:?}"))
        ),
        Error::InappropriateHandshakeMessage { got_type, .. } => {
            format!("the server sent an unexpected {got_type:?} message")
        }
        Error::DecryptError => {
            "a record from the server could not be decrypted (wrong keys, or altered on the way)"
                .into()
        }
        Error::PeerSentOversizedRecord => "the server sent a record larger than TLS allows".into(),
        Error::NoApplicationProtocol => "the server and we have no ALPN protocol in common".into(),
        Error::NoCertificatesPresented => "the server sent no certificate".into(),
        Error::InvalidCertificate(c) => format!(
            "the certificate was refused ({})",
            spelt(first_word(&format!("{c:?}")))
        ),
        Error::InconsistentKeys(InconsistentKeys::KeyMismatch) => {
            "the private key does not belong to the certificate".into()
        }
        Error::InconsistentKeys(_) => {
            "whether the private key belongs to the certificate cannot be checked".into()
        }
        Error::HandshakeNotComplete => "the handshake did not complete".into(),
        Error::General(s) => s.clone(),
        Error::Other(o) => o.to_string(),
        other => spelt(first_word(&format!("{other:?}"))),
    }
}

fn incompatible(p: &PeerIncompatible) -> String {
    let said = match p {
        PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig => {
            "the server chose a TLS version we did not offer"
        }
        PeerIncompatible::ServerDoesNotSupportTls12Or13 => {
            "the server supports neither TLS 1.2 nor TLS 1.3"
        }
        PeerIncompatible::SupportedVersionsExtensionRequired => {
            "the server did not send the supported_versions extension that TLS 1.3 needs"
        }
        PeerIncompatible::NoCipherSuitesInCommon => {
            "the server and we have no cipher suite in common"
        }
        PeerIncompatible::NoKxGroupsInCommon => {
            "the server and we have no key-exchange group in common"
        }
        PeerIncompatible::NoSignatureSchemesInCommon => {
            "the server and we have no signature scheme in common"
        }
        PeerIncompatible::ExtendedMasterSecretExtensionRequired => {
            "the server does not support the extended master secret (RFC 7627) that TLS 1.2 needs here"
        }
        other => {
            return format!(
                "the server is not compatible with us ({})",
                spelt(first_word(&format!("{other:?}")))
            )
        }
    };
    said.into()
}

/// `Foo(Bar)` -> `Foo`: the variant, not what it carries.
fn first_word(debug: &str) -> &str {
    debug.split(['(', ' ', '{']).next().unwrap_or(debug)
}

/// `SelectedUnofferedCipherSuite` -> `selected unoffered cipher suite`; initialisms kept in
/// capitals (`Tls12` -> `TLS 1.2`).
pub fn spelt(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in first_word(name).chars() {
        let starts = c.is_ascii_uppercase()
            || (c.is_ascii_digit() && !word.chars().last().is_some_and(|p| p.is_ascii_digit()));
        if starts && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .iter()
        .map(|w| match w.as_str() {
            "Tls" => "TLS".to_string(),
            "12" => "1.2".to_string(),
            "13" => "1.3".to_string(),
            "Ech" | "Psk" | "Alpn" | "Sni" | "Ocsp" | "Sct" | "Ccs" | "Ec" | "Kx" | "Quic"
            | "Der" | "Dh" | "Ecdh" | "Rsa" | "Crl" => w.to_ascii_uppercase(),
            _ => w.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_words() {
        assert_eq!(
            spelt("SelectedUnofferedCipherSuite"),
            "selected unoffered cipher suite"
        );
        assert_eq!(spelt("Tls12NotOffered"), "TLS 1.2 not offered");
        assert_eq!(spelt("MissingData(\"x\")"), "missing data");
    }

    #[test]
    fn no_enum_name_reaches_a_person() {
        let errors = [
            Error::PeerIncompatible(PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig),
            Error::PeerIncompatible(PeerIncompatible::Tls12NotOffered),
            Error::InconsistentKeys(InconsistentKeys::KeyMismatch),
            Error::AlertReceived(rustls::AlertDescription::HandshakeFailure),
            Error::PeerMisbehaved(rustls::PeerMisbehaved::SelectedUnofferedCipherSuite),
        ];
        let said: Vec<String> = errors.iter().map(tls_error).collect();
        assert_eq!(said[0], "the server chose a TLS version we did not offer");
        assert_eq!(
            said[1],
            "the server is not compatible with us (TLS 1.2 not offered)"
        );
        assert_eq!(
            said[2],
            "the private key does not belong to the certificate"
        );
        assert_eq!(said[3], "the server sent the alert handshake_failure");
        assert_eq!(
            said[4],
            "the server broke the TLS protocol (selected unoffered cipher suite)"
        );
        for s in &said {
            assert!(!s.contains("Tls12") && !s.contains("Mismatch"), "{s}");
        }
    }
}
