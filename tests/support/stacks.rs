//! More TLS stacks as servers on 127.0.0.1: Java's JSSE (`java TlsServer.java`, a source file
//! run as it is) and Python's ssl module, each an echo server that prints its port, and NSS's
//! `selfserv` (which answers with an HTTP-like page) and Go's crypto/tls (`go run` on a
//! source file of the tests).

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

/// NSS's `selfserv` serving `chain` from a new NSS database, versions `min:max` (e.g.
/// `tls1.2:tls1.3`); with `require_cert`, a client certificate is required (`-r -r`). It
/// listens on every interface, on a port below the ephemeral range.
pub fn nss(chain: &Chain, versions: &str, require_cert: bool) -> Stack {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let db = format!("sql:{}", d.join("db").display());
    std::fs::create_dir(d.join("db")).expect("mkdir");
    let p12 = d.join("server.p12");
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-in",
            chain.chain_pem.to_str().unwrap(),
            "-inkey",
            chain.key_pem.to_str().unwrap(),
            "-name",
            "server",
            "-out",
            p12.to_str().unwrap(),
            "-passout",
            "pass:test",
        ],
    );
    let must = |cmd: &mut Command| {
        let out = cmd.output().expect("NSS tools (Debian: libnss3-tools)");
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    must(Command::new("certutil").args(["-N", "-d", &db, "--empty-password"]));
    must(
        Command::new("pk12util")
            .args(["-d", &db, "-W", "test", "-i"])
            .arg(&p12),
    );
    let port = super::daemons::free_port();
    let log = d.join("selfserv.log");
    let out = std::fs::File::create(&log).expect("log");
    let mut child = Command::new("selfserv")
        .args(["-d", &db, "-n", "server", "-V", versions])
        // Session tickets, as servers usually have them (and --reconnect resumes with).
        .arg("-u")
        .args(if require_cert { &["-r", "-r"][..] } else { &[] })
        .arg("-p")
        .arg(port.to_string())
        .stdin(Stdio::null())
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .spawn()
        .expect("selfserv (Debian: libnss3-tools)");
    super::daemons::wait_listening(&mut child, "selfserv", port, &[log]);
    Stack {
        child,
        port,
        _dir: dir,
    }
}

/// Go's crypto/tls serving `chain`; TLS 1.2 at most when `tls12_only`; a client certificate
/// from `require_from` (a CA file) required when given.
pub fn go(chain: &Chain, tls12_only: bool, require_from: Option<&Path>) -> Stack {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/go/tls_server.go");
    let mut cmd = Command::new("go");
    cmd.arg("run")
        .arg(source)
        .arg(&chain.chain_pem)
        .arg(&chain.key_pem)
        .arg(if tls12_only { "1.2" } else { "1.3" })
        .args(require_from)
        // The build cache in the test's own directory: nothing outside it is written.
        .env("GOCACHE", dir.path().join("cache"))
        .env("GOPATH", dir.path().join("gopath"))
        .env("GO111MODULE", "off");
    start(cmd, dir, "go (Debian: golang-go)")
}
