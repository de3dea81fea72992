//! Stage 5: warnings about how the path was served, and what expires soon.

use crate::report::{Certificate, Finding, WarningCode};

/// root_sent, chain_order and expires_soon, from `path` (served indices on the path, in path
/// order, the anchor's last when it was sent too). `root_sent` is the index of a served
/// certificate that is the path's trust anchor.
pub fn warnings(
    described: &[Certificate],
    path: &[usize],
    root_sent: Option<usize>,
    warn_days: i64,
) -> Vec<Finding<WarningCode>> {
    let mut out = Vec::new();
    let w = |code, cert_index, message: String| Finding {
        code,
        cert_index,
        message,
        hint: None,
    };
    let subject = |i: usize| {
        described
            .get(i)
            .map_or("", |c| c.subject.as_str())
            .to_string()
    };

    // A lone self-signed certificate trusted directly is its own anchor, not a root sent along.
    if let Some(i) = root_sent.filter(|_| path.len() > 1) {
        out.push(w(
            WarningCode::RootSent,
            Some(i),
            format!(
                "the server sent the root {} too; clients already have it, so it only adds bytes to every handshake",
                subject(i)
            ),
        ));
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
    for &i in path {
        let Some(c) = described.get(i) else { continue };
        if Some(i) != root_sent && !c.self_signed && (0..warn_days).contains(&c.days_left) {
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
