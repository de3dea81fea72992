//! The chain a server serves for each kind of certificate it has. A server with an RSA and an
//! ECDSA certificate shows one of them to a client that takes both, so an expiring RSA leaf
//! hides behind a fine ECDSA one. TLS 1.2 lets the client say which it takes: one ClientHello
//! per kind, its signature_algorithms and suites that kind's alone, its first flight read to
//! the ServerHelloDone and the chain judged as the probe's own is. A TLS 1.3-only server
//! encrypts its Certificate, and is not asked.

use std::io::Write;
use std::time::Instant;

use rustls::pki_types::ServerName;

use super::first_flight::{captured, goodbye};
use super::session::judge_chain;
use super::ProbeSettings;
use crate::deadline::Deadline;
use crate::net::Dialer;
use crate::record::Recorder;
use crate::report::{
    Certificate, KeyType, ProtocolVersion as Version, Scan, ScanCertificates, ScanCode,
    ScanFinding, Severity, WarningCode,
};
use crate::scan::asker::{parallel, random};
use crate::scan::client_hello::{build, Extras, HelloSpec};
use crate::scan::server_answer::read_flight;
use crate::wire::code_points::{CipherSuite, ProtocolVersion, SignatureScheme};
use crate::wire::first_flight::{self, End};
use crate::wire::names::{cipher_suite_name, known_cipher_suites};
use crate::wire::suites::{facts, Auth, Kx};

/// One kind of certificate: its name, the suites that authenticate with it, the schemes that
/// sign with it, and the key type its leaf must have.
struct Kind {
    name: &'static str,
    auth: Auth,
    schemes: &'static [SignatureScheme],
    key: fn(&KeyType) -> bool,
}

const KINDS: [Kind; 3] = [
    Kind {
        name: "RSA",
        auth: Auth::Rsa,
        schemes: &[
            SignatureScheme::RSA_PSS_RSAE_SHA256,
            SignatureScheme::RSA_PSS_RSAE_SHA384,
            SignatureScheme::RSA_PSS_RSAE_SHA512,
            SignatureScheme::RSA_PSS_PSS_SHA256,
            SignatureScheme::RSA_PSS_PSS_SHA384,
            SignatureScheme::RSA_PSS_PSS_SHA512,
            SignatureScheme::RSA_PKCS1_SHA256,
            SignatureScheme::RSA_PKCS1_SHA384,
            SignatureScheme::RSA_PKCS1_SHA512,
            SignatureScheme::RSA_PKCS1_SHA1,
        ],
        key: |k| matches!(k, KeyType::Rsa | KeyType::RsaPss),
    },
    Kind {
        name: "ECDSA",
        auth: Auth::Ecdsa,
        schemes: &[
            SignatureScheme::ECDSA_SECP256R1_SHA256,
            SignatureScheme::ECDSA_SECP384R1_SHA384,
            SignatureScheme::ECDSA_SECP521R1_SHA512,
            SignatureScheme::ECDSA_SHA1,
        ],
        key: |k| *k == KeyType::Ec,
    },
    // RFC 8422: Ed25519 certificates authenticate the ECDHE_ECDSA suites.
    Kind {
        name: "Ed25519",
        auth: Auth::Ecdsa,
        schemes: &[SignatureScheme::ED25519],
        key: |k| *k == KeyType::Ed25519,
    },
];

