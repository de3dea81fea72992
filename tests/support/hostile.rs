//! Broken servers, byte for byte: what a peer may send that no well-behaved server does.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread;

use super::peers::{drain, read_record, reset, serve};

/// Reads the ClientHello, answers `bytes`, then closes cleanly.
pub fn answer_bytes(bytes: Vec<u8>) -> SocketAddr {
    let bytes = Arc::new(bytes);
    serve(move |mut s| {
        read_record(&mut s);
        let _ = s.write_all(&bytes);
        let _ = s.shutdown(Shutdown::Write);
        drain(&mut s);
    })
}

/// One TLS record.
pub fn record(content_type: u8, version: u16, fragment: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type];
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&(fragment.len() as u16).to_be_bytes());
    out.extend_from_slice(fragment);
    out
}

/// A TLS 1.2 ServerHello handshake message choosing `suite`.
pub fn server_hello(suite: u16) -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(&[0x42; 32]);
    body.push(0); // session id
    body.extend_from_slice(&suite.to_be_bytes());
    body.push(0); // compression
    body.extend_from_slice(&[0, 0]); // no extensions
    let mut msg = vec![2, 0, 0, body.len() as u8];
    msg.extend_from_slice(&body);
    msg
}

/// A proxy to `upstream` passing the server's first `n` bytes, then closing or resetting.
pub fn cut_bytes(upstream: SocketAddr, n: usize, with_reset: bool) -> SocketAddr {
    serve(move |client| {
        let Ok(mut server) = TcpStream::connect(upstream) else {
            return;
        };
        let (mut c_read, mut s_write) = (
            client.try_clone().expect("clone"),
            server.try_clone().expect("clone"),
        );
        let upward = thread::spawn(move || {
            let _ = std::io::copy(&mut c_read, &mut s_write);
        });
        let mut client = client;
        let mut sent = 0;
        let mut buf = [0u8; 4096];
        while sent < n {
            let want = (n - sent).min(buf.len());
            match server.read(&mut buf[..want]) {
                Ok(0) | Err(_) => break,
                Ok(k) => {
                    if client.write_all(&buf[..k]).is_err() {
                        break;
                    }
                    sent += k;
                }
            }
        }
        let _ = server.shutdown(Shutdown::Both);
        if with_reset {
            // Only the last descriptor's close resets: end the upward copy (and its clone of
            // the socket) first.
            let _ = client.shutdown(Shutdown::Read);
            let _ = upward.join();
            reset(client);
        } else {
            let _ = client.shutdown(Shutdown::Write);
            drain(&mut client);
        }
    })
}

/// A proxy to `upstream` that re-sends each of the server's plaintext handshake records as
/// one-byte records; everything after them passes unchanged.
pub fn one_byte_records(upstream: SocketAddr) -> SocketAddr {
    serve(move |client| {
        let Ok(mut server) = TcpStream::connect(upstream) else {
            return;
        };
        let (mut c_read, mut s_write) = (
            client.try_clone().expect("clone"),
            server.try_clone().expect("clone"),
        );
        thread::spawn(move || {
            let _ = std::io::copy(&mut c_read, &mut s_write);
            let _ = s_write.shutdown(Shutdown::Write);
        });
        let mut client = client;
        loop {
            let r = read_record(&mut server);
            if r.len() < 5 {
                break;
            }
            if r[0] == 22 {
                let mut pieces = Vec::with_capacity((r.len() - 5) * 6);
                for b in &r[5..] {
                    pieces.extend_from_slice(&record(22, u16::from_be_bytes([r[1], r[2]]), &[*b]));
                }
                if client.write_all(&pieces).is_err() {
                    break;
                }
            } else {
                if client.write_all(&r).is_err() {
                    break;
                }
                let _ = std::io::copy(&mut server, &mut client);
                break;
            }
        }
        let _ = client.shutdown(Shutdown::Write);
    })
}
