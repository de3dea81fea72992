//! Local input files (chains, CRLs) read within a budget: a directory or an endless file
//! (`/dev/zero`) is an error, not a hang or an exhausted allocator.

use std::io::Read;
use std::path::Path;

/// No certificate, chain or CRL file a person points us at is larger than this.
pub const BUDGET: u64 = 16 * 1024 * 1024;

/// The whole of `path`, or why not, in words for a one-line error.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("it is a directory".to_string());
    }
    let mut bytes = Vec::new();
    file.take(BUDGET + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > BUDGET {
        return Err(format!("it is larger than {} MiB", BUDGET / (1024 * 1024)));
    }
    Ok(bytes)
}
