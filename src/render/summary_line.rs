//! Several targets: one line each, in columns as far as the names allow: a mark, the target,
//! the status, then (when a version was negotiated) the version, the leaf's days left and the
//! suite where it fits, then the first error (or warning) cut to the terminal's width, which
//! the suite makes way for. `-v` shows the full report instead.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::report::{Report, Status};

const GOOD: Style = AnsiColor::Green.on_default().bold();
const BAD: Style = AnsiColor::Red.on_default().bold();
const WARN: Style = AnsiColor::Yellow.on_default();

/// Column widths: most targets, every status, every version name fit; a TLS 1.3 line in 80.
const TARGET: usize = 24;
const STATUS: usize = 14;
const VERSION: usize = 7;
const DAYS: usize = 4;
/// However narrow the terminal, this much of an error is shown; and the suite is shown only
/// where it leaves this much room.
const LEAST_ERROR: usize = 12;

pub fn write(out: &mut dyn Write, r: &Report, width: usize) -> io::Result<()> {
    let ok = r.status == Status::Ok;
    let (mark, style) = if ok { ("✓", GOOD) } else { ("✗", BAD) };
    let target = crate::printable::printable(&r.target.shown);
    let status = r.status.as_str();
    write!(
        out,
        "{style}{mark}{style:#} {target:<TARGET$} {style}{status:<STATUS$}{style:#}"
    )?;
    let mut used = 2 + TARGET.max(target.chars().count()) + 1 + STATUS.max(status.len());
    let problem = first_problem(r);
    if let Some(p) = &r.protocol {
        let version = p.version.to_string();
        let days = r
            .certificates
            .first()
            .map_or("-".to_string(), |c| format!("{}d", c.days_left));
        write!(out, " {version:<VERSION$} {days:>DAYS$}")?;
        used += 1 + VERSION.max(version.len()) + 1 + DAYS.max(days.len());
        // The suite where it fits, with room for the error after it: else `-v` has it.
        let suite = &p.cipher_suite;
        let after = used + 2 + suite.len();
        let needs = if problem.is_some() {
            2 + LEAST_ERROR
        } else {
            0
        };
        if after + needs <= width {
            write!(out, "  {suite}")?;
            used = after;
        }
    }
    if let Some((label, text, st)) = problem {
        used += 2 + label.len() + 1;
        let room = width.saturating_sub(used).max(LEAST_ERROR);
        let text = cut(&crate::printable::printable(&text), room);
        write!(out, "  {st}{label}{st:#} {text}")?;
    }
    writeln!(out)
}

/// The error that decided the status, else the first failed check, else the first warning.
fn first_problem(r: &Report) -> Option<(&'static str, String, Style)> {
    if let Some(e) = &r.error {
        return Some(("error:", e.message.clone(), BAD));
    }
    let v = r.verification.as_ref();
    if let Some(f) = v.and_then(|v| v.errors.first()) {
        return Some(("error:", format!("{}: {}", f.code.as_str(), f.message), BAD));
    }
    if let Some(c) = r.checks.iter().find(|c| !c.passed) {
        return Some(("error:", c.message.clone(), BAD));
    }
    v.and_then(|v| v.warnings.first()).map(|w| {
        (
            "warning:",
            format!("{}: {}", w.code.as_str(), w.message),
            WARN,
        )
    })
}

/// `text` in at most `room` columns: cut at a word boundary, with an ellipsis when cut.
fn cut(text: &str, room: usize) -> String {
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut kept = String::new();
    for word in text.split(' ') {
        let next = kept.chars().count() + usize::from(!kept.is_empty()) + word.chars().count();
        if next + 1 > room {
            break;
        }
        if !kept.is_empty() {
            kept.push(' ');
        }
        kept.push_str(word);
    }
    if kept.is_empty() {
        // One word longer than the room: its start, rather than nothing.
        kept = text.chars().take(room.saturating_sub(1)).collect();
    }
    kept.push('…');
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_at_words_with_an_ellipsis() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(
            cut("the certificate expired 3 days ago", 20),
            "the certificate…"
        );
        assert_eq!(cut("abcdefghij", 5), "abcd…");
    }
}
