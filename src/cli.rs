//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// rapport: customer-feedback report sites from survey exports and markdown.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, about, propagate_version = true, disable_help_subcommand = true)]
pub struct Cli {
    /// Print nothing but warnings and errors
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage took and the rows of each export
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// How much a command prints besides its result, warnings and errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

impl Cli {
    pub fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, true) => Verbosity::Verbose,
            (false, false) => Verbosity::Normal,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: site.toml, content/ and, with --demo, sample survey data
    Init(InitArgs),
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
    /// Build and serve the site on 127.0.0.1, rebuilding and reloading the browser on every change
    Serve(ServeArgs),
    /// Check inputs and targets without writing the site; exit 1 on a missed target
    Check(CheckArgs),
    /// Print figures for a period and grouping as a table, JSON or CSV
    Metrics(MetricsArgs),
}

/// The site folder, for commands that read a site.
#[derive(Debug, Args)]
pub struct RootArg {
    /// The site's folder (the one holding site.toml)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// text for people, json for a CI job to post
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// all (the default), one period (2026-10, 2026-Q4, 2026-W41, 2026) or every period of a kind (week, month, quarter, year)
    #[arg(long, value_name = "P", default_value = "all")]
    pub period: String,
    /// Group by a dimension, or cross two with a comma (channel,touchpoint); also transfers, first_response, survey_count
    #[arg(long, value_name = "DIM")]
    pub by: Option<String>,
    #[arg(long, value_enum, default_value_t = MetricsFormat::Table)]
    pub format: MetricsFormat,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create the site in
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Add a realistic demo: a year of survey exports, commentary and case studies
    #[arg(long)]
    pub demo: bool,
    /// Write into a folder that already has files (existing files with the same names are replaced)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Where to write the site; relative to the site's folder [default: public]
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Publish under this address instead of site.toml's base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub root: RootArg,
    /// Port to listen on; 0 picks a free one [default: 1111, or a free one when it is taken]
    #[arg(long, short, value_name = "N")]
    pub port: Option<u16>,
    /// Address to listen on; anything but 127.0.0.1 or ::1 makes the site reachable from other machines
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// Open the site in the default browser once it is built
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
}
