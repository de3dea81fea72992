//! Probes on event loops: one thread per core, each driving many probes at once as futures
//! ([`crate::event_loop`]), for settings under which every wait of a probe is an `.await`
//! ([`ProbeSettings::loop_safe`]). A probe waiting on the network then holds its own state and
//! nothing else: no thread, no stack, no allocator cache of its own; and the cores switch
//! between probes without the kernel switching between threads.
//!
//! The runner hands each target to the loop with the fewest probes; a loop takes them in
//! whenever it wakes (the runner pokes it), and sends each report back as the threads did.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::Scope;

use super::input::Event;
use crate::event_loop::{Job, Offload, Poke, Tasks};
use crate::probe::{probe_each, unprobed, ProbeSettings};
use crate::report::Report;
use crate::target::Target;

/// Targets handed to one loop, not yet taken in; and whether more may come.
#[derive(Default)]
struct Intake {
    jobs: VecDeque<(usize, Target)>,
    closed: bool,
    /// The loop stopped (it could not wait on its sockets) and takes no more.
    dead: bool,
}

struct Handle {
    intake: Arc<Mutex<Intake>>,
    poke: Poke,
    in_flight: usize,
}

/// The loops of a run.
pub struct Loops {
    loops: Vec<Handle>,
    /// Which loop each target in flight went to.
    placed: HashMap<usize, usize>,
}

impl Loops {
    /// Start up to `n` loops in `scope` (at least one, or an error). Each report is made with
    /// `prepare` on its loop's thread and sent on `events`.
    pub fn start<'scope, 'env, R: Send + 'env>(
        scope: &'scope Scope<'scope, 'env>,
        n: usize,
        settings: &'env ProbeSettings,
        prepare: &'env (dyn Fn(Report) -> R + Sync),
        events: &Sender<Event<Vec<R>>>,
    ) -> io::Result<Loops> {
        let mut loops = Vec::new();
        let mut failed = None;
        for k in 0..n.max(1) {
            let intake = Arc::new(Mutex::new(Intake::default()));
            let (ready_tx, ready_rx) = mpsc::channel::<io::Result<Poke>>();
            let theirs = intake.clone();
            let events = events.clone();
            let started =
                crate::threads::builder(format!("loop-{k}")).spawn_scoped(scope, move || {
                    serve(scope, &theirs, settings, prepare, &events, &ready_tx);
                });
            let poke = match started.map(|_| ready_rx.recv()) {
                Ok(Ok(Ok(poke))) => poke,
                Ok(Ok(Err(e))) | Err(e) => {
                    failed = Some(e);
                    break;
                }
                Ok(Err(_)) => break,
            };
            loops.push(Handle {
                intake,
                poke,
                in_flight: 0,
            });
        }
        match (loops.is_empty(), failed) {
            (true, Some(e)) => Err(e),
            (true, None) => Err(io::Error::other("no event loop started")),
            _ => Ok(Loops {
                loops,
                placed: HashMap::new(),
            }),
        }
    }

    /// Hand target number `i` to the loop with the fewest in flight; given back when every
    /// loop has stopped.
    pub fn send(&mut self, i: usize, target: Target) -> Result<(), Target> {
        let mut order: Vec<usize> = (0..self.loops.len()).collect();
        order.sort_by_key(|&k| self.loops[k].in_flight);
        for k in order {
            let handle = &mut self.loops[k];
            let mut intake = lock(&handle.intake);
            if intake.dead {
                continue;
            }
            intake.jobs.push_back((i, target));
            drop(intake);
            handle.in_flight += 1;
            self.placed.insert(i, k);
            handle.poke.wake();
            return Ok(());
        }
        Err(target)
    }

    /// Target number `i` is done.
    pub fn done(&mut self, i: usize) {
        if let Some(k) = self.placed.remove(&i) {
            if let Some(h) = self.loops.get_mut(k) {
                h.in_flight = h.in_flight.saturating_sub(1);
            }
        }
    }

    /// No more targets: each loop finishes those it has, then its thread ends.
    pub fn close(&self) {
        for h in &self.loops {
            lock(&h.intake).closed = true;
            h.poke.wake();
        }
    }
}

impl Drop for Loops {
    fn drop(&mut self) {
        self.close();
    }
}

fn lock(intake: &Mutex<Intake>) -> std::sync::MutexGuard<'_, Intake> {
    intake.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One loop's thread: take targets in as they come, drive their probes, until the intake is
/// closed and every probe is done.
fn serve<'scope, 'env, R: Send + 'env>(
    scope: &'scope Scope<'scope, 'env>,
    intake: &Mutex<Intake>,
    settings: &'env ProbeSettings,
    prepare: &'env (dyn Fn(Report) -> R + Sync),
    events: &Sender<Event<Vec<R>>>,
    ready: &Sender<io::Result<Poke>>,
) {
    // A diagnosis that blocks gets a thread of its own (or, when none can be started, runs
    // on this one: Offload::run).
    let spawn = |job: Job<'scope>| {
        let _ = crate::threads::builder("diagnosis".into()).spawn_scoped(scope, job);
    };
    let offload = Offload(&spawn);
    // The targets in flight, for the reports owed should this thread stop waiting.
    let live: RefCell<HashMap<usize, Target>> = RefCell::default();
    let mut tasks = match Tasks::new() {
        Ok(t) => t,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    if ready.send(Ok(tasks.poke())).is_err() {
        return;
    }
    loop {
        let (jobs, closed) = {
            let mut intake = lock(intake);
            (std::mem::take(&mut intake.jobs), intake.closed)
        };
        for (i, target) in jobs {
            let events = events.clone();
            live.borrow_mut().insert(i, target.clone());
            let live = &live;
            tasks.spawn(async move {
                let reports = probe_each(&target, settings, offload).await;
                live.borrow_mut().remove(&i);
                let _ = events.send(Event::Done(i, reports.into_iter().map(prepare).collect()));
            });
        }
        if closed && tasks.live() == 0 {
            return;
        }
        if let Err(e) = tasks.run(true) {
            // This thread can no longer wait on its sockets (epoll_wait failed): the probes it
            // holds end here, each reported as a local error, and it takes no more.
            drop(tasks);
            let mut owed: Vec<(usize, Target)> = live.take().into_iter().collect();
            {
                let mut intake = lock(intake);
                intake.dead = true;
                owed.extend(intake.jobs.drain(..));
            }
            for (i, target) in owed {
                let _ = events.send(Event::Done(
                    i,
                    vec![prepare(unprobed(&target, settings, &e))],
                ));
            }
            return;
        }
    }
}
