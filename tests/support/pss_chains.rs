//! Chains of RSA-PSS keys (SubjectPublicKeyInfo id-RSASSA-PSS), which rcgen cannot make: with
//! the openssl command line (`genpkey -algorithm RSA-PSS`), and with GnuTLS's certtool, which
//! encodes the same algorithms differently.
//!
//! The chains are PEM files only (`Chain::certs` and `key_der` stay empty): for `openssl
//! s_server` and `gnutls-serv`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::fixtures::Chain;

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {program} (is it installed?): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().expect("utf-8 path").to_string()
}

/// A CA made here: its certificate and key, PEM.
pub struct Ca {
    pub pem: PathBuf,
    pub key: PathBuf,
}

/// An RSA-PSS key `NAME.key`, with `-pkeyopt` options (`rsa_keygen_bits:1024`,
/// `rsa_pss_keygen_md:sha256`, ...).
pub fn key(dir: &Path, name: &str, pkeyopts: &[&str]) -> PathBuf {
    let out = path(dir, &format!("{name}.key"));
    let mut args = vec!["genpkey", "-algorithm", "RSA-PSS", "-out", &out];
    for opt in pkeyopts {
        args.extend_from_slice(&["-pkeyopt", opt]);
    }
    run(dir, "openssl", &args);
    PathBuf::from(out)
}

/// A self-signed CA `NAME.pem` named `CN=<cn>` for `key`.
pub fn root(dir: &Path, name: &str, cn: &str, key: &Path) -> Ca {
    let pem = path(dir, &format!("{name}.pem"));
    let subject = format!("/CN={cn}");
    run(
        dir,
        "openssl",
        &[
            "req",
            "-x509",
            "-key",
            key.to_str().expect("utf-8 path"),
            "-subj",
            &subject,
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            &pem,
        ],
    );
    Ca {
        pem: PathBuf::from(pem),
        key: key.to_path_buf(),
    }
}

/// A certificate `NAME.pem` for `key`, named `CN=<cn>`, with the extensions `ext` (one per
/// line, as `-extfile` reads them), issued by `issuer`.
fn issue(dir: &Path, name: &str, cn: &str, key: &Path, ext: &str, issuer: &Ca) -> PathBuf {
    let csr = path(dir, &format!("{name}.csr"));
    let subject = format!("/CN={cn}");
    let key = key.to_str().expect("utf-8 path");
    run(
        dir,
        "openssl",
        &["req", "-new", "-key", key, "-subj", &subject, "-out", &csr],
    );
    let ext_file = path(dir, &format!("{name}.ext"));
    std::fs::write(&ext_file, ext).expect("write extensions");
    let pem = path(dir, &format!("{name}.pem"));
    // A serial per certificate: the name's bytes are unique within one directory.
    let serial = name
        .bytes()
        .fold(1u64, |s, b| s.wrapping_mul(31).wrapping_add(u64::from(b)))
        .to_string();
    run(
        dir,
        "openssl",
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            issuer.pem.to_str().expect("utf-8 path"),
            "-CAkey",
            issuer.key.to_str().expect("utf-8 path"),
            "-set_serial",
            &serial,
            "-days",
            "30",
            "-extfile",
            &ext_file,
            "-out",
            &pem,
        ],
    );
    PathBuf::from(pem)
}

/// An intermediate CA `NAME.pem` for `key`, issued by `issuer`.
pub fn intermediate(dir: &Path, name: &str, cn: &str, key: &Path, issuer: &Ca) -> Ca {
    let ext = "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n";
    Ca {
        pem: issue(dir, name, cn, key, ext, issuer),
        key: key.to_path_buf(),
    }
}

/// A leaf for localhost with `key`, issued by `issuer` and served with `rest` (the
/// intermediates, leaf's issuer first).
pub fn leaf(dir: &Path, name: &str, key: &Path, issuer: &Ca, rest: &[&Ca]) -> Chain {
    let ext = "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n";
    let leaf_pem = issue(dir, name, "localhost", key, ext, issuer);
    chain(
        dir,
        name,
        leaf_pem,
        key,
        rest.iter().map(|c| c.pem.as_path()),
    )
}

fn chain<'a>(
    dir: &Path,
    name: &str,
    leaf_pem: PathBuf,
    key: &Path,
    rest: impl Iterator<Item = &'a Path>,
) -> Chain {
    let read = |p: &Path| std::fs::read_to_string(p).expect("read PEM");
    let rest: String = rest.map(read).collect();
    let rest_pem = dir.join(format!("{name}-chain.pem"));
    std::fs::write(&rest_pem, &rest).expect("write chain");
    let chain_pem = dir.join(format!("{name}-full.pem"));
    std::fs::write(&chain_pem, read(&leaf_pem) + &rest).expect("write full chain");
    Chain {
        certs: vec![],
        key_der: vec![],
        leaf_pem,
        rest_pem,
        key_pem: key.to_path_buf(),
        chain_pem,
    }
}

/// A root and a localhost leaf made by GnuTLS's certtool, both keys RSA-PSS restricted to
/// SHA-256 (certtool writes the hash parameters without NULL, unlike OpenSSL). Returns the
/// root's PEM and the leaf's chain.
pub fn certtool_chain(dir: &Path) -> (PathBuf, Chain) {
    std::fs::write(
        dir.join("gnutls-root.tmpl"),
        "cn = \"gnutls pss root\"\nca\ncert_signing_key\nexpiration_days = 30\n",
    )
    .expect("write template");
    std::fs::write(
        dir.join("gnutls-leaf.tmpl"),
        "cn = \"localhost\"\ndns_name = \"localhost\"\ntls_www_server\nsigning_key\nexpiration_days = 30\n",
    )
    .expect("write template");
    for name in ["gnutls-root", "gnutls-leaf"] {
        run(
            dir,
            "certtool",
            &[
                "--generate-privkey",
                "--key-type",
                "rsa-pss",
                "--hash",
                "SHA256",
                "--bits",
                "2048",
                "--outfile",
                &format!("{name}.key"),
            ],
        );
    }
    run(
        dir,
        "certtool",
        &[
            "--generate-self-signed",
            "--load-privkey",
            "gnutls-root.key",
            "--template",
            "gnutls-root.tmpl",
            "--outfile",
            "gnutls-root.pem",
        ],
    );
    run(
        dir,
        "certtool",
        &[
            "--generate-certificate",
            "--load-privkey",
            "gnutls-leaf.key",
            "--load-ca-certificate",
            "gnutls-root.pem",
            "--load-ca-privkey",
            "gnutls-root.key",
            "--template",
            "gnutls-leaf.tmpl",
            "--outfile",
            "gnutls-leaf.pem",
        ],
    );
    let leaf = chain(
        dir,
        "gnutls-leaf",
        dir.join("gnutls-leaf.pem"),
        &dir.join("gnutls-leaf.key"),
        std::iter::empty(),
    );
    (dir.join("gnutls-root.pem"), leaf)
}
