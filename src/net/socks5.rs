//! Through a SOCKS5 proxy (RFC 1928), with username/password authentication (RFC 1929) when
//! credentials are given. `socks5://` sends the target's address (resolved by the caller), `socks5h://`
//! its name (the proxy resolves it). The messages are built and parsed by pure functions; the
//! exchange reads exactly the bytes each answer holds (at most [`MAX_REPLY`]), within the
//! deadline.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};

use super::proxy_url::{Credentials, Proxy, Scheme};
use super::starttls::quote;
use super::NetError;
use crate::deadline::Deadline;
use crate::report::ErrorKind;
use crate::shortage::Shortage;
use crate::target::{Host, Target};

/// The longest answer a SOCKS5 proxy sends: the reply to CONNECT with a 255-byte name.
pub const MAX_REPLY: usize = 4 + 1 + 255 + 2;

const VERSION: u8 = 5;
const NO_AUTH: u8 = 0;
const USER_PASSWORD: u8 = 2;

/// Where the proxy is asked to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Ip(IpAddr),
    Name(String),
}

/// The method negotiation: no authentication, and user/password when there are credentials.
pub fn greeting(with_credentials: bool) -> Vec<u8> {
    if with_credentials {
        vec![VERSION, 2, NO_AUTH, USER_PASSWORD]
    } else {
        vec![VERSION, 1, NO_AUTH]
    }
}

/// What went wrong talking to the proxy, before its words are put into a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The first byte of an answer was not SOCKS version 5: not a SOCKS5 proxy.
    NotSocks5(Vec<u8>),
    /// No method offered was acceptable (0xFF), or it chose one not offered.
    NoMethod {
        chose: u8,
        offered_credentials: bool,
    },
    /// User/password authentication failed (RFC 1929 status not 0).
    AuthRefused,
    /// A user or password longer than the 255 bytes RFC 1929 allows, or a name too long.
    TooLong(&'static str),
    /// The reply to CONNECT: a failure code (1 to 255).
    Reply(u8),
    /// The reply's address type is none of 1, 3, 4.
    BadAddressType(u8),
}

/// The method the proxy chose, from its two-byte answer.
pub fn chosen_method(answer: [u8; 2], offered_credentials: bool) -> Result<u8, Refusal> {
    if answer[0] != VERSION {
        return Err(Refusal::NotSocks5(answer.to_vec()));
    }
    match answer[1] {
        NO_AUTH => Ok(NO_AUTH),
        USER_PASSWORD if offered_credentials => Ok(USER_PASSWORD),
        chose => Err(Refusal::NoMethod {
            chose,
            offered_credentials,
        }),
    }
}

/// RFC 1929's request: version 1, the user, the password.
pub fn auth_request(user: &str, password: &str) -> Result<Vec<u8>, Refusal> {
    let (u, p) = (user.as_bytes(), password.as_bytes());
    if u.len() > 255 {
        return Err(Refusal::TooLong("user"));
    }
    if p.len() > 255 {
        return Err(Refusal::TooLong("password"));
    }
    let mut out = vec![1, u.len() as u8];
    out.extend_from_slice(u);
    out.push(p.len() as u8);
    out.extend_from_slice(p);
    Ok(out)
}

/// RFC 1929's answer: status 0 is success (the version byte is not checked: proxies differ).
pub fn auth_answer(answer: [u8; 2]) -> Result<(), Refusal> {
    match answer[1] {
        0 => Ok(()),
        _ => Err(Refusal::AuthRefused),
    }
}

/// CONNECT to `destination`:`port` (ATYP 1 for IPv4, 4 for IPv6, 3 for a name).
pub fn connect_request(destination: &Destination, port: u16) -> Result<Vec<u8>, Refusal> {
    let mut out = vec![VERSION, 1, 0];
    match destination {
        Destination::Ip(IpAddr::V4(ip)) => {
            out.push(1);
            out.extend_from_slice(&ip.octets());
        }
        Destination::Ip(IpAddr::V6(ip)) => {
            out.push(4);
            out.extend_from_slice(&ip.octets());
        }
        Destination::Name(name) => {
            if name.len() > 255 {
                return Err(Refusal::TooLong("target name"));
            }
            out.push(3);
            out.push(name.len() as u8);
            out.extend_from_slice(name.as_bytes());
        }
    }
    out.extend_from_slice(&port.to_be_bytes());
    Ok(out)
}

