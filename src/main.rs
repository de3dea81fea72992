#![forbid(unsafe_code)]
//! Parse the arguments, run the probes, print, and map the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::error::ErrorKind as ClapErrorKind;
use clap::Parser;

use tlsprobe::cli::{Cli, ColorWhen, Command};
use tlsprobe::options::{Options, Output};
use tlsprobe::report::Report;
use tlsprobe::{render, runner};

/// Exit status for usage and local configuration errors (contract: "Exit status").
const USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e)
            if matches!(
                e.kind(),
                ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion
            ) =>
        {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => return usage_error(&clap_first_line(&e)),
    };
    match &cli.command {
        Some(Command::Cert { files }) => {
            return ExitCode::from(run_cert(files, cli.json, cli.color))
        }
        Some(Command::Verify(args)) => {
            return ExitCode::from(run_verify(args, cli.json, cli.color))
        }
        None => {}
    }
    let options = match Options::from_cli(cli) {
        Ok(o) => o,
        Err(e) => return usage_error(&format!("{e:#}")),
    };
    ExitCode::from(run(options))
}

/// Probe every target, print each report in input order, and return the highest exit status.
fn run(mut options: Options) -> u8 {
    let output = options.output;
    let mut out = stdout(output);
    let mut progress = Progress::new();
    let mut worst = 0;
    let mut first = true;
    let result = runner::run(
        &mut options,
        |report| Rendered::new(&report, output),
        |outcome| {
            let rendered = match outcome {
                runner::Outcome::Report(r) => r,
                runner::Outcome::Invalid(message) => {
                    progress.clear();
                    eprintln!("tlsprobe: {message}");
                    worst = worst.max(USAGE);
                    return true;
                }
                runner::Outcome::Warning(message) => {
                    progress.clear();
                    eprintln!("tlsprobe: warning: {message}");
                    return true;
                }
            };
            worst = worst.max(rendered.exit_code);
            progress.clear();
            // Text reports are separated by a blank line.
            let sep = if first || output.json {
                Ok(())
            } else {
                writeln!(out)
            };
            first = false;
            let written = sep.and_then(|()| rendered.bytes.and_then(|b| out.write_all(&b)));
            progress.count(rendered.exit_code == 0);
            // stdout gone (e.g. a closed pipe): nobody is reading the rest.
            written.and_then(|()| out.flush()).is_ok()
        },
    );
    progress.clear();
    match result {
        Ok(()) => worst,
        Err(e) => {
            eprintln!("tlsprobe: {e}");
            USAGE
        }
    }
}

/// A report rendered on its probe's thread, waiting for its turn to be printed.
struct Rendered {
    bytes: io::Result<Vec<u8>>,
    exit_code: u8,
}

impl Rendered {
    fn new(report: &Report, output: Output) -> Rendered {
        let mut bytes = Vec::new();
        let written = if output.json {
            render::json::write(&mut bytes, report)
        } else {
            render::text::write(&mut bytes, report, output.verbose).and_then(|()| {
                if output.pem {
                    writeln!(bytes)?;
                    render::text::pem(&mut bytes, report)
                } else {
                    Ok(())
                }
            })
        };
        Rendered {
            bytes: written.map(|()| bytes),
            exit_code: report.status.exit_code(),
        }
    }
}

impl runner::Finished for Rendered {
    fn bytes(&self) -> usize {
        self.bytes.as_ref().map_or(0, Vec::len)
    }
}

/// A one-line progress count on stderr, when stderr is a terminal and there is more than one
/// target. Cleared before each report is printed, so the two never mix.
struct Progress {
    on: bool,
    done: usize,
    ok: usize,
    shown: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            on: io::stderr().is_terminal(),
            done: 0,
            ok: 0,
            shown: false,
        }
    }

    fn count(&mut self, ok: bool) {
        self.done += 1;
        self.ok += usize::from(ok);
        if self.on && self.done > 1 {
            eprint!(
                "\r{} probed, {} ok, {} not ok",
                self.done,
                self.ok,
                self.done - self.ok
            );
            self.shown = true;
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

/// `tlsprobe cert FILE...`: describe each file; exit 2 if any could not be read.
fn run_cert(files: &[std::path::PathBuf], json: bool, color: ColorWhen) -> u8 {
    let mut out = stdout(Output {
        json,
        pem: false,
        color,
        verbose: 0,
    });
    let now = std::time::SystemTime::now();
    let mut worst = 0;
    for (i, path) in files.iter().enumerate() {
        let file = tlsprobe::inspect::inspect(path, now);
        if file.error.is_some() {
            worst = USAGE;
        }
        let written = if json {
            render::json::write(&mut out, &file)
        } else {
            let sep = if i > 0 { writeln!(out) } else { Ok(()) };
            sep.and_then(|()| render::text::cert_file(&mut out, &file))
        };
        if written.and_then(|()| out.flush()).is_err() {
            break;
        }
    }
    worst
}

/// `tlsprobe verify CHAIN...`: 0 verified, 1 not, 2 when the input could not be used.
fn run_verify(args: &tlsprobe::cli::VerifyArgs, json: bool, color: ColorWhen) -> u8 {
    let report = tlsprobe::chain_files::run(args);
    let code = match (&report.error, &report.verification) {
        (Some(e), _) => {
            // One line for a person on stderr; with --json the object says it too.
            eprintln!("tlsprobe: {e}");
            USAGE
        }
        (None, Some(v)) if v.verified => 0,
        (None, _) => 1,
    };
    let mut out = stdout(Output {
        json,
        pem: false,
        color,
        verbose: 0,
    });
    let written = if json {
        render::json::write(&mut out, &report)
    } else if report.error.is_none() {
        render::text::chain_report(&mut out, &report)
    } else {
        Ok(())
    };
    let _ = written.and_then(|()| out.flush());
    code
}

/// Standard output: buffered and byte-exact for JSON (no colour to strip, so no scanning of
/// every byte for escapes); through anstream for text, which strips colour when it is off.
fn stdout(output: Output) -> Box<dyn Write> {
    let raw = io::stdout().lock();
    if output.json {
        return Box::new(io::BufWriter::new(raw));
    }
    let choice = match output.color {
        ColorWhen::Never => anstream::ColorChoice::Never,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Auto => anstream::AutoStream::choice(&raw),
    };
    Box::new(anstream::AutoStream::new(raw, choice))
}

fn clap_first_line(e: &clap::Error) -> String {
    // clap's message is its first paragraph; usage and tips follow a blank line.
    let rendered = e.render().to_string();
    let paragraph: Vec<&str> = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let text = paragraph.join(" ");
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    format!("{text} (see --help)")
}

fn usage_error(message: &str) -> ExitCode {
    let one_line: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    eprintln!("tlsprobe: {one_line}");
    ExitCode::from(USAGE)
}
