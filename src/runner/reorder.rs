//! Reports back in input order. A finished probe waits here until every earlier one is out;
//! the wait is bounded in bytes and in count, not in a number of targets, so a few targets
//! that take the whole `--timeout` do not hold up the ones behind them.

use std::collections::BTreeMap;

/// At most this many bytes of finished reports wait for an earlier one.
pub const HELD_BYTES: usize = 64 << 20;

/// At most this many finished reports wait for an earlier one.
pub const HELD_COUNT: usize = 100_000;

/// Items numbered from 0, handed out in that order.
pub struct Reorder<T> {
    next: usize,
    held: BTreeMap<usize, (T, usize)>,
    bytes: usize,
}

impl<T> Reorder<T> {
    pub fn new() -> Self {
        Reorder {
            next: 0,
            held: BTreeMap::new(),
            bytes: 0,
        }
    }

    /// Keep item `i`, which weighs `bytes`, until its turn.
    pub fn insert(&mut self, i: usize, item: T, bytes: usize) {
        self.bytes += bytes;
        if let Some((_, old)) = self.held.insert(i, (item, bytes)) {
            self.bytes -= old;
        }
    }

    /// The next item in order, once it is here.
    pub fn pop(&mut self) -> Option<T> {
        let (item, bytes) = self.held.remove(&self.next)?;
        self.next += 1;
        self.bytes -= bytes;
        Some(item)
    }

    /// Whether the held items reach the budget: start no more work until the next one comes.
    pub fn full(&self) -> bool {
        self.bytes >= HELD_BYTES || self.held.len() >= HELD_COUNT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_out_in_order_whatever_the_order_in() {
        let mut r = Reorder::new();
        r.insert(2, "c", 1);
        r.insert(1, "b", 1);
        assert_eq!(r.pop(), None);
        r.insert(0, "a", 1);
        assert_eq!(
            [r.pop(), r.pop(), r.pop(), r.pop()],
            [Some("a"), Some("b"), Some("c"), None]
        );
    }

    #[test]
    fn full_at_the_byte_budget_and_free_again_once_handed_out() {
        let mut r = Reorder::new();
        r.insert(1, (), HELD_BYTES / 2);
        assert!(!r.full());
        r.insert(2, (), HELD_BYTES / 2);
        assert!(r.full());
        r.insert(0, (), 10);
        r.pop();
        r.pop();
        assert!(!r.full());
    }

    #[test]
    fn full_at_the_count_budget() {
        let mut r = Reorder::new();
        for i in 1..=HELD_COUNT {
            r.insert(i, (), 0);
        }
        assert!(r.full());
    }
}
