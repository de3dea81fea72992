//! Many targets: read them as a stream, probe up to `--concurrency` at once on a pool of
//! threads, and hand the reports on in input order. At most a window of reports is held, so
//! memory stays flat however many targets come.

use std::collections::BTreeMap;
use std::io;
use std::sync::mpsc;
use std::sync::Mutex;

use crate::options::Options;
use crate::probe::probe;
use crate::report::Report;
use crate::target::Target;

/// What the runner hands on, in input order.
pub enum Outcome {
    Report(Box<Report>),
    /// A line of the targets file that is not a target: its one-line error.
    Invalid(String),
}

/// Probe every target of `options`, calling `emit` with each outcome in input order. `emit`
/// returns false to stop early (stdout closed). Fails only when the targets file cannot be
/// opened.
pub fn run(options: &Options, mut emit: impl FnMut(Outcome) -> bool) -> io::Result<()> {
    let file_entries: Box<dyn Iterator<Item = crate::targets_file::Entry>> =
        match options.targets_file.as_deref() {
            Some(path) => Box::new(
                crate::targets_file::open(path, options.default_port, options.probe.timeout)
                    .map_err(io::Error::other)?,
            ),
            None => Box::new(std::iter::empty()),
        };
    let mut input = options
        .targets
        .iter()
        .cloned()
        .map(Ok)
        .chain(file_entries)
        .enumerate();
    let workers = options.concurrency;
    let window = workers.saturating_mul(4).max(1);
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, Target)>(workers);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Report)>();

    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || loop {
                let job = job_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((i, target))) = job else { return };
                if done_tx.send((i, probe(&target, &options.probe))).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);

        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut next = 0usize;
        let mut outstanding = 0usize;
        let mut exhausted = false;
        'feed: loop {
            while !exhausted && outstanding + pending.len() < window {
                match input.next() {
                    Some((i, Ok(target))) => {
                        if job_tx.send((i, target)).is_err() {
                            exhausted = true;
                        } else {
                            outstanding += 1;
                        }
                    }
                    Some((i, Err(message))) => {
                        pending.insert(i, Outcome::Invalid(message));
                    }
                    None => exhausted = true,
                }
            }
            while let Some(outcome) = pending.remove(&next) {
                next += 1;
                if !emit(outcome) {
                    break 'feed;
                }
            }
            if outstanding == 0 {
                if exhausted {
                    break 'feed;
                }
                continue;
            }
            match done_rx.recv() {
                Ok((i, report)) => {
                    outstanding -= 1;
                    pending.insert(i, Outcome::Report(Box::new(report)));
                }
                Err(_) => break 'feed,
            }
        }
        // No more jobs: the workers finish what they hold and return, and the scope ends.
        drop(job_tx);
    });
    Ok(())
}
