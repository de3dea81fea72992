//! `--send` and `--http`: application data after the handshake, only over a trusted connection
//! (or with `--insecure`).

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::time::Duration;

use rustls::ClientConnection;

use super::Exchange;
use crate::deadline::Deadline;
use crate::record::Recorder;
use crate::report::{Application, HttpAnswer};
use crate::target::Target;
use crate::tls;

/// How much of the answer is kept.
const LIMIT: usize = 64 * 1024;

/// How long to wait for an answer to `--send` when the server does not close: the exchange is
/// a courtesy, not a download.
const SEND_WAIT: Duration = Duration::from_secs(2);

/// The security headers `--http` reports, present or missing.
const SECURITY_HEADERS: [&str; 6] = [
    "strict-transport-security",
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
];

pub(super) async fn run(
    conn: &mut ClientConnection,
    io: &mut Recorder<TcpStream>,
    exchange: &Exchange,
    allowed: bool,
    target: &Target,
    deadline: Deadline,
) -> Application {
    if !allowed {
        return Application {
            sent: false,
            note: Some(
                "nothing was sent: the chain failed verification (--insecure sends anyway)".into(),
            ),
            sent_bytes: 0,
            received_bytes: 0,
            response: None,
            http: None,
        };
    }
    let (request, answer, error) = match exchange {
        Exchange::Send(data) => {
            let (answer, error) =
                tls::exchange(conn, io, data, LIMIT, |_| false, deadline.capped(SEND_WAIT)).await;
            (data.clone(), answer, error)
        }
        Exchange::Http => {
            let request = http_request(target);
            let headers_done = |b: &[u8]| b.windows(4).any(|w| w == b"\r\n\r\n");
            let (answer, error) =
                tls::exchange(conn, io, &request, LIMIT, headers_done, deadline).await;
            (request, answer, error)
        }
    };
    let note = match (error, answer.is_empty()) {
        (Some(tls::DriveError::Timeout), true) => Some("no answer before the timeout".into()),
        (Some(tls::DriveError::Timeout), false) => None,
        (Some(e), _) => Some(format!("the exchange ended early: {e}")),
        (None, true) => Some("the server closed without answering".into()),
        (None, false) => None,
    };
    Application {
        sent: true,
        note,
        sent_bytes: request.len(),
        received_bytes: answer.len(),
        response: first_line(&answer),
        http: match exchange {
            Exchange::Http => parse_http(&answer),
            Exchange::Send(_) => None,
        },
    }
}

fn http_request(target: &Target) -> Vec<u8> {
    let host = target.host.bracketed();
    let authority = if target.port == 443 {
        host
    } else {
        format!("{host}:{}", target.port)
    };
    format!(
        "GET / HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: tlsprobe/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

/// The first line of the answer as the server sent it (bytes that are not UTF-8 become U+FFFD);
/// the text renderer escapes it for the terminal, JSON carries it as it is.
fn first_line(answer: &[u8]) -> Option<String> {
    let line = answer.split(|b| *b == b'\n').next()?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    (!answer.is_empty()).then(|| String::from_utf8_lossy(line).into_owned())
}

/// The status line and security headers of an HTTP answer, if it is one: their values as the
/// server sent them, as [`first_line`].
fn parse_http(answer: &[u8]) -> Option<HttpAnswer> {
    let head_end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(answer.len());
    let head = String::from_utf8_lossy(answer.get(..head_end)?);
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?.to_string();
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let mut security_headers = BTreeMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            if SECURITY_HEADERS.contains(&name.as_str()) {
                security_headers.insert(name, value.trim().to_string());
            }
        }
    }
    let missing_security_headers = SECURITY_HEADERS
        .iter()
        .filter(|h| !security_headers.contains_key(**h))
        .map(|h| h.to_string())
        .collect();
    Some(HttpAnswer {
        status,
        status_line,
        security_headers,
        missing_security_headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status_and_security_headers() {
        let answer = b"HTTP/1.1 301 Moved\r\nStrict-Transport-Security: max-age=63072000\r\nX-Frame-Options: DENY\r\nServer: x\r\n\r\nbody";
        let h = parse_http(answer).unwrap();
        assert_eq!(h.status, 301);
        assert_eq!(h.status_line, "HTTP/1.1 301 Moved");
        assert_eq!(
            h.security_headers["strict-transport-security"],
            "max-age=63072000"
        );
        assert_eq!(h.security_headers.len(), 2);
        assert!(h
            .missing_security_headers
            .contains(&"content-security-policy".to_string()));
        assert_eq!(parse_http(b"SSH-2.0-x\r\n"), None);
        assert_eq!(first_line(b"+OK hi\r\nmore").as_deref(), Some("+OK hi"));
        assert_eq!(first_line(b""), None);
        // Values as sent: no escaping (that is the text renderer's), lossy UTF-8.
        let h = parse_http(
            "HTTP/1.1 200 caf\u{e9}\r\nContent-Security-Policy: default-src 'self' \u{1b}\r\n\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(h.status_line, "HTTP/1.1 200 caf\u{e9}");
        assert_eq!(
            h.security_headers["content-security-policy"],
            "default-src 'self' \u{1b}"
        );
        assert_eq!(first_line(b"caf\xe9\r\n").as_deref(), Some("caf\u{fffd}"));
    }

    #[test]
    fn the_request_names_the_host() {
        let t = Target::parse("example.com:8443", 443).unwrap();
        let r = String::from_utf8(http_request(&t)).unwrap();
        assert!(
            r.starts_with("GET / HTTP/1.1\r\nHost: example.com:8443\r\n"),
            "{r}"
        );
        assert!(r.ends_with("\r\n\r\n"));
    }
}
