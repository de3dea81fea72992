//! Pure TLS parsing: records, handshake messages and IANA names. No I/O; every function takes
//! bytes and returns values, and none panics on any input.

mod auth;
pub mod handshake;
mod hello;
pub mod names;
pub mod reader;
pub mod record;
