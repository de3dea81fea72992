//! `--pcap FILE` / `--pcap DIR/`: each probe's connection as a pcapng section that Wireshark
//! opens decrypted with no other file: the TCP connection framed as it was (addresses, ports,
//! SYN, the bytes at the times recorded, FIN or RST), the STARTTLS preamble included, and the
//! TLS key log in a Decryption Secrets Block. The secrets are in it, so it is written as the key
//! log is (see `keylog.rs`): created mode 0600, an existing file only if ours and private.
//! A failed write is kept, for the run to report.

mod packets;
mod pcapng;

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::{DirBuilderExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

pub use packets::{Conversation, Data, End};

use crate::decrypt::Secrets;
use crate::keylog::{open_private, Reuse};
use crate::record::{Chunk, Closing, Recording};
use crate::report::Side;

/// Where the captures of a run go.
#[derive(Debug)]
pub struct PcapSink {
    shown: String,
    unsafe_ok: bool,
    place: Place,
    failure: Mutex<Option<String>>,
}

#[derive(Debug)]
enum Place {
    /// One file, a section per probe.
    File(Mutex<File>),
    /// A directory, a file per probe; the names given so far, and how often.
    Dir(PathBuf, Mutex<HashMap<String, usize>>),
}

impl PcapSink {
    /// `path` ending in `/`, or a directory already: a file per probe in it (created mode 0700
    /// if missing). Anything else: one file. `unsafe_ok` as for the key log.
    pub fn open(path: &Path, unsafe_ok: bool) -> Result<PcapSink, String> {
        let shown = path.display().to_string();
        let as_dir = shown.ends_with('/') || path.is_dir();
        let place = if as_dir {
            match std::fs::DirBuilder::new().mode(0o700).create(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(format!(
                        "the capture directory {shown} cannot be created: {e}"
                    ))
                }
            }
            let meta = std::fs::metadata(path)
                .map_err(|e| format!("the capture directory {shown} cannot be opened: {e}"))?;
            if !meta.is_dir() {
                return Err(format!("the capture directory {shown} is not a directory"));
            }
            let ours = rustix::process::geteuid().as_raw();
            if !unsafe_ok && (meta.uid() != ours || meta.mode() & 0o022 != 0) {
                return Err(format!(
                    "the capture directory {shown} is writable by other users (mode {:04o}); \
                     refusing to write secrets to it (--keylog-unsafe to insist)",
                    meta.mode() & 0o7777
                ));
            }
            Place::Dir(path.to_path_buf(), Mutex::default())
        } else {
            let file = open_private(path, unsafe_ok, Reuse::Truncate, "--keylog-unsafe")
                .map_err(|why| format!("the capture {shown} {why}"))?;
            Place::File(Mutex::new(file))
        };
        Ok(PcapSink {
            shown,
            unsafe_ok,
            place,
            failure: Mutex::default(),
        })
    }

    /// Write one probe's section; `name` (`host:port`) names its file in a directory.
    pub fn write(&self, name: &str, section: &[u8]) {
        let result = match &self.place {
            Place::File(file) => {
                let mut file = file.lock().unwrap_or_else(PoisonError::into_inner);
                file.write_all(section)
                    .map_err(|e| format!("cannot write the capture {}: {e}", self.shown))
            }
            Place::Dir(dir, names) => {
                let path = {
                    let mut names = names.lock().unwrap_or_else(PoisonError::into_inner);
                    let seen = names.entry(file_name(name)).or_insert(0);
                    *seen += 1;
                    match *seen {
                        1 => dir.join(format!("{}.pcapng", file_name(name))),
                        n => dir.join(format!("{}-{n}.pcapng", file_name(name))),
                    }
                };
                let shown = path.display().to_string();
                open_private(&path, self.unsafe_ok, Reuse::Truncate, "--keylog-unsafe")
                    .map_err(|why| format!("the capture {shown} {why}"))
                    .and_then(|mut f| {
                        f.write_all(section)
                            .map_err(|e| format!("cannot write the capture {shown}: {e}"))
                    })
            }
        };
        if let Err(e) = result {
            let mut failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
            failure.get_or_insert(e);
        }
    }

    /// Why some captures were not written, if they were not: one line for a person.
    pub fn failure(&self) -> Option<String> {
        let failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
        failure
            .as_ref()
            .map(|e| format!("{e}; it lacks probes of this run"))
    }
}

/// `host:port` as a file name: anything but letters, digits, `.` and `-` becomes `_`.
fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// What a capture of one connection is made of, beyond the recording.
pub struct Wire<'a> {
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// When the SYN left and when the connection was established.
    pub opened: Option<(SystemTime, SystemTime)>,
    /// The STARTTLS preamble's bytes.
    pub preamble: &'a [Chunk],
    pub recording: &'a Recording,
}