/// The first four bytes of the reply to CONNECT, VER REP RSV ATYP: how many bytes of the bound
/// address and port follow (for ATYP 3, after the one length byte, which this counts as 1 and
/// the caller reads first).
pub fn reply_head(head: [u8; 4]) -> Result<ReplyRest, Refusal> {
    if head[0] != VERSION {
        return Err(Refusal::NotSocks5(head.to_vec()));
    }
    if head[1] != 0 {
        return Err(Refusal::Reply(head[1]));
    }
    match head[3] {
        1 => Ok(ReplyRest::Fixed(4 + 2)),
        4 => Ok(ReplyRest::Fixed(16 + 2)),
        3 => Ok(ReplyRest::NameThenPort),
        other => Err(Refusal::BadAddressType(other)),
    }
}

/// What follows a successful reply's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyRest {
    /// This many bytes (address and port).
    Fixed(usize),
    /// A length byte, that many bytes of name, two of port.
    NameThenPort,
}

/// A CONNECT reply code's error kind and words (RFC 1928 section 6).
pub fn reply_meaning(code: u8) -> (ErrorKind, &'static str) {
    match code {
        1 => (ErrorKind::Other, "general SOCKS server failure"),
        2 => (ErrorKind::Other, "connection not allowed by ruleset"),
        3 => (ErrorKind::Unreachable, "network unreachable"),
        4 => (ErrorKind::Unreachable, "host unreachable"),
        5 => (
            ErrorKind::ConnectionRefused,
            "connection refused by the destination",
        ),
        6 => (ErrorKind::Timeout, "TTL expired"),
        7 => (ErrorKind::Other, "command not supported"),
        8 => (ErrorKind::Other, "address type not supported"),
        _ => (ErrorKind::Other, "an unassigned failure code"),
    }
}

/// The refusal as the one-line error the probe reports.
pub fn describe(refusal: &Refusal, proxy: &str, authority: &str) -> NetError {
    let error = |kind, message: String, hint: &str| NetError {
        kind,
        message,
        hint: Some(hint.to_string()),
    };
    match refusal {
        Refusal::NotSocks5(bytes) => error(
            ErrorKind::Proxy,
            format!(
                "{proxy} does not speak SOCKS5: its answer began {} (hex {}), not version 5",
                quote(bytes),
                data_encoding::HEXLOWER.encode(bytes)
            ),
            "check --proxy: is it a SOCKS5 proxy? (http:// for an HTTP proxy)",
        ),
        Refusal::NoMethod {
            offered_credentials: false,
            ..
        } => error(
            ErrorKind::Proxy,
            format!("the SOCKS5 proxy {proxy} requires authentication"),
            "give credentials with --proxy-user user:password, or in TLSPROBE_PROXY_USER",
        ),
        Refusal::NoMethod { chose, .. } => error(
            ErrorKind::Proxy,
            format!(
                "the SOCKS5 proxy {proxy} accepts neither no authentication nor user/password (it chose method {chose})"
            ),
            "check --proxy",
        ),
        Refusal::AuthRefused => error(
            ErrorKind::Proxy,
            format!("the SOCKS5 proxy {proxy} refused the user and password given"),
            "check the user and password (--proxy-user, TLSPROBE_PROXY_USER)",
        ),
        Refusal::TooLong(what) => error(
            ErrorKind::Other,
            format!("the {what} is longer than the 255 bytes SOCKS5 allows"),
            "give a shorter one",
        ),
        Refusal::Reply(code) => {
            let (kind, words) = reply_meaning(*code);
            error(
                kind,
                format!("the SOCKS5 proxy {proxy} says: {words} (reply {code}, CONNECT {authority})"),
                "check that the proxy can reach this host and port",
            )
        }
        Refusal::BadAddressType(atyp) => error(
            ErrorKind::Proxy,
            format!("the SOCKS5 proxy {proxy} answered with an unknown address type {atyp}"),
            "check --proxy",
        ),
    }
}

