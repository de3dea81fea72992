//! What rcgen cannot make, made with the openssl command line: a SHA-1 / RSA-1024 chain, and
//! OCSP responses (good, revoked) for a leaf.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::fixtures::Fixtures;

/// Run `openssl ARGS` in `dir`, fail the test unless it succeeds (with what it printed), and
/// return its standard output.
pub fn openssl(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A legacy chain in `dir`: an RSA-2048 root, and a leaf for localhost with an RSA-1024 key
/// signed with SHA-1. Returns (root, leaf, leaf key) PEM paths.
pub fn weak_chain(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    std::fs::write(dir.join("weak-ext.cnf"), "subjectAltName=DNS:localhost\n").expect("write");
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "weak-root.key",
            "-out",
            "weak-root.pem",
            "-subj",
            "/CN=weak test root",
            "-days",
            "30",
            "-sha256",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=keyCertSign,cRLSign",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-newkey",
            "rsa:1024",
            "-nodes",
            "-keyout",
            "weak-leaf.key",
            "-out",
            "weak-leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "weak-leaf.csr",
            "-CA",
            "weak-root.pem",
            "-CAkey",
            "weak-root.key",
            "-set_serial",
            "4242",
            "-out",
            "weak-leaf.pem",
            "-days",
            "30",
            "-sha1",
            "-extfile",
            "weak-ext.cnf",
        ],
    );
    (
        dir.join("weak-root.pem"),
        dir.join("weak-leaf.pem"),
        dir.join("weak-leaf.key"),
    )
}

/// An OCSP response from the intermediate for the good leaf: `revoked` or good.
pub fn ocsp_response(f: &Fixtures, revoked: bool) -> PathBuf {
    let dir = &f.dir;
    let leaf = f.good.leaf_pem.to_str().expect("utf-8 path");
    let serial = Command::new("openssl")
        .args(["x509", "-noout", "-serial", "-in", leaf])
        .output()
        .expect("openssl x509");
    let serial = String::from_utf8_lossy(&serial.stdout)
        .trim()
        .trim_start_matches("serial=")
        .to_string();
    let name = if revoked { "revoked" } else { "good" };
    let index = if revoked {
        format!("R\t300101000000Z\t250101000000Z\t{serial}\tunknown\t/CN=localhost\n")
    } else {
        format!("V\t300101000000Z\t\t{serial}\tunknown\t/CN=localhost\n")
    };
    let index_path = format!("index-{name}.txt");
    std::fs::write(dir.join(&index_path), index).expect("write index");
    let out = format!("ocsp-{name}.der");
    let inter = f.inter_pem.to_str().expect("utf-8 path");
    let inter_key = f.inter_key_pem.to_str().expect("utf-8 path");
    openssl(
        dir,
        &[
            "ocsp",
            "-index",
            &index_path,
            "-rsigner",
            inter,
            "-rkey",
            inter_key,
            "-CA",
            inter,
            "-issuer",
            inter,
            "-cert",
            leaf,
            "-respout",
            &out,
            "-ndays",
            "1",
        ],
    );
    dir.join(out)
}
