//! Misbehaving peers on 127.0.0.1, written with plain sockets: servers that speak something
//! other than TLS, stall, drip, close or reset, or answer with a given alert.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// Serve every connection with `behaviour`, each on its own thread, for as long as the test
/// process lives. Returns the address to probe.
pub fn serve<F>(behaviour: F) -> SocketAddr
where
    F: Fn(TcpStream) + Send + Sync + Clone + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let b = behaviour.clone();
            thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
                b(stream)
            });
        }
    });
    addr
}

/// Read one whole TLS record (the ClientHello), or whatever arrives before EOF.
pub fn read_record(s: &mut TcpStream) -> Vec<u8> {
    let mut header = [0u8; 5];
    if s.read_exact(&mut header).is_err() {
        return Vec::new();
    }
    let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
    let mut body = vec![0u8; len];
    let _ = s.read_exact(&mut body);
    [header.to_vec(), body].concat()
}

/// Read until the client closes, so that our own close is a clean FIN, not a reset.
pub fn drain(s: &mut TcpStream) {
    let mut buf = [0u8; 4096];
    while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
}

/// Abort the connection: with SO_LINGER 0, close sends a reset.
pub fn reset(s: TcpStream) {
    let _ = socket2::SockRef::from(&s).set_linger(Some(Duration::ZERO));
    drop(s);
}

/// Reads the ClientHello, answers `bytes`, then closes cleanly.
pub fn answer(bytes: &'static [u8]) -> SocketAddr {
    serve(move |mut s| {
        read_record(&mut s);
        let _ = s.write_all(bytes);
        let _ = s.shutdown(Shutdown::Write);
        drain(&mut s);
    })
}

/// Speaks first, as SMTP, FTP, POP3, IMAP and SSH servers do, then waits.
pub fn banner(bytes: &'static [u8]) -> SocketAddr {
    serve(move |mut s| {
        let _ = s.write_all(bytes);
        drain(&mut s);
    })
}

/// Accepts, reads, and never answers.
pub fn silent() -> SocketAddr {
    serve(|mut s| drain(&mut s))
}

/// Answers the ClientHello with the start of a record, one byte every `every`, forever.
pub fn drip(every: Duration) -> SocketAddr {
    serve(move |mut s| {
        read_record(&mut s);
        let record = [22u8, 3, 3, 0x40, 0x00];
        for b in record.iter().chain(std::iter::repeat(&0u8)) {
            if s.write_all(&[*b]).is_err() {
                return;
            }
            // Pacing of the peer under test, not synchronisation of the test.
            thread::sleep(every);
        }
    })
}

/// Reads the ClientHello, then closes (FIN) or resets (RST) without a word.
pub fn hang_up(with_reset: bool) -> SocketAddr {
    serve(move |mut s| {
        read_record(&mut s);
        if with_reset {
            reset(s);
        } else {
            let _ = s.shutdown(Shutdown::Write);
            drain(&mut s);
        }
    })
}

/// A proxy to `upstream` that passes the server's first `records` records, then closes or
/// resets: a server that dies mid-handshake.
pub fn cut_after(upstream: SocketAddr, records: usize, with_reset: bool) -> SocketAddr {
    serve(move |client| {
        let Ok(server) = TcpStream::connect(upstream) else {
            return;
        };
        let _ = server.set_read_timeout(Some(Duration::from_secs(30)));
        let (mut c_read, mut s_write) = (
            client.try_clone().expect("clone"),
            server.try_clone().expect("clone"),
        );
        thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = c_read.read(&mut buf) {
                if n == 0 || s_write.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        });
        let mut server = server;
        let mut client = client;
        for _ in 0..records {
            let r = read_record(&mut server);
            if r.is_empty() || client.write_all(&r).is_err() {
                break;
            }
        }
        let _ = server.shutdown(Shutdown::Both);
        if with_reset {
            reset(client);
        } else {
            let _ = client.shutdown(Shutdown::Write);
        }
    })
}

/// A port where connections are never accepted: the listen queue is full, so the kernel
/// drops further SYNs and a connect times out. Keep the returned guard alive.
pub fn full_backlog() -> (SocketAddr, Vec<TcpStream>, socket2::Socket) {
    full_backlog_at("127.0.0.1:0".parse().expect("addr"))
}

/// [`full_backlog`] at `addr` (port 0: any).
pub fn full_backlog_at(addr: SocketAddr) -> (SocketAddr, Vec<TcpStream>, socket2::Socket) {
    use socket2::{Domain, Socket, Type};
    let listener = Socket::new(Domain::for_address(addr), Type::STREAM, None).expect("socket");
    listener.bind(&addr.into()).expect("bind");
    listener.listen(0).expect("listen");
    let addr = listener
        .local_addr()
        .expect("addr")
        .as_socket()
        .expect("inet");
    let mut held = Vec::new();
    // Fill the queue: stop at the first connection the kernel no longer completes.
    for _ in 0..16 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(s) => held.push(s),
            Err(_) => return (addr, held, listener),
        }
    }
    panic!("the listen queue never filled up");
}

/// An HTTP CONNECT proxy; with `credentials`, it answers 407 unless they are given.
pub fn connect_proxy(credentials: Option<&'static str>) -> SocketAddr {
    serve(move |mut client| {
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && client.read(&mut b).is_ok_and(|n| n == 1) {
            head.push(b[0]);
        }
        let head = String::from_utf8_lossy(&head).to_string();
        let Some(authority) = head
            .strip_prefix("CONNECT ")
            .and_then(|r| r.split(' ').next())
        else {
            let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n");
            return;
        };
        if let Some(user_pass) = credentials {
            let expected = format!(
                "Proxy-Authorization: Basic {}",
                data_encoding_b64(user_pass.as_bytes())
            );
            if !head.lines().any(|l| l == expected) {
                let _ = client.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n");
                return;
            }
        }
        let Ok(upstream) = TcpStream::connect(authority.replace("localhost", "127.0.0.1")) else {
            let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
            return;
        };
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
        relay(client, upstream);
    })
}

/// Copy bytes both ways between a proxy's client and its upstream until each side closes,
/// passing each close on: a proxy's tunnel, once it is open.
pub fn relay(client: TcpStream, upstream: TcpStream) {
    let (mut c2, mut u2) = (
        client.try_clone().expect("clone"),
        upstream.try_clone().expect("clone"),
    );
    thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut u2);
        let _ = u2.shutdown(Shutdown::Write);
    });
    let (mut u, mut c) = (upstream, client);
    let _ = std::io::copy(&mut u, &mut c);
    let _ = c.shutdown(Shutdown::Write);
}

/// Base64 for the proxy's Basic credentials (the tests' own, to check ours).
fn data_encoding_b64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
