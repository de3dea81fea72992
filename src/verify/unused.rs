//! Stage 4: what was served but is not on the path. It cannot make verification fail (only
//! the path can), but a person should know what is wrong with it: an expired cross-sign, a
//! stray certificate for another site, a duplicate.

use super::path_view::describe_index;
use crate::cert::Facts;
use crate::report::{Certificate, Finding, WarningCode};

/// One `extra_certificates` warning per served certificate outside `used` (the served
/// indices on the path, anchor included when it was sent too).
pub fn warnings(
    described: &[Certificate],
    facts: &[Facts],
    used: &[usize],
    at: i64,
    from_server: bool,
) -> Vec<Finding<WarningCode>> {
    let mut out = Vec::new();
    for (i, f) in facts.iter().enumerate().filter(|(i, _)| !used.contains(i)) {
        let d = described.get(i);
        let mut what = Vec::new();
        if !f.parsed {
            what.push("it cannot be parsed".to_string());
        } else {
            if at > f.not_after {
                what.push(format!(
                    "it expired on {}",
                    d.map_or("", |d| d.not_after.as_str())
                ));
            } else if at < f.not_before {
                what.push(format!(
                    "it is not valid until {}",
                    d.map_or("", |d| d.not_before.as_str())
                ));
            }
            if !f.is_ca {
                what.push("it is not a CA, so it cannot issue anything".to_string());
            }
            if let Some(j) =
                (0..i).find(|&j| described.get(j).map(|c| &c.sha256) == d.map(|c| &c.sha256))
            {
                what.push(format!("it is a second copy of certificate {j}"));
            }
        }
        let cost = if from_server {
            "; clients ignore it, but it adds bytes to every handshake"
        } else {
            ""
        };
        let detail = if what.is_empty() {
            String::new()
        } else {
            format!(" ({})", what.join("; "))
        };
        out.push(Finding {
            code: WarningCode::ExtraCertificates,
            cert_index: Some(i),
            message: format!("{} is not on the path{detail}{cost}", describe_index(i, d)),
            hint: None,
        });
    }
    out
}
