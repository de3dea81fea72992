#![forbid(unsafe_code)]
//! Parse the arguments, run the probes, print, and map the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::error::ErrorKind as ClapErrorKind;
use clap::Parser;

use tlsprobe::cli::{Cli, ColorWhen, Command, Format};
use tlsprobe::options::{Options, Output, View};
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
        Err(e) => return usage_error(&tlsprobe::clap_error::one_line(&e)),
    };
    if let Some(command) = &cli.command {
        // --timeout bounds the wait for a FIFO among the input files.
        let wait = match tlsprobe::options::timeout(cli.timeout) {
            Ok(t) => t,
            Err(e) => return usage_error(&format!("{e:#}")),
        };
        let pins = match tlsprobe::pins::Pins::parse(&cli.pin) {
            Ok(p) => p,
            Err(e) => return usage_error(&e),
        };
        let logs = match &cli.ct_log_list {
            Some(path) => match tlsprobe::ct::LogList::load(path, wait) {
                Ok(l) => Some(l),
                Err(e) => return usage_error(&e),
            },
            None => None,
        };
        let asked = tlsprobe::chain_files::Asked {
            pins: &pins,
            logs: logs.as_ref(),
        };
        let json = match tlsprobe::options::format(&cli) {
            Ok(Format::Json) => true,
            Ok(Format::Text) => false,
            Ok(Format::Mermaid) => {
                return usage_error("--format mermaid draws a probe's handshake: use text or json")
            }
            Err(e) => return usage_error(&format!("{e:#}")),
        };
        return ExitCode::from(match command {
            Command::Cert { files, verbose } => run_cert(
                files,
                json,
                cli.color,
                cli.verbose.saturating_add(*verbose),
                &asked,
                wait,
            ),
            Command::Verify(args) => run_verify(args, &asked, json, cli.color, wait),
        });
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
    let scan_asked = options.probe.scan.is_some();
    let mut out = stdout(output);
    let mut progress = Progress::new();
    let mut worst = 0;
    let mut first = true;
    let mut outcomes = 0usize;
    let mut lost = false;
    let result = runner::run(
        &mut options,
        |report| Rendered::new(&report, output, scan_asked),
        |outcome| {
            let rendered = match outcome {
                runner::Outcome::Report(r) => r,
                runner::Outcome::Invalid(message) => {
                    outcomes += 1;
                    progress.clear();
                    say(&message);
                    worst = worst.max(USAGE);
                    return true;
                }
                runner::Outcome::Warning(message) => {
                    progress.clear();
                    say(&format!("warning: {message}"));
                    return true;
                }
            };
            outcomes += 1;
            worst = worst.max(rendered.exit_code);
            progress.clear();
            if let Some(why) = &rendered.scan_skipped {
                say(&format!("warning: {why}"));
            }
            // Text reports are separated by a blank line; JSON and one-line ones need none.
            let sep = if first || output.json || output.view == View::OneLine {
                Ok(())
            } else {
                writeln!(out)
            };
            first = false;
            let written = sep.and_then(|()| rendered.bytes.and_then(|b| out.write_all(&b)));
            progress.count(rendered.exit_code == 0);
            // stdout gone: nobody is reading the rest.
            match written.and_then(|()| out.flush()) {
                Ok(()) => true,
                Err(e) => {
                    lost = write_failed(&e);
                    false
                }
            }
        },
    );
    progress.clear();
    if let Err(e) = result {
        say(&e.to_string());
        return USAGE;
    }
    if lost {
        // Reports were lost, and the rest not probed: no status of theirs can stand.
        return USAGE;
    }
    // A share of a list may hold none of it: this run did its part.
    let others_shared = options.shard.as_ref().is_some_and(|s| s.others() > 0);
    if outcomes == 0 && !others_shared {
        let source = match options.targets_file.as_deref() {
            Some(p) if p == std::path::Path::new("-") => "standard input".to_string(),
            Some(p) => format!("--targets-file {}", p.display()),
            None => "the command line".to_string(),
        };
        say(&format!("no targets to probe: {source} holds none"));
        return USAGE;
    }
    if let Some(failure) = options.probe.keylog.as_ref().and_then(|k| k.failure()) {
        say(&failure);
        worst = worst.max(USAGE);
    }
    if let Some(failure) = options.probe.pcap.as_ref().and_then(|p| p.failure()) {
        say(&failure);
        worst = worst.max(USAGE);
    }
    worst
}

/// A failed write of the report: a closed pipe (`| head -1`) is a quiet stop (false: the exit
/// status stands); anything else (a full disk) is said, and makes the exit status 2 (true).
fn write_failed(e: &io::Error) -> bool {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return false;
    }
    say(&format!("cannot write the report to standard output: {e}"));
    true
}

/// One line on stderr, with whatever in it would act on a terminal shown escaped (it may
/// repeat a path, a line of a targets file, a server's words).
fn say(message: &str) {
    eprintln!("tlsprobe: {}", tlsprobe::printable::printable(message));
}

/// A report rendered on its probe's thread, waiting for its turn to be printed.
struct Rendered {
    bytes: io::Result<Vec<u8>>,
    exit_code: u8,
    /// Why `--scan` did not run, with the target: said on stderr.
    scan_skipped: Option<String>,
}

