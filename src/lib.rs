//! rapport turns survey exports and markdown commentary into a static report site.
//!
//! Data flows one way, and the modules follow it:
//!
//! ```text
//! config   site.toml -> Config
//! ingest   exports -> responses (every row accounted for)
//! metrics  responses -> histograms per period x segment -> figures with intervals
//! content  markdown + front matter -> pages
//! charts   figures -> SVG
//! render   theme + page views -> HTML
//! site     the build: plan pages, render in parallel, write atomically
//! cmd      one file per command
//! ```
//!
//! A stage never reaches back to a later one: `metrics` knows nothing of HTML,
//! `render` computes no statistics, and only `site` and `cmd` touch the disk
//! for writing.

pub mod charts;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod demo;
pub mod diagnostic;
pub mod error;
pub mod ingest;
pub mod locale;
pub mod metrics;
pub mod render;
pub mod site;
