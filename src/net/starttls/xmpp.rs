//! XMPP (RFC 6120 section 5): open a stream, find `<starttls/>` among the features, ask for it,
//! and wait for `<proceed/>`.

use std::net::TcpStream;

use super::io::{read_byte, send};
use super::{quote, Refused};
use crate::deadline::Deadline;

const MAX_REPLY: usize = 64 * 1024;

pub(super) fn xmpp(stream: &mut TcpStream, host: &str, deadline: Deadline) -> Result<(), Refused> {
    let header = format!(
        "<?xml version='1.0'?><stream:stream to='{host}' xmlns='jabber:client' \
         xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"
    );
    send(stream, header.as_bytes(), deadline)?;
    let features = read_until(
        stream,
        &[b"</stream:features>", b"<stream:features/>"],
        deadline,
    )?;
    if !contains(&features, b"<starttls") {
        return Err(Refused(
            "the server does not offer STARTTLS (no <starttls/> among its stream features)".into(),
        ));
    }
    send(
        stream,
        b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        deadline,
    )?;
    let answer = read_until(stream, &[b"<proceed", b"<failure"], deadline)?;
    if contains(&answer, b"<proceed") {
        // The element ends with "/>" or "></proceed>": read up to its end, no further.
        if !answer.ends_with(b"/>") && !answer.ends_with(b"</proceed>") {
            read_until(stream, &[b"/>", b"</proceed>"], deadline)?;
        }
        Ok(())
    } else {
        Err(Refused(format!(
            "the server refused STARTTLS: {}",
            quote(&answer)
        )))
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Read byte by byte until one of `ends` appears (not past it: TLS follows).
fn read_until(
    stream: &mut TcpStream,
    ends: &[&[u8]],
    deadline: Deadline,
) -> Result<Vec<u8>, Refused> {
    let mut got = Vec::new();
    loop {
        match read_byte(stream, deadline)? {
            Some(b) => got.push(b),
            None => {
                return Err(Refused(format!(
                    "the server closed the stream after {}",
                    quote(&got)
                )))
            }
        }
        if ends.iter().any(|e| got.ends_with(e)) {
            return Ok(got);
        }
        if got.len() > MAX_REPLY {
            return Err(Refused("the server's stream header is too long".into()));
        }
    }
}