/// Why `--scan` gave no answers for `report`, when it was asked: the scan asks over
/// connections made as the probe's was, so none when that failed before TLS; and its answers
/// are dropped when this machine ran short of sockets or threads during it.
fn scan_skipped(report: &Report) -> Option<String> {
    use tlsprobe::report::{ErrorKind, Phase};
    if report.scan.is_some() {
        return None;
    }
    let e = report.error.as_ref()?;
    Some(match (e.kind, e.phase) {
        (ErrorKind::Local, _) => "--scan's answers dropped: this machine could not make all of its connections, so its refusals would not be the server's".into(),
        (_, Phase::Handshake) => return None,
        (_, phase) => format!(
            "--scan skipped: the probe failed at {} before TLS, so there was no server to ask",
            phase.as_str()
        ),
    })
}

impl Rendered {
    fn new(report: &Report, output: Output, scan_asked: bool) -> Rendered {
        let mut bytes = Vec::new();
        let layout = render::text::Layout {
            verbose: output.verbose,
            width: output.width,
            ladder: output.view == View::Ladder,
        };
        let written = match output.view {
            _ if output.json => render::json::write(&mut bytes, report),
            View::Mermaid => render::mermaid::write(&mut bytes, report),
            View::OneLine => render::summary_line::write(&mut bytes, report, output.width),
            View::Full | View::Ladder => render::text::write(&mut bytes, report, &layout),
        }
        .and_then(|()| {
            if output.pem && !output.json && matches!(output.view, View::Full | View::Ladder) {
                writeln!(bytes)?;
                render::text::pem(&mut bytes, report)
            } else {
                Ok(())
            }
        });
        Rendered {
            bytes: written.map(|()| bytes),
            exit_code: report.status.exit_code(),
            scan_skipped: scan_asked
                .then(|| scan_skipped(report))
                .flatten()
                .map(|why| format!("{}: {why}", report.target.shown)),
        }
    }
}

impl runner::Finished for Rendered {
    fn bytes(&self) -> usize {
        self.bytes.as_ref().map_or(0, Vec::len)
    }
}

/// A one-line progress count on stderr, when stderr is a terminal, there is more than one
/// target and the run has taken a while ([`Progress::LONG`]): a quick run prints none.
/// Cleared before each report is printed, so the two never mix.
struct Progress {
    on: bool,
    started: std::time::Instant,
    done: usize,
    ok: usize,
    shown: bool,
}

impl Progress {
    /// A run shorter than this shows no progress.
    const LONG: std::time::Duration = std::time::Duration::from_secs(1);

    fn new() -> Self {
        Progress {
            on: io::stderr().is_terminal(),
            started: std::time::Instant::now(),
            done: 0,
            ok: 0,
            shown: false,
        }
    }

    fn count(&mut self, ok: bool) {
        self.done += 1;
        self.ok += usize::from(ok);
        let took = self.started.elapsed();
        if self.on && self.done > 1 && took >= Self::LONG {
            eprint!(
                "\r{} probed, {} ok, {} not ok ({:.0} s)",
                self.done,
                self.ok,
                self.done - self.ok,
                took.as_secs_f64()
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

/// `tlsprobe cert FILE...`: describe each file; exit 2 if any could not be read or holds a
/// certificate that does not parse, else 1 if a check (`--pin`) failed.
fn run_cert(
    files: &[std::path::PathBuf],
    json: bool,
    color: ColorWhen,
    verbose: u8,
    asked: &tlsprobe::chain_files::Asked<'_>,
    wait: std::time::Duration,
) -> u8 {
    let mut out = stdout(Output {
        json,
        pem: false,
        color,
        verbose,
        view: View::Full,
        width: tlsprobe::terminal_width::detect(),
    });
    let now = std::time::SystemTime::now();
    let mut worst = 0;
    for (i, path) in files.iter().enumerate() {
        let file = tlsprobe::inspect::inspect(path, now, wait, asked);
        if file.error.is_some() {
            worst = USAGE;
        } else if file.checks.iter().any(|c| !c.passed) {
            worst = worst.max(1);
        }
        let written = if json {
            render::json::write(&mut out, &file)
        } else {
            let sep = if i > 0 { writeln!(out) } else { Ok(()) };
            sep.and_then(|()| render::text::cert_file(&mut out, &file, verbose))
        };
        if let Err(e) = written.and_then(|()| out.flush()) {
            return if write_failed(&e) { USAGE } else { worst };
        }
    }
    worst
}

/// `tlsprobe verify CHAIN...`: 0 verified (and every `--pin` check passed), 1 not, 2 when the
/// input could not be used.
fn run_verify(
    args: &tlsprobe::cli::VerifyArgs,
    asked: &tlsprobe::chain_files::Asked<'_>,
    json: bool,
    color: ColorWhen,
    wait: std::time::Duration,
) -> u8 {
    let report = tlsprobe::chain_files::run(args, asked, wait);
    let code = match (&report.error, &report.verification) {
        (Some(e), _) => {
            // One line for a person on stderr; with --json the object says it too.
            say(e);
            USAGE
        }
        (None, Some(v)) if v.verified && report.checks.iter().all(|c| c.passed) => 0,
        (None, _) => 1,
    };
    let mut out = stdout(Output {
        json,
        pem: false,
        color,
        verbose: 0,
        view: View::Full,
        width: tlsprobe::terminal_width::detect(),
    });
    let written = if json {
        render::json::write(&mut out, &report)
    } else if report.error.is_none() {
        render::text::chain_report(&mut out, &report, tlsprobe::terminal_width::detect())
    } else {
        Ok(())
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if write_failed(&e) => USAGE,
        Err(_) => code,
    }
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

fn usage_error(message: &str) -> ExitCode {
    let one_line: String = message
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    say(&one_line);
    ExitCode::from(USAGE)
}
