use std::io::{self, Write};

use serde::Serialize;

/// One report (or any serialisable view) as one line of JSON (JSON Lines).
pub fn write(out: &mut dyn Write, report: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
