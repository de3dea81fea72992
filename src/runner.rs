//! Many targets: read them as a stream, probe up to `--concurrency` at once on threads started
//! as targets come, and hand the reports on in input order, each as soon as it and those
//! before it are done (a line of standard input is read while the probes run: [`input`]). Finished reports wait for an
//! earlier one within a budget of bytes ([`reorder`]), so memory stays flat however many
//! targets come, and a target that takes the whole `--timeout` holds up nothing behind it.

mod input;
mod loops;
mod reorder;

use std::io;
use std::sync::mpsc;
use std::sync::Mutex;

use crate::limits::{self, Room};
use crate::options::Options;
use crate::probe::probe_blocking;
use crate::report::Report;
use crate::target::Target;
use input::{Event, Input, Next};
use loops::Loops;
use reorder::Reorder;

/// What the runner hands on: reports and bad lines in input order, warnings as they arise.
pub enum Outcome<R> {
    /// A finished probe, as `prepare` made it.
    Report(R),
    /// A line of the targets file that is not a target: its one-line error.
    Invalid(String),
    /// The run goes on with less than asked (fewer probes at once): one line, once.
    Warning(String),
}

/// A finished probe as the caller keeps it until its turn (e.g. rendered), and what that
/// weighs in memory.
pub trait Finished: Send {
    fn bytes(&self) -> usize;
}

