//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// rapport: customer-feedback report sites from survey exports and markdown.
#[derive(Debug, Parser)]
#[command(name = "rapport", version, about, propagate_version = true, disable_help_subcommand = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new site: site.toml, content/ and, with --demo, sample survey data
    Init(InitArgs),
    /// Build the site into public/ (or --output)
    Build(BuildArgs),
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
    /// The site's folder (the one holding site.toml)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
