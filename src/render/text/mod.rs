//! The report for a person: the verdict first, then the chain, then the handshake. The
//! default view is short (the chain one line a certificate, the timeline one line a
//! message); `-v` adds each message's key fields and the full chain, `-vv` every field and the
//! bytes. Prose (errors, hints, warnings) is wrapped to the terminal's width.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

mod cert_file;
mod chain_brief;
mod fields;
mod ladder;
mod scan_table;
mod summary;
mod trace;
mod wrap;

pub use cert_file::{cert_file, extensions};

use crate::report::{Certificate, Phase, Report, SctSignature, SctSource, Verification};
use wrap::Para;

const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(super) const BAD: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default();
pub(super) const HEAD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();
const BLUE: Style = AnsiColor::Cyan.on_default();

/// How much of a report to show, and how wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// `-v` (1): key fields and the full chain; `-vv` (2): every field and the bytes.
    pub verbose: u8,
    /// Columns to wrap prose at (see [`crate::terminal_width`]).
    pub width: usize,
    /// `--ladder`: draw the handshake between a client and a server column.
    pub ladder: bool,
}

/// Write `report` as text. Colour escapes are always written; the caller's stream (an
/// `anstream::AutoStream`) strips them when colour is off.
pub fn write(out: &mut dyn Write, report: &Report, layout: &Layout) -> io::Result<()> {
    summary::write(out, report, layout.width)?;
    if layout.verbose > 0 {
        // -v: each certificate's extensions in words; -vv: with their OIDs and details.
        let extensions = Some(layout.verbose.saturating_sub(1));
        certificates(
            out,
            "Certificate chain",
            "as served",
            &report.certificates,
            extensions,
        )?;
        if let Some(v) = report.verification.as_ref() {
            path(out, v, "sent")?;
        }
    } else {
        chain_brief::write(out, &report.certificates, layout.width)?;
    }
    if let Some(scan) = &report.scan {
        writeln!(out)?;
        scan_table::write(out, scan, layout.width)?;
    }
    // The preamble under -v, and whenever it is where the probe failed.
    let preamble_failed = report
        .error
        .as_ref()
        .is_some_and(|e| e.phase == Phase::Starttls);
    if let Some(s) = report
        .starttls
        .as_ref()
        .filter(|_| layout.verbose > 0 || preamble_failed)
    {
        writeln!(out)?;
        trace::preamble(out, s)?;
    }
    if !report.handshake.is_empty() {
        writeln!(out)?;
        if layout.ladder {
            ladder::write(out, &report.handshake, layout.width)?;
        } else {
            writeln!(out, "{HEAD}Handshake{HEAD:#}")?;
            for m in &report.handshake {
                trace::message(out, m, layout)?;
            }
        }
        if report.handshake_truncated {
            Para {
                indent: 2,
                label: "warning:",
                label_style: WARN,
                text: "the server sent more: not recorded past 1 MiB or 1,000 records after the handshake",
                style: WARN,
            }
            .write(out, layout.width)?;
        }
    }
    Ok(())
}

