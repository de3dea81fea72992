use std::io::{self, Write};

use crate::report::Report;

/// One report as one line of JSON (JSON Lines).
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
