//! Certificate chains made by code (rcgen), written as PEM into one temporary directory per
//! test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

/// A served chain: the certificates leaf first, and the leaf's key, in DER and as PEM files.
pub struct Chain {
    pub certs: Vec<CertificateDer<'static>>,
    pub key_der: Vec<u8>,
    /// PEM of the leaf alone, of the rest of the chain, and of the key (for openssl s_server).
    pub leaf_pem: PathBuf,
    pub rest_pem: PathBuf,
    pub key_pem: PathBuf,
    /// The leaf then the rest, as `--cert` takes it.
    pub chain_pem: PathBuf,
}

impl Chain {
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }

    /// The same leaf and key, served with other certificates (for in-process servers only:
    /// the PEM files are the original chain's).
    pub fn serving(&self, certs: Vec<CertificateDer<'static>>) -> Chain {
        Chain {
            certs,
            key_der: self.key_der.clone(),
            leaf_pem: self.leaf_pem.clone(),
            rest_pem: self.rest_pem.clone(),
            key_pem: self.key_pem.clone(),
            chain_pem: self.chain_pem.clone(),
        }
    }
}

/// DER of an Authority Information Access extension with one caIssuers URL.
fn aia_ca_issuers(url: &str) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag, body.len() as u8];
        out.extend_from_slice(body);
        out
    }
    let oid = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02]; // 1.3.6.1.5.5.7.48.2
    let mut desc = oid.to_vec();
    desc.extend(tlv(0x86, url.as_bytes()));
    tlv(0x30, &tlv(0x30, &desc))
}

pub struct Fixtures {
    _dir: tempfile::TempDir,
    pub dir: PathBuf,
    /// The trusted root (`--ca-file`).
    pub root_pem: PathBuf,
    pub root_der: CertificateDer<'static>,
    /// The intermediate under the root that issues the good leaves, and its key.
    pub inter_pem: PathBuf,
    pub inter_key_pem: PathBuf,
    /// The root and the intermediate in one file: a bundle that hides a missing intermediate.
    pub bundle_pem: PathBuf,
    /// A root nobody trusts.
    pub other_root_der: CertificateDer<'static>,
    /// A leaf with 10 days left.
    pub expiring: Chain,
    /// A leaf naming where its issuer can be fetched (AIA caIssuers), served alone.
    pub aia_leaf_alone: Chain,
    pub good: Chain,
    pub expired: Chain,
    pub not_yet_valid: Chain,
    pub wrong_host: Chain,
    /// Issued under another root, served with its intermediate and root.
    pub unknown_issuer: Chain,
    pub self_signed: Chain,
    /// Signed by an "intermediate" whose basicConstraints say CA:FALSE.
    pub not_a_ca: Chain,
    /// A leaf whose extended key usage allows only client authentication.
    pub client_auth_only: Chain,
    /// The good chain with one bit of the leaf's signature flipped.
    pub tampered: Chain,
    /// Like `good`, with an RSA-2048 leaf (for ECDHE-RSA suites).
    pub good_rsa: Chain,
    /// Like `good` (ECDSA P-256), valid exactly 90 days from a day ago: Mozilla's modern
    /// lifespan (`--policy`).
    pub ninety_days: Chain,
}

pub fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(make)
}

const LOCAL_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

