//! The `fairglb` binary: parse, run, print errors, exit 0 on success and 2 on any error.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match fairglb::cli::run(fairglb::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
