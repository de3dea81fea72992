//! Pure TLS parsing: records, handshake messages, alerts and IANA names. No I/O; every function
//! takes bytes and returns values, and none panics on any input (the `robustness` tests feed
//! them random and mutated bytes). It knows nothing of the report: its messages hold
//! [`code_points`] (`CipherSuite`, `NamedGroup`, ...), which print their IANA names, and
//! [`crate::transcript`] turns them into the report's fields.
//!
//! [`codec`] writes what [`reader::Reader`] reads (the raw ClientHellos of [`crate::scan`] are
//! built with it).
//!
//! Layers, bottom up: [`record::split`] cuts a direction's bytes into records;
//! [`reassembly::Reassembler`] joins handshake fragments into messages;
//! [`handshake::parse_message`] reads a message's fields, with the state
//! ([`handshake::Context`]) later messages depend on; [`alert::alerts`] reads alert records.
//! [`crate::transcript`] drives them over a recorded connection.

pub mod alert;
mod auth;
pub mod code_points;
pub mod codec;
pub mod error;
pub mod first_flight;
pub mod handshake;
mod hello;
pub mod key_exchange;
pub mod names;
pub mod reader;
pub mod reassembly;
pub mod record;
#[cfg(test)]
pub(crate) mod robustness;
pub mod suites;

pub use auth::{UNPARSEABLE_CERTIFICATE, UNPARSEABLE_NAME};
pub use error::Error;