/// Ask the SOCKS5 proxy on `stream` to connect to `authority` (`host:port`; for `socks5://`,
/// an address: [`Proxy::resolves_here`]).
pub fn tunnel(
    stream: &mut TcpStream,
    proxy: &Proxy,
    authority: &str,
    deadline: Deadline,
) -> Result<(), NetError> {
    let shown = proxy.address();
    let target = Target::parse(authority, 0).map_err(|e| NetError {
        kind: ErrorKind::Other,
        message: e.to_string(),
        hint: None,
    })?;
    let destination = match (&target.host, proxy.scheme) {
        (Host::Ip(ip), _) => Destination::Ip(*ip),
        (Host::Name(name), Scheme::Socks5h) => Destination::Name(name.clone()),
        // The caller resolves the name for socks5:// (with -4/-6).
        (Host::Name(name), _) => {
            return Err(NetError {
                kind: ErrorKind::Local,
                message: format!(
                    "{name} must be resolved before a socks5:// proxy is asked for it"
                ),
                hint: None,
            })
        }
    };
    let refused = |r: Refusal| describe(&r, &shown, authority);
    let mut io = Io {
        stream,
        deadline,
        shown: &shown,
        read: 0,
    };
    let credentials: Option<&Credentials> = proxy.credentials.as_ref();
    io.write(&greeting(credentials.is_some()))?;
    let method = chosen_method(io.read_array()?, credentials.is_some()).map_err(refused)?;
    if method == USER_PASSWORD {
        if let Some(c) = credentials {
            io.write(&auth_request(&c.user, c.password()).map_err(refused)?)?;
            auth_answer(io.read_array()?).map_err(refused)?;
        }
    }
    io.write(&connect_request(&destination, target.port).map_err(refused)?)?;
    match reply_head(io.read_array()?).map_err(refused)? {
        ReplyRest::Fixed(n) => {
            io.read_exact(n)?;
        }
        ReplyRest::NameThenPort => {
            let [len] = io.read_array()?;
            io.read_exact(usize::from(len) + 2)?;
        }
    }
    Ok(())
}

/// The socket, read within the deadline and a byte budget.
struct Io<'a> {
    stream: &'a mut TcpStream,
    deadline: Deadline,
    shown: &'a str,
    read: usize,
}

