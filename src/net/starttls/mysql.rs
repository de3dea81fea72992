//! MySQL and MariaDB: the server's Initial Handshake packet, then the client's SSLRequest
//! (a HandshakeResponse cut short after the character set), and TLS at once.

use super::io::Wire;
use super::{quote, Cause, Refused};

/// The capability that says the server speaks TLS.
const CLIENT_SSL: u32 = 0x0800;
/// The longest handshake packet we read.
const MAX_PACKET: usize = 16 * 1024;

/// The SSLRequest openssl s_client sends: capabilities (long password, found rows, long flag,
/// connect with db, protocol 4.1, SSL, transactions, secure connection, multi statements and
/// results, ps multi results, plugin auth...), max packet 16 MiB, utf8 charset, 23 zeros.
fn ssl_request() -> Vec<u8> {
    let mut p = vec![0x20, 0x00, 0x00, 0x01];
    p.extend_from_slice(&[0x85, 0xae, 0x7f, 0x00]);
    p.extend_from_slice(&[0x00, 0x00, 0x00, 0x01]);
    p.push(0x21);
    p.extend_from_slice(&[0u8; 23]);
    p
}

pub(super) fn mysql(wire: &mut Wire<'_>) -> Result<(), Refused> {
    let mut head = [0u8; 4];
    wire.exact(&mut head)?;
    let len = usize::from(head[0]) | usize::from(head[1]) << 8 | usize::from(head[2]) << 16;
    if head[3] != 0 || len == 0 || len > MAX_PACKET {
        wire.rest_of_line();
        let heard = wire.heard.clone();
        wire.heard_text(String::from_utf8_lossy(&heard).trim_end().to_string());
        return Err(Refused::new(format!(
            "the greeting is not a MySQL packet: {}",
            quote(&heard)
        )));
    }
    let mut body = vec![0u8; len];
    wire.exact(&mut body)?;
    let greeting = match read_greeting(&body) {
        Ok(g) => g,
        Err(text) => {
            wire.heard_text(text.clone());
            return Err(Refused::new(text));
        }
    };
    wire.heard_text(format!(
        "Handshake v10: server {}, capabilities 0x{:08x}{}",
        quote(greeting.version.as_bytes()),
        greeting.capabilities,
        if greeting.capabilities & CLIENT_SSL != 0 {
            " (SSL)"
        } else {
            " (no SSL)"
        }
    ));
    if greeting.capabilities & CLIENT_SSL == 0 {
        return Err(Refused::new(
            "the server does not offer TLS (its handshake lacks the CLIENT_SSL capability)".into(),
        )
        .because(Cause::TlsOff));
    }
    wire.send(&ssl_request(), "SSLRequest (capabilities 0x007fae85)")
}

/// What the Initial Handshake packet says.
#[derive(Debug, PartialEq, Eq)]
struct Greeting {
    version: String,
    capabilities: u32,
}

/// Read the Initial Handshake (protocol 10) or an ERR packet, in words for the message.
fn read_greeting(body: &[u8]) -> Result<Greeting, String> {
    match body.first() {
        Some(10) => {}
        Some(0xff) => {
            // ERR: code, then (protocol 4.1) '#' and a five-character SQL state, then text.
            let code = body
                .get(1..3)
                .map_or(0, |c| u16::from(c[0]) | u16::from(c[1]) << 8);
            let text = body.get(3..).unwrap_or_default();
            let text = match text.first() {
                Some(b'#') => text.get(6..).unwrap_or_default(),
                _ => text,
            };
            return Err(format!(
                "the server refused the connection: error {code} {}",
                quote(text)
            ));
        }
        Some(v) => return Err(format!("unknown MySQL protocol version {v}")),
        None => return Err("an empty MySQL packet".into()),
    }
    let rest = &body[1..];
    let end = rest
        .iter()
        .position(|&b| b == 0)
        .ok_or_else(|| "a malformed MySQL handshake".to_string())?;
    let version = String::from_utf8_lossy(&rest[..end]).into_owned();
    // After the version: connection id (4), auth data part 1 (8), filler (1), capabilities
    // low (2), charset (1), status (2), capabilities high (2).
    let after = &rest[end + 1..];
    let low = after
        .get(13..15)
        .map(|c| u32::from(c[0]) | u32::from(c[1]) << 8)
        .ok_or_else(|| "a malformed MySQL handshake".to_string())?;
    let high = after
        .get(18..20)
        .map_or(0, |c| u32::from(c[0]) | u32::from(c[1]) << 8);
    Ok(Greeting {
        version,
        capabilities: low | high << 16,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ssl_request_is_a_32_byte_packet() {
        let p = ssl_request();
        assert_eq!(p.len(), 4 + 32);
        assert_eq!(p[0], 32);
        assert_eq!(p[3], 1, "sequence id 1");
        let caps = u32::from_le_bytes([p[4], p[5], p[6], p[7]]);
        assert_ne!(caps & CLIENT_SSL, 0);
    }

    #[test]
    fn reads_greetings_and_errors() {
        let mut g = vec![10];
        g.extend_from_slice(b"10.11.6-MariaDB-0+deb12u1\0");
        g.extend_from_slice(&[1, 0, 0, 0]); // connection id
        g.extend_from_slice(b"abcdefgh\0"); // auth data 1, filler
        g.extend_from_slice(&[0xfe, 0xff]); // capabilities low (with SSL)
        g.extend_from_slice(&[0x2d, 0x02, 0x00, 0xff, 0x81]); // charset, status, high
        let greeting = read_greeting(&g).expect("greeting");
        assert_eq!(greeting.version, "10.11.6-MariaDB-0+deb12u1");
        assert_eq!(greeting.capabilities, 0x81ff_fffe);
        for n in 0..g.len() {
            let _ = read_greeting(&g[..n]);
        }
        let mut err = vec![0xff, 0x6a, 0x04];
        err.extend_from_slice(b"Host '10.0.0.1' is not allowed to connect");
        assert_eq!(
            read_greeting(&err).unwrap_err(),
            "the server refused the connection: error 1130 \"Host '10.0.0.1' is not allowed to connect\""
        );
    }
}
