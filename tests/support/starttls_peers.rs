//! Servers that speak a protocol's plaintext preamble, then TLS (an in-process rustls server)
//! on the same connection: one per STARTTLS protocol.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use super::fixtures::Chain;
use super::peers::serve;
use super::rustls_server;

fn line(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    while s.read(&mut b).is_ok_and(|n| n == 1) {
        if b[0] == b'\n' {
            break;
        }
        out.push(b[0]);
    }
    String::from_utf8_lossy(&out).trim_end().to_string()
}

fn until(s: &mut TcpStream, end: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut b = [0u8; 1];
    while !out.ends_with(end) && s.read(&mut b).is_ok_and(|n| n == 1) {
        out.push(b[0]);
    }
    out
}

/// The server side of `protocol`'s preamble; false when the client did not ask as expected.
/// `offer` false: an SMTP server that does not offer STARTTLS.
fn preamble(protocol: &str, s: &mut TcpStream, offer: bool) -> bool {
    let w = |s: &mut TcpStream, b: &[u8]| s.write_all(b).is_ok();
    match protocol {
        "smtp" => {
            w(s, b"220 mail.test ESMTP\r\n")
                && line(s).starts_with("EHLO ")
                && if offer {
                    w(s, b"250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                        && line(s) == "STARTTLS"
                        && w(s, b"220 2.0.0 Ready to start TLS\r\n")
                } else {
                    let _ = w(s, b"250-mail.test\r\n250 PIPELINING\r\n");
                    false
                }
        }
        "imap" => {
            w(s, b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
                && line(s) == "a1 STARTTLS"
                && w(s, b"a1 OK Begin TLS negotiation now\r\n")
        }
        "pop3" => {
            w(s, b"+OK POP3 ready\r\n")
                && line(s) == "STLS"
                && w(s, b"+OK Begin TLS negotiation\r\n")
        }
        "ftp" => {
            w(s, b"220-Welcome\r\n220 FTP ready\r\n")
                && line(s) == "AUTH TLS"
                && w(s, b"234 Proceed with negotiation.\r\n")
        }
        "xmpp" => {
            let header = until(s, b"version='1.0'>");
            String::from_utf8_lossy(&header).contains("to='localhost'")
                && w(s, b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='1' from='localhost' version='1.0'><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>")
                && String::from_utf8_lossy(&until(s, b"/>")).contains("<starttls")
                && w(s, b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        }
        "ldap" => {
            let mut req = [0u8; 31];
            s.read_exact(&mut req).is_ok()
                && req.ends_with(b"1.3.6.1.4.1.1466.20037")
                && w(
                    s,
                    &[
                        0x30, 0x0c, 0x02, 0x01, 0x01, 0x78, 0x07, 0x0a, 0x01, 0x00, 0x04, 0x00,
                        0x04, 0x00,
                    ],
                )
        }
        "postgres" => {
            let mut req = [0u8; 8];
            s.read_exact(&mut req).is_ok()
                && req == [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]
                && w(s, b"S")
        }
        other => panic!("no peer for {other}"),
    }
}

/// A server for `protocol` that upgrades to TLS serving `chain` (or, with `offer` false, an
/// SMTP server without STARTTLS).
pub fn starttls_server(protocol: &'static str, chain: &Chain, offer: bool) -> SocketAddr {
    let config = rustls_server::config(chain);
    serve(move |mut s| {
        if preamble(protocol, &mut s, offer) {
            let _ = rustls_server::serve(s, config.clone());
        } else {
            super::peers::drain(&mut s);
        }
    })
}

/// A server for `protocol` that, once the preamble is done, relays the connection to
/// `upstream` (a real TLS server such as `openssl s_server`), byte for byte both ways.
pub fn starttls_relay(protocol: &'static str, upstream: SocketAddr) -> SocketAddr {
    serve(move |mut s| {
        if !preamble(protocol, &mut s, true) {
            return super::peers::drain(&mut s);
        }
        let Ok(up) = TcpStream::connect(upstream) else {
            return;
        };
        let (mut from_client, mut to_up) = (
            s.try_clone().expect("clone"),
            up.try_clone().expect("clone"),
        );
        let forward = std::thread::spawn(move || {
            let _ = std::io::copy(&mut from_client, &mut to_up);
            let _ = to_up.shutdown(std::net::Shutdown::Write);
        });
        let (mut up, mut s) = (up, s);
        let _ = std::io::copy(&mut up, &mut s);
        let _ = s.shutdown(std::net::Shutdown::Write);
        let _ = forward.join();
    })
}
