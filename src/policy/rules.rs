//! The rules of a [`Policy`], judged against what a probe saw: a pure function from the
//! policy and the report's parts to one [`Check`] per rule the policy has, in a fixed order
//! (versions, cipher_suites, groups, dh_param_size, certificate_type, certificate_lifespan,
//! hsts). A rule that needs the scan fails when the scan did not run: it does not pass
//! unjudged.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::{CertificateKeys, KeyKind, Policy, Versions};
use crate::report::{
    Certificate, Check, CheckCode, HttpAnswer, KeyType, PolicyRule, ProtocolVersion, Scan,
};
use crate::wire::code_points::{CipherSuite, NamedGroup};
use crate::wire::names::{cipher_suite_by_name, group_by_name};

/// What a probe saw that a policy judges.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The scan, or `None` when it did not run (or what it found is not the server's).
    pub scan: Option<&'a Scan>,
    /// The chain as served, leaf first.
    pub certificates: &'a [Certificate],
    pub http: Http<'a>,
}

/// The `--http` answer, for the hsts rule.
#[derive(Debug, Clone, Copy)]
pub enum Http<'a> {
    /// `--http` was not given: the hsts rule is not judged.
    NotAsked,
    /// `--http` was given, and no HTTP answer came: why, if known.
    NoAnswer(Option<&'a str>),
    Answer(&'a HttpAnswer),
}

/// One check per rule of `policy`, in the fixed order.
pub fn judge(policy: &Policy, seen: &Seen<'_>) -> Vec<Check> {
    let name = policy.name.as_str();
    let mut checks = Vec::new();
    if let Some(v) = &policy.versions {
        checks.push(with_scan(name, PolicyRule::Versions, seen, |s| {
            versions(name, v, s)
        }));
    }
    if policy.cipher_suites.is_some() || policy.tls13_cipher_suites.is_some() {
        checks.push(with_scan(name, PolicyRule::CipherSuites, seen, |s| {
            cipher_suites(name, policy, s)
        }));
    }
    if let Some(g) = &policy.groups {
        checks.push(with_scan(name, PolicyRule::Groups, seen, |s| {
            groups(name, g, s)
        }));
    }
    if let Some(bits) = policy.dh_param_size {
        checks.push(with_scan(name, PolicyRule::DhParamSize, seen, |s| {
            dh_param_size(name, bits, s)
        }));
    }
    if let Some(c) = &policy.certificate {
        checks.push(with_leaves(
            name,
            PolicyRule::CertificateType,
            seen,
            |l, whose| certificate_type(name, c, l, whose),
        ));
    }
    if let Some(days) = policy.max_lifespan_days {
        checks.push(with_leaves(
            name,
            PolicyRule::CertificateLifespan,
            seen,
            |l, whose| lifespan(name, days, l, whose),
        ));
    }
    if let Some(min_age) = policy.hsts_min_age {
        if let Some(check) = hsts(name, min_age, seen.http) {
            checks.push(check);
        }
    }
    checks
}

fn check(rule: PolicyRule, passed: bool, message: String) -> Check {
    Check {
        check: CheckCode::Policy,
        rule: Some(rule),
        passed,
        message,
    }
}

/// A rule judged from the scan; failed when there is none.
fn with_scan(
    name: &str,
    rule: PolicyRule,
    seen: &Seen<'_>,
    judge: impl FnOnce(&Scan) -> (bool, String),
) -> Check {
    match seen.scan {
        Some(scan) => {
            let (passed, message) = judge(scan);
            check(rule, passed, message)
        }
        None => check(
            rule,
            false,
            format!("the scan did not run, so {name}'s {rule} rule could not be judged"),
        ),
    }
}

/// A rule judged from each leaf the server serves: the probe's, and each other kind the scan
/// saw (`certificate_types`). `judge` says whether one leaf passes, what the policy allows,
/// and what that leaf has. Failed when any fails (naming those) or when no certificate was
/// received.
fn with_leaves(
    name: &str,
    rule: PolicyRule,
    seen: &Seen<'_>,
    judge: impl Fn(&Certificate, &str) -> (bool, String, String),
) -> Check {
    let judged: Vec<(bool, String, String)> = leaves(seen)
        .into_iter()
        .map(|(whose, leaf)| judge(leaf, &whose))
        .collect();
    let Some((_, allows, _)) = judged.first() else {
        return check(
            rule,
            false,
            format!("no certificate was received, so {name}'s {rule} rule could not be judged"),
        );
    };
    let passed = judged.iter().all(|(ok, _, _)| *ok);
    let shown: Vec<&str> = judged
        .iter()
        .filter(|(ok, _, _)| passed || !ok)
        .map(|(_, _, has)| has.as_str())
        .collect();
    check(rule, passed, format!("{allows}; {}", shown.join("; ")))
}

/// The leaves served, each with how a message names it: "the leaf" (the probe's), then "the
/// RSA leaf" and so on for each other one the scan's `certificate_types` saw.
fn leaves<'a>(seen: &Seen<'a>) -> Vec<(String, &'a Certificate)> {
    let probe = seen.certificates.first();
    let others = seen
        .scan
        .into_iter()
        .flat_map(|s| &s.certificate_types)
        .filter_map(|t| Some((&t.key_type, t.certificates.first()?)))
        .filter(|(_, c)| probe.is_none_or(|p| p.sha256 != c.sha256))
        .map(|(kind, c)| (format!("the {kind} leaf"), c));
    probe
        .map(|p| ("the leaf".to_string(), p))
        .into_iter()
        .chain(others)
        .collect()
}

