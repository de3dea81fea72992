//! The preamble's protocol greeted again over TLS, when the server asked for a client
//! certificate we did not have: an SMTP or LMTP server (Postfix with `smtpd_tls_req_ccert`)
//! completes the handshake and says it refuses only in answer to the next command, the EHLO
//! that RFC 3207 has the client send again. Sent only over a trusted chain (or `--insecure`).

use std::net::TcpStream;
use std::time::Duration;

use rustls::ClientConnection;

use crate::deadline::Deadline;
use crate::net::starttls::{self, Protocol};
use crate::record::Recorder;
use crate::tls::{self, DriveError};

/// How long the server has to answer the greeting.
const ANSWER_WITHIN: Duration = Duration::from_secs(1);

/// Greet again and read the first line of the answer: a refusal (4xx, 5xx) is
/// [`DriveError::Refused`]; an acceptance, silence, or a protocol without a greeting to repeat
/// is `Ok`.
pub(super) async fn run(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    protocol: Protocol,
    name: &str,
    deadline: Deadline,
) -> Result<(), DriveError> {
    let hello = match protocol {
        Protocol::Smtp => "EHLO",
        Protocol::Lmtp => "LHLO",
        _ => return Ok(()),
    };
    let command = format!("{hello} {}\r\n", starttls::hello_name(name));
    let (answer, error) = tls::exchange(
        conn,
        io,
        command.as_bytes(),
        4096,
        |got| got.contains(&b'\n'),
        deadline.capped(ANSWER_WITHIN),
    )
    .await;
    let line = answer.split(|&b| b == b'\n').next().unwrap_or_default();
    if matches!(line.first(), Some(b'4' | b'5')) {
        return Err(DriveError::Refused(starttls::quote(line)));
    }
    match error {
        None | Some(DriveError::Timeout) => Ok(()),
        Some(e) => Err(e),
    }
}
