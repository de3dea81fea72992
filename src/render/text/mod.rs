//! The report for a person: the verdict first, then the chain, then the handshake.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

mod cert_file;
mod trace;

pub use cert_file::{cert_file, extensions};

use crate::report::{
    Certificate, OcspStatus, Phase, Preference, Report, Resumption, Severity, Status, Verification,
};

const GOOD: Style = AnsiColor::Green.on_default().bold();
pub(super) const BAD: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default();
pub(super) const HEAD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();
const BLUE: Style = AnsiColor::Cyan.on_default();

/// Write `report` as text. Colour escapes are always written; the caller's stream (an
/// `anstream::AutoStream`) strips them when colour is off.
pub fn write(out: &mut dyn Write, report: &Report, verbose: u8) -> io::Result<()> {
    summary(out, report)?;
    certificates(out, "Certificate chain", "as served", &report.certificates)?;
    if let Some(v) = report.verification.as_ref() {
        path(out, v, "sent")?;
    }
    if let Some(scan) = &report.scan {
        writeln!(out)?;
        scan_table(out, scan)?;
    }
    // The preamble under -v, and whenever it is where the probe failed.
    let preamble_failed = report
        .error
        .as_ref()
        .is_some_and(|e| e.phase == Phase::Starttls);
    if let Some(s) = report
        .starttls
        .as_ref()
        .filter(|_| verbose > 0 || preamble_failed)
    {
        writeln!(out)?;
        trace::preamble(out, s)?;
    }
    if !report.handshake.is_empty() {
        writeln!(out)?;
        writeln!(out, "{HEAD}Handshake{HEAD:#}")?;
        for m in &report.handshake {
            trace::message(out, m, verbose)?;
        }
        if report.handshake_truncated {
            writeln!(
                out,
                "  {WARN}... the server sent more: not recorded past 1 MiB or 1,000 records after the handshake{WARN:#}"
            )?;
        }
    }
    Ok(())
}

