//! Running futures: one to completion on this thread ([`block_on`]), or many side by side
//! ([`Tasks`]), polling each when its waker says so and blocking in the reactor in between.

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, ThreadId};

use super::reactor::{self, Poke};

/// The numbers of the tasks woken since they were last polled.
#[derive(Default)]
struct Woken(Mutex<Vec<usize>>);

impl Woken {
    fn push(&self, id: usize) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(id);
    }

    fn take(&self) -> Vec<usize> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

struct TaskWaker {
    id: usize,
    woken: Arc<Woken>,
    home: ThreadId,
    poke: Poke,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.push(self.id);
        // On its own thread, the loop looks at `woken` before it blocks again.
        if thread::current().id() != self.home {
            self.poke.wake();
        }
    }
}

/// Run `future` to completion on this thread. Fails only when an event loop's thread can no
/// longer wait on its sockets (`epoll_wait` fails).
pub fn block_on<F: Future>(future: F) -> io::Result<F::Output> {
    let mut future = pin!(future);
    let woken = Arc::new(Woken::default());
    let waker = Waker::from(Arc::new(TaskWaker {
        id: 0,
        woken: woken.clone(),
        home: thread::current().id(),
        poke: Poke::here(),
    }));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Ok(out);
        }
        // Woken already (a wait that ended, or waits a slice at a time), or wait for it.
        // A wake from another thread after this look pokes the turn; one before is seen.
        while woken.take().is_empty() {
            reactor::turn()?;
        }
    }
}

type Task<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

/// Many futures on this thread, each polled when woken.
pub struct Tasks<'a> {
    slots: Vec<Option<(Task<'a>, Waker)>>,
    free: Vec<usize>,
    woken: Arc<Woken>,
    poke: Poke,
    live: usize,
}

impl<'a> Tasks<'a> {
    /// Many futures on this thread, which keeps its reactor from now on. Fails when the
    /// reactor cannot be made (no file descriptor for it).
    pub fn new() -> io::Result<Tasks<'a>> {
        reactor::keep()?;
        Ok(Tasks {
            slots: Vec::new(),
            free: Vec::new(),
            woken: Arc::new(Woken::default()),
            poke: Poke::here(),
            live: 0,
        })
    }

    /// What wakes this thread from another (to hand it more work).
    pub fn poke(&self) -> Poke {
        self.poke.clone()
    }

    /// Futures not yet finished.
    pub fn live(&self) -> usize {
        self.live
    }

    /// Add a future; it is first polled by the next [`Tasks::run`].
    pub fn spawn(&mut self, future: impl Future<Output = ()> + 'a) {
        let id = self.free.pop().unwrap_or(self.slots.len());
        let waker = Waker::from(Arc::new(TaskWaker {
            id,
            woken: self.woken.clone(),
            home: thread::current().id(),
            poke: self.poke.clone(),
        }));
        let task = Some((Box::pin(future) as Task<'a>, waker));
        match self.slots.get_mut(id) {
            Some(slot) => *slot = task,
            None => self.slots.push(task),
        }
        self.live += 1;
        self.woken.push(id);
    }

    /// Poll every woken future until none is; then block in the reactor until something
    /// happens, unless `wait` is false or a future finished (the caller may have more to do,
    /// or nothing left to wait for).
    pub fn run(&mut self, wait: bool) -> io::Result<()> {
        let mut finished = false;
        loop {
            let woken = self.woken.take();
            if woken.is_empty() {
                break;
            }
            for id in woken {
                // A wake for a task that has finished (its number may be reused) is harmless:
                // futures are polled again only to look.
                let Some(Some((task, waker))) = self.slots.get_mut(id) else {
                    continue;
                };
                let waker = waker.clone();
                if task
                    .as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_ready()
                {
                    self.slots[id] = None;
                    self.free.push(id);
                    self.live -= 1;
                    finished = true;
                }
            }
        }
        if wait && !finished {
            reactor::turn()?;
        }
        Ok(())
    }
}