fn list<T: ToString>(items: &[T]) -> String {
    if items.is_empty() {
        return "none".into();
    }
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn versions(name: &str, rule: &Versions, scan: &Scan) -> (bool, String) {
    let accepted: Vec<ProtocolVersion> = scan
        .versions
        .iter()
        .filter(|v| v.accepted)
        .map(|v| v.version)
        .collect();
    let extra: Vec<ProtocolVersion> = accepted
        .iter()
        .copied()
        .filter(|v| !rule.allowed.contains(v))
        .collect();
    let missing: Vec<ProtocolVersion> = rule
        .required
        .iter()
        .copied()
        .filter(|v| !accepted.contains(v))
        .collect();
    let mut message = format!("{name} allows {}", list(&rule.allowed));
    if !extra.is_empty() {
        message += &format!("; the server also accepts {}", list(&extra));
    }
    if !missing.is_empty() {
        message += &format!(
            "; the server does not accept {}, which {name} requires",
            list(&missing)
        );
    }
    if extra.is_empty() && missing.is_empty() {
        message += &format!("; the server accepts {}", list(&accepted));
    }
    (extra.is_empty() && missing.is_empty(), message)
}

fn cipher_suites(name: &str, policy: &Policy, scan: &Scan) -> (bool, String) {
    let mut outside: Vec<String> = Vec::new();
    let mut judged = 0;
    for v in scan.versions.iter().filter(|v| v.accepted) {
        let allowed = if v.version == ProtocolVersion::TLS1_3 {
            &policy.tls13_cipher_suites
        } else {
            &policy.cipher_suites
        };
        let Some(allowed) = allowed else { continue };
        judged += v.cipher_suites.len();
        // A suite without an IANA name is shown as its number: never one allowed.
        let names: Vec<&str> = v
            .cipher_suites
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| !cipher_suite_by_name(n).is_some_and(|c| allowed.contains(&CipherSuite(c))))
            .collect();
        if !names.is_empty() {
            outside.push(format!("{} {}", v.version, names.join(", ")));
        }
    }
    let count = |s: &Option<Vec<CipherSuite>>| s.as_ref().map(Vec::len);
    let suites = |n: usize| match n {
        0 => "no suite".to_string(),
        1 => "1 suite".to_string(),
        n => format!("{n} suites"),
    };
    let allows = match (
        count(&policy.cipher_suites),
        count(&policy.tls13_cipher_suites),
    ) {
        (Some(a), Some(b)) => format!(
            "{} of TLS 1.2 and earlier and {} of TLS 1.3",
            suites(a),
            suites(b)
        ),
        (Some(a), None) => format!("{} of TLS 1.2 and earlier", suites(a)),
        (None, Some(b)) => format!("{} of TLS 1.3", suites(b)),
        (None, None) => "any suite".into(),
    };
    if outside.is_empty() {
        (
            true,
            format!("{name} allows {allows}; each of the {judged} the server accepts is one"),
        )
    } else {
        (
            false,
            format!(
                "{name} allows {allows}; the server also accepts {}",
                outside.join("; ")
            ),
        )
    }
}

/// Elliptic-curve and hybrid groups; the finite-field ones are for a DH size rule.
fn groups(name: &str, allowed: &[NamedGroup], scan: &Scan) -> (bool, String) {
    let judged: Vec<&str> = scan
        .groups
        .iter()
        .map(String::as_str)
        .filter(|g| !group_by_name(g).is_some_and(|c| NamedGroup(c).is_ffdhe()))
        .collect();
    let extra: Vec<&str> = judged
        .iter()
        .copied()
        .filter(|g| !group_by_name(g).is_some_and(|c| allowed.contains(&NamedGroup(c))))
        .collect();
    let mut message = format!("{name} allows {}", list(allowed));
    if extra.is_empty() {
        message += &format!("; the server accepts {}", list(&judged));
    } else {
        message += &format!("; the server also accepts {}", list(&extra));
    }
    (extra.is_empty(), message)
}

