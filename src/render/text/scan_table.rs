//! `--scan`: what the server accepts, one line per version with its suites under it, then
//! the groups and the findings.

use std::io::{self, Write};

use anstyle::Style;

use super::clean;
use super::wrap::Para;
use super::{BAD, DIM, GOOD, HEAD, WARN};
use crate::report::{Preference, Scan, ScanCertificates, ScanFeatures, Severity};

/// `--scan`: one line per version, its suites under it, then groups and findings.
pub(super) fn write(out: &mut dyn Write, scan: &Scan, width: usize) -> io::Result<()> {
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
            match (&s.group, s.dh_bits) {
                (Some(g), _) => labels.push(g.clone()),
                (None, Some(bits)) => labels.push(format!("DH {bits}")),
                (None, None) => {}
            }
            writeln!(out, "    {:<48} {}", s.name, labels.join(" "))?;
        }
    }
    if !scan.groups.is_empty() {
        writeln!(out, "  groups   {}", scan.groups.join(", "))?;
    }
    features(out, &scan.features, width)?;
    for served in &scan.certificate_types {
        certificate_type(out, served, width)?;
    }
    for f in &scan.findings {
        let style = match f.severity {
            Severity::High => BAD,
            Severity::Medium | Severity::Low => WARN,
            Severity::Info => DIM,
        };
        Para {
            indent: 2,
            label: &format!("{} {}:", f.severity, f.code),
            label_style: style,
            text: &f.message,
            style: Style::new(),
        }
        .write(out, width)?;
    }
    Ok(())
}

/// The features, one line of those learnt: "yes", "no", or left out when unknown.
fn features(out: &mut dyn Write, f: &ScanFeatures, width: usize) -> io::Result<()> {
    let yes_no = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" });
    let facts = [
        ("secure renegotiation", yes_no(f.secure_renegotiation)),
        ("client renegotiation", yes_no(f.client_renegotiation)),
        ("extended master secret", yes_no(f.extended_master_secret)),
        ("encrypt-then-MAC", yes_no(f.encrypt_then_mac)),
        ("session tickets", yes_no(f.session_ticket)),
        ("compression", yes_no(f.compression)),
        ("heartbeat", yes_no(f.heartbeat)),
        ("Heartbleed", yes_no(f.heartbleed)),
        ("fallback SCSV", yes_no(f.fallback_scsv)),
        ("SSLv2", yes_no(f.sslv2)),
        ("0-RTT", yes_no(f.early_data)),
    ];
    let known: Vec<String> = facts
        .iter()
        .filter_map(|(name, v)| v.map(|v| format!("{name} {v}")))
        .collect();
    if !known.is_empty() {
        Para {
            indent: 2,
            label: "features",
            label_style: Style::new(),
            text: &known.join(", "),
            style: Style::new(),
        }
        .write(out, width)?;
    }
    if let Some(s) = f.ticket_lifetime_s {
        writeln!(out, "  tickets  live {s} s")?;
    }
    if let (Some(v), false) = (f.hello_version, f.server_extensions.is_empty()) {
        writeln!(out, "  {v} extensions {}", f.server_extensions.join(", "))?;
    }
    Ok(())
}

/// One kind of certificate: "RSA chain  CN=leaf, RSA 2048 bits, 89 days left, trusted".
fn certificate_type(
    out: &mut dyn Write,
    served: &ScanCertificates,
    width: usize,
) -> io::Result<()> {
    let Some(leaf) = served.certificates.first() else {
        return Ok(());
    };
    let key = &leaf.key;
    let size = match (&key.curve, key.bits) {
        (Some(curve), _) => format!(" {curve}"),
        (None, Some(bits)) => format!(" {bits} bits"),
        (None, None) => String::new(),
    };
    let left = match leaf.expired_days_ago() {
        Some(ago) => format!("expired {ago} days ago"),
        None => format!("{} days left", leaf.days_left),
    };
    let (verdict, style) = match &served.verification {
        Some(v) if v.verified => ("trusted".to_string(), Style::new()),
        Some(v) => {
            let codes: Vec<&str> = v.errors.iter().map(|e| e.code.as_str()).collect();
            (format!("not trusted ({})", codes.join(", ")), BAD)
        }
        None => ("not judged".to_string(), DIM),
    };
    let text = format!(
        "{}, {}{size}, {left}, {verdict}",
        clean(&leaf.subject),
        key.kind
    );
    Para {
        indent: 2,
        label: &format!("{} chain", served.key_type),
        label_style: Style::new(),
        text: &text,
        style,
    }
    .write(out, width)
}
