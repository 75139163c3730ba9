//! The `cartguard` command line: parses arguments, reads sources, runs the rules,
//! renders the report. Domain logic lives in the library crates.

mod cli;
mod iam_cmd;
mod net_cmd;
mod output;
mod report_cmd;
mod scan;
mod sources;

use std::process::ExitCode;

use clap::Parser;

// The scan allocates many small objects (parsed statements, findings); mimalloc
// serves them markedly faster than the system allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
