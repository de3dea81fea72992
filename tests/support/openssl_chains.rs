//! Chains made with `openssl ca`, for the shapes rcgen cannot make or that read better as
//! openssl extension lines: validity windows in the past (an expired root, an expired
//! cross-sign; OpenSSL 3.0's `req -x509` and `x509 -req` take only `-days`), a second
//! certificate for an existing key (a cross-sign), name constraints, pathLenConstraint, CRLs.
//!
//! Every CA keeps its own `openssl ca` database in the directory, so a CRL it issues lists
//! what it revoked and nothing else. The certificates follow the RFC 5280 profile tlsprobe
//! enforces: subjectKeyIdentifier and critical basicConstraints in CAs, authorityKeyIdentifier
//! in everything not self-signed, a subjectAltName in leaves.

use std::path::{Path, PathBuf};

use time::{Duration, OffsetDateTime};

use super::fixtures::Chain;
use super::openssl_ca::openssl;

/// A certificate made here, with its key (PEM paths), and the name `openssl ca` files it
/// under (`NAME.pem`, `NAME.cnf`, ...).
#[derive(Debug, Clone)]
pub struct Cert {
    pub name: String,
    pub pem: PathBuf,
    pub key: PathBuf,
}

impl Cert {
    pub fn pem_str(&self) -> &str {
        self.pem.to_str().expect("utf-8 path")
    }
}

/// Which key to make.
#[derive(Debug, Clone, Copy)]
pub enum KeyKind {
    /// ECDSA P-256.
    Ec,
    /// RSA with this many bits.
    Rsa(u32),
    Ed25519,
}

/// A validity window, in days from now (negative: in the past).
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from_days: i64,
    pub to_days: i64,
}

/// Valid now, for about a year.
pub const CURRENT: Window = Window {
    from_days: -30,
    to_days: 365,
};
/// Ended years ago.
pub const EXPIRED: Window = Window {
    from_days: -2000,
    to_days: -1000,
};

/// What to issue: a certificate `NAME.pem` for `subject` (`/O=Example/CN=localhost`), with
/// the extension lines `ext` (as `-extfile` reads them; sections such as a `dirName` may
/// follow), under `issuer` (None: self-signed), for a new key unless `key` is given.
pub struct Spec<'a> {
    pub name: &'a str,
    pub subject: &'a str,
    pub ext: String,
    pub issuer: Option<&'a Cert>,
    pub key: Option<&'a Path>,
    pub key_kind: KeyKind,
    pub window: Window,
}

impl<'a> Spec<'a> {
    /// A CA named `subject`, with a new P-256 key, valid now; `extra` extension lines are
    /// added to the CA profile (e.g. `nameConstraints=...`).
    pub fn ca(name: &'a str, subject: &'a str, issuer: Option<&'a Cert>, extra: &str) -> Self {
        Spec {
            name,
            subject,
            ext: ca_ext(issuer.is_some(), extra),
            issuer,
            key: None,
            key_kind: KeyKind::Ec,
            window: CURRENT,
        }
    }

    /// A TLS server leaf `subject` with `san` (`DNS:localhost`), valid now.
    pub fn server(name: &'a str, subject: &'a str, san: &str, issuer: &'a Cert) -> Self {
        Spec {
            name,
            subject,
            ext: leaf_ext(san, "serverAuth", ""),
            issuer: Some(issuer),
            key: None,
            key_kind: KeyKind::Ec,
            window: CURRENT,
        }
    }

    pub fn window(mut self, window: Window) -> Self {
        self.window = window;
        self
    }

    pub fn key(mut self, key: &'a Path) -> Self {
        self.key = Some(key);
        self
    }

    pub fn key_kind(mut self, kind: KeyKind) -> Self {
        self.key_kind = kind;
        self
    }
}