/// The DHE primes the server chose for its suites, and the finite-field groups it accepts
/// (`ffdhe2048` is 2048 bits), against the least size allowed.
fn dh_param_size(name: &str, min_bits: u32, scan: &Scan) -> (bool, String) {
    let mut sizes: Vec<(String, u32)> = scan
        .versions
        .iter()
        .flat_map(|v| &v.cipher_suites)
        .filter_map(|s| s.dh_bits.map(|b| (s.name.clone(), b)))
        .chain(scan.groups.iter().filter_map(|g| {
            let bits = g.strip_prefix("ffdhe")?.parse().ok()?;
            Some((g.clone(), bits))
        }))
        .collect();
    sizes.dedup();
    let small: Vec<String> = sizes
        .iter()
        .filter(|(_, b)| *b < min_bits)
        .map(|(what, b)| format!("{what} ({b} bits)"))
        .collect();
    let mut message = format!("{name} asks for DH groups of {min_bits} bits or more");
    if sizes.is_empty() {
        message += "; the server uses none";
    } else if small.is_empty() {
        let least = sizes.iter().map(|(_, b)| *b).min().unwrap_or(0);
        message += &format!("; the server's least is {least} bits");
    } else {
        message += &format!("; the server uses {}", small.join(", "));
    }
    (small.is_empty(), message)
}

/// What a leaf's key is, in the policy's words: its kind, if one of them.
fn key_kind(kind: &KeyType) -> Option<KeyKind> {
    match kind {
        KeyType::Ec => Some(KeyKind::Ecdsa),
        KeyType::Rsa | KeyType::RsaPss => Some(KeyKind::Rsa),
        KeyType::Ed25519 => Some(KeyKind::Ed25519),
        KeyType::Ed448 => Some(KeyKind::Ed448),
        _ => None,
    }
}

fn certificate_type(
    name: &str,
    rule: &CertificateKeys,
    leaf: &Certificate,
    whose: &str,
) -> (bool, String, String) {
    let allows: Vec<String> = rule
        .types
        .iter()
        .map(|k| match k {
            KeyKind::Ecdsa if !rule.curves.is_empty() => format!("ecdsa ({})", list(&rule.curves)),
            KeyKind::Rsa => match rule.rsa_min_bits {
                Some(bits) => format!("rsa ({bits} bits or more)"),
                None => "rsa".into(),
            },
            k => k.to_string(),
        })
        .collect();
    let key = &leaf.key;
    let bits = key.bits.map_or(String::new(), |b| format!(" {b} bits"));
    let curve = key
        .curve
        .as_deref()
        .map_or(String::new(), |c| format!(" {c}"));
    let shown = format!(
        "{}{}",
        key.kind,
        if key.curve.is_some() { curve } else { bits }
    );
    let passed = match key_kind(&key.kind) {
        Some(k) if rule.types.contains(&k) => match k {
            KeyKind::Ecdsa => {
                rule.curves.is_empty()
                    || key.curve.as_ref().is_some_and(|c| rule.curves.contains(c))
            }
            KeyKind::Rsa => rule
                .rsa_min_bits
                .is_none_or(|min| key.bits.is_some_and(|b| b >= min)),
            KeyKind::Ed25519 | KeyKind::Ed448 => true,
        },
        _ => false,
    };
    (
        passed,
        format!("{name} allows {} leaf keys", list(&allows)),
        format!("{whose}'s key is {shown}"),
    )
}

/// Whole days from notBefore to notAfter, rounded down; `None` when either does not parse.
fn lifespan_days(leaf: &Certificate) -> Option<i64> {
    let from = OffsetDateTime::parse(&leaf.not_before, &Rfc3339).ok()?;
    let to = OffsetDateTime::parse(&leaf.not_after, &Rfc3339).ok()?;
    Some((to - from).whole_days())
}

fn lifespan(name: &str, max_days: u32, leaf: &Certificate, whose: &str) -> (bool, String, String) {
    let allows = format!("{name} allows leaves valid at most {max_days} days");
    match lifespan_days(leaf) {
        Some(days) => (
            days <= i64::from(max_days),
            allows,
            format!(
                "{whose} is valid {days} days, from {} to {}",
                leaf.not_before, leaf.not_after
            ),
        ),
        None => (
            false,
            allows,
            format!("{whose}'s validity could not be read"),
        ),
    }
}

/// Strict-Transport-Security's max-age in seconds, as RFC 6797 writes it: directives split at
/// `;`, names in any case, the value bare or quoted; `None` when absent or not a number.
pub fn hsts_max_age(header: &str) -> Option<u64> {
    header.split(';').find_map(|directive| {
        let (key, value) = directive.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("max-age") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        value.parse().ok()
    })
}

fn hsts(name: &str, min_age: u64, http: Http<'_>) -> Option<Check> {
    let rule = PolicyRule::Hsts;
    let asks = format!("{name} asks for Strict-Transport-Security with max-age {min_age} or more");
    let (passed, message) = match http {
        Http::NotAsked => return None,
        Http::NoAnswer(why) => (
            false,
            format!(
                "{asks}; no HTTP answer came{}",
                why.map_or(String::new(), |w| format!(" ({w})"))
            ),
        ),
        Http::Answer(answer) => match answer.security_headers.get("strict-transport-security") {
            None => (false, format!("{asks}; the answer has none")),
            Some(value) => match hsts_max_age(value) {
                Some(age) => (
                    age >= min_age,
                    format!("{asks}; the server sends max-age {age}"),
                ),
                None => (
                    false,
                    format!("{asks}; the server sends {value:?}, without a max-age"),
                ),
            },
        },
    };
    Some(check(rule, passed, message))
}
