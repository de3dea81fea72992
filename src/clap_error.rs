//! A command-line mistake as one plain sentence, with clap's suggestion kept in it:
//! `unknown option '--jsn' (did you mean '--json'?)`. clap's own rendering is a paragraph, a
//! tip, the usage and a pointer to `--help` over several lines; the program prints one line.

use std::error::Error as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// `e` as one line, without the `error: ` prefix, ending in `(see --help)` unless a
/// suggestion says more.
pub fn one_line(e: &clap::Error) -> String {
    let arg = text(e, ContextKind::InvalidArg);
    let value = text(e, ContextKind::InvalidValue);
    let sentence = match e.kind() {
        ErrorKind::UnknownArgument => match &arg {
            Some(a) if a.starts_with('-') => format!("unknown option '{a}'"),
            Some(a) => format!("unexpected argument '{a}'"),
            None => first_paragraph(e),
        },
        ErrorKind::InvalidSubcommand => match &text(e, ContextKind::InvalidSubcommand) {
            Some(s) => format!("unknown subcommand '{s}'"),
            None => first_paragraph(e),
        },
        ErrorKind::ValueValidation => match (&arg, &value) {
            (Some(a), Some(v)) => {
                let why = e.source().map_or_else(
                    || "it is not valid".to_string(),
                    |s| plain_parse(&s.to_string()),
                );
                format!("invalid {} '{v}': {why}", option_name(a))
            }
            _ => first_paragraph(e),
        },
        ErrorKind::InvalidValue => match (&arg, &value) {
            (Some(a), Some(v)) if v.is_empty() => format!("{} needs a value", option_name(a)),
            (Some(a), Some(v)) => match list(e, ContextKind::ValidValue) {
                Some(valid) => format!("invalid {} '{v}': give {valid}", option_name(a)),
                None => format!("invalid {} '{v}'", option_name(a)),
            },
            _ => first_paragraph(e),
        },
        _ => first_paragraph(e),
    };
    let suggested = text(e, ContextKind::SuggestedArg)
        .or_else(|| text(e, ContextKind::SuggestedValue))
        .or_else(|| text(e, ContextKind::SuggestedSubcommand));
    match suggested {
        Some(s) => format!("{sentence} (did you mean '{s}'?)"),
        None => format!("{sentence} (see --help)"),
    }
}

/// `--timeout <SECS>` -> `--timeout`; a positional `<TARGET>...` stays as it is.
fn option_name(arg: &str) -> &str {
    if arg.starts_with('-') {
        arg.split([' ', '=']).next().unwrap_or(arg)
    } else {
        arg
    }
}

/// The standard library's number-parsing words, as advice.
fn plain_parse(why: &str) -> String {
    match why {
        "invalid digit found in string" | "cannot parse integer from empty string" => {
            "give a whole number".into()
        }
        "invalid float literal" => "give a number".into(),
        "number too large to fit in target type" => "the number is too large".into(),
        other => other.to_string(),
    }
}

fn text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => v.first().map(ToString::to_string),
        _ => None,
    }
}

/// `a, b or c`.
fn list(e: &clap::Error, kind: ContextKind) -> Option<String> {
    let ContextValue::Strings(v) = e.get(kind)? else {
        return None;
    };
    match v.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [init @ .., last] => Some(format!("{} or {last}", init.join(", "))),
    }
}

/// clap's message: its first paragraph (usage and tips follow a blank line), on one line.
fn first_paragraph(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let paragraph: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let text = paragraph.join(" ");
    text.strip_prefix("error: ").unwrap_or(&text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    fn said(args: &[&str]) -> String {
        let mut all = vec!["tlsprobe"];
        all.extend(args);
        one_line(&Cli::try_parse_from(all).unwrap_err())
    }

    #[test]
    fn suggestions_are_kept() {
        assert_eq!(
            said(&["--jsn", "a.example"]),
            "unknown option '--jsn' (did you mean '--json'?)"
        );
        assert_eq!(
            said(&["--tls13", "a.example"]),
            "unknown option '--tls13' (did you mean '--tls1.3'?)"
        );
    }

    #[test]
    fn values_say_what_to_give() {
        assert_eq!(
            said(&["--concurrency", "x", "a.example"]),
            "invalid --concurrency 'x': give a whole number (see --help)"
        );
        assert_eq!(
            said(&["--timeout", "soon", "a.example"]),
            "invalid --timeout 'soon': give a number (see --help)"
        );
        assert_eq!(
            said(&["--color", "blue", "a.example"]),
            "invalid --color 'blue': give auto, always or never (see --help)"
        );
    }

    #[test]
    fn other_errors_are_clap_s_first_paragraph() {
        let e = said(&["--tls1.2", "--tls1.3", "a.example"]);
        assert!(
            e.starts_with("the argument '--tls1.2' cannot be used with"),
            "{e}"
        );
        assert!(e.ends_with("(see --help)"), "{e}");
        assert!(!e.contains('\n'), "{e}");
    }
}