/// The CA profile: critical basicConstraints (with `extra`, e.g. `, pathlen:0`, passed as
/// further lines), keyCertSign, subjectKeyIdentifier, and authorityKeyIdentifier when issued.
pub fn ca_ext(issued: bool, extra: &str) -> String {
    let mut ext = String::from(
        "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n",
    );
    if issued {
        ext.push_str("authorityKeyIdentifier=keyid:always\n");
    }
    ext.push_str(extra);
    ext
}

/// A leaf profile: `san`, the extended key usage `eku` (`serverAuth`, `clientAuth`), and
/// `extra` lines.
pub fn leaf_ext(san: &str, eku: &str, extra: &str) -> String {
    format!(
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={eku}\nsubjectAltName={san}\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n{extra}"
    )
}

/// `openssl ca` time: generalized time, UTC, to the second.
fn asn1_time(days: i64) -> String {
    let t = OffsetDateTime::now_utc() + Duration::days(days);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The directory where every certificate of one test is made.
pub struct Pki {
    pub dir: PathBuf,
}

impl Pki {
    pub fn new(dir: &Path) -> Pki {
        Pki {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, file: &str) -> String {
        self.dir
            .join(file)
            .to_str()
            .expect("utf-8 path")
            .to_string()
    }

    /// A new key `NAME.key`.
    pub fn key(&self, name: &str, kind: KeyKind) -> PathBuf {
        let out = self.path(&format!("{name}.key"));
        let bits;
        let args: Vec<&str> = match kind {
            KeyKind::Ec => vec![
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                &out,
            ],
            KeyKind::Ed25519 => vec!["genpkey", "-algorithm", "ED25519", "-out", &out],
            KeyKind::Rsa(n) => {
                bits = format!("rsa_keygen_bits:{n}");
                vec![
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    &bits,
                    "-out",
                    &out,
                ]
            }
        };
        openssl(&self.dir, &args);
        PathBuf::from(out)
    }

    /// The `openssl ca` configuration and database of the CA `name`, made on first use.
    fn ca_config(&self, name: &str) -> String {
        let cnf = self.path(&format!("{name}.cnf"));
        if Path::new(&cnf).exists() {
            return cnf;
        }
        // A serial per CA: the name's bytes are unique within one directory, so no two
        // certificates here share an issuer and a serial, nor (usually) a serial at all.
        let serial = name
            .bytes()
            .fold(7u64, |s, b| s.wrapping_mul(31).wrapping_add(u64::from(b)))
            % 0xFFFF_FFFF;
        std::fs::write(
            self.path(&format!("{name}.serial")),
            format!("{serial:08X}01\n"),
        )
        .expect("write serial");
        std::fs::write(self.path(&format!("{name}.crlnum")), "01\n").expect("write crlnumber");
        std::fs::write(self.path(&format!("{name}.index")), "").expect("write index");
        let config = format!(
            "[ca]\ndefault_ca = this\n\
             [this]\ndatabase = {name}.index\nserial = {name}.serial\ncrlnumber = {name}.crlnum\n\
             new_certs_dir = .\ndefault_md = sha256\npolicy = any\nunique_subject = no\n\
             email_in_dn = no\ncopy_extensions = none\ncrl_extensions = crl_ext\n\
             default_crl_days = 30\n\
             [any]\ncountryName = optional\norganizationName = optional\n\
             organizationalUnitName = optional\ncommonName = optional\nemailAddress = optional\n\
             [crl_ext]\nauthorityKeyIdentifier = keyid:always\n"
        );
        std::fs::write(&cnf, config).expect("write openssl ca config");
        cnf
    }

    /// Issue `spec`.
    pub fn issue(&self, spec: Spec<'_>) -> Cert {
        let name = spec.name;
        let key = match spec.key {
            Some(k) => k.to_path_buf(),
            None => self.key(name, spec.key_kind),
        };
        let key_s = key.to_str().expect("utf-8 path");
        let csr = self.path(&format!("{name}.csr"));
        openssl(
            &self.dir,
            &[
                "req",
                "-new",
                "-key",
                key_s,
                "-subj",
                spec.subject,
                "-out",
                &csr,
            ],
        );
        let ext_file = self.path(&format!("{name}.ext"));
        std::fs::write(&ext_file, &spec.ext).expect("write extensions");
        let pem = self.path(&format!("{name}.pem"));
        let (start, end) = (
            asn1_time(spec.window.from_days),
            asn1_time(spec.window.to_days),
        );
        let mut args: Vec<&str> = vec![
            "ca",
            "-batch",
            "-notext",
            "-preserveDN",
            "-in",
            &csr,
            "-out",
            &pem,
            "-startdate",
            &start,
            "-enddate",
            &end,
            "-extfile",
            &ext_file,
        ];
        let config;
        let issuer_key;
        match spec.issuer {
            Some(issuer) => {
                config = self.ca_config(&issuer.name);
                issuer_key = issuer.key.to_str().expect("utf-8 path").to_string();
                args.extend_from_slice(&[
                    "-config",
                    &config,
                    "-cert",
                    issuer.pem_str(),
                    "-keyfile",
                    &issuer_key,
                ]);
            }
            None => {
                config = self.ca_config(name);
                args.extend_from_slice(&["-config", &config, "-selfsign", "-keyfile", key_s]);
            }
        }
        openssl(&self.dir, &args);
        Cert {
            name: name.to_string(),
            pem: PathBuf::from(pem),
            key,
        }
    }

    /// Mark `cert` revoked in `issuer`'s database (it appears in CRLs made afterwards).
    pub fn revoke(&self, issuer: &Cert, cert: &Cert) {
        let config = self.ca_config(&issuer.name);
        openssl(
            &self.dir,
            &[
                "ca",
                "-config",
                &config,
                "-cert",
                issuer.pem_str(),
                "-keyfile",
                issuer.key.to_str().expect("utf-8 path"),
                "-revoke",
                cert.pem_str(),
            ],
        );
    }

    /// A CRL `FILE` (PEM) from `issuer`, listing what it has revoked so far.
    pub fn crl(&self, issuer: &Cert, file: &str) -> PathBuf {
        let config = self.ca_config(&issuer.name);
        let out = self.path(file);
        openssl(
            &self.dir,
            &[
                "ca",
                "-config",
                &config,
                "-gencrl",
                "-cert",
                issuer.pem_str(),
                "-keyfile",
                issuer.key.to_str().expect("utf-8 path"),
                "-out",
                &out,
            ],
        );
        PathBuf::from(out)
    }

    /// `leaf` served with `rest` (in that order after it), for `openssl s_server`; also
    /// written as one file `NAME-full.pem`, as `tlsprobe verify` takes it.
    pub fn served(&self, name: &str, leaf: &Cert, rest: &[&Cert]) -> Chain {
        let read = |p: &Path| std::fs::read_to_string(p).expect("read PEM");
        let rest_text: String = rest.iter().map(|c| read(&c.pem)).collect();
        let rest_pem = self.dir.join(format!("{name}-chain.pem"));
        std::fs::write(&rest_pem, &rest_text).expect("write chain");
        let chain_pem = self.dir.join(format!("{name}-full.pem"));
        std::fs::write(&chain_pem, read(&leaf.pem) + &rest_text).expect("write full chain");
        Chain {
            certs: vec![],
            key_der: vec![],
            leaf_pem: leaf.pem.clone(),
            rest_pem,
            key_pem: leaf.key.clone(),
            chain_pem,
        }
    }

    /// Several certificates in one PEM file `FILE` (a trust store, an `--untrusted` bundle).
    pub fn bundle(&self, file: &str, certs: &[&Cert]) -> PathBuf {
        let text: String = certs
            .iter()
            .map(|c| std::fs::read_to_string(&c.pem).expect("read PEM"))
            .collect();
        let out = self.dir.join(file);
        std::fs::write(&out, text).expect("write bundle");
        out
    }
}