/// The connection of `wire` as a [`Conversation`]: the preamble, then each recorded read and
/// write at its time, the server's end if a read met it, and ours when the recording ended.
pub fn conversation(wire: &Wire<'_>, closed_at: SystemTime) -> Conversation {
    let rec = wire.recording;
    let start = rec.wall_start.unwrap_or(closed_at);
    let mut data: Vec<Data> = wire
        .preamble
        .iter()
        .map(|c| Data {
            from: c.from,
            at: c.at,
            bytes: c.bytes.clone(),
        })
        .collect();
    let mut done = [0usize; 2];
    for e in &rec.events {
        let i = usize::from(e.side == Side::Server);
        let bytes = rec.bytes(e.side).get(done[i]..e.end).unwrap_or_default();
        done[i] = done[i].max(e.end);
        if bytes.is_empty() {
            continue;
        }
        let at = start + e.at;
        // Reads that end at a record's end, stamped with one segment's arrival, came in it.
        match data.last_mut() {
            Some(last) if last.from == e.side && last.at == at => {
                last.bytes.extend_from_slice(bytes);
            }
            _ => data.push(Data {
                from: e.side,
                at,
                bytes: bytes.to_vec(),
            }),
        }
    }
    let first = data.first().map_or(start, |d| d.at);
    let (syn_at, established_at) = wire.opened.unwrap_or((first, first));
    let mut ends = Vec::new();
    if let Some((at, how)) = rec.server_closed {
        ends.push(End {
            from: Side::Server,
            at: start + at,
            how,
        });
    }
    let last = data
        .iter()
        .map(|d| d.at)
        .chain(ends.iter().map(|e| e.at))
        .max();
    ends.push(End {
        from: Side::Client,
        at: last.map_or(closed_at, |l| l.max(closed_at)),
        how: Closing::Fin,
    });
    Conversation {
        client: wire.client,
        server: wire.server,
        syn_at: syn_at.min(established_at),
        established_at,
        data,
        ends,
    }
}

/// The NSS key-log lines of `secrets`.
pub fn key_log(secrets: &Secrets) -> Vec<u8> {
    let mut out = Vec::new();
    for (label, secret) in &secrets.entries {
        out.extend_from_slice(
            crate::keylog::line(label, &secrets.client_random, secret).as_bytes(),
        );
    }
    out
}

/// One section: `comment` in its header, the key log, the packets of each conversation.
pub fn section(comment: &str, key_log: &[u8], conversations: &[Conversation]) -> Vec<u8> {
    let mut s = pcapng::Section::new(comment, "tlsprobe");
    if !key_log.is_empty() {
        s.secrets(key_log);
    }
    let mut all: Vec<packets::Packet> = conversations.iter().flat_map(packets::packets).collect();
    all.sort_by_key(|p| p.at);
    for p in &all {
        s.packet(p.at, &p.bytes, None);
    }
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Event;
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn a_recording_becomes_a_conversation() {
        let start = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let rec = Recording {
            client: b"abcd!".to_vec(),
            server: b"xyz".to_vec(),
            events: vec![
                Event {
                    side: Side::Client,
                    at: Duration::from_millis(1),
                    end: 4,
                },
                Event {
                    side: Side::Server,
                    at: Duration::from_millis(2),
                    end: 1,
                },
                Event {
                    side: Side::Server,
                    at: Duration::from_millis(3),
                    end: 2,
                },
                // Read at the same time: the same segment.
                Event {
                    side: Side::Server,
                    at: Duration::from_millis(3),
                    end: 3,
                },
                Event {
                    side: Side::Client,
                    at: Duration::from_millis(3),
                    end: 5,
                },
            ],
            wall_start: Some(start),
            server_closed: Some((Duration::from_millis(4), Closing::Fin)),
            ..Recording::default()
        };
        let preamble = [Chunk {
            from: Side::Server,
            at: start,
            bytes: b"220 ready\r\n".to_vec(),
        }];
        let wire = Wire {
            client: "127.0.0.1:5000".parse().unwrap(),
            server: "127.0.0.1:25".parse().unwrap(),
            opened: Some((
                start - Duration::from_millis(2),
                start - Duration::from_millis(1),
            )),
            preamble: &preamble,
            recording: &rec,
        };
        let c = conversation(&wire, start + Duration::from_millis(5));
        let data: Vec<(Side, &[u8])> = c.data.iter().map(|d| (d.from, &d.bytes[..])).collect();
        assert_eq!(
            data,
            [
                (Side::Server, &b"220 ready\r\n"[..]),
                (Side::Client, b"abcd"),
                (Side::Server, b"x"),
                (Side::Server, b"yz"),
                (Side::Client, b"!"),
            ]
        );
        assert_eq!(c.data[3].at, start + Duration::from_millis(3));
        assert_eq!(c.data[4].at, start + Duration::from_millis(3));
        assert_eq!(c.ends.len(), 2);
        assert_eq!(c.ends[1].at, start + Duration::from_millis(5));
        let bytes = section("probe", &key_log(&Secrets::default()), &[c]);
        assert_eq!(&bytes[..4], &[0x0A, 0x0D, 0x0D, 0x0A]);
    }

    #[test]
    fn a_directory_gets_a_private_file_per_probe() {
        let dir = tempfile::tempdir().unwrap();
        let place = dir.path().join("caps/");
        let sink = PcapSink::open(&place, false).unwrap();
        sink.write("example.com:443", b"one");
        sink.write("example.com:443", b"two");
        sink.write("[::1]:443", b"three");
        assert_eq!(sink.failure(), None);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&place), 0o700);
        let one = place.join("example.com_443.pcapng");
        assert_eq!(std::fs::read(&one).unwrap(), b"one");
        assert_eq!(mode(&one), 0o600);
        assert_eq!(
            std::fs::read(place.join("example.com_443-2.pcapng")).unwrap(),
            b"two"
        );
        assert_eq!(
            std::fs::read(place.join("___1__443.pcapng")).unwrap(),
            b"three"
        );
    }

    #[test]
    fn a_file_is_emptied_and_refused_when_others_may_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("probe.pcapng");
        std::fs::write(&path, "old contents").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = PcapSink::open(&path, false).unwrap_err();
        assert!(e.contains("mode 0644"), "{e}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let sink = PcapSink::open(&path, false).unwrap();
        sink.write("a:1", b"new");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        let sink = PcapSink::open(Path::new("/dev/full"), true).unwrap();
        sink.write("a:1", b"x");
        assert!(sink.failure().unwrap().contains("/dev/full"));
    }
}
