//! The targets of `--targets-file FILE` or `-` (standard input): one per line, `#` comments
//! (whole lines, or after a target) and blank lines skipped, streamed so that memory stays flat
//! however many come. A line is at most [`LINE_LIMIT`] bytes; a longer one, or a read error,
//! ends the list with one error (the input is not a list of targets, and reading on would
//! repeat the error forever).

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::time::Duration;

use crate::target::Target;

/// The longest line read: far above any host name or URL, far below any memory concern.
pub const LINE_LIMIT: usize = 64 * 1024;

/// One entry: a target, or the one-line error of a line that is not one.
pub type Entry = Result<Target, String>;

/// The entries of `path` (`-`: standard input). A FIFO's writer must open it within `wait`.
/// The error is one line for a person.
pub fn open(path: &Path, default_port: u16, wait: Duration) -> Result<Lines, String> {
    let (reader, shown): (Box<dyn BufRead + Send>, String) = if path == Path::new("-") {
        crate::local_file::standard_input()
            .map_err(|why| format!("cannot read standard input: {why}"))?;
        let stdin = io::stdin();
        (Box::new(BufReader::new(stdin)), "standard input".into())
    } else {
        let shown = path.display().to_string();
        let file = crate::local_file::open_stream(path, wait)
            .map_err(|why| format!("cannot read --targets-file {shown}: {why}"))?;
        (Box::new(BufReader::new(file)), shown)
    };
    Ok(Lines {
        reader,
        shown,
        line: 0,
        done: false,
        default_port,
        shard: None,
    })
}

/// The entries, in order; see [`open`].
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    shown: String,
    line: usize,
    done: bool,
    default_port: u16,
    shard: Option<crate::shard::Shard>,
}

impl Iterator for Lines {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        let mut buf = Vec::new();
        while !self.done {
            buf.clear();
            let read = (&mut self.reader)
                .take(LINE_LIMIT as u64 + 1)
                .read_until(b'\n', &mut buf);
            self.line += 1;
            let at = format!("{}:{}", self.shown, self.line);
            match read {
                Ok(0) => self.done = true,
                Ok(_) if buf.len() > LINE_LIMIT && buf.last() != Some(&b'\n') => {
                    self.done = true;
                    return Some(Err(format!(
                        "{at}: a line longer than {} KiB: not a list of targets; read no further",
                        LINE_LIMIT / 1024
                    )));
                }
                Ok(_) => {
                    if let Some(entry) = self.entry(&buf, &at) {
                        return Some(entry);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => self.line -= 1,
                Err(e) => {
                    self.done = true;
                    return Some(Err(format!("{at}: cannot read: {e}; read no further")));
                }
            }
        }
        None
    }
}

impl Lines {
    /// Only the entries of this share (see [`crate::shard`]): a target by its `host:port`, a
    /// line that is not one by its text.
    pub fn sharded(mut self, shard: Option<crate::shard::Shard>) -> Lines {
        self.shard = shard;
        self
    }

    /// The entry of one line, or none for a blank line, a comment or another shard's line.
    fn entry(&self, line: &[u8], at: &str) -> Option<Entry> {
        let Ok(text) = std::str::from_utf8(line) else {
            return Some(Err(format!("{at}: not UTF-8 text")));
        };
        let t = without_comment(text).trim();
        if t.is_empty() {
            return None;
        }
        let entry = Target::parse(t, self.default_port);
        if let Some(shard) = &self.shard {
            let key = match &entry {
                Ok(target) => target.to_string(),
                Err(_) => t.to_string(),
            };
            if !shard.keeps(&key) {
                return None;
            }
        }
        Some(entry.map_err(|e| format!("{at}: {e}")))
    }
}

/// A line without its comment: from a `#` at its start or after a space or tab, as in a shell
/// (`localhost:443  # note`). A `#` inside a word stays: a URL's fragment is no comment.
fn without_comment(line: &str) -> &str {
    let mut after_space = true;
    for (i, c) in line.char_indices() {
        if c == '#' && after_space {
            return &line[..i];
        }
        after_space = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &'static [u8]) -> Vec<Entry> {
        Lines {
            reader: Box::new(bytes),
            shown: "t".into(),
            line: 0,
            done: false,
            default_port: 443,
            shard: None,
        }
        .collect()
    }

    #[test]
    fn comments_blank_lines_and_errors() {
        let got = lines(
            b"# list\n\na.example\r\nb.example:8443  # note\nbad:port\n\xff\n  # indented\nc.example\t#x",
        );
        let hosts: Vec<String> = got
            .iter()
            .map(|e| match e {
                Ok(t) => t.to_string(),
                Err(e) => e.clone(),
            })
            .collect();
        assert_eq!(hosts[0], "a.example:443");
        assert_eq!(hosts[1], "b.example:8443");
        assert!(
            hosts[2].starts_with("t:5: invalid target 'bad:port'"),
            "{}",
            hosts[2]
        );
        assert_eq!(hosts[3], "t:6: not UTF-8 text");
        assert_eq!(hosts[4], "c.example:443");
        assert_eq!(hosts.len(), 5);
    }

    #[test]
    fn a_hash_inside_a_word_is_no_comment() {
        assert_eq!(
            without_comment("https://a.example/#top # x"),
            "https://a.example/#top "
        );
        assert_eq!(without_comment("#all"), "");
        assert_eq!(without_comment("a.example"), "a.example");
    }

    #[test]
    fn a_line_over_the_limit_ends_the_list() {
        let long: &'static [u8] = Box::leak(
            [
                b"a.example\n".to_vec(),
                vec![b'x'; LINE_LIMIT + 1],
                b"\nb.example\n".to_vec(),
            ]
            .concat()
            .into_boxed_slice(),
        );
        let got = lines(long);
        assert_eq!(got.len(), 2, "{got:?}");
        let e = got[1].as_ref().unwrap_err();
        assert!(e.starts_with("t:2: a line longer than 64 KiB"), "{e}");
        // A line of exactly the limit is a line (and here an invalid target).
        let exact: &'static [u8] = Box::leak(
            [vec![b'x'; LINE_LIMIT], b"\nb.example\n".to_vec()]
                .concat()
                .into_boxed_slice(),
        );
        let got = lines(exact);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].is_ok());
    }
}