/// Probe every target of `options`, calling `emit` with each outcome in input order.
/// `prepare` turns each report into what waits for its turn; it runs on the probe's thread.
/// `emit` returns false to stop early (stdout closed). Fails only when the targets file
/// cannot be opened.
///
/// First the soft open-file limit is raised, and the concurrency (and `--scan`'s) lowered to
/// what the limits leave room for ([`limits`]); a probe thread that cannot be started lowers
/// it further. Each is said once, as an [`Outcome::Warning`], when it makes a target wait.
pub fn run<R: Finished + 'static>(
    options: &mut Options,
    prepare: impl Fn(Report) -> R + Sync,
    mut emit: impl FnMut(Outcome<R>) -> bool,
) -> io::Result<()> {
    limits::raise_open_files();
    let lines = match options.targets_file.as_deref() {
        Some(path) => Some(
            crate::targets_file::open(path, options.default_port, options.probe.timeout)
                .map_err(io::Error::other)?
                .sharded(options.shard.clone()),
        ),
        None => None,
    };
    let capacity = limits::capacity(options.concurrency, options.probe.scan, Room::now());
    options.probe.scan = capacity.scan;
    if let Some(w) = capacity.scan_lowered {
        if !emit(Outcome::Warning(w)) {
            return Ok(());
        }
    }
    let mut lowered = capacity.workers_lowered;
    let options = &*options;
    let mut input = Input::new(options.targets.clone(), lines);
    let (job_tx, job_rx) = mpsc::channel::<(usize, Target)>();
    let job_rx = Mutex::new(job_rx);
    // A target's reports: one, or one for each address (`--all-addresses`).
    let (event_tx, event_rx) = mpsc::channel::<Event<Vec<R>>>();
    let prepare = &prepare;
    let finish = move |target: &Target| -> Vec<R> {
        probe_blocking(target, &options.probe)
            .into_iter()
            .map(prepare)
            .collect()
    };
    let prepare_dyn: &(dyn Fn(Report) -> R + Sync) = prepare;
    // Probes share threads on event loops when every wait of theirs is an `.await`: one
    // loop per core ([`loops`]); otherwise each probe has a thread.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let loop_mode = options.probe.loop_safe() && capacity.workers > 1;

    std::thread::scope(|scope| {
        let mut workers = 0usize;
        // Probes at once: the capacity, or fewer once a thread could not be started.
        let mut limit = capacity.workers;
        let mut spawn_failed = false;
        let mut reorder: Reorder<Vec<Outcome<R>>> = Reorder::new();
        let mut loops: Option<Loops> = None;
        let mut loops_failed = false;
        let mut outstanding = 0usize;
        // The next entry's number; the entry read but not yet started; a line being read.
        let mut numbered = 0usize;
        let mut waiting: Option<(usize, Target)> = None;
        let mut asked = false;
        'feed: loop {
            while !reorder.full() {
                if waiting.is_none() && !asked {
                    let entry = match input.next(&event_tx) {
                        Next::Entry(entry) => entry,
                        Next::Asked => {
                            asked = true;
                            break;
                        }
                        Next::End => break,
                    };
                    let i = numbered;
                    numbered += 1;
                    match entry {
                        Ok(target) => waiting = Some((i, target)),
                        Err(message) => {
                            let bytes = message.len();
                            reorder.insert(i, vec![Outcome::Invalid(message)], bytes);
                            continue;
                        }
                    }
                }
                let Some((i, target)) = waiting.take() else {
                    break;
                };
                if outstanding >= limit {
                    if outstanding >= capacity.workers {
                        if let Some(w) = lowered.take() {
                            if !emit(Outcome::Warning(w)) {
                                break 'feed;
                            }
                        }
                    }
                    waiting = Some((i, target));
                    break;
                }
                // The last target with nothing else running (one target on the command
                // line) is probed here: a thread would only add its start-up.
                let alone = outstanding == 0 && workers == 0 && input.exhausted();
                let mut target = target;
                if loop_mode && !alone && !loops_failed {
                    if loops.is_none() {
                        match Loops::start(
                            scope,
                            cores.min(limit),
                            &options.probe,
                            prepare_dyn,
                            &event_tx,
                        ) {
                            Ok(l) => loops = Some(l),
                            // Threads, then, as without the loops.
                            Err(_) => loops_failed = true,
                        }
                    }
                    if let Some(l) = &mut loops {
                        match l.send(i, target) {
                            Ok(()) => {
                                outstanding += 1;
                                continue;
                            }
                            Err(back) => {
                                target = back;
                                loops_failed = true;
                            }
                        }
                    }
                }
                if outstanding >= workers && workers < limit && !alone {
                    let event_tx = event_tx.clone();
                    let job_rx = &job_rx;
                    let finish = &finish;
                    let started = crate::threads::builder(format!("probe-{workers}")).spawn_scoped(
                        scope,
                        move || loop {
                            let job = job_rx.lock().map(|rx| rx.recv());
                            let Ok(Ok((i, target))) = job else { return };
                            if event_tx.send(Event::Done(i, finish(&target))).is_err() {
                                return;
                            }
                        },
                    );
                    match started {
                        Ok(_) => workers += 1,
                        Err(e) => {
                            limit = workers.max(1);
                            if !spawn_failed {
                                spawn_failed = true;
                                let w = match workers {
                                    0 => format!("cannot start a probe thread ({e}): probing one target at a time"),
                                    n => format!("cannot start more than {n} probe threads ({e}): probing {n} at a time"),
                                };
                                if !emit(Outcome::Warning(w)) {
                                    break 'feed;
                                }
                            }
                        }
                    }
                }
                if workers == 0 {
                    // Alone, or not even one thread: probe here, one at a time.
                    let finished = finish(&target);
                    let bytes = finished.iter().map(Finished::bytes).sum();
                    reorder.insert(
                        i,
                        finished.into_iter().map(Outcome::Report).collect(),
                        bytes,
                    );
                    continue;
                }
                if job_tx.send((i, target)).is_err() {
                    break 'feed;
                }
                outstanding += 1;
            }
            while let Some(outcomes) = reorder.pop() {
                for outcome in outcomes {
                    if !emit(outcome) {
                        break 'feed;
                    }
                }
            }
            if outstanding == 0 && !asked {
                if waiting.is_none() && input.exhausted() {
                    break 'feed;
                }
                continue;
            }
            // Whichever comes first: a probe done, or the next line.
            match event_rx.recv() {
                Ok(Event::Done(i, finished)) => {
                    outstanding -= 1;
                    if let Some(l) = &mut loops {
                        l.done(i);
                    }
                    let bytes = finished.iter().map(Finished::bytes).sum();
                    reorder.insert(
                        i,
                        finished.into_iter().map(Outcome::Report).collect(),
                        bytes,
                    );
                }
                Ok(Event::Line(Some(entry))) => {
                    asked = false;
                    let i = numbered;
                    numbered += 1;
                    match entry {
                        Ok(target) => waiting = Some((i, target)),
                        Err(message) => {
                            let bytes = message.len();
                            reorder.insert(i, vec![Outcome::Invalid(message)], bytes);
                        }
                    }
                }
                Ok(Event::Line(None)) => {
                    asked = false;
                    input.ended();
                }
                Err(_) => break 'feed,
            }
        }
        // No more jobs: the workers and loops finish what they hold and return, and the scope
        // ends.
        drop(job_tx);
        drop(loops);
    });
    Ok(())
}
