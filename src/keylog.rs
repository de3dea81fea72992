//! `--keylog FILE` / `SSLKEYLOGFILE`: the NSS key log format Wireshark reads. Written only when
//! asked; the file is created with mode 0600 (it unlocks the recorded traffic) and appended to.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// An open key-log file, shared by every probe of a run.
#[derive(Debug)]
pub struct KeyLogFile {
    file: Mutex<File>,
}

impl KeyLogFile {
    pub fn open(path: &Path) -> std::io::Result<KeyLogFile> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(KeyLogFile {
            file: Mutex::new(options.open(path)?),
        })
    }

    /// Append one line, `LABEL <client_random hex> <secret hex>`. A write error is ignored: the
    /// key log is a by-product and must not fail a probe.
    pub fn write(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let line = format!(
            "{label} {} {}\n",
            crate::cert::hex(client_random),
            crate::cert::hex(secret)
        );
        if let Ok(mut f) = self.file.lock() {
            let _ = f.write_all(line.as_bytes());
        }
    }
}
