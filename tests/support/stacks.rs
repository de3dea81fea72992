//! More TLS stacks as servers on 127.0.0.1: Java's JSSE (`java TlsServer.java`, a source file
//! run as it is) and Python's ssl module, each an echo server that prints its port.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use super::fixtures::Chain;
use super::openssl_ca::openssl;

/// A server process and its port; killed on drop.
pub struct Stack {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `cmd` and read the port it prints on its first line.
fn start(mut cmd: Command, dir: tempfile::TempDir, what: &str) -> Stack {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the port");
    let port = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{what} printed no port: {line:?}"));
    Stack {
        child,
        port,
        _dir: dir,
    }
}

/// Java's JSSE serving `chain`, with only `protocol` (`TLSv1.2`, `TLSv1.3`) enabled if given.
pub fn java(chain: &Chain, protocol: Option<&str>) -> Stack {
    let dir = tempfile::tempdir().expect("tempdir");
    let p12 = dir.path().join("server.p12");
    openssl(
        dir.path(),
        &[
            "pkcs12",
            "-export",
            "-in",
            chain.chain_pem.to_str().unwrap(),
            "-inkey",
            chain.key_pem.to_str().unwrap(),
            "-out",
            p12.to_str().unwrap(),
            "-passout",
            "pass:test",
        ],
    );
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/java/TlsServer.java");
    let mut cmd = Command::new("java");
    cmd.arg(source).arg(&p12).args(protocol);
    start(cmd, dir, "java (Debian: default-jdk-headless)")
}

const PYTHON_SERVER: &str = r#"
import socket, ssl, sys, threading
cert, key, ca, version, require = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
if version == "1.2":
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.load_cert_chain(cert, key)
if require == "yes":
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
def serve(c):
    try:
        t = ctx.wrap_socket(c, server_side=True)
        data = t.recv(4096)
        if data:
            t.sendall(data)
        t.unwrap()
    except Exception:
        pass
    finally:
        c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"#;

/// Python's ssl module serving `chain`; TLS 1.2 at most when `tls12_only`; a client
/// certificate from `ca` required when `require_cert`.
pub fn python(chain: &Chain, ca: &Path, tls12_only: bool, require_cert: bool) -> Stack {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new("python3");
    cmd.args(["-c", PYTHON_SERVER])
        .arg(&chain.chain_pem)
        .arg(&chain.key_pem)
        .arg(ca)
        .arg(if tls12_only { "1.2" } else { "any" })
        .arg(if require_cert { "yes" } else { "no" });
    start(cmd, dir, "python3")
}
