//! `--scan`: what the server accepts, one line per version with its suites under it, then
//! the groups and the findings.

use std::io::{self, Write};

use anstyle::Style;

use super::wrap::Para;
use super::{BAD, DIM, GOOD, HEAD, WARN};
use crate::report::{Preference, Scan, Severity};

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
