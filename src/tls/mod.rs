//! The rustls side of a probe: a client configuration whose certificate verifier records the
//! chain instead of judging it, and a driver that runs the handshake over the recording
//! transport within the probe's deadline.

mod capture;
mod client_auth;
mod config;
mod drive;
pub mod kx_signature;
mod pss_schemes;

pub use capture::{Captured, SignatureCheck};
pub use config::{client_config, ClientCert, ConfigError, Offer, ProbeConfig};
pub use drive::{await_verdict, drive_handshake, exchange, finish, DriveError};
pub use pss_schemes::SCHEMES as RSA_PSS_PSS_SCHEMES;
