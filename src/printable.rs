//! Text from outside (a peer's certificate names, a line of a targets file, a path) made safe
//! for a terminal: every character that would act instead of show is written as its escape,
//! `\u{202e}`. Only text output and stderr use this; JSON carries the true value.

use std::borrow::Cow;

/// How many characters of a person's input an error line repeats.
pub const ECHO_CHARS: usize = 100;

/// `s` with control characters (C0, DEL, C1: escape sequences, bells, carriage returns) and
/// invisible format characters (bidirectional overrides and isolates, zero-width characters,
/// line and paragraph separators, the soft hyphen, the byte-order mark) escaped.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.extend(c.escape_default()),
            _ if acts(c) => out.extend(c.escape_unicode()),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A person's input repeated in an error: [`printable`], and at most [`ECHO_CHARS`] characters
/// of it, an ellipsis saying that there was more.
pub fn echo(s: &str) -> String {
    let mut chars = s.char_indices();
    match chars.nth(ECHO_CHARS) {
        None => printable(s).into_owned(),
        Some((cut, _)) => {
            let total = s.chars().count();
            format!("{}... ({total} characters)", printable(&s[..cut]))
        }
    }
}

/// Characters that change what a terminal shows rather than showing themselves: Unicode's
/// controls (Cc), format characters (Cf) and the line and paragraph separators (Zl, Zp).
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_format_characters_are_shown_escaped() {
        assert!(matches!(
            printable("plain café"),
            Cow::Borrowed("plain café")
        ));
        let evil = "CN=\u{1b}[31mred\u{7}\n\u{85}";
        assert_eq!(printable(evil), "CN=\\u{1b}[31mred\\u{7}\\n\\u{85}");
        for c in [
            '\u{202E}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200B}',
            '\u{200F}', '\u{061C}', '\u{FEFF}', '\u{00AD}', '\u{2028}', '\u{2029}', '\u{0}',
        ] {
            let shown = printable(&format!("a{c}b")).into_owned();
            assert_eq!(shown, format!("a\\u{{{:x}}}b", c as u32), "{c:?}");
        }
    }

    #[test]
    fn echoes_are_cut_to_a_hundred_characters() {
        assert_eq!(echo("short"), "short");
        let long = "é".repeat(1_000_000);
        let shown = echo(&long);
        assert!(shown.starts_with(&"é".repeat(ECHO_CHARS)), "{shown}");
        assert!(shown.ends_with("... (1000000 characters)"), "{shown}");
        assert_eq!(echo(&"x".repeat(ECHO_CHARS)), "x".repeat(ECHO_CHARS));
        assert_eq!(echo("\u{1b}[2J"), "\\u{1b}[2J");
    }
}
