//! postgres, started by the tests (see mod.rs).
