//! The handshake as a timeline: one line per message (time, direction, type, size; an alert's
//! description), with its key fields under `-v`, and every field and a hex dump of each record
//! under `-vv`.

use std::io::{self, Write};

use super::{clean, fields, wrap, Layout, BLUE, DIM, HEAD};
use crate::report::{Message, MessageFields, Side, Starttls};

/// The STARTTLS preamble: a heading, then one line per line or message exchanged.
pub(super) fn preamble(out: &mut dyn Write, s: &Starttls) -> io::Result<()> {
    write!(out, "{HEAD}STARTTLS {}{HEAD:#}", s.protocol.name())?;
    match &s.name {
        Some(name) => writeln!(out, " {DIM}as {}{DIM:#}", clean(name))?,
        None => writeln!(out)?,
    }
    for line in &s.exchange {
        let arrow = match line.from {
            Side::Client => "→",
            Side::Server => "←",
        };
        writeln!(
            out,
            "  {DIM}{:>9.3} ms{DIM:#}  {arrow} {}",
            line.t_ms,
            clean(&line.text)
        )?;
    }
    if s.truncated {
        writeln!(out, "  {DIM}(more not kept){DIM:#}")?;
    }
    Ok(())
}

/// Where a message's fields start under it: beneath its type.
const FIELD_INDENT: usize = 20;
/// Field labels are padded to this.
const LABEL: usize = 14;

/// One line for the message: time, direction, type, size, `encrypted` when it was on the
/// wire; then its summary beside it when it fits (an alert's always, the others' under `-v`),
/// else under it. Under `-v` a ClientHello or CertificateRequest lists what it offers instead,
/// and under `-vv` every message lists every field instead, then its record's bytes.
pub(super) fn message(out: &mut dyn Write, m: &Message, layout: &Layout) -> io::Result<()> {
    let arrow = match m.from {
        Side::Client => "→",
        Side::Server => "←",
    };
    let kind = clean(&m.kind.to_string()).into_owned();
    let enc = if m.encrypted { " encrypted" } else { "" };
    let col = wrap::columns(&format!(
        "  {:>9.3} ms  {arrow} {kind:<19} {:>5} B{enc}",
        m.t_ms, m.length
    ));
    write!(
        out,
        "  {DIM}{:>9.3} ms{DIM:#}  {arrow} {kind:<19} {:>5} B",
        m.t_ms, m.length
    )?;
    if m.encrypted {
        write!(out, "{DIM}{enc}{DIM:#}")?;
    }
    let offers = matches!(
        m.fields,
        MessageFields::ClientHello(_) | MessageFields::CertificateRequest(_)
    );
    // An alert says what it was even in the shortest view: it is often why a handshake ended.
    // Under -vv the fields below say it all.
    let summary = match (&m.fields, layout.verbose) {
        (MessageFields::Alert(_), 0 | 1) => key_fields(&m.fields),
        (_, 1) if !offers => key_fields(&m.fields),
        _ => String::new(),
    };
    let summary = clean(&summary);
    if summary.is_empty() {
        writeln!(out)?;
    } else if col + 2 + wrap::columns(&summary) <= layout.width {
        writeln!(out, "  {BLUE}{summary}{BLUE:#}")?;
    } else {
        writeln!(out)?;
        let room = layout.width.saturating_sub(FIELD_INDENT);
        for part in wrap::lines(&summary, room, room) {
            writeln!(out, "{:FIELD_INDENT$}{BLUE}{part}{BLUE:#}", "")?;
        }
    }
    let fields = match layout.verbose {
        0 => Vec::new(),
        1 => fields::offered(&m.fields),
        _ => fields::every(&m.fields),
    };
    for (label, value) in fields {
        field(out, label, &value, layout.width)?;
    }
    if layout.verbose > 1 {
        if let Some(bytes) = &m.record_bytes {
            hex_dump(out, bytes)?;
        }
    }
    Ok(())
}

/// One field under its message: the label, then the value wrapped beneath itself.
fn field(out: &mut dyn Write, label: &str, value: &str, width: usize) -> io::Result<()> {
    let value = clean(value);
    let at = FIELD_INDENT + LABEL + 1;
    let parts = wrap::lines(&value, width.saturating_sub(at), width.saturating_sub(at));
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            writeln!(
                out,
                "{:FIELD_INDENT$}{DIM}{label:<LABEL$}{DIM:#} {part}",
                ""
            )?;
        } else {
            writeln!(out, "{:at$}{part}", "")?;
        }
    }
    Ok(())
}

