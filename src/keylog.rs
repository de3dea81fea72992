//! `--keylog FILE` / `SSLKEYLOGFILE`: the NSS key log format Wireshark reads. Written only when
//! asked. The secrets in it unlock the recorded traffic, so a new file is created mode 0600
//! (never through a symlink, never over a file that appeared meanwhile), and an existing one
//! is appended to only when it is a regular file of ours that no one else may read, unless
//! `--keylog-unsafe` says otherwise. A failed write is kept, for the run to report.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::sync::Mutex;

use rustix::fs::OFlags;

/// An open key-log file, shared by every probe of a run.
#[derive(Debug)]
pub struct KeyLogFile {
    shown: String,
    sink: Mutex<Sink>,
}

#[derive(Debug)]
struct Sink {
    file: File,
    /// The first write that failed; nothing is written after it (no half lines).
    failure: Option<io::Error>,
}

impl KeyLogFile {
    /// Open (or create) the key log. `unsafe_ok` (`--keylog-unsafe`) lifts the checks on an
    /// existing file. The error is one line for a person.
    pub fn open(path: &Path, unsafe_ok: bool) -> Result<KeyLogFile, String> {
        let shown = path.display().to_string();
        let file = open_private(path, unsafe_ok, Reuse::Append, "--keylog-unsafe")
            .map_err(|why| format!("the key log {shown} {why}"))?;
        Ok(KeyLogFile {
            shown,
            sink: Mutex::new(Sink {
                file,
                failure: None,
            }),
        })
    }

    /// Append one line, `LABEL <client_random hex> <secret hex>`. A write error does not fail
    /// the probe (the key log is a by-product): it is kept for [`KeyLogFile::failure`].
    pub fn write(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        let line = line(label, client_random, secret);
        if let Ok(mut sink) = self.sink.lock() {
            if sink.failure.is_none() {
                if let Err(e) = sink.file.write_all(line.as_bytes()) {
                    sink.failure = Some(e);
                }
            }
        }
    }

    /// Why some secrets did not reach the file, if they did not: one line for a person.
    pub fn failure(&self) -> Option<String> {
        let sink = self.sink.lock().ok()?;
        let e = sink.failure.as_ref()?;
        Some(format!(
            "cannot write the key log {}: {e}; it lacks secrets of this run",
            self.shown
        ))
    }
}

/// One NSS key-log line: `LABEL <client_random hex> <secret hex>` and a newline.
pub fn line(label: &str, client_random: &[u8], secret: &[u8]) -> String {
    format!(
        "{label} {} {}\n",
        crate::cert::hex(client_random),
        crate::cert::hex(secret)
    )
}

/// What to do with a file of secrets that exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reuse {
    /// Add to it (a key log).
    Append,
    /// Empty it first (a capture).
    Truncate,
}

/// Open `path` for secrets: created mode 0600 (never through a symlink, never over a file that
/// appeared meanwhile), or an existing regular file of ours that no one else may read, unless
/// `unsafe_ok`; `insist` names the option that says so, for the refusal. The error completes
/// a sentence that begins with the file's name.
///
/// Non-blocking throughout: a FIFO with no reader fails at once (ENXIO) instead of hanging the
/// open, and a reader that stops reading fails a write instead of hanging it.
pub fn open_private(
    path: &Path,
    unsafe_ok: bool,
    reuse: Reuse,
    insist: &str,
) -> Result<File, String> {
    let file = open_file(path, unsafe_ok, reuse, insist)?;
    if reuse == Reuse::Truncate && file.metadata().is_ok_and(|m| m.is_file()) {
        file.set_len(0)
            .map_err(|e| format!("cannot be emptied: {e}"))?;
    }
    Ok(file)
}

fn open_file(path: &Path, unsafe_ok: bool, reuse: Reuse, insist: &str) -> Result<File, String> {
    let base = OFlags::NONBLOCK | OFlags::NOCTTY;
    let append = reuse == Reuse::Append;
    let refused = |why: &str| refused(why, insist);
    let opening = |e: io::Error| opening(e, insist);
    // O_CREAT|O_EXCL, which does not follow a symlink either: the file is new, and ours.
    let created = OpenOptions::new()
        .write(true)
        .append(append)
        .create_new(true)
        .mode(0o600)
        .custom_flags((base | OFlags::NOFOLLOW).bits() as i32)
        .open(path);
    match created {
        Ok(file) => return Ok(file),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(format!("cannot be created: {e}")),
    }
    if unsafe_ok {
        return OpenOptions::new()
            .write(true)
            .append(append)
            .custom_flags(base.bits() as i32)
            .open(path)
            .map_err(opening);
    }
    let link = std::fs::symlink_metadata(path).map_err(opening)?;
    if link.file_type().is_symlink() {
        return Err(refused("is a symbolic link"));
    }
    if !link.file_type().is_file() {
        return Err(refused("is not a regular file"));
    }
    let file = OpenOptions::new()
        .write(true)
        .append(append)
        .custom_flags((base | OFlags::NOFOLLOW).bits() as i32)
        .open(path)
        .map_err(opening)?;
    // Judged on what was opened, not on the path, which may have changed since.
    let meta = file.metadata().map_err(opening)?;
    if !meta.file_type().is_file() {
        return Err(refused("is not a regular file"));
    }
    let ours = rustix::process::geteuid().as_raw();
    if meta.uid() != ours {
        return Err(refused(&format!(
            "belongs to another user (uid {}, we are {ours})",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(refused(&format!(
            "is open to other users (mode {mode:04o}): chmod 600 it"
        )));
    }
    Ok(file)
}

fn refused(why: &str, insist: &str) -> String {
    format!("{why}; refusing to write secrets to it ({insist} to insist)")
}

fn opening(e: io::Error, insist: &str) -> String {
    match e.raw_os_error() {
        Some(code) if code == rustix::io::Errno::NXIO.raw_os_error() => {
            "is a FIFO that no one is reading".to_string()
        }
        Some(code) if code == rustix::io::Errno::LOOP.raw_os_error() => {
            refused("is a symbolic link", insist)
        }
        _ => format!("cannot be opened: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_new_file_is_created_0600_and_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.log");
        let log = KeyLogFile::open(&path, false).unwrap();
        log.write("CLIENT_RANDOM", &[1, 2], &[3]);
        assert_eq!(log.failure(), None);
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "CLIENT_RANDOM 0102 03\n"
        );
        // Ours and private: appended to.
        drop(log);
        KeyLogFile::open(&path, false).unwrap().write("X", &[], &[]);
        assert!(std::fs::read_to_string(&path).unwrap().ends_with("X  \n"));
    }

    #[test]
    fn a_readable_file_or_a_symlink_is_refused_unless_insisted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.log");
        std::fs::write(&path, "").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = KeyLogFile::open(&path, false).unwrap_err();
        assert!(
            e.contains("mode 0644") && e.contains("--keylog-unsafe"),
            "{e}"
        );
        assert!(KeyLogFile::open(&path, true).is_ok());

        let link = dir.path().join("link.log");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &link).unwrap();
        let e = KeyLogFile::open(&link, false).unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(
            !dir.path().join("elsewhere").exists(),
            "not created through the link"
        );
    }

    #[test]
    fn a_failed_write_is_kept() {
        let log = KeyLogFile::open(Path::new("/dev/full"), true).unwrap();
        log.write("CLIENT_RANDOM", &[1], &[2]);
        let failure = log.failure().unwrap();
        assert!(failure.contains("/dev/full"), "{failure}");
        let e = KeyLogFile::open(Path::new("/dev/full"), false).unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
    }
}
