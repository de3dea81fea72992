//! A message's fields as labelled lines under it in the timeline: under `-v` what a
//! ClientHello (or CertificateRequest) offers, which a one-line summary would only count;
//! under `-vv` every field the JSON has, empty ones said to be so.

use crate::report::MessageFields;

/// One field: its label (the JSON name in words) and its value as text.
pub(super) type Field = (&'static str, String);

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        v.join(", ")
    }
}

fn or_none<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "none".to_string(), |v| v.to_string())
}

fn yes_no(v: Option<bool>, yes: &str, no: &str) -> String {
    match v {
        Some(true) => yes.to_string(),
        Some(false) => no.to_string(),
        None => "not checked".to_string(),
    }
}

/// `-v`: what a ClientHello or a CertificateRequest offers (their one-line summary would
/// only count it).
pub(super) fn offered(fields: &MessageFields) -> Vec<Field> {
    match fields {
        MessageFields::ClientHello(c) => {
            let mut all = vec![
                ("SNI", or_none(c.sni.as_deref())),
                ("versions", list(&c.versions)),
                ("suites", list(&c.cipher_suites)),
                ("groups", list(&c.groups)),
                ("key shares", list(&c.key_share_groups)),
            ];
            if !c.alpn.is_empty() {
                all.push(("ALPN", list(&c.alpn)));
            }
            all
        }
        MessageFields::CertificateRequest(r) => vec![
            ("CAs", list(&r.certificate_authorities)),
            ("schemes", list(&r.signature_algorithms)),
        ],
        _ => Vec::new(),
    }
}

/// `-vv`: every field of the message, in the JSON's order.
pub(super) fn every(fields: &MessageFields) -> Vec<Field> {
    match fields {
        MessageFields::None => Vec::new(),
        MessageFields::ClientHello(c) => vec![
            ("legacy version", c.legacy_version.clone()),
            ("versions", list(&c.versions)),
            ("suites", list(&c.cipher_suites)),
            ("groups", list(&c.groups)),
            ("key shares", list(&c.key_share_groups)),
            ("schemes", list(&c.signature_algorithms)),
            ("ALPN", list(&c.alpn)),
            ("SNI", or_none(c.sni.as_deref())),
            ("extensions", list(&c.extensions)),
        ],
        MessageFields::ServerHello(s) => vec![
            ("version", s.version.clone()),
            ("suite", s.cipher_suite.clone()),
            ("group", or_none(s.group.as_deref())),
            ("ALPN", or_none(s.alpn.as_deref())),
            ("extensions", list(&s.extensions)),
        ],
        MessageFields::EncryptedExtensions(e) => vec![
            ("ALPN", or_none(e.alpn.as_deref())),
            ("extensions", list(&e.extensions)),
        ],
        MessageFields::Certificate(c) => {
            let mut all = vec![("count", c.count.to_string())];
            all.extend(c.subjects.iter().map(|s| ("subject", s.clone())));
            all
        }
        MessageFields::ServerKeyExchange(k) => vec![
            ("group", or_none(k.group.as_deref())),
            ("DH bits", or_none(k.dh_bits)),
            ("scheme", or_none(k.signature_scheme)),
        ],
        MessageFields::CertificateVerify(v) => {
            vec![("scheme", or_none(v.signature_scheme.as_deref()))]
        }
        MessageFields::CertificateRequest(r) => vec![
            ("schemes", list(&r.signature_algorithms)),
            ("CAs", list(&r.certificate_authorities)),
            ("cert types", list(&r.certificate_types)),
        ],
        MessageFields::NewSessionTicket(t) => vec![
            (
                "lifetime",
                t.lifetime_s.map_or("none".into(), |s| format!("{s} s")),
            ),
            (
                "early data",
                t.max_early_data
                    .map_or("none".into(), |n| format!("up to {n} B")),
            ),
        ],
        MessageFields::KeyUpdate(k) => vec![(
            "update",
            yes_no(k.update_requested, "requested", "not requested"),
        )],
        MessageFields::Finished(f) => {
            vec![("verify_data", yes_no(f.verified, "checked", "WRONG"))]
        }
        MessageFields::Alert(a) => vec![
            ("level", or_none(a.level.as_deref())),
            ("description", or_none(a.description.as_deref())),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{ClientHelloFields, FinishedFields};

    #[test]
    fn every_client_hello_field_is_named() {
        let c = ClientHelloFields {
            legacy_version: "TLSv1.2".into(),
            cipher_suites: vec!["TLS_AES_128_GCM_SHA256".into(), "0x0a0a".into()],
            extensions: vec!["server_name".into(), "key_share".into()],
            ..Default::default()
        };
        let all = every(&MessageFields::ClientHello(c.clone()));
        assert_eq!(all.len(), 9);
        assert!(all.contains(&("suites", "TLS_AES_128_GCM_SHA256, 0x0a0a".into())));
        assert!(all.contains(&("extensions", "server_name, key_share".into())));
        assert!(all.contains(&("SNI", "none".into())));
        assert_eq!(offered(&MessageFields::ClientHello(c)).len(), 5);
        assert_eq!(
            every(&MessageFields::Finished(FinishedFields { verified: None })),
            [("verify_data", "not checked".to_string())]
        );
    }
}
