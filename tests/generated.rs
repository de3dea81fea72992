//! man/ and completions/ are generated from the clap definitions and checked in. This test
//! fails when they are stale; `TLSPROBE_REGENERATE=1 cargo test --test generated` rewrites them.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell;

fn generated() -> Vec<(String, Vec<u8>)> {
    let cmd = tlsprobe::cli::Cli::command();
    let mut man = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut man)
        .expect("render man page");
    let mut files = vec![("man/tlsprobe.1".to_string(), man)];
    // One page per subcommand, named as the main page's SUBCOMMANDS section names them
    // (tlsprobe-cert(1)); built first, so that the global options (--json, --timeout) are on it.
    let mut built = cmd.clone().disable_help_subcommand(true);
    built.build();
    for sub in built.get_subcommands() {
        let page = clap_mangen::Man::new(sub.clone());
        let mut text = Vec::new();
        page.render(&mut text)
            .expect("render a subcommand's man page");
        files.push((format!("man/{}", page.get_filename()), text));
    }
    for (shell, path) in [
        (Shell::Bash, "completions/tlsprobe.bash"),
        (Shell::Zsh, "completions/_tlsprobe"),
        (Shell::Fish, "completions/tlsprobe.fish"),
        (Shell::PowerShell, "completions/_tlsprobe.ps1"),
        (Shell::Elvish, "completions/tlsprobe.elv"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd.clone(), "tlsprobe", &mut buf);
        files.push((path.to_string(), buf));
    }
    files
}

#[test]
fn man_page_and_completions_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regenerate = std::env::var_os("TLSPROBE_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated() {
        let full = root.join(&path);
        if regenerate {
            std::fs::create_dir_all(full.parent().expect("path has a parent")).expect("mkdir");
            std::fs::write(&full, &content).expect("write generated file");
        } else if std::fs::read(&full).ok().as_deref() != Some(&content[..]) {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `TLSPROBE_REGENERATE=1 cargo test --test generated` and commit them"
    );
}

#[test]
fn every_subcommand_has_its_man_page() {
    let names: Vec<String> = generated().into_iter().map(|(path, _)| path).collect();
    for page in ["man/tlsprobe-cert.1", "man/tlsprobe-verify.1"] {
        assert!(names.iter().any(|n| n == page), "no {page} in {names:?}");
    }
    let (_, verify) = generated()
        .into_iter()
        .find(|(path, _)| path == "man/tlsprobe-verify.1")
        .expect("the verify page");
    let verify = String::from_utf8_lossy(&verify);
    for opt in ["ca\\-file", "untrusted", "purpose", "json"] {
        assert!(
            verify.contains(&format!("\\-\\-{opt}")),
            "tlsprobe-verify(1) lacks --{opt}"
        );
    }
}

#[test]
fn man_page_documents_every_contract_option() {
    let (_, man) = &generated()[0];
    let man = String::from_utf8_lossy(man);
    for opt in [
        "json",
        "color",
        "sni",
        "no\\-sni",
        "ca\\-file",
        "system\\-roots",
        "tls1.2",
        "tls1.3",
        "alpn",
        "timeout",
        "trace",
    ] {
        assert!(
            man.contains(&format!("\\-\\-{opt}")),
            "man page lacks --{opt}"
        );
    }
}
