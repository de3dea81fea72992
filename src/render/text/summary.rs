//! The head of the report: the target, what was negotiated, the verdict with its reason and
//! hint, the checks, what followed the handshake, and the times.

use std::io::{self, Write};

use anstyle::Style;

use super::wrap::Para;
use super::{clean, findings, trust, BAD, DIM, GOOD, HEAD, WARN};
use crate::report::{Check, OcspStatus, ProbeError, Report, Resumption, Status};

pub(super) fn write(out: &mut dyn Write, r: &Report, width: usize) -> io::Result<()> {
    let t = &r.target;
    write!(out, "{HEAD}{}{HEAD:#}", clean(&t.shown))?;
    let beside: Vec<&str> = t
        .host_unicode
        .is_some()
        .then_some(t.host.as_str())
        .into_iter()
        .chain(t.address.as_deref())
        .collect();
    if !beside.is_empty() {
        write!(out, " ({})", clean(&beside.join(", ")))?;
    }
    if let Some(p) = &r.proxy {
        write!(out, " via {}", clean(&p.url))?;
        if p.source != "option" {
            write!(out, " (from {})", clean(&p.source))?;
        }
    }
    match &t.sni {
        Some(s) => writeln!(out, ", SNI {}", clean(s))?,
        None => writeln!(out, ", no SNI")?,
    }
    // Happy Eyeballs raced several addresses: each, and how it ended.
    if t.attempts.len() > 1 {
        for a in &t.attempts {
            let why = a
                .error
                .as_deref()
                .map(|e| format!(": {}", clean(e)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {DIM}tried {} at {:.0} ms, {}{why}{DIM:#}",
                a.address,
                a.started_ms,
                a.outcome.as_str().replace('_', " ")
            )?;
        }
    }

    if let Some(p) = &r.protocol {
        let mut parts = vec![p.version.to_string(), p.cipher_suite.clone()];
        parts.extend(p.key_exchange_group.clone());
        parts.extend(p.dh_bits.map(|bits| format!("DH {bits} bits")));
        parts.extend(p.signature_scheme.clone());
        parts.extend(p.alpn.as_deref().map(|a| format!("ALPN {}", clean(a))));
        facts(out, &parts, width)?;
        if let Some(c) = &p.client_certificate {
            let cas = if c.certificate_authorities.is_empty() {
                "naming no CAs".to_string()
            } else {
                format!("from {}", clean(&c.certificate_authorities.join("; ")))
            };
            let sent = if c.sent {
                "one was sent"
            } else {
                "none was sent"
            };
            let text = format!("the server asked for a client certificate ({cas}); {sent}");
            plain(out, 2, &text, Style::new(), width)?;
        }
    }

    match (&r.error, &r.verification) {
        (Some(e), _) => {
            let first_flight = r.protocol.as_ref().is_some_and(|p| p.first_flight_only);
            let shortly = if first_flight {
                ", first flight only"
            } else {
                ""
            };
            writeln!(out, "  {BAD}✗ {}{shortly}{BAD:#}", failure_word(r.status))?;
            error(out, e, width)?;
        }
        (None, Some(v)) => trust(out, v)?,
        (None, None) => {}
    }
    if let Some(v) = &r.verification {
        findings(out, v, width)?;
        if r.error.is_some() && v.verified {
            writeln!(out, "    chain: trusted by {}", v.trust_store.name())?;
        }
    }
    checks(out, &r.checks, width)?;
    if let Some(a) = &r.application {
        application(out, a, width)?;
    }
    if let Some(re) = &r.reconnect {
        match (&re.error, re.resumed) {
            (Some(e), _) => Para {
                indent: 2,
                label: "warning:",
                label_style: WARN,
                text: &format!("reconnect failed: {}", clean(e)),
                style: Style::new(),
            }
            .write(out, width)?,
            (None, true) => writeln!(
                out,
                "  reconnect: resumed ({}), handshake {:.1} ms",
                re.mechanism.map_or("?", Resumption::as_str),
                re.handshake_ms.unwrap_or(0.0)
            )?,
            (None, false) => writeln!(
                out,
                "  {WARN}reconnect: not resumed{WARN:#} (a full handshake again)"
            )?,
        }
    }
    if let Some(s) = r.protocol.as_ref().and_then(|p| p.ocsp_staple.as_ref()) {
        let style = if s.status == OcspStatus::Good {
            DIM
        } else {
            BAD
        };
        let next = s.next_update.as_deref().unwrap_or("?");
        writeln!(
            out,
            "  {style}OCSP staple: {}{style:#}, next update {next}",
            s.status
        )?;
    }

    let tm = &r.timing_ms;
    let mut parts = Vec::new();
    for (label, v) in [
        ("dns", tm.dns),
        ("connect", tm.connect),
        ("starttls", tm.starttls),
        ("handshake", tm.handshake),
    ] {
        if let Some(v) = v {
            parts.push(format!("{label} {v:.1} ms"));
        }
    }
    parts.push(format!("total {:.1} ms", tm.total));
    writeln!(out, "  {DIM}{}{DIM:#}", parts.join(", "))
}

/// Why the probe stopped: `error:` and the message, then the hint.
fn error(out: &mut dyn Write, e: &ProbeError, width: usize) -> io::Result<()> {
    let message = clean(&e.message);
    super::labelled(out, ("error:", BAD), &message, e.hint.as_deref(), width)
}

/// Facts side by side, two spaces apart, as many a line as fit in `width`.
fn facts(out: &mut dyn Write, parts: &[String], width: usize) -> io::Result<()> {
    let mut col = 0;
    for part in parts {
        let len = super::wrap::columns(part);
        if col > 0 && col + 2 + len > width {
            writeln!(out)?;
            col = 0;
        }
        write!(out, "  {part}")?;
        col += 2 + len;
    }
    writeln!(out)
}

/// Unlabelled prose, wrapped.
fn plain(
    out: &mut dyn Write,
    indent: usize,
    text: &str,
    style: Style,
    width: usize,
) -> io::Result<()> {
    Para {
        indent,
        label: "",
        label_style: Style::new(),
        text,
        style,
    }
    .write(out, width)
}

fn application(
    out: &mut dyn Write,
    a: &crate::report::Application,
    width: usize,
) -> io::Result<()> {
    if !a.sent {
        let note = clean(a.note.as_deref().unwrap_or("nothing was sent"));
        return plain(out, 2, &note, WARN, width);
    }
    write!(
        out,
        "  sent {} B, received {} B",
        a.sent_bytes, a.received_bytes
    )?;
    match &a.response {
        Some(line) => writeln!(out, ": {}", clean(line))?,
        None => writeln!(out)?,
    }
    if let Some(note) = &a.note {
        plain(out, 4, &clean(note), WARN, width)?;
    }
    if let Some(h) = &a.http {
        for (name, value) in &h.security_headers {
            writeln!(out, "    {GOOD}{name}{GOOD:#}: {}", clean(value))?;
        }
        if !h.missing_security_headers.is_empty() {
            writeln!(
                out,
                "    {WARN}missing{WARN:#}: {}",
                h.missing_security_headers.join(", ")
            )?;
        }
    }
    Ok(())
}

pub(crate) fn failure_word(s: Status) -> &'static str {
    match s {
        Status::ConnectFailed => "connection failed",
        Status::HandshakeFailed => "handshake failed",
        Status::LocalError => "not probed",
        _ => "failed",
    }
}

/// Each check asked for, passed or failed, in its words.
pub(super) fn checks(out: &mut dyn Write, checks: &[Check], width: usize) -> io::Result<()> {
    for c in checks {
        // A policy's checks are told apart by their rule: `policy versions:`.
        let name = match c.rule {
            Some(rule) => format!("{} {rule}", c.check),
            None => c.check.to_string(),
        };
        let (label, style) = if c.passed {
            (format!("✓ {name}:"), GOOD)
        } else {
            (format!("✗ CHECK FAILED, {name}:"), BAD)
        };
        Para {
            indent: 2,
            label: &label,
            label_style: style,
            text: &clean(&c.message),
            style: Style::new(),
        }
        .write(out, width)?;
    }
    Ok(())
}
