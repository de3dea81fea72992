//! Checks the user asked for, judged from the finished report.

use crate::policy::{Http, Policy, Seen};
use crate::report::{Certificate, Check, CheckCode, Scan, Verification};

use super::session::Session;
use super::{Exchange, ProbeSettings};

/// `--policy`: its rules judged against the scan (`None` when it did not run), the chain and,
/// with `--http`, the answer.
pub(super) fn policy(
    policy: &Policy,
    scan: Option<&Scan>,
    session: &Session,
    settings: &ProbeSettings,
) -> Vec<Check> {
    let http = match (&settings.exchange, &session.application) {
        (Some(Exchange::Http), Some(app)) => match &app.http {
            Some(answer) => Http::Answer(answer),
            None => Http::NoAnswer(app.note.as_deref()),
        },
        (Some(Exchange::Http), None) => Http::NoAnswer(None),
        _ => Http::NotAsked,
    };
    crate::policy::judge(
        policy,
        &Seen {
            scan,
            certificates: &session.certificates,
            http,
        },
    )
}

/// `--min-days`: every served certificate on the path, roots aside, must have at least `days`
/// days left.
pub(super) fn min_days(
    certificates: &[Certificate],
    verification: Option<&Verification>,
    days: u32,
) -> Check {
    let on_path: Vec<usize> = verification
        .map(|v| {
            v.path
                .iter()
                .filter(|e| !e.trust_anchor)
                .filter_map(|e| e.cert_index)
                .collect()
        })
        .filter(|p: &Vec<usize>| !p.is_empty())
        .unwrap_or_else(|| vec![0]);
    let short: Vec<String> = on_path
        .iter()
        .filter_map(|&i| certificates.get(i).map(|c| (i, c)))
        .filter(|(_, c)| !(c.self_signed && c.is_ca))
        .filter(|(_, c)| c.days_left < i64::from(days))
        .map(|(i, c)| {
            format!(
                "certificate {i} ({}) expires in {} days, on {}",
                c.subject, c.days_left, c.not_after
            )
        })
        .collect();
    let leaf_days = certificates.first().map_or(0, |c| c.days_left);
    Check {
        check: CheckCode::MinDays,
        rule: None,
        passed: short.is_empty() && !certificates.is_empty(),
        message: if certificates.is_empty() {
            "no certificate was received".into()
        } else if short.is_empty() {
            format!("every certificate has at least {days} days left (the leaf: {leaf_days})")
        } else {
            format!("{}; --min-days is {days}", short.join("; "))
        },
    }
}
