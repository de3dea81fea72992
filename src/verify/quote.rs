//! A name from a certificate, quoted for a message: in double quotes, with what is not
//! printable escaped, so that a malformed name shows exactly what it holds.

/// `s` between double quotes, `"` and `\` escaped, control and other unprintable characters
/// as `\n`, `\u{..}`: the spelling Rust gives a string literal, which messages have used
/// since they were first written.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        // A single quote needs no escape inside double quotes.
        if c == '\'' {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_a_string_literal() {
        for s in [
            "example.com",
            "",
            "a b",
            "it's",
            "say \"hi\"",
            "back\\slash",
            "tab\there\nnewline\r\0",
            "\u{7f}\u{1b}[31m",
            "caf\u{e9}",
            "\u{301}accent first, then a\u{301}",
            "zero\u{200b}width",
            "\u{feff}bom",
            "\u{10ffff}",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }
}
