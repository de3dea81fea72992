//! `--format mermaid`: each handshake as a Mermaid `sequenceDiagram`, to paste into a ticket or
//! a wiki (GitHub, GitLab and most wikis draw it). Solid arrows travelled in the clear, dashed
//! ones encrypted; a fatal alert ends in a cross. Notes give the negotiated parameters and the
//! verdict, as the report states them.

use std::io::{self, Write};

use crate::report::{Message, MessageFields, Report, Side};

pub fn write(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    writeln!(out, "sequenceDiagram")?;
    writeln!(out, "    participant C as tlsprobe")?;
    let server = match &r.target.address {
        Some(a) => format!("{} ({a})", r.target.shown),
        None => r.target.shown.clone(),
    };
    writeln!(
        out,
        "    participant S as {}",
        text(&server).replace(':', "#58;")
    )?;
    if let Some(s) = &r.starttls {
        writeln!(
            out,
            "    Note over C,S: {}",
            text(&format!(
                "STARTTLS {}: {} lines before TLS",
                s.protocol.name(),
                s.exchange.len()
            ))
        )?;
    }
    for m in &r.handshake {
        let (from, to) = match m.from {
            Side::Client => ("C", "S"),
            Side::Server => ("S", "C"),
        };
        writeln!(
            out,
            "    {from}{}{to}: {}",
            arrow(m),
            text(&format!("{} ({:.3} ms)", label(m), m.t_ms))
        )?;
    }
    if r.handshake_truncated {
        writeln!(out, "    Note over C,S: more not recorded")?;
    }
    if let Some(p) = &r.protocol {
        let mut line = format!("{} {}", p.version, p.cipher_suite);
        if let Some(g) = &p.key_exchange_group {
            line.push(' ');
            line.push_str(g);
        }
        if let Some(a) = &p.alpn {
            line.push_str(&format!(" ALPN {a}"));
        }
        writeln!(out, "    Note over C,S: {}", text(&line))?;
    }
    writeln!(out, "    Note over C,S: {}", text(&verdict(r)))
}

/// The report's verdict in a few words: its status, and the error or first finding's message.
fn verdict(r: &Report) -> String {
    let status = r.status.as_str();
    if let Some(e) = &r.error {
        return format!("{status}: {}", e.message);
    }
    match r.verification.as_ref().and_then(|v| v.errors.first()) {
        Some(f) => format!("{status}: {} ({})", f.message, f.code.as_str()),
        None => match (r.checks.iter().find(|c| !c.passed), &r.verification) {
            (Some(c), _) => format!("{status}: {}", c.message),
            (None, Some(v)) if v.verified => {
                format!("{status}: trusted by {}", v.trust_store.name())
            }
            (None, _) => status.to_string(),
        },
    }
}

/// `->>` in the clear, `-->>` encrypted; `-x` / `--x` for a fatal alert.
fn arrow(m: &Message) -> &'static str {
    let fatal = matches!(&m.fields, MessageFields::Alert(a) if a.level.as_deref() == Some("fatal"));
    match (m.encrypted, fatal) {
        (false, false) => "->>",
        (true, false) => "-->>",
        (false, true) => "-x",
        (true, true) => "--x",
    }
}

fn label(m: &Message) -> String {
    let kind = m.kind.to_string();
    match &m.fields {
        MessageFields::Alert(a) => match (&a.level, &a.description) {
            (Some(l), Some(d)) => format!("{kind} {l} {d}"),
            _ => format!("{kind}, {} B", m.length),
        },
        _ => format!("{kind}, {} B", m.length),
    }
}

/// Text made safe for a Mermaid line (and for a participant's name, where a colon would end
/// it, `#58;` too): one line, nothing that would end a statement, start a
/// comment or an entity, or open markup (written as Mermaid's `#code;` entities instead);
/// control characters shown escaped.
fn text(s: &str) -> String {
    let shown = crate::printable::printable(s);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            ';' => out.push_str("#59;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '%' => out.push_str("#37;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_break_out_of_its_line() {
        assert_eq!(text("CN=a;b #1 <i>"), "CN=a#59;b #35;1 #lt;i#gt;");
        assert!(!text("x\ny%%z").contains('\n'));
        assert!(!text("x\ny%%z").contains("%%"));
    }
}
