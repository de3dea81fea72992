//! Prose wrapped to the terminal's width at word boundaries: a word is never split, a word
//! longer than a line stands alone on its line.

use std::io::{self, Write};

use anstyle::Style;

/// The visible width of `s` in columns (one per character: the text view's strings are
/// escaped by [`super::clean`] first, and names and messages are rarely East Asian).
pub(super) fn columns(s: &str) -> usize {
    s.chars().count()
}

/// `text` broken into lines: the first at most `first` columns, the others at most `rest`.
pub(super) fn lines(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut room = first.max(1);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && columns(&line) + 1 + columns(word) > room {
            out.push(std::mem::take(&mut line));
            room = rest.max(1);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// One labelled paragraph: `indent` spaces, the label in its style, then `text` in `style`,
/// wrapped to `width`; continuation lines are indented two more than the label.
pub(super) struct Para<'a> {
    pub indent: usize,
    pub label: &'a str,
    pub label_style: Style,
    pub text: &'a str,
    pub style: Style,
}

impl Para<'_> {
    pub(super) fn write(&self, out: &mut dyn Write, width: usize) -> io::Result<()> {
        let lead = self.indent + columns(self.label) + usize::from(!self.label.is_empty());
        let hang = self.indent + 2;
        let parts = lines(
            self.text,
            width.saturating_sub(lead),
            width.saturating_sub(hang),
        );
        let (ls, st) = (self.label_style, self.style);
        write!(out, "{:1$}", "", self.indent)?;
        if !self.label.is_empty() {
            write!(out, "{ls}{}{ls:#} ", self.label)?;
        }
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                write!(out, "{:1$}", "", hang)?;
            }
            writeln!(out, "{st}{part}{st:#}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_between_words_only() {
        let text = "the certificate is self-signed and not trusted by the Mozilla root store";
        let got = lines(text, 30, 40);
        assert_eq!(
            got,
            [
                "the certificate is self-signed",
                "and not trusted by the Mozilla root",
                "store"
            ]
        );
        assert!(got.iter().all(|l| columns(l) <= 40));
        assert_eq!(got.join(" "), text);
    }

    #[test]
    fn a_long_word_stands_alone_unbroken() {
        let long = "x".repeat(50);
        let got = lines(&format!("a {long} b"), 20, 20);
        assert_eq!(got, ["a", long.as_str(), "b"]);
        assert_eq!(lines("", 10, 10), [""]);
    }

    #[test]
    fn a_paragraph_hangs_under_its_label() {
        let mut out = Vec::new();
        Para {
            indent: 4,
            label: "hint:",
            label_style: Style::new(),
            text: "trust this certificate explicitly with --ca-file, or replace it",
            style: Style::new(),
        }
        .write(&mut out, 40)
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "    hint: trust this certificate\n      explicitly with --ca-file, or\n      replace it\n"
        );
    }
}
