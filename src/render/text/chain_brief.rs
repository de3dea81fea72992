//! The served chain in brief, one line a certificate: its subject, who issued it, how long it
//! has left. `-v` shows each in full instead.

use std::io::{self, Write};

use super::wrap::columns;
use super::{clean, BAD, HEAD};
use crate::report::Certificate;

/// Where the rest of a certificate's line goes when it does not fit beside the subject.
const HANG: usize = 5;

pub(super) fn write(out: &mut dyn Write, certs: &[Certificate], width: usize) -> io::Result<()> {
    if certs.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{HEAD}Certificate chain{HEAD:#} (as served)")?;
    for (i, c) in certs.iter().enumerate() {
        line(out, i, c, width)?;
    }
    Ok(())
}

fn line(out: &mut dyn Write, i: usize, c: &Certificate, width: usize) -> io::Result<()> {
    let subject = clean(&c.subject);
    let issued = if c.self_signed {
        "self-signed".to_string()
    } else {
        format!("issued by {}", clean(&c.issuer))
    };
    let (left, styled) = match c.expired_days_ago() {
        Some(ago) => {
            let s = format!("expired {ago} days ago");
            (s.clone(), format!("{BAD}{s}{BAD:#}"))
        }
        None => {
            let s = format!("{} days left", c.days_left);
            (s.clone(), s)
        }
    };
    let lead = format!("  {i:<2} ");
    write!(out, "{lead}{HEAD}{subject}{HEAD:#}")?;
    let rest = columns(&issued) + 2 + columns(&left);
    if columns(&lead) + columns(&subject) + 2 + rest <= width {
        writeln!(out, "  {issued}, {styled}")
    } else {
        writeln!(out)?;
        writeln!(out, "{:HANG$}{issued}, {styled}", "")
    }
}