fn summary(out: &mut dyn Write, r: &Report) -> io::Result<()> {
    let t = &r.target;
    write!(out, "{HEAD}{}{HEAD:#}", clean(&t.shown))?;
    if let Some(a) = &t.address {
        write!(out, " ({a})")?;
    }
    match &t.sni {
        Some(s) => writeln!(out, ", SNI {}", clean(s))?,
        None => writeln!(out, ", no SNI")?,
    }

    if let Some(p) = &r.protocol {
        write!(out, "  {}  {}", p.version, p.cipher_suite)?;
        if let Some(g) = &p.key_exchange_group {
            write!(out, "  {g}")?;
        }
        if let Some(bits) = p.dh_bits {
            write!(out, "  DH {bits} bits")?;
        }
        if let Some(s) = &p.signature_scheme {
            write!(out, "  {s}")?;
        }
        match &p.alpn {
            Some(a) => writeln!(out, "  ALPN {}", clean(a))?,
            None => writeln!(out)?,
        }
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
            writeln!(
                out,
                "  the server asked for a client certificate ({cas}); {sent}"
            )?;
        }
    }

    match (&r.error, &r.verification) {
        (Some(e), _) => {
            let first_flight = r.protocol.as_ref().is_some_and(|p| p.first_flight_only);
            writeln!(
                out,
                "  {BAD}✗ {}{}{BAD:#}: {}",
                failure_word(r.status),
                if first_flight {
                    ", first flight only"
                } else {
                    ""
                },
                clean(&e.message)
            )?;
            if let Some(h) = &e.hint {
                writeln!(out, "    {WARN}hint: {}{WARN:#}", clean(h))?;
            }
        }
        (None, Some(v)) => trust(out, v)?,
        (None, None) => {}
    }
    if let Some(v) = &r.verification {
        findings(out, v)?;
        if r.error.is_some() && v.verified {
            writeln!(out, "    chain: trusted by {}", v.trust_store.name())?;
        }
    }
    for c in &r.checks {
        if c.passed {
            writeln!(out, "  {GOOD}✓ {}{GOOD:#}: {}", c.check, clean(&c.message))?;
        } else {
            writeln!(
                out,
                "  {BAD}✗ CHECK FAILED, {}{BAD:#}: {}",
                c.check,
                clean(&c.message)
            )?;
        }
    }
    if let Some(a) = &r.application {
        application(out, a)?;
    }
    if let Some(re) = &r.reconnect {
        match (&re.error, re.resumed) {
            (Some(e), _) => writeln!(out, "  {WARN}reconnect failed{WARN:#}: {}", clean(e))?,
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

fn application(out: &mut dyn Write, a: &crate::report::Application) -> io::Result<()> {
    if !a.sent {
        return writeln!(
            out,
            "  {WARN}{}{WARN:#}",
            clean(a.note.as_deref().unwrap_or("nothing was sent"))
        );
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
        writeln!(out, "    {WARN}{}{WARN:#}", clean(note))?;
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

/// `--scan`: one line per version, its suites under it, then groups and findings.
fn scan_table(out: &mut dyn Write, scan: &crate::report::Scan) -> io::Result<()> {
    writeln!(
        out,
        "{HEAD}Accepted{HEAD:#} ({} connections, {:.0} ms)",
        scan.connections, scan.duration_ms
    )?;
    for v in &scan.versions {
        if !v.accepted {
            writeln!(out, "  {DIM}{:<8} no{DIM:#}", v.version)?;
            continue;
        }
        let order = match v.preference {
            Some(Preference::Server) => ", server's order",
            Some(Preference::Client) => ", client's order",
            None => "",
        };
        let style = if v.is_legacy() { BAD } else { GOOD };
        let n = v.cipher_suites.len();
        let plural = if n == 1 { "" } else { "s" };
        writeln!(
            out,
            "  {style}{:<8} yes{style:#}  {n} suite{plural}{order}",
            v.version
        )?;
        for s in &v.cipher_suites {
            let mut labels = Vec::new();
            if s.forward_secrecy {
                labels.push("FS".to_string());
            }
            if s.aead {
                labels.push("AEAD".to_string());
            }
            labels.extend(s.flags.iter().map(|f| f.to_string()));
            writeln!(out, "    {:<48} {}", s.name, labels.join(" "))?;
        }
    }
    if !scan.groups.is_empty() {
        writeln!(out, "  groups   {}", scan.groups.join(", "))?;
    }
    for f in &scan.findings {
        let style = match f.severity {
            Severity::High => BAD,
            Severity::Medium | Severity::Low => WARN,
            Severity::Info => DIM,
        };
        writeln!(
            out,
            "  {style}{} {}{style:#}: {}",
            f.severity, f.code, f.message
        )?;
    }
    Ok(())
}

fn failure_word(s: Status) -> &'static str {
    match s {
        Status::ConnectFailed => "connection failed",
        Status::HandshakeFailed => "handshake failed",
        Status::LocalError => "not probed",
        _ => "failed",
    }
}

/// The certificates under a heading (none: nothing at all), one block each.
fn certificates(
    out: &mut dyn Write,
    heading: &str,
    how: &str,
    certs: &[Certificate],
) -> io::Result<()> {
    if certs.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{HEAD}{heading}{HEAD:#} ({how})")?;
    for (i, c) in certs.iter().enumerate() {
        certificate(out, i, c)?;
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

/// Each verification error and warning on its own line, labelled in words (so they differ
/// without colour too), each error followed by its hint.
fn findings(out: &mut dyn Write, v: &Verification) -> io::Result<()> {
    for e in &v.errors {
        writeln!(
            out,
            "    {BAD}error{BAD:#} {}: {}",
            e.code.as_str(),
            clean(&e.message)
        )?;
        if let Some(h) = &e.hint {
            writeln!(out, "      {DIM}hint: {}{DIM:#}", clean(h))?;
        }
    }
    for w in &v.warnings {
        writeln!(
            out,
            "    {WARN}warning{WARN:#} {}: {}",
            w.code.as_str(),
            clean(&w.message)
        )?;
    }
    Ok(())
}

/// `tlsprobe verify`: the verdict, the findings, the certificates given, the path.
pub fn chain_report(out: &mut dyn Write, r: &crate::report::ChainReport) -> io::Result<()> {
    let files: Vec<String> = r.files.iter().map(|f| clean(f).into_owned()).collect();
    writeln!(out, "{HEAD}{}{HEAD:#}", files.join(" "))?;
    let name = match &r.host {
        Some(h) => format!("for {}", clean(h)),
        None => "name not checked (no --host)".to_string(),
    };
    writeln!(out, "  purpose {}, {name}, at {}", r.purpose, r.at)?;
    if let Some(v) = &r.verification {
        trust(out, v)?;
        findings(out, v)?;
    }
    certificates(out, "Certificates", "as given", &r.certificates)?;
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
