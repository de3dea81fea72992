#![forbid(unsafe_code)]
//! tlsprobe: inspect a TLS handshake end to end.
//!
//! Data flows one way: [`target`] -> [`net`] -> [`record`] (the instrumented transport, driven
//! by [`tls`]) -> [`transcript`] (pure parsing of what was recorded, with [`wire`]) ->
//! [`cert`] and [`verify`] -> [`report::Report`] -> [`render`]. [`probe`] runs that flow for
//! one target.

pub mod capture;
pub mod cert;
pub mod chain_files;
pub mod clap_error;
pub mod cli;
pub mod ct;
pub mod deadline;
pub mod decrypt;
mod der;
pub mod diagnose;
pub mod event_loop;
pub mod inspect;
pub mod keylog;
pub mod limits;
pub mod local_file;
pub mod net;
pub mod options;
pub mod pem_error;
pub mod pins;
pub mod policy;
pub mod printable;
pub mod probe;
pub mod record;
pub mod render;
pub mod report;
pub mod runner;
pub mod scan;
pub mod shard;
pub mod shortage;
pub mod stdio;
pub mod target;
pub mod targets_file;
pub mod terminal_width;
#[cfg(test)]
mod testutil;
pub mod threads;
pub mod tls;
pub mod transcript;
pub mod verify;
pub mod wire;
