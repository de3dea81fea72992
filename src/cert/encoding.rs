//! The text forms the report uses for bytes and times: hex, PEM, RFC 3339, Unix seconds.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Lowercase hex, no separators.
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

/// The `-----BEGIN CERTIFICATE-----` form that `openssl x509` reads: base64 in 64-column lines,
/// each ending in `\n`, the END line too.
pub fn pem(der: &[u8]) -> String {
    let b64 = data_encoding::BASE64.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 60);
    out.push_str("-----BEGIN CERTIFICATE-----\n");
    // Base64 is ASCII, so counting chars counts columns.
    for (i, c) in b64.chars().enumerate() {
        out.push(c);
        if (i + 1) % 64 == 0 || i + 1 == b64.len() {
            out.push('\n');
        }
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// RFC 3339 UTC with whole seconds (`2026-11-22T18:00:00Z`) for a Unix time. Every time an
/// X.509 certificate can hold (years 0 to 9999) has this form; anything beyond falls back to
/// the number of seconds.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| unix.to_string())
}

/// Seconds since the Unix epoch, rounded down (negative before it; saturating).
pub fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => {
            let before = e.duration();
            // -0.5 s is second -1, not second 0: round towards the past like the positive side.
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            if before.subsec_nanos() > 0 {
                -whole.saturating_add(1)
            } else {
                -whole
            }
        }
    }
}

/// The moment `unix` seconds after the epoch (before it when negative), saturating at what
/// `SystemTime` can hold.
pub fn system_time(unix: i64) -> SystemTime {
    let offset = Duration::from_secs(unix.unsigned_abs());
    let moved = if unix >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    // Unreachable for certificate times (years 0 to 9999): SystemTime spans far more.
    moved.unwrap_or(UNIX_EPOCH)
}