/// The certificates under a heading (none: nothing at all), one block each; with their
/// extensions at that verbosity when `extensions` is given.
fn certificates(
    out: &mut dyn Write,
    heading: &str,
    how: &str,
    certs: &[Certificate],
    extensions: Option<u8>,
) -> io::Result<()> {
    if certs.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{HEAD}{heading}{HEAD:#} ({how})")?;
    for (i, c) in certs.iter().enumerate() {
        certificate(out, i, c)?;
        if let Some(verbose) = extensions {
            cert_file::extensions(out, c, verbose)?;
        }
    }
    Ok(())
}

pub(super) fn certificate(out: &mut dyn Write, i: usize, c: &Certificate) -> io::Result<()> {
    writeln!(out, "  {i}  {HEAD}{}{HEAD:#}", clean(&c.subject))?;
    writeln!(out, "     issuer    {}", clean(&c.issuer))?;
    let left = match c.expired_days_ago() {
        Some(ago) => format!("{BAD}expired {ago} days ago{BAD:#}"),
        None => format!("{} days left", c.days_left),
    };
    writeln!(
        out,
        "     valid     {} to {} ({left})",
        c.not_before, c.not_after
    )?;
    if !c.sans.is_empty() {
        let sans: Vec<_> = c.sans.iter().map(|s| clean(s)).collect();
        writeln!(out, "     names     {}", sans.join(", "))?;
    }
    let mut key = c.key.kind.to_string();
    if let Some(curve) = &c.key.curve {
        key.push(' ');
        key.push_str(curve);
    } else if let Some(bits) = c.key.bits {
        key.push_str(&format!(" {bits} bits"));
    }
    writeln!(
        out,
        "     key       {key}, signed with {}",
        c.signature_algorithm
    )?;
    let mut flags = Vec::new();
    if c.is_ca {
        flags.push("CA");
    }
    if c.self_signed {
        flags.push("self-signed");
    }
    if !flags.is_empty() {
        writeln!(out, "     flags     {}", flags.join(", "))?;
    }
    writeln!(out, "     serial    {}", c.serial)?;
    writeln!(out, "     sha256    {}", c.sha256)?;
    if !c.pin_sha256.is_empty() {
        writeln!(out, "     pin-sha256 {}", c.pin_sha256)?;
    }
    for s in &c.sct_list {
        let log = match (&s.log, &s.operator) {
            (Some(log), Some(op)) => format!("{} ({})", clean(log), clean(op)),
            _ => format!("log {}", s.log_id),
        };
        let verdict = match s.signature {
            SctSignature::Valid => format!("{GOOD}signature valid{GOOD:#}"),
            SctSignature::Invalid => format!("{BAD}signature INVALID{BAD:#}"),
            SctSignature::UnknownLog => "a log not in --ct-log-list".to_string(),
            SctSignature::NoIssuer => "signature not checked: the issuer is unknown".to_string(),
            SctSignature::NotChecked => "signature not checked (--ct-log-list)".to_string(),
        };
        writeln!(
            out,
            "     sct       {} {log}, from the {}: {verdict}",
            s.timestamp,
            match s.source {
                SctSource::Certificate => "certificate",
                SctSource::TlsExtension => "TLS extension",
                SctSource::Ocsp => "OCSP staple",
            }
        )?;
    }
    Ok(())
}

/// The certification path, when one reached a trust anchor.
fn path(out: &mut dyn Write, v: &Verification, given: &str) -> io::Result<()> {
    if v.path.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let how = if v.verified {
        "as verified"
    } else {
        "to a trust anchor, with the errors above"
    };
    writeln!(out, "{HEAD}Path{HEAD:#} ({how})")?;
    for e in &v.path {
        let from = match (e.cert_index, e.trust_anchor) {
            (Some(i), false) => format!("{given} as {i}"),
            (Some(i), true) => format!("trust anchor, also {given} as {i}"),
            (None, true) => "trust anchor, from the trust store".to_string(),
            (None, false) => "from the trust store".to_string(),
        };
        writeln!(out, "  {}  {DIM}({from}){DIM:#}", clean(&e.subject))?;
    }
    Ok(())
}

/// The chain verdict on one line: trusted by which store, or not.
fn trust(out: &mut dyn Write, v: &Verification) -> io::Result<()> {
    if v.verified {
        writeln!(out, "  {GOOD}✓ trusted{GOOD:#} by {}", v.trust_store.name())
    } else {
        writeln!(
            out,
            "  {BAD}✗ NOT TRUSTED{BAD:#} ({})",
            v.trust_store.name()
        )
    }
}

/// Each verification error and warning on its own line, labelled `error:` or `warning:` (so
/// they differ without colour too), then its code and message, each followed by its hint;
/// wrapped to `width`.
fn findings(out: &mut dyn Write, v: &Verification, width: usize) -> io::Result<()> {
    let errors = v
        .errors
        .iter()
        .map(|e| ("error:", BAD, e.code.as_str(), &e.message, &e.hint));
    let warnings = v
        .warnings
        .iter()
        .map(|w| ("warning:", WARN, w.code.as_str(), &w.message, &w.hint));
    for (label, label_style, code, message, hint) in errors.chain(warnings) {
        let text = format!("{code}: {}", clean(message));
        labelled(out, (label, label_style), &text, hint.as_deref(), width)?;
    }
    Ok(())
}

/// A labelled paragraph (`error:`, `warning:`) of already cleaned `text`, then its hint,
/// wrapped to `width` under their labels.
pub(super) fn labelled(
    out: &mut dyn Write,
    (label, label_style): (&str, Style),
    text: &str,
    hint: Option<&str>,
    width: usize,
) -> io::Result<()> {
    Para {
        indent: 4,
        label,
        label_style,
        text,
        style: Style::new(),
    }
    .write(out, width)?;
    if let Some(h) = hint {
        Para {
            indent: 4,
            label: "hint:",
            label_style: BLUE,
            text: &clean(h),
            style: Style::new(),
        }
        .write(out, width)?;
    }
    Ok(())
}

/// `tlsprobe verify`: the verdict, the findings, the certificates given, the path.
pub fn chain_report(
    out: &mut dyn Write,
    r: &crate::report::ChainReport,
    width: usize,
) -> io::Result<()> {
    let files: Vec<String> = r.files.iter().map(|f| clean(f).into_owned()).collect();
    writeln!(out, "{HEAD}{}{HEAD:#}", files.join(" "))?;
    let name = match &r.host {
        Some(h) => format!("for {}", clean(h)),
        None => "name not checked (no --host)".to_string(),
    };
    writeln!(out, "  purpose {}, {name}, at {}", r.purpose, r.at)?;
    if let Some(v) = &r.verification {
        trust(out, v)?;
        findings(out, v, width)?;
    }
    summary::checks(out, &r.checks, width)?;
    certificates(out, "Certificates", "as given", &r.certificates, None)?;
    if let Some(v) = &r.verification {
        path(out, v, "given")?;
    }
    Ok(())
}

/// The served chain as PEM blocks (`--pem`), which `openssl x509` and others read.
pub fn pem(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for c in &report.certificates {
        out.write_all(c.pem.as_bytes())?;
    }
    Ok(())
}

/// Make a peer-supplied string safe for a terminal: control and invisible format characters
/// (escape sequences, bidirectional overrides) are shown escaped instead of being interpreted.
pub fn clean(s: &str) -> Cow<'_, str> {
    crate::printable::printable(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_escapes_terminal_controls() {
        assert_eq!(clean("plain"), "plain");
        let evil = "CN=\u{1b}[31mred\u{7}\n\u{202e}";
        let shown = clean(evil);
        assert!(!shown.chars().any(char::is_control), "{shown}");
        assert!(shown.contains("\\u{1b}[31mred"));
        assert!(shown.ends_with("\\u{202e}"), "{shown}");
    }
}
