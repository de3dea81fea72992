//! Raw ClientHellos of our own, for what rustls cannot ask: which protocol versions (down to
//! SSL 3.0) and which cipher suites (CBC, RSA key exchange, ...) a server accepts. Used to
//! explain a failed handshake now, and by the scan mode later.

pub mod accepted;
pub mod asker;
pub mod client_hello;
pub mod features;
pub mod heartbeat;
pub mod renegotiation;
pub mod server_answer;
pub mod sslv2;
pub mod survey;