impl Io<'_> {
    fn fail(&self, e: std::io::Error) -> NetError {
        if let Some(shortage) = Shortage::of(&e) {
            return NetError::shortage(shortage);
        }
        let shown = self.shown;
        match e.kind() {
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => NetError {
                kind: ErrorKind::Timeout,
                message: format!("the SOCKS5 proxy {shown} did not answer within the timeout"),
                hint: Some("check --proxy (is it a SOCKS5 proxy?), or raise --timeout".into()),
            },
            std::io::ErrorKind::UnexpectedEof => NetError {
                kind: ErrorKind::Proxy,
                message: format!(
                    "the SOCKS5 proxy {shown} closed the connection without answering"
                ),
                hint: Some("check --proxy (is it a SOCKS5 proxy?)".into()),
            },
            _ => NetError {
                kind: ErrorKind::Proxy,
                message: format!("the SOCKS5 proxy {shown} failed: {e}"),
                hint: Some("check --proxy".into()),
            },
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), NetError> {
        let left = self
            .deadline
            .remaining()
            .ok_or_else(|| self.fail(std::io::ErrorKind::TimedOut.into()))?;
        self.stream
            .set_write_timeout(Some(left))
            .map_err(|e| self.fail(e))?;
        self.stream.write_all(bytes).map_err(|e| self.fail(e))
    }

    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], NetError> {
        let bytes = self.read_exact(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(&bytes);
        Ok(out)
    }

    /// Exactly `n` bytes (never more: the TLS handshake follows on this socket).
    fn read_exact(&mut self, n: usize) -> Result<Vec<u8>, NetError> {
        if self.read + n > 2 + 2 + MAX_REPLY {
            return Err(NetError {
                kind: ErrorKind::Proxy,
                message: format!("the SOCKS5 proxy {}'s answers are too long", self.shown),
                hint: Some("check --proxy".into()),
            });
        }
        let mut buf = vec![0u8; n];
        let mut got = 0;
        while got < n {
            let left = self
                .deadline
                .slice()
                .ok_or_else(|| self.fail(std::io::ErrorKind::TimedOut.into()))?;
            self.stream
                .set_read_timeout(Some(left))
                .map_err(|e| self.fail(e))?;
            match self.stream.read(&mut buf[got..]) {
                Ok(0) => return Err(self.fail(std::io::ErrorKind::UnexpectedEof.into())),
                Ok(k) => got += k,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock
                            | std::io::ErrorKind::TimedOut
                            | std::io::ErrorKind::Interrupted
                    ) && self.deadline.remaining().is_some() => {}
                Err(e) => return Err(self.fail(e)),
            }
        }
        self.read += n;
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_offers_user_password_only_with_credentials() {
        assert_eq!(greeting(false), [5, 1, 0]);
        assert_eq!(greeting(true), [5, 2, 0, 2]);
    }

    #[test]
    fn method_answers() {
        assert_eq!(chosen_method([5, 0], false), Ok(0));
        assert_eq!(chosen_method([5, 2], true), Ok(2));
        assert_eq!(
            chosen_method([5, 2], false),
            Err(Refusal::NoMethod {
                chose: 2,
                offered_credentials: false
            })
        );
        assert!(matches!(
            chosen_method([5, 0xff], true),
            Err(Refusal::NoMethod { chose: 0xff, .. })
        ));
        assert_eq!(
            chosen_method(*b"HT", false),
            Err(Refusal::NotSocks5(b"HT".to_vec()))
        );
    }

    #[test]
    fn auth_request_and_answer() {
        assert_eq!(
            auth_request("ab", "xyz").unwrap(),
            [1, 2, b'a', b'b', 3, b'x', b'y', b'z']
        );
        assert_eq!(
            auth_request(&"u".repeat(256), ""),
            Err(Refusal::TooLong("user"))
        );
        assert_eq!(
            auth_request("u", &"p".repeat(256)),
            Err(Refusal::TooLong("password"))
        );
        assert_eq!(auth_answer([1, 0]), Ok(()));
        assert_eq!(auth_answer([1, 1]), Err(Refusal::AuthRefused));
    }

    #[test]
    fn connect_requests_by_address_type() {
        let v4 = Destination::Ip("127.0.0.1".parse().unwrap());
        assert_eq!(
            connect_request(&v4, 443).unwrap(),
            [5, 1, 0, 1, 127, 0, 0, 1, 1, 187]
        );
        let v6 = Destination::Ip("::1".parse().unwrap());
        let r = connect_request(&v6, 8443).unwrap();
        assert_eq!(r[3], 4);
        assert_eq!(r.len(), 4 + 16 + 2);
        assert_eq!(r[4..20], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(r[20..], 8443u16.to_be_bytes());
        let name = Destination::Name("example.com".into());
        let r = connect_request(&name, 443).unwrap();
        assert_eq!(r[..5], [5, 1, 0, 3, 11]);
        assert_eq!(&r[5..16], b"example.com");
        assert_eq!(r[16..], [1, 187]);
        assert_eq!(
            connect_request(&Destination::Name("a".repeat(256)), 1),
            Err(Refusal::TooLong("target name"))
        );
    }

    #[test]
    fn reply_heads() {
        assert_eq!(reply_head([5, 0, 0, 1]), Ok(ReplyRest::Fixed(6)));
        assert_eq!(reply_head([5, 0, 0, 4]), Ok(ReplyRest::Fixed(18)));
        assert_eq!(reply_head([5, 0, 0, 3]), Ok(ReplyRest::NameThenPort));
        assert_eq!(reply_head([5, 0, 0, 9]), Err(Refusal::BadAddressType(9)));
        assert_eq!(reply_head([5, 5, 0, 1]), Err(Refusal::Reply(5)));
        assert!(matches!(reply_head(*b"HTTP"), Err(Refusal::NotSocks5(_))));
    }

    #[test]
    fn each_reply_code_has_its_kind() {
        let expect = [
            (1, ErrorKind::Other),
            (2, ErrorKind::Other),
            (3, ErrorKind::Unreachable),
            (4, ErrorKind::Unreachable),
            (5, ErrorKind::ConnectionRefused),
            (6, ErrorKind::Timeout),
            (7, ErrorKind::Other),
            (8, ErrorKind::Other),
            (9, ErrorKind::Other),
        ];
        for (code, kind) in expect {
            assert_eq!(reply_meaning(code).0, kind, "{code}");
        }
        let e = describe(&Refusal::Reply(5), "127.0.0.1:1080", "localhost:443");
        assert_eq!(e.kind, ErrorKind::ConnectionRefused);
        assert!(
            e.message.starts_with(
                "the SOCKS5 proxy 127.0.0.1:1080 says: connection refused by the destination"
            ),
            "{}",
            e.message
        );
        assert!(!e.message.contains('\n'));
    }
}
