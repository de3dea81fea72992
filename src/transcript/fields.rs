//! The report's view of what `wire` read: the one place where a message's code points become
//! the names the report shows (IANA names, or `0x%04x` for a value without one, GREASE
//! included).

use crate::report::{
    AlertFields, CertificateFields, CertificateRequestFields, CertificateVerifyFields,
    ClientHelloFields, EncryptedExtensionsFields, KeyUpdateFields, MessageFields,
    NewSessionTicketFields, ServerHelloFields, ServerKeyExchangeFields,
};
use crate::wire::alert::Alert;
use crate::wire::handshake::Fields;

fn names<T: ToString>(list: &[T]) -> Vec<String> {
    list.iter().map(ToString::to_string).collect()
}

fn name<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// A handshake message's fields, as the report shows them.
pub(super) fn message_fields(fields: Fields) -> MessageFields {
    match fields {
        Fields::None => MessageFields::None,
        Fields::ClientHello(c) => MessageFields::ClientHello(ClientHelloFields {
            legacy_version: c.legacy_version.to_string(),
            versions: names(&c.versions),
            cipher_suites: names(&c.cipher_suites),
            groups: names(&c.groups),
            key_share_groups: names(&c.key_share_groups),
            signature_algorithms: names(&c.signature_algorithms),
            alpn: c.alpn,
            sni: c.sni,
            extensions: names(&c.extensions),
        }),
        Fields::ServerHello(s) => MessageFields::ServerHello(ServerHelloFields {
            version: s.version.to_string(),
            cipher_suite: s.cipher_suite.to_string(),
            group: name(&s.group),
            alpn: s.alpn.clone(),
            extensions: names(&s.extensions),
        }),
        Fields::Certificate(c) => MessageFields::Certificate(CertificateFields {
            count: c.count,
            subjects: c.subjects,
        }),
        Fields::ServerKeyExchange(k) => MessageFields::ServerKeyExchange(ServerKeyExchangeFields {
            group: name(&k.group),
            dh_bits: k.dh_bits,
            signature_scheme: k.signature_scheme,
        }),
        Fields::EncryptedExtensions(e) => {
            MessageFields::EncryptedExtensions(EncryptedExtensionsFields {
                alpn: e.alpn,
                extensions: names(&e.extensions),
            })
        }
        Fields::CertificateVerify(v) => MessageFields::CertificateVerify(CertificateVerifyFields {
            signature_scheme: name(&v.signature_scheme),
        }),
        Fields::CertificateRequest(r) => {
            MessageFields::CertificateRequest(CertificateRequestFields {
                signature_algorithms: names(&r.signature_algorithms),
                certificate_authorities: r.certificate_authorities,
                certificate_types: names(&r.certificate_types),
            })
        }
        Fields::NewSessionTicket(t) => MessageFields::NewSessionTicket(NewSessionTicketFields {
            lifetime_s: t.lifetime_s,
            max_early_data: t.max_early_data,
        }),
        Fields::KeyUpdate(k) => MessageFields::KeyUpdate(KeyUpdateFields {
            update_requested: k.update_requested,
        }),
    }
}

/// An alert that was read (not one encrypted and left closed, whose fields are all null).
pub(super) fn alert_fields(a: Alert) -> MessageFields {
    MessageFields::Alert(AlertFields {
        level: Some(a.level.to_string()),
        description: name(&a.description),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::code_points::{AlertLevel, CipherSuite, NamedGroup, ProtocolVersion};
    use crate::wire::handshake::ServerHello;

    #[test]
    fn unknown_values_are_shown_as_numbers() {
        let f = message_fields(Fields::ServerHello(ServerHello {
            version: ProtocolVersion::TLS1_3,
            cipher_suite: CipherSuite(0x0a0a),
            group: Some(NamedGroup(0x2a2a)),
            ..Default::default()
        }));
        let MessageFields::ServerHello(s) = f else {
            panic!("{f:?}")
        };
        assert_eq!(
            (
                s.version.as_str(),
                s.cipher_suite.as_str(),
                s.group.as_deref()
            ),
            ("TLSv1.3", "0x0a0a", Some("0x2a2a"))
        );
        let MessageFields::Alert(a) = alert_fields(Alert {
            level: AlertLevel(9),
            description: None,
        }) else {
            panic!()
        };
        assert_eq!((a.level.as_deref(), a.description), (Some("0x09"), None));
    }
}
