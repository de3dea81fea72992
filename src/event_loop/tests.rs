use std::cell::RefCell;
use std::io::{self, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use super::*;
use crate::deadline::Deadline;

#[test]
fn many_futures_on_one_thread_each_go_on_when_their_socket_is_ready() {
    let pairs: Vec<(UnixStream, UnixStream)> =
        (0..50).map(|_| UnixStream::pair().unwrap()).collect();
    let finished = RefCell::new(Vec::new());
    let mut tasks = Tasks::new().unwrap();
    let deadline = Deadline::after(Duration::from_secs(10));
    for (i, (ours, _)) in pairs.iter().enumerate() {
        let finished = &finished;
        tasks.spawn(async move {
            readable(ours, deadline).await.unwrap();
            finished.borrow_mut().push(i);
        });
    }
    // Made ready in reverse order, from another thread, each only once the one before is
    // done here: each future finished when its own socket was ready, not in spawn order.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        let theirs: Vec<&UnixStream> = pairs.iter().map(|(_, t)| t).collect();
        s.spawn(move || {
            for t in theirs.into_iter().rev() {
                (&*t).write_all(b"x").unwrap();
                if rx.recv().is_err() {
                    return;
                }
            }
        });
        let mut seen = 0;
        while tasks.live() > 0 {
            tasks.run(false).unwrap();
            if seen < finished.borrow().len() {
                seen += 1;
                let _ = tx.send(());
                continue;
            }
            // Nothing woken is left to poll: block until a socket is ready.
            tasks.run(true).unwrap();
        }
        drop(tx);
    });
    let expected: Vec<usize> = (0..50).rev().collect();
    assert_eq!(*finished.borrow(), expected);
}

#[test]
fn a_wait_ends_at_its_deadline_and_not_before() {
    let (ours, _theirs) = UnixStream::pair().unwrap();
    let started = Instant::now();
    let deadline = Deadline::after(Duration::from_millis(80));
    let r = block_on(readable(&ours, deadline)).unwrap();
    let waited = started.elapsed();
    assert_eq!(r.unwrap_err().kind(), io::ErrorKind::TimedOut);
    assert!(waited >= Duration::from_millis(80), "{waited:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}

#[test]
fn timers_fire_in_their_order() {
    let order = RefCell::new(Vec::new());
    let mut tasks = Tasks::new().unwrap();
    let t0 = Instant::now();
    for ms in [60u64, 20, 40] {
        let order = &order;
        tasks.spawn(async move {
            sleep_until(t0 + Duration::from_millis(ms)).await;
            assert!(t0.elapsed() >= Duration::from_millis(ms));
            order.borrow_mut().push(ms);
        });
    }
    while tasks.live() > 0 {
        tasks.run(true).unwrap();
    }
    assert_eq!(*order.borrow(), [20, 40, 60]);
}

#[test]
fn a_value_from_another_thread_wakes_the_waiting_future() {
    let (tx, rx) = oneshot();
    let got = std::thread::scope(|s| {
        s.spawn(move || tx.send(42));
        block_on(rx).unwrap()
    });
    assert_eq!(got, Some(42));
    // A sender dropped without a value says so.
    let (tx, rx) = oneshot::<u8>();
    drop(tx);
    assert_eq!(block_on(rx).unwrap(), None);
    // And the deadline bounds the wait.
    let (_tx, rx) = oneshot::<u8>();
    let until = Instant::now() + Duration::from_millis(30);
    assert_eq!(block_on(before(until, rx)).unwrap(), None);
}

#[test]
fn offloaded_work_runs_inline_or_on_a_thread_and_comes_back() {
    let here = std::thread::current().id();
    let ran_on = block_on(inline().run(|| std::thread::current().id())).unwrap();
    assert_eq!(ran_on, here);
    let ran_on = std::thread::scope(|s| {
        let spawn = on_threads(s);
        block_on(Offload(&spawn).run(|| std::thread::current().id())).unwrap()
    });
    assert_ne!(ran_on, here);
    // Where no thread can be started, the job runs here after all.
    let refuse = |job: Job<'_>| drop(job);
    let ran_on = block_on(Offload(&refuse).run(|| std::thread::current().id())).unwrap();
    assert_eq!(ran_on, here);
}

fn on_threads<'scope, 'env>(
    s: &'scope std::thread::Scope<'scope, 'env>,
) -> impl Fn(Job<'scope>) + Sync + use<'scope, 'env> {
    move |job| {
        s.spawn(job);
    }
}

#[test]
fn a_thread_of_its_own_sees_its_socket_ready_while_it_waits() {
    let (ours, theirs) = UnixStream::pair().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            // Written only once the wait has begun.
            if rx.recv().is_ok() {
                (&theirs).write_all(b"x").unwrap();
            }
        });
        let started = Instant::now();
        let waited = block_on(async {
            let wait = readable(&ours, Deadline::after(Duration::from_secs(10)));
            tx.send(()).unwrap();
            wait.await
        });
        waited.unwrap().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
    });
}
