//! Local input files (chains, keys, trust stores, CRLs, the targets file) read within a budget
//! and a deadline: a directory, a device (`/dev/zero`, a terminal) or an endless file is an
//! error, and a FIFO (`<(...)`, `mkfifo`) is waited for only until the deadline, so nothing a
//! person points us at can hang the run or exhaust the allocator.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

use rustix::event::{PollFd, PollFlags};
use rustix::fs::OFlags;

use crate::deadline::Deadline;

/// No certificate, chain, key or CRL file a person points us at is larger than this.
pub const BUDGET: u64 = 16 * 1024 * 1024;

/// What kind of thing a path turned out to be, when it is not something we read.
pub fn refusal(file_type: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        Some("it is a directory")
    } else if file_type.is_char_device() || file_type.is_block_device() {
        Some("it is a device, not a file")
    } else if file_type.is_socket() {
        Some("it is a socket, not a file")
    } else {
        None
    }
}

/// The whole of `path`, or why not, in words for a one-line error. A FIFO must deliver its
/// whole content (its writer opening and closing it) within `wait`.
pub fn read(path: &Path, wait: Duration) -> Result<Vec<u8>, String> {
    let file = open_nonblocking(path).map_err(|e| e.to_string())?;
    let file_type = file.metadata().map_err(|e| e.to_string())?.file_type();
    read_opened(file, file_type, wait)
}

/// The whole of an opened `file`: a regular file at once, within the budget; a FIFO, pipe or
/// socket polled before each read, so that a writer that never closes meets the deadline; a
/// directory or a device refused.
fn read_opened(
    file: File,
    file_type: std::fs::FileType,
    wait: Duration,
) -> Result<Vec<u8>, String> {
    if let Some(why) = refusal(file_type) {
        return Err(why.to_string());
    }
    if file_type.is_file() {
        return read_bounded(file);
    }
    read_fifo(&file, Deadline::after(wait), wait)
}

/// The whole of standard input (`tlsprobe cert -`), within the same budget as a file: a
/// file is read at once; a pipe, FIFO or socket must deliver and close within `wait`; a
/// terminal is read until end of input (^D), as a person pastes; a directory or another device
/// is refused.
pub fn read_stdin(wait: Duration) -> Result<Vec<u8>, String> {
    let stdin = standard_input()?;
    if stdin.terminal {
        return read_bounded(stdin.file);
    }
    read_opened(stdin.file, stdin.file_type, wait)
}

/// Standard input as a source of input: a duplicate of its descriptor, what it is, and whether
/// it is a terminal.
pub struct StandardInput {
    pub file: File,
    pub file_type: std::fs::FileType,
    pub terminal: bool,
}

/// Standard input, if it can be read: not closed (what Rust's runtime leaves of a closed one),
/// and, unless it is a terminal, not a directory or a device.
pub fn standard_input() -> Result<StandardInput, String> {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    let stdin = io::stdin();
    if crate::stdio::closed(stdin.as_fd()) {
        return Err("it is closed".into());
    }
    let fd = stdin
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| e.to_string())?;
    let file = File::from(fd);
    let file_type = file.metadata().map_err(|e| e.to_string())?.file_type();
    let terminal = stdin.is_terminal();
    if !terminal {
        if let Some(why) = refusal(file_type) {
            return Err(why.to_string());
        }
    }
    Ok(StandardInput {
        file,
        file_type,
        terminal,
    })
}

/// `path` open for reading as a stream (the targets file): a regular file, or a FIFO whose
/// writer comes within `wait`; then it is read as it comes, like standard input.
pub fn open_stream(path: &Path, wait: Duration) -> Result<File, String> {
    let file = open_nonblocking(path).map_err(|e| e.to_string())?;
    let file_type = file.metadata().map_err(|e| e.to_string())?.file_type();
    if let Some(why) = refusal(file_type) {
        return Err(why.to_string());
    }
    if file_type.is_file() {
        return Ok(file);
    }
    if !ready(&file, Deadline::after(wait))? {
        return Err(fifo_timeout("no one wrote to it", wait));
    }
    // A writer came: from here on, wait for lines as for standard input.
    let flags = rustix::fs::fcntl_getfl(&file).map_err(|e| e.to_string())?;
    rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK).map_err(|e| e.to_string())?;
    Ok(file)
}

/// Open for reading with O_NONBLOCK (a FIFO with no writer, a terminal: the open returns at
/// once) and O_NOCTTY. The flag is irrelevant to regular files.
pub fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY).bits() as i32)
        .open(path)
}

/// A FIFO, open non-blocking, read to its end within the deadline and the budget. Before any
/// writer comes, poll reports nothing (and a read would say end of file); once one came, its
/// data is POLLIN and its close POLLHUP, after which a read of 0 is the end.
fn read_fifo(file: &File, deadline: Deadline, wait: Duration) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if !ready(file, deadline)? {
            return Err(fifo_timeout("nothing ended it", wait));
        }
        match (&*file).read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                if bytes.len() as u64 > BUDGET {
                    return Err(too_large());
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// Wait until `file` (a FIFO) has data or its writer has gone; false when the deadline came
/// first.
fn ready(file: &File, deadline: Deadline) -> Result<bool, String> {
    loop {
        let Some(left) = deadline.remaining() else {
            return Ok(false);
        };
        let timeout = rustix::event::Timespec::try_from(left).map_err(|e| e.to_string())?;
        let mut fds = [PollFd::new(file, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => {}
            Ok(_) => return Ok(true),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn fifo_timeout(what: &str, wait: Duration) -> String {
    format!(
        "it is a FIFO and {what} within {} s (--timeout)",
        wait.as_secs_f64()
    )
}

fn too_large() -> String {
    format!("it is larger than {} MiB", BUDGET / (1024 * 1024))
}

fn read_bounded(file: File) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    file.take(BUDGET + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > BUDGET {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAIT: Duration = Duration::from_secs(5);

    #[test]
    fn files_are_read_and_other_things_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pem");
        std::fs::write(&path, b"hello").unwrap();
        assert_eq!(read(&path, WAIT).unwrap(), b"hello");
        assert_eq!(read(dir.path(), WAIT).unwrap_err(), "it is a directory");
        assert_eq!(
            read(Path::new("/dev/zero"), WAIT).unwrap_err(),
            "it is a device, not a file"
        );
        assert!(read(&dir.path().join("missing"), WAIT).is_err());
    }

    #[test]
    fn a_file_over_the_budget_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.pem");
        let f = File::create(&path).unwrap();
        f.set_len(BUDGET + 1).unwrap();
        assert_eq!(read(&path, WAIT).unwrap_err(), "it is larger than 16 MiB");
        f.set_len(BUDGET).unwrap();
        assert_eq!(read(&path, WAIT).unwrap().len() as u64, BUDGET);
    }
}