/// The fields a person looks for first, on one line.
fn key_fields(fields: &MessageFields) -> String {
    let list = |v: &[String]| v.join(",");
    match fields {
        MessageFields::None => String::new(),
        MessageFields::ClientHello(c) => {
            let mut parts = Vec::new();
            if let Some(sni) = &c.sni {
                parts.push(format!("SNI {sni}"));
            }
            if !c.versions.is_empty() {
                parts.push(format!("versions {}", list(&c.versions)));
            }
            parts.push(format!("{} suites", c.cipher_suites.len()));
            if !c.key_share_groups.is_empty() {
                parts.push(format!("key shares {}", list(&c.key_share_groups)));
            }
            if !c.alpn.is_empty() {
                parts.push(format!("ALPN {}", list(&c.alpn)));
            }
            parts.join(", ")
        }
        MessageFields::ServerHello(s) => {
            let mut line = format!("{} {}", s.version, s.cipher_suite);
            if let Some(g) = &s.group {
                line.push(' ');
                line.push_str(g);
            }
            line
        }
        MessageFields::EncryptedExtensions(e) => match &e.alpn {
            Some(a) => format!("ALPN {a}"),
            None if e.extensions.is_empty() => String::new(),
            None => list(&e.extensions),
        },
        MessageFields::Certificate(c) => match c.count {
            0 => "no certificate".to_string(),
            1 => c.subjects.join(""),
            n => format!("{n} certificates: {}", c.subjects.join(" | ")),
        },
        MessageFields::CertificateVerify(v) => v.signature_scheme.clone().unwrap_or_default(),
        MessageFields::ServerKeyExchange(k) => {
            let kx = match (&k.group, k.dh_bits) {
                (Some(g), _) => g.clone(),
                (None, Some(bits)) => format!("DH {bits} bits"),
                (None, None) => String::new(),
            };
            match &k.signature_scheme {
                Some(s) => format!("{kx} {s}"),
                None => kx,
            }
        }
        MessageFields::CertificateRequest(r) => {
            let cas = if r.certificate_authorities.is_empty() {
                "any CA".to_string()
            } else {
                format!("CAs: {}", r.certificate_authorities.join(" | "))
            };
            format!("{cas}; {} schemes", r.signature_algorithms.len())
        }
        MessageFields::NewSessionTicket(t) => {
            let mut line = t
                .lifetime_s
                .map_or_else(String::new, |l| format!("lifetime {l} s"));
            if let Some(n) = t.max_early_data {
                line.push_str(&format!(", early data up to {n} B"));
            }
            line
        }
        MessageFields::Finished(f) => match f.verified {
            Some(true) => "verify_data checked".to_string(),
            Some(false) => "verify_data WRONG".to_string(),
            None => String::new(),
        },
        MessageFields::KeyUpdate(k) => match k.update_requested {
            Some(true) => "update requested".to_string(),
            _ => String::new(),
        },
        MessageFields::Alert(a) => match (&a.level, &a.description) {
            (Some(l), Some(d)) => format!("{l} {d}"),
            _ => String::new(),
        },
    }
}

/// 16 bytes a line: offset, hex, printable ASCII.
fn hex_dump(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    for (i, chunk) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let ascii: String = chunk
            .iter()
            .map(|&b| {
                if b.is_ascii_graphic() || b == b' ' {
                    b as char
                } else {
                    '.'
                }
            })
            .collect();
        // 6 + 4 + 2 + 47 + 2 + 16: 77 columns, in an 80-column terminal.
        writeln!(
            out,
            "      {DIM}{:04x}  {:<47}  {ascii}{DIM:#}",
            i * 16,
            hex.join(" ")
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AlertFields, RecordKind};

    #[test]
    fn one_line_per_message_every_field_and_a_dump_when_very_verbose() {
        let m = Message {
            t_ms: 1.5,
            from: Side::Server,
            record: RecordKind::Alert,
            kind: crate::report::MessageKind::Alert,
            length: 2,
            encrypted: false,
            fields: MessageFields::Alert(AlertFields {
                level: Some("fatal".into()),
                description: Some("handshake_failure".into()),
            }),
            record_bytes: Some(vec![21, 3, 3, 0, 2, 2, 40]),
        };
        let render = |verbose| {
            let mut out = Vec::new();
            let layout = Layout {
                verbose,
                width: 80,
                ladder: false,
            };
            message(&mut out, &m, &layout).unwrap();
            String::from_utf8(anstream::adapter::strip_bytes(&out).into_vec()).unwrap()
        };
        // An alert names itself at every level: it is often why the handshake ended.
        assert_eq!(render(0).lines().count(), 1);
        assert!(render(0).contains("fatal handshake_failure"));
        assert!(render(1).contains("← "));
        assert_eq!(render(1).lines().count(), 1);
        let vv = render(2);
        assert_eq!(vv.lines().count(), 4, "{vv}");
        assert!(vv.contains("description    handshake_failure"), "{vv}");
        assert!(vv.contains("15 03 03 00 02 02 28"), "{vv}");
    }
}
