//! Stage 2: webpki's verdict on one candidate path, alone.
//!
//! Each anchored candidate is handed to webpki with exactly its own intermediates and its one
//! anchor, so the error that comes back is that path's and no other's. webpki checks validity
//! while it builds, so a path that fails on time alone is tried again at moments inside the
//! certificates' windows: what else is wrong with it is still found, and the time errors
//! themselves are named by `judge.rs` for the certificates actually on the path.

use rustls::pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use webpki::{
    CertRevocationList, RevocationCheckDepth, RevocationOptionsBuilder, UnknownStatusPolicy,
};

use super::candidates::Candidate;
use super::Purpose;

/// webpki's answer for one candidate.
#[derive(Debug)]
pub enum Verdict {
    /// Everything webpki checks holds at the validation time.
    Valid,
    /// Only validity periods stand in the way: at some other moment the path verifies.
    OnlyTime,
    /// Something other than time (the first error webpki met on this path).
    Fault(webpki::Error),
}

/// What webpki needs beyond the candidate.
pub struct Context<'a> {
    pub leaf: &'a webpki::EndEntityCert<'a>,
    pub chain: &'a [CertificateDer<'static>],
    pub anchors: &'a [TrustAnchor<'static>],
    pub algorithms: &'a [&'a dyn SignatureVerificationAlgorithm],
    pub purpose: Purpose,
    pub crls: &'a [CertRevocationList<'static>],
    pub at: i64,
}

/// Run webpki on `candidate` (an anchored one) at the validation time, then at other moments
/// if time was the only complaint. `windows` are the validity windows of the certificates on
/// the path (anchor included where known).
pub fn verdict(
    ctx: &Context<'_>,
    candidate: &Candidate,
    anchor: usize,
    windows: &[(i64, i64)],
) -> Verdict {
    let Some(anchor) = ctx.anchors.get(anchor) else {
        return Verdict::Fault(webpki::Error::UnknownIssuer);
    };
    let anchors = std::slice::from_ref(anchor);
    let intermediates: Vec<CertificateDer<'_>> = candidate
        .certs
        .iter()
        .skip(1)
        .filter_map(|&i| ctx.chain.get(i).cloned())
        .collect();
    let crl_refs: Vec<&CertRevocationList<'_>> = ctx.crls.iter().collect();
    let revocation = RevocationOptionsBuilder::new(&crl_refs).ok().map(|b| {
        b.with_depth(RevocationCheckDepth::Chain)
            .with_status_policy(UnknownStatusPolicy::Allow)
            .build()
    });
    let usage = match ctx.purpose {
        Purpose::Server => webpki::KeyUsage::server_auth(),
        Purpose::Client => webpki::KeyUsage::client_auth(),
    };
    let run = |at: i64| {
        ctx.leaf
            .verify_for_usage(
                ctx.algorithms,
                anchors,
                &intermediates,
                UnixTime::since_unix_epoch(std::time::Duration::from_secs(
                    at.max(0).unsigned_abs(),
                )),
                usage,
                revocation,
                None,
            )
            .map(|_| ())
    };
    match run(ctx.at) {
        Ok(()) => return Verdict::Valid,
        Err(e) if !is_time(&e) => return Verdict::Fault(e),
        Err(_) => {}
    }
    let mut moments: Vec<i64> = moment_inside_all(windows).into_iter().collect();
    moments.extend(windows.iter().map(|&(nb, na)| midpoint(nb, na)));
    for at in moments {
        match run(at) {
            Ok(()) => return Verdict::OnlyTime,
            Err(e) if !is_time(&e) => return Verdict::Fault(e),
            Err(_) => {}
        }
    }
    // Time errors at every moment tried: the windows do not overlap. The path itself reached
    // its anchor by name; `judge.rs` names each certificate outside its window.
    Verdict::OnlyTime
}

fn is_time(e: &webpki::Error) -> bool {
    matches!(
        e,
        webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }
    )
}

fn midpoint(a: i64, b: i64) -> i64 {
    a.saturating_add(b.saturating_sub(a) / 2)
}

fn moment_inside_all(windows: &[(i64, i64)]) -> Option<i64> {
    let lo = windows.iter().map(|w| w.0).max()?;
    let hi = windows.iter().map(|w| w.1).min()?;
    (lo <= hi).then(|| midpoint(lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_inside_every_window() {
        assert_eq!(moment_inside_all(&[(0, 100), (10, 200)]), Some(55));
        assert_eq!(moment_inside_all(&[(0, 10), (20, 30)]), None);
        assert_eq!(moment_inside_all(&[]), None);
    }
}
