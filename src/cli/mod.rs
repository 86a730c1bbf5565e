//! The command line: `oauthlint [check] PATH…`, `oauthlint rules`, `oauthlint explain RULE`.

mod check;
mod migrate;
mod rules;
mod stdout;
mod trace;

use crate::catalog::Profile;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// Exit codes: the contract with CI.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "oauthlint",
    version,
    about = "Lint Apigee API proxy bundles for OAuth 2.0 antipatterns and security mistakes",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Lint the bundles below each PATH (the default command)
    Check(CheckArgs),
    /// List the rules
    Rules(RulesArgs),
    /// Print a rule's documentation
    Explain {
        /// The rule's name, e.g. refresh-token-never-refreshed
        rule: String,
    },
    /// Run requests through the bundles offline and show what Apigee would execute
    Trace(TraceCommand),
    /// Print the oauthlint.toml that does what an apigeelint .apigeelintrc (and apigeelint
    /// options given after it) did; what has no equivalent is said on stderr
    Migrate {
        /// The .apigeelintrc to read (default: `.apigeelintrc` here, if there is one)
        rc: Option<PathBuf>,
        /// apigeelint options, after `--`, e.g. `-- --profile apigeex -e PO013`
        #[arg(last = true)]
        apigeelint: Vec<String>,
    },
}

#[derive(Args)]
struct TraceCommand {
    /// Folders holding the bundles, or zipped bundles (all of them form the project, as for
    /// linting)
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The request line, e.g. "POST /oauth/token?x=1"
    #[arg(long, conflicts_with = "scenario")]
    request: Option<String>,
    /// A request header, "Name: value" (repeatable)
    #[arg(long = "header", value_name = "HEADER")]
    headers: Vec<String>,
    /// Form parameters of the body, "name=value" or "a=1&b=2" (repeatable); the body is sent as
    /// application/x-www-form-urlencoded unless a --header gives another Content-Type
    #[arg(long = "form", value_name = "FORM")]
    forms: Vec<String>,
    /// A file of requests in the HTTP-file format, run in order against one token store
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = HumanOrJson::Human)]
    format: HumanOrJson,
}

#[derive(Args)]
pub struct CheckArgs {
    /// Folders to search for `apiproxy/` and `sharedflowbundle/` bundles, bundle folders, or
    /// zipped bundles (`proxy.zip`) [default: . unless --stdin-filename is given]
    paths: Vec<PathBuf>,
    /// Lint the bundle holding this file with the file's content read from standard input (an
    /// editor's unsaved buffer); PATHs add the rest of the project
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::report::Format::Human)]
    format: crate::report::Format,
    /// Write the report to FILE (replaced whole, never half-written); the summary line still
    /// goes to stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when there are more warnings than this, even without errors
    #[arg(long, value_name = "N")]
    max_warnings: Option<usize>,
    /// When to colour the human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Read this configuration file instead of the nearest `oauthlint.toml`
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no configuration file
    #[arg(long)]
    no_config: bool,
    /// Run only these rules (comma-separated; an apigeelint ID stands for the rules replacing it)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Do not run these rules (comma-separated; an apigeelint ID stands for the rules replacing it)
    #[arg(long, value_name = "RULE,...", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Set a rule's level: off, info, warning or error (repeatable)
    #[arg(long = "level", value_name = "RULE=LEVEL")]
    levels: Vec<String>,
    /// Run the preview rules too (new rules, off by default)
    #[arg(long)]
    preview: bool,
    /// The Apigee platform the bundles deploy to (instead of `profile` in oauthlint.toml)
    #[arg(long, value_name = "PROFILE", value_parser = profile_parser())]
    profile: Option<Profile>,
    /// Report and fail only on findings that this baseline file does not hold
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file, and exit 0
    #[arg(long, value_name = "FILE", conflicts_with_all = ["baseline", "format", "max_warnings"])]
    write_baseline: Option<PathBuf>,
    /// Share the work among N threads [default: every core]; 1 runs everything on one thread.
    /// The report is the same whatever N
    #[arg(long, value_name = "N")]
    threads: Option<std::num::NonZeroUsize>,
}

#[derive(Args)]
struct RulesArgs {
    /// `human` prints a table; `json` an array for tools
    #[arg(long, value_enum, default_value_t = HumanOrJson::Human)]
    format: HumanOrJson,
}

/// The formats of `rules` and `trace`; the lint report's formats are [`crate::report::Format`].
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum HumanOrJson {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `--profile`: one of [`Profile::NAMES`], listed in the help.
fn profile_parser() -> impl TypedValueParser<Value = Profile> {
    PossibleValuesParser::new(Profile::NAMES)
        .map(|name| Profile::from_name(&name).expect("a name the parser accepts"))
}

/// Runs the command line and returns the process exit code; fatal errors are printed here.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        None => check::run(&cli.check),
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Rules(args)) => rules::list(args.format),
        Some(Command::Explain { rule }) => rules::explain(&rule),
        Some(Command::Migrate { rc, apigeelint }) => {
            let default = Path::new(".apigeelintrc");
            let rc = rc.as_deref().or(default.is_file().then_some(default));
            migrate::run(rc, &apigeelint)
        }
        Some(Command::Trace(t)) => trace::run(trace::TraceArgs {
            paths: &t.paths,
            request: t.request.as_deref(),
            headers: &t.headers,
            forms: &t.forms,
            scenario: t.scenario.as_ref(),
            format: t.format,
        }),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{error:?}");
            EXIT_FAILURE
        }
    }
}
