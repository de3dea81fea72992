//! The alert protocol: a record's fragment holds one or more two-byte alerts.

use super::names::{alert_level_name, alert_name};
use super::reader::Reader;
use crate::report::AlertFields;

/// The alerts in an alert record's (plaintext) fragment, in order. A last odd byte is an alert
/// with a level and no description.
pub fn alerts(fragment: &[u8]) -> Vec<AlertFields> {
    let mut r = Reader::new(fragment);
    let mut out = Vec::with_capacity(fragment.len().div_ceil(2));
    while let Some(level) = r.u8() {
        out.push(AlertFields {
            level: Some(alert_level_name(level).into_owned()),
            description: r.u8().map(|d| alert_name(d).into_owned()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_alert() {
        let a = alerts(&[2, 40, 1, 0, 2]);
        let named: Vec<_> = a
            .iter()
            .map(|a| (a.level.as_deref(), a.description.as_deref()))
            .collect();
        assert_eq!(
            named,
            vec![
                (Some("fatal"), Some("handshake_failure")),
                (Some("warning"), Some("close_notify")),
                (Some("fatal"), None)
            ]
        );
        assert!(alerts(&[]).is_empty());
    }
}
