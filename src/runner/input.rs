//! Where the targets come from: the command line first, then the targets file or standard
//! input. A line of the file is read on a thread of its own, one at a time and only when the
//! runner asks for it, so that the runner waits for lines and for finished probes at once (one
//! channel): a report is printed as soon as its probe is done, not when the next line comes.

use std::sync::{mpsc, Arc, Mutex};

use crate::target::Target;
use crate::targets_file::{Entry, Lines};

/// What the runner waits for: the next line of the file (`None`: the end), or a probe done.
pub enum Event<R> {
    Line(Option<Entry>),
    Done(usize, R),
}

/// The next entry, if it is here at once.
pub enum Next {
    Entry(Entry),
    /// A line is being read: it comes as an [`Event::Line`].
    Asked,
    End,
}

pub struct Input {
    args: std::vec::IntoIter<Target>,
    file: File,
}

enum File {
    None,
    /// Not asked for yet: no thread started.
    Unread(Arc<Mutex<Lines>>),
    /// Read on a thread, which reads one line per message. The lines are held here too, so
    /// that the file stays open until the run ends, as it did when read here (its descriptor
    /// is not handed to a probe half-way through).
    Reader(mpsc::Sender<()>, Arc<Mutex<Lines>>),
    /// No thread could be started: read here (the runner waits for each line).
    Here(Arc<Mutex<Lines>>),
    /// Read to its end, still open.
    Ended(Arc<Mutex<Lines>>),
    Done,
}

impl Input {
    pub fn new(args: Vec<Target>, file: Option<Lines>) -> Input {
        Input {
            args: args.into_iter(),
            file: file.map_or(File::None, |l| File::Unread(Arc::new(Mutex::new(l)))),
        }
    }

    /// The next entry, or an ask for it (its line then comes on `events`).
    pub fn next<R: Send + 'static>(&mut self, events: &mpsc::Sender<Event<R>>) -> Next {
        if let Some(target) = self.args.next() {
            return Next::Entry(Ok(target));
        }
        loop {
            match std::mem::replace(&mut self.file, File::Done) {
                File::None | File::Done => return Next::End,
                File::Ended(lines) => {
                    self.file = File::Ended(lines);
                    return Next::End;
                }
                File::Unread(lines) => self.file = start(lines, events.clone()),
                File::Reader(ask, lines) => {
                    if ask.send(()).is_err() {
                        return Next::End;
                    }
                    self.file = File::Reader(ask, lines);
                    return Next::Asked;
                }
                File::Here(lines) => {
                    let entry = lines.lock().ok().and_then(|mut l| l.next());
                    let Some(entry) = entry else {
                        self.file = File::Ended(lines);
                        return Next::End;
                    };
                    self.file = File::Here(lines);
                    return Next::Entry(entry);
                }
            }
        }
    }

    /// The file came to its end (an [`Event::Line`] of `None`): ask no more, keep it open.
    pub fn ended(&mut self) {
        if let File::Reader(_, lines) = std::mem::replace(&mut self.file, File::Done) {
            self.file = File::Ended(lines);
        }
    }

    /// Whether nothing more will come.
    pub fn exhausted(&self) -> bool {
        self.args.len() == 0 && matches!(self.file, File::None | File::Ended(_) | File::Done)
    }
}

/// The reader thread; or, when none can be started, reading here. It is not a scoped thread:
/// a run that stops early (stdout closed) must not wait for a line that may never come.
fn start<R: Send + 'static>(lines: Arc<Mutex<Lines>>, events: mpsc::Sender<Event<R>>) -> File {
    let (ask, asked) = mpsc::channel::<()>();
    let theirs = Arc::clone(&lines);
    let started = crate::threads::builder("targets".into()).spawn(move || {
        while asked.recv().is_ok() {
            let entry = theirs.lock().ok().and_then(|mut l| l.next());
            let end = entry.is_none();
            if events.send(Event::Line(entry)).is_err() || end {
                return;
            }
        }
    });
    match started {
        Ok(_) => File::Reader(ask, lines),
        Err(_) => File::Here(lines),
    }
}
