//! Through an HTTP proxy: `CONNECT host:port`, with Basic authentication when given.

use std::io::{Read, Write};
use std::net::TcpStream;

use super::starttls::quote;
use super::NetError;
use crate::deadline::Deadline;
use crate::report::ErrorKind;

/// `--proxy [http://][user:password@]host:port`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    pub host: String,
    pub port: u16,
    pub credentials: Option<(String, String)>,
}

impl Proxy {
    pub fn parse(s: &str) -> Result<Proxy, String> {
        let rest = s.strip_prefix("http://").unwrap_or(s);
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let (credentials, hostport) = match rest.rsplit_once('@') {
            Some((userinfo, hostport)) => {
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                (Some((user.to_string(), password.to_string())), hostport)
            }
            None => (None, rest),
        };
        let target = crate::target::Target::parse(hostport, 0)
            .map_err(|e| format!("invalid --proxy: {}", e.reason))?;
        if target.port == 0 {
            return Err(format!("invalid --proxy '{s}': give host:port"));
        }
        Ok(Proxy {
            host: target.host.to_string(),
            port: target.port,
            credentials,
        })
    }
}

const MAX_HEADERS: usize = 16 * 1024;

/// Ask the proxy on `stream` to open a tunnel to `host:port`.
pub fn tunnel(
    stream: &mut TcpStream,
    proxy: &Proxy,
    authority: &str,
    deadline: Deadline,
) -> Result<(), NetError> {
    let fail = |kind, message: String, hint: &str| NetError {
        kind,
        message,
        hint: Some(hint.to_string()),
    };
    let mut request =
        format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: tlsprobe\r\n");
    if let Some((user, password)) = &proxy.credentials {
        let token = data_encoding::BASE64.encode(format!("{user}:{password}").as_bytes());
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    let io = |e: std::io::Error| {
        let kind = if matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ) {
            ErrorKind::Timeout
        } else {
            ErrorKind::Proxy
        };
        fail(kind, format!("the proxy failed: {e}"), "check --proxy")
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
            .remaining()
            .ok_or_else(|| io(std::io::ErrorKind::TimedOut.into()))?;
        stream.set_read_timeout(Some(left)).map_err(io)?;
        match stream.read(&mut byte).map_err(io)? {
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
        Some(407) => Err(fail(
            ErrorKind::Proxy,
            format!("the proxy requires authentication: {}", quote(status_line)),
            "give credentials with --proxy user:password@host:port",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proxy_forms() {
        assert_eq!(
            Proxy::parse("http://u:p@proxy.example:3128/").unwrap(),
            Proxy {
                host: "proxy.example".into(),
                port: 3128,
                credentials: Some(("u".into(), "p".into()))
            }
        );
        assert_eq!(Proxy::parse("127.0.0.1:8080").unwrap().port, 8080);
        assert!(Proxy::parse("proxy.example").is_err());
        assert!(Proxy::parse("proxy.example:x").is_err());
    }
}
