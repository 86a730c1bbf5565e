use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(oauthlint::cli::run(oauthlint::cli::Cli::parse()))
}