fn params(cn: &str, sans: &[&str]) -> CertificateParams {
    let mut p = CertificateParams::new(sans.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .expect("params");
    p.distinguished_name.push(DnType::CommonName, cn);
    // RFC 5280 requires it of every certificate that is not self-signed (tlsprobe checks).
    p.use_authority_key_identifier_extension = true;
    let now = OffsetDateTime::now_utc();
    p.not_before = now - Duration::days(1);
    p.not_after = now + Duration::days(90);
    p
}

fn ca_params(cn: &str) -> CertificateParams {
    let mut p = params(cn, &[]);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    p.not_after = OffsetDateTime::now_utc() + Duration::days(3650);
    p
}

struct Ca {
    der: CertificateDer<'static>,
    pem: String,
    key_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

fn root(cn: &str) -> Ca {
    let key = KeyPair::generate().expect("key");
    let p = ca_params(cn);
    let cert = p.self_signed(&key).expect("root");
    Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        key_pem: key.serialize_pem(),
        issuer: Issuer::new(p, key),
    }
}

fn intermediate(p: CertificateParams, parent: &Ca) -> Ca {
    let key = KeyPair::generate().expect("key");
    let cert = p.signed_by(&key, &parent.issuer).expect("intermediate");
    Ca {
        der: cert.der().clone(),
        pem: cert.pem(),
        key_pem: key.serialize_pem(),
        issuer: Issuer::new(p, key),
    }
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write fixture");
    path
}

fn leaf(dir: &Path, name: &str, p: CertificateParams, parents: &[&Ca]) -> Chain {
    leaf_with_key(dir, name, p, parents, KeyPair::generate().expect("key"))
}

fn leaf_with_key(
    dir: &Path,
    name: &str,
    p: CertificateParams,
    parents: &[&Ca],
    key: KeyPair,
) -> Chain {
    let cert = match parents.first() {
        Some(issuer) => p.signed_by(&key, &issuer.issuer).expect("leaf"),
        None => p.self_signed(&key).expect("self-signed leaf"),
    };
    let rest: String = parents.iter().map(|c| c.pem.as_str()).collect();
    let mut certs = vec![cert.der().clone()];
    certs.extend(parents.iter().map(|c| c.der.clone()));
    Chain {
        certs,
        key_der: key.serialize_der(),
        leaf_pem: write(dir, &format!("{name}.pem"), &cert.pem()),
        rest_pem: write(dir, &format!("{name}-chain.pem"), &rest),
        key_pem: write(dir, &format!("{name}-key.pem"), &key.serialize_pem()),
        chain_pem: write(dir, &format!("{name}-full.pem"), &(cert.pem() + &rest)),
    }
}

fn make() -> Fixtures {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let root_ca = root("tlsprobe test root");
    let inter = intermediate(ca_params("tlsprobe test intermediate"), &root_ca);
    let root_pem = write(d, "root.pem", &root_ca.pem);

    let good = leaf(d, "good", params("localhost", &LOCAL_NAMES), &[&inter]);

    let mut p = params("localhost", &LOCAL_NAMES);
    p.not_before = OffsetDateTime::now_utc() - Duration::days(400);
    p.not_after = OffsetDateTime::now_utc() - Duration::days(30);
    let expired = leaf(d, "expired", p, &[&inter]);

    let mut p = params("localhost", &LOCAL_NAMES);
    p.not_before = OffsetDateTime::now_utc() + Duration::days(30);
    p.not_after = OffsetDateTime::now_utc() + Duration::days(400);
    let not_yet_valid = leaf(d, "not-yet-valid", p, &[&inter]);

    let wrong_host = leaf(
        d,
        "wrong-host",
        params("wrong.example", &["wrong.example"]),
        &[&inter],
    );

    let other_root = root("some other root");
    let other_inter = intermediate(ca_params("some other intermediate"), &other_root);
    let unknown_issuer = leaf(
        d,
        "unknown-issuer",
        params("localhost", &LOCAL_NAMES),
        &[&other_inter, &other_root],
    );

    let self_signed = leaf(d, "self-signed", params("localhost", &LOCAL_NAMES), &[]);

    let mut p = params("not really a CA", &[]);
    p.is_ca = IsCa::ExplicitNoCa;
    let fake_ca = intermediate(p, &root_ca);
    let not_a_ca = leaf(
        d,
        "not-a-ca",
        params("localhost", &LOCAL_NAMES),
        &[&fake_ca],
    );

    let mut p = params("localhost", &LOCAL_NAMES);
    p.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let client_auth_only = leaf(d, "client-auth-only", p, &[&inter]);

    // The last byte of the DER is inside the signature's last INTEGER: the DER stays valid, the
    // signature does not.
    let mut certs = good.certs.clone();
    let mut leaf_der = certs[0].to_vec();
    if let Some(last) = leaf_der.last_mut() {
        *last ^= 1;
    }
    certs[0] = CertificateDer::from(leaf_der);
    let tampered = Chain {
        certs,
        key_der: good.key_der.clone(),
        leaf_pem: good.leaf_pem.clone(),
        rest_pem: good.rest_pem.clone(),
        key_pem: good.key_pem.clone(),
        chain_pem: good.chain_pem.clone(),
    };

    let rsa_key = KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
        .expect("RSA key");
    let good_rsa = leaf_with_key(
        d,
        "good-rsa",
        params("localhost", &LOCAL_NAMES),
        &[&inter],
        rsa_key,
    );

    let mut p = params("localhost", &LOCAL_NAMES);
    p.not_after = OffsetDateTime::now_utc() + Duration::days(10) + Duration::hours(12);
    let expiring = leaf(d, "expiring", p, &[&inter]);

    let mut p = params("localhost", &LOCAL_NAMES);
    p.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
        &[1, 3, 6, 1, 5, 5, 7, 1, 1],
        aia_ca_issuers("http://ca.invalid/intermediate.der"),
    )];
    let aia_leaf_alone = leaf(d, "aia", p, &[&inter]);
    let aia_leaf_alone = aia_leaf_alone.serving(aia_leaf_alone.certs[..1].to_vec());

    let mut p = params("localhost", &LOCAL_NAMES);
    p.not_after = p.not_before + Duration::days(90);
    let ninety_days = leaf(d, "ninety-days", p, &[&inter]);

    let inter_pem = write(d, "inter.pem", &inter.pem);
    let inter_key_pem = write(d, "inter-key.pem", &inter.key_pem);
    let bundle_pem = write(d, "bundle.pem", &(root_ca.pem.clone() + &inter.pem));

    Fixtures {
        dir: d.to_path_buf(),
        root_der: root_ca.der.clone(),
        inter_pem,
        inter_key_pem,
        bundle_pem,
        other_root_der: other_root.der.clone(),
        expiring,
        aia_leaf_alone,
        _dir: dir,
        tampered,
        good_rsa,
        ninety_days,
        root_pem,
        good,
        expired,
        not_yet_valid,
        wrong_host,
        unknown_issuer,
        self_signed,
        not_a_ca,
        client_auth_only,
    }
}
