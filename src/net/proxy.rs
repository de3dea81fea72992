//! Through an HTTP proxy: `CONNECT host:port`, with Basic authentication when given (or
//! through a SOCKS5 proxy: [`super::socks5`]).

use std::io::{Read, Write};
use std::net::TcpStream;

use super::proxy_url::{Proxy, Scheme};
use super::starttls::quote;
use super::NetError;
use crate::deadline::Deadline;
use crate::report::ErrorKind;
use crate::shortage::Shortage;

const MAX_HEADERS: usize = 16 * 1024;

/// Ask the proxy on `stream` to open a tunnel to `host:port`.
pub fn tunnel(
    stream: &mut TcpStream,
    proxy: &Proxy,
    authority: &str,
    deadline: Deadline,
) -> Result<(), NetError> {
    if proxy.scheme != Scheme::Http {
        return super::socks5::tunnel(stream, proxy, authority, deadline);
    }
    let fail = |kind, message: String, hint: &str| NetError {
        kind,
        message,
        hint: Some(hint.to_string()),
    };
    let mut request =
        format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: tlsprobe\r\n");
    if let Some(credentials) = &proxy.credentials {
        request.push_str(&format!("Proxy-Authorization: {}\r\n", credentials.basic()));
    }
    request.push_str("\r\n");
    let io = |e: std::io::Error| {
        if let Some(shortage) = Shortage::of(&e) {
            return NetError::shortage(shortage);
        }
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => fail(
                ErrorKind::Timeout,
                "the proxy did not answer CONNECT within the timeout".into(),
                "check --proxy (is it an HTTP proxy?), or raise --timeout",
            ),
            _ => fail(
                ErrorKind::Proxy,
                format!("the proxy failed: {e}"),
                "check --proxy",
            ),
        }
    };
    let left = deadline
        .remaining()
        .ok_or_else(|| io(std::io::ErrorKind::TimedOut.into()))?;
    stream.set_write_timeout(Some(left)).map_err(io)?;
    stream.write_all(request.as_bytes()).map_err(io)?;

    // Byte by byte to the end of the headers: the TLS handshake follows on this socket.
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let left = deadline
            .slice()
            .ok_or_else(|| io(std::io::ErrorKind::TimedOut.into()))?;
        stream.set_read_timeout(Some(left)).map_err(io)?;
        let read = match stream.read(&mut byte) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) && deadline.remaining().is_some() =>
            {
                continue
            }
            read => read.map_err(io)?,
        };
        match read {
            0 => {
                return Err(fail(
                    ErrorKind::Proxy,
                    "the proxy closed the connection without answering CONNECT".into(),
                    "check --proxy",
                ))
            }
            _ => head.push(byte[0]),
        }
        if head.len() > MAX_HEADERS {
            return Err(fail(
                ErrorKind::Proxy,
                "the proxy's answer to CONNECT is too long".into(),
                "check --proxy",
            ));
        }
    }
    let status_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let status = std::str::from_utf8(status_line)
        .ok()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse::<u16>().ok());
    match status {
        Some(200..=299) => Ok(()),
        Some(407) if proxy.credentials.is_some() => Err(fail(
            ErrorKind::Proxy,
            format!(
                "the proxy refused the credentials given: {}",
                quote(status_line)
            ),
            "check the user and password (--proxy-user, TLSPROBE_PROXY_USER)",
        )),
        Some(407) => Err(fail(
            ErrorKind::Proxy,
            format!("the proxy requires authentication: {}", quote(status_line)),
            "give credentials with --proxy-user user:password, or in TLSPROBE_PROXY_USER",
        )),
        _ => Err(fail(
            ErrorKind::Proxy,
            format!(
                "the proxy refused CONNECT {authority}: {}",
                quote(status_line)
            ),
            "check that the proxy allows tunnels to this host and port",
        )),
    }
}