/// The scan's `certificate_types`: asked at the highest version below TLS 1.3 the scan saw
/// accepted (its Certificate goes unencrypted), counted in its connections and time, with an
/// `other_chain` finding for each chain that is not `probe_leaf`'s and fails or expires soon.
pub(super) fn add(
    scan: &mut Scan,
    dialer: &Dialer,
    settings: &ProbeSettings,
    name: &ServerName<'static>,
    sni: Option<&str>,
    probe_leaf: Option<&Certificate>,
    deadline: Deadline,
) {
    let Some(legacy) = scan
        .versions
        .iter()
        .find(|v| v.accepted && v.version < Version::TLS1_3)
    else {
        return;
    };
    let started = Instant::now();
    let version = ProtocolVersion(legacy.version.0);
    scan.certificate_types = survey(dialer, settings, name, sni, version, deadline);
    scan.connections += KINDS.len();
    scan.duration_ms += (started.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let seen = probe_leaf.map(|c| c.sha256.as_str());
    for served in &scan.certificate_types {
        if served.certificates.first().map(|c| c.sha256.as_str()) != seen {
            scan.findings.extend(other_chain(served));
        }
    }
}

/// `other_chain` for a chain the probe did not see: high when it fails verification (its
/// first error), medium when it only expires soon.
fn other_chain(served: &ScanCertificates) -> Option<ScanFinding> {
    let v = served.verification.as_ref()?;
    let whose = format!(
        "the {} chain, served to clients that take {} alone",
        served.key_type, served.key_type
    );
    if let Some(e) = v.errors.first() {
        return Some(ScanFinding::new(
            ScanCode::OtherChain,
            Severity::High,
            format!(
                "{whose}, fails verification: {}: {}",
                e.code.as_str(),
                e.message
            ),
        ));
    }
    let soon = v
        .warnings
        .iter()
        .find(|w| w.code == WarningCode::ExpiresSoon)?;
    Some(ScanFinding::new(
        ScanCode::OtherChain,
        Severity::Medium,
        format!("{whose}, {}", soon.message),
    ))
}

/// Each kind of certificate the server serves under `version` (TLS 1.2, or the highest
/// below it that it accepts), in the order RSA, ECDSA, Ed25519.
fn survey(
    dialer: &Dialer,
    settings: &ProbeSettings,
    name: &ServerName<'static>,
    sni: Option<&str>,
    version: ProtocolVersion,
    deadline: Deadline,
) -> Vec<ScanCertificates> {
    // As many at once as the scan may have open (`--concurrency`, or fewer when open files
    // are short).
    let at_once = settings.scan.unwrap_or(1).min(KINDS.len());
    parallel(&KINDS, at_once, |kind| {
        served(dialer, settings, name, sni, version, kind, deadline)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The chain served for `kind`, judged; `None` when the server has no such certificate.
fn served(
    dialer: &Dialer,
    settings: &ProbeSettings,
    name: &ServerName<'static>,
    sni: Option<&str>,
    version: ProtocolVersion,
    kind: &Kind,
    deadline: Deadline,
) -> Option<ScanCertificates> {
    let suites: Vec<CipherSuite> = known_cipher_suites()
        .filter(|s| {
            facts(*s).is_some_and(|f| {
                f.auth == kind.auth && !f.tls13() && matches!(f.kx, Kx::Ecdhe | Kx::Dhe | Kx::Rsa)
            })
        })
        .map(CipherSuite)
        .collect();
    let client_random = random();
    let spec = HelloSpec {
        version,
        suites,
        sni: sni.map(str::to_string),
        random: client_random,
        groups: Vec::new(),
        status_request: true,
        sct: false,
        alpn: Vec::new(),
        extras: Extras {
            signature_schemes: Some(kind.schemes),
            ..Extras::default()
        },
    };
    let mut io = Recorder::new(dialer.open(deadline).ok()?);
    io.write_all(&build(&spec)).ok()?;
    let bytes = read_flight(&mut io, deadline);
    let read = first_flight::read(&bytes);
    let (hello, server_random) = read.hello.clone()?;
    if hello.version != version || read.end != End::Done {
        return None;
    }
    goodbye(&mut io, hello.version);
    let judged = judge_chain(
        &captured(&read, &client_random, &server_random),
        name,
        sni.is_some(),
        settings,
    );
    // A server without this kind may still answer with another: that is not this kind's.
    let leaf = judged.certificates.first()?;
    if !(kind.key)(&leaf.key.kind) {
        return None;
    }
    Some(ScanCertificates {
        key_type: kind.name.to_string(),
        version: Version(hello.version.0),
        cipher_suite: cipher_suite_name(hello.cipher_suite.0).into_owned(),
        certificates: judged.certificates,
        verification: judged.verification,
    })
}
