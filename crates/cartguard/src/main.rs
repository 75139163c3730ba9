//! The `cartguard` command line: parses arguments, reads sources, runs the rules,
//! renders the report. Domain logic lives in the library crates.

mod cli;
mod iam_cmd;
mod net_cmd;
mod scan;
mod sources;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
