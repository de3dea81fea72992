//! How wide the text view may be: the `COLUMNS` environment variable when it holds a number,
//! else the width of the terminal standard output is, else 80 (a pipe, a file).

use std::io::IsTerminal;

/// Used when standard output is not a terminal and `COLUMNS` says nothing.
pub const DEFAULT: usize = 80;

/// Narrower than this, wrapping would leave a word or two a line: treated as this.
pub const NARROWEST: usize = 40;

/// The width to wrap the text view at, in columns.
pub fn detect() -> usize {
    let from_env = std::env::var("COLUMNS").ok().and_then(|c| parse(&c));
    from_env
        .or_else(of_stdout)
        .unwrap_or(DEFAULT)
        .max(NARROWEST)
}

/// `COLUMNS`: a positive whole number (surrounding blanks allowed), else nothing.
fn parse(columns: &str) -> Option<usize> {
    columns.trim().parse::<usize>().ok().filter(|&c| c > 0)
}

/// The terminal's own idea of its width (TIOCGWINSZ), when standard output is one.
fn of_stdout() -> Option<usize> {
    let stdout = std::io::stdout();
    if !stdout.is_terminal() {
        return None;
    }
    let size = rustix::termios::tcgetwinsize(&stdout).ok()?;
    Some(usize::from(size.ws_col)).filter(|&c| c > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_must_be_a_positive_number() {
        assert_eq!(parse("120"), Some(120));
        assert_eq!(parse(" 80\n"), Some(80));
        assert_eq!(parse("0"), None);
        assert_eq!(parse("wide"), None);
        assert_eq!(parse("-5"), None);
    }
}
