//! `tlsprobe cert FILE...` as text: each file's certificates in the probe's certificate view.

use std::io::{self, Write};

use super::{certificate, clean, BAD, HEAD};

/// `tlsprobe cert FILE`: the file's certificates in the chain view.
pub fn cert_file(out: &mut dyn Write, file: &crate::report::CertFile) -> io::Result<()> {
    writeln!(out, "{HEAD}{}{HEAD:#}", clean(&file.file))?;
    if let Some(e) = &file.error {
        return writeln!(out, "  {BAD}✗ {}{BAD:#}", clean(e));
    }
    for (i, c) in file.certificates.iter().enumerate() {
        certificate(out, i, c)?;
    }
    Ok(())
}
