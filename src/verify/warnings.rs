//! Warnings about a chain that verifies (or not) but is served badly, or is about to expire.

use super::served::der_contents;
use super::Roots;
use crate::cert::Facts;
use crate::report::{Certificate, Finding, PathEntry, WarningCode};

/// root_sent, chain_order and extra_certificates, from the path found (or, when none was,
/// the path the served names describe), and expires_soon for every served certificate on it.
pub fn warnings(
    described: &[Certificate],
    facts: &[Facts],
    path: &[usize],
    roots: &Roots,
    warn_days: i64,
) -> Vec<Finding<WarningCode>> {
    let mut out = Vec::new();
    let w = |code, cert_index, message: String| Finding {
        code,
        cert_index,
        message,
    };
    let subject = |i: usize| {
        described
            .get(i)
            .map_or("", |c| c.subject.as_str())
            .to_string()
    };

    // A lone self-signed certificate trusted directly is its own anchor, not a root sent along.
    for &i in path.iter().filter(|_| path.len() > 1) {
        let Some(f) = facts.get(i) else { continue };
        if f.self_signed && is_anchor(f, roots) {
            out.push(w(
                WarningCode::RootSent,
                Some(i),
                format!(
                    "the server sent the root {} too; clients already have it, so it only adds bytes to every handshake",
                    subject(i)
                ),
            ));
        }
    }
    let in_order = path.iter().enumerate().all(|(pos, &i)| pos == i);
    if !in_order {
        let order: Vec<String> = path.iter().map(usize::to_string).collect();
        out.push(w(
            WarningCode::ChainOrder,
            None,
            format!(
                "the certificates are served out of order: the path runs {}; some clients insist on leaf-to-root order",
                order.join(" -> ")
            ),
        ));
    }
    let extra: Vec<usize> = (0..facts.len()).filter(|i| !path.contains(i)).collect();
    if !extra.is_empty() {
        let names: Vec<String> = extra
            .iter()
            .map(|&i| format!("{i} ({})", subject(i)))
            .collect();
        out.push(w(
            WarningCode::ExtraCertificates,
            extra.first().copied(),
            format!(
                "certificates not on the path were sent: {}",
                names.join(", ")
            ),
        ));
    }
    for &i in path {
        let Some(c) = described.get(i) else { continue };
        let is_root = facts.get(i).is_some_and(|f| f.self_signed);
        if !is_root && (0..warn_days).contains(&c.days_left) {
            out.push(w(
                WarningCode::ExpiresSoon,
                Some(i),
                format!(
                    "certificate {i} ({}) expires in {} days, on {}",
                    c.subject, c.days_left, c.not_after
                ),
            ));
        }
    }
    out
}

/// The served certificates on `entries` (a verified path), in path order.
pub fn served_indices(entries: &[PathEntry]) -> Vec<usize> {
    entries.iter().filter_map(|e| e.cert_index).collect()
}

fn is_anchor(f: &Facts, roots: &Roots) -> bool {
    let subject = der_contents(&f.subject);
    let spki = der_contents(&f.spki);
    roots.anchors.iter().any(|a| {
        subject == Some(a.subject.as_ref()) && spki == Some(a.subject_public_key_info.as_ref())
    })
}
