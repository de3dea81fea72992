//! The alert protocol: a record's fragment holds one or more two-byte alerts.

use super::code_points::{AlertDescription, AlertLevel};
use super::reader::Reader;

/// One alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Alert {
    pub level: AlertLevel,
    /// `None` for a last odd byte: a level without its description.
    pub description: Option<AlertDescription>,
}

/// The alerts in an alert record's (plaintext) fragment, in order. A last odd byte is an alert
/// with a level and no description.
pub fn alerts(fragment: &[u8]) -> Vec<Alert> {
    let mut r = Reader::new(fragment);
    let mut out = Vec::with_capacity(fragment.len().div_ceil(2));
    while let Some(level) = r.u8() {
        out.push(Alert {
            level: AlertLevel(level),
            description: r.u8().map(AlertDescription),
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
        let read: Vec<_> = a.iter().map(|a| (a.level, a.description)).collect();
        assert_eq!(
            read,
            vec![
                (AlertLevel::FATAL, Some(AlertDescription::HANDSHAKE_FAILURE)),
                (AlertLevel::WARNING, Some(AlertDescription::CLOSE_NOTIFY)),
                (AlertLevel::FATAL, None)
            ]
        );
        assert!(alerts(&[]).is_empty());
    }
}
