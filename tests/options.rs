//! The global options (`--cache-dir`, `--no-cache`, `-v`, `-q`) mean the same for every command
//! that reads the facts: they all load them through one entry.

use super::util::{run, seed_copy};

/// Every command that reads the facts, with the arguments it needs on the seed.
const COMMANDS: &[&[&str]] = &[
    &["analyze"],
    &["build", "--out", "out"],
    &["conflicts"],
    &["coverage"],
    &["diagram"],
    &["diff", "--against", "seeds"],
    &["explain", "eff", "amazon"],
    &["export", "--format", "graphml"],
    &[
        "push",
        "--endpoint",
        "http://127.0.0.1:9/store",
        "--retries",
        "0",
    ],
    &["query", "who-signed"],
    &["stances"],
];

fn with(global: &[&str], command: &[&str]) -> Vec<String> {
    global
        .iter()
        .chain(command)
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn every_reading_command_uses_the_cache_dir_and_honours_no_cache() {
    for command in COMMANDS {
        let tmp = seed_copy();
        let args = with(&["--cache-dir", "c1"], command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(tmp.path(), &args);
        assert!(
            tmp.path().join("c1").is_dir(),
            "{command:?} ignored --cache-dir"
        );
        assert!(!tmp.path().join(".coalition-cache").exists(), "{command:?}");

        let args = with(&["--no-cache", "--cache-dir", "c2"], command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(tmp.path(), &args);
        assert!(
            !tmp.path().join("c2").exists(),
            "{command:?} ignored --no-cache"
        );
    }
}

#[test]
fn every_reading_command_is_verbose_with_v_and_silent_with_q() {
    for command in COMMANDS.iter().filter(|c| c[0] != "push") {
        let tmp = seed_copy();
        let args = with(&["-v"], command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(tmp.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{command:?}: {err}");
        assert!(
            err.contains("timing: parse"),
            "{command:?} ignored -v: {err}"
        );

        let args = with(&["-q"], command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(tmp.path(), &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{command:?} printed with -q: {err}");
    }
}
