//! The SCTs a server delivers in the TLS `signed_certificate_timestamp` extension (RFC 6962
//! section 3.3.1), which rustls's client has no way to ask for: a TLS 1.2 ClientHello of our
//! own that asks, on a connection reached as the probe's was (directly, through `--proxy`,
//! after the STARTTLS preamble), the ServerHello's extension read, then a polite goodbye.
//!
//! Made only when the SCTs matter: with `--ct-log-list`, or when the chain would otherwise be
//! said to fall short of the CT policies. A server that speaks only TLS 1.3 delivers them in
//! its encrypted Certificate message instead, out of our reach: none are read then.

use std::io::Write;

use super::first_flight::{goodbye, mainstream_suites};
use super::ProbeSettings;
use crate::deadline::Deadline;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::scan::client_hello::{build, Extras, HelloSpec};
use crate::scan::server_answer::read_flight;
use crate::wire::code_points::ProtocolVersion;
use crate::wire::first_flight;

/// The TLS extension's SignedCertificateTimestampList, as the server sent it; `None` when it
/// could not be reached, did not answer with a TLS 1.2 ServerHello, or sent no SCTs.
pub(super) fn read(
    dialer: &Dialer,
    settings: &ProbeSettings,
    sni: Option<&str>,
    deadline: Deadline,
) -> Option<Vec<u8>> {
    let stream = dialer.open(deadline).ok()?;
    let spec = HelloSpec {
        version: ProtocolVersion::TLS1_2,
        suites: mainstream_suites(),
        sni: sni.map(str::to_string),
        random: crate::scan::asker::random(),
        groups: Vec::new(),
        status_request: false,
        sct: true,
        extras: Extras::default(),
        alpn: settings.offer.alpn.clone(),
    };
    let mut io = Recorder::new(stream);
    io.write_all(&build(&spec)).ok()?;
    let bytes = read_flight(&mut io, deadline);
    let (hello, _) = first_flight::read(&bytes).hello?;
    goodbye(&mut io, hello.version);
    (hello.version <= ProtocolVersion::TLS1_2)
        .then_some(hello.sct_list)
        .flatten()
        .filter(|list| !list.is_empty())
}
