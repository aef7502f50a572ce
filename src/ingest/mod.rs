//! Survey exports -> responses, with every row accounted for.
//!
//! Each matched file is read on its own (in parallel), and every data row
//! ends up as exactly one of: used, rejected (with file, line, column and
//! reason) or a duplicate of a response seen in a later file. Files are
//! merged in the order of their paths, so the result never depends on
//! thread timing: when two exports hold the same response id, the copy in
//! the file that sorts last wins, the earlier one counts as a duplicate.
//!
//! Responses are not all held at once: they wait in partitions by id, where
//! copies are resolved, then by customer, where the figures count them
//! (`spool`; on disk for large exports).

mod aggregated;
mod cache;
mod encoding;
mod kpis;
mod labels;
mod layout;
mod preset;
mod sent;
mod spool;
mod values;

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use csv::ByteRecord;
use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{Config, OnError, Preset, SourceConfig};
use crate::diagnostic::Diagnostic;
use encoding::TextEncoding;
use layout::{BadRow, Layout};
use preset::Vendor;

pub use aggregated::{Counts, Group};
pub use cache::ExportCache;
pub use kpis::{Kpi, KpiPeriod, KpiValue, Kpis, read_kpis};
pub use layout::detect_delimiter;
pub use sent::{SentCounts, SentFile, SentRow, parse_sent, read_sent};
use spool::{Chunk, Key, Shape, Spool};
pub use spool::{Parts, Spill, remove_all as remove_temporary_files};
pub use values::YEARS;

/// One survey response, as the metrics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub id: Option<Box<str>>,
    pub submitted_at: Timestamp,
    /// The day it was submitted, in the site's time zone.
    pub day: Date,
    pub customer: Option<Box<str>>,
    pub comment: Option<Box<str>>,
    pub scores: Scores,
    /// Per dimension of [`Inputs::dimensions`]: index of the value, `None` when the cell was empty.
    pub dimensions: Box<[Option<u32>]>,
    /// Per measure of [`Inputs::measures`].
    pub measures: Box<[Option<f64>]>,
    /// Where the response was read: index into [`Inputs::files`] and line.
    pub file: u32,
    pub line: u64,
    /// Where its first copy was read ([`place`]): the order of responses as read, which breaks
    /// ties in a customer's history.
    pub first: u64,
}

/// A file and line as one number that orders them.
pub fn place(file: u32, line: u64) -> u64 {
    (u64::from(file) << 40) | line.min((1 << 40) - 1)
}

impl Response {
    /// Whether two copies of a response say the same (where they were read aside).
    pub fn same_answers(&self, other: &Response) -> bool {
        self.submitted_at == other.submitted_at
            && self.customer == other.customer
            && self.comment == other.comment
            && self.scores == other.scores
            && self.dimensions == other.dimensions
            && self.measures == other.measures
    }
}

/// The scores a response gave; each metric counts only the rows that answered it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub csat: Option<u8>,
    pub nps: Option<u8>,
    pub ces: Option<u8>,
}

/// A segmenting column and the values seen in it, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dimension {
    pub name: String,
    pub values: Vec<String>,
}

/// What happened to the rows of one export.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileReport {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub duplicates: u64,
    /// The text encoding it was read in: utf-8, utf-16 or windows-1252.
    pub encoding: &'static str,
    /// Responses of this file that replaced an earlier file's different copy.
    pub conflicts: u64,
    /// For a pre-aggregated table, whose rows are groups: the responses its rows count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responses: Option<u64>,
}

impl FileReport {
    /// The responses its used rows count: one per row of an export; the `responses`
    /// rows of a pre-aggregated table say how many theirs stand for.
    pub fn responses_counted(&self) -> u64 {
        self.responses.unwrap_or(self.rows_used)
    }
}

/// The same response id in two files with different answers: the later file's copy is used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Conflict {
    pub id: String,
    /// The copy used: file and line.
    pub kept: (String, u64),
    /// The copy left out.
    pub dropped: (String, u64),
}

/// The `inputs` of `metrics.json`.
#[derive(Debug, serde::Serialize)]
pub struct InputsSummary<'a> {
    pub files: &'a [FileReport],
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    pub duplicates: u64,
    pub conflicts: u64,
    pub rejections: &'a [Rejection],
    pub conflicting_copies: &'a [Conflict],
}

/// How many conflicts and rejections are kept for listing (all are counted).
pub const LISTED: usize = 100;

/// A row left out of every figure, and why.
///
/// Shown as `file:line (column `name`): reason`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Rejection {
    pub file: String,
    pub line: u64,
    /// The column header of the offending cell, when one cell is to blame.
    pub column: Option<String>,
    pub reason: String,
    pub hint: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(column) = &self.column {
            write!(f, " (column `{column}`)")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Everything read from a site's exports.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<FileReport>,
    /// The responses, one per id, in partitions that each hold whole customers.
    pub responses: Parts,
    /// The rows of pre-aggregated tables (`preset = "aggregated"`).
    pub groups: Vec<Group>,
    pub dimensions: Vec<Dimension>,
    pub measures: Vec<String>,
    pub rejections: Vec<Rejection>,
    /// The first [`LISTED`] conflicting copies of a response.
    pub conflicts: Vec<Conflict>,
    /// Problems that did not stop the build but that the user should see.
    pub warnings: Vec<Diagnostic>,
}

impl Inputs {
    /// Every response, in the order they were read (by where their first copy was): for tests and
    /// small inputs, as it loads all of them.
    pub fn all_responses(&self) -> std::io::Result<Vec<Response>> {
        let mut all: Vec<Response> = self.responses.fold(
            Vec::new,
            |all, part| all.extend_from_slice(part),
            |mut a, mut b| {
                a.append(&mut b);
                a
            },
        )?;
        all.sort_by_key(|r| r.first);
        Ok(all)
    }

    /// Sums over all files.
    pub fn totals(&self) -> FileReport {
        let mut t = FileReport::default();
        for f in &self.files {
            t.rows_read += f.rows_read;
            t.rows_used += f.rows_used;
            t.rows_rejected += f.rows_rejected;
            t.duplicates += f.duplicates;
            t.conflicts += f.conflicts;
        }
        if self.files.iter().any(|f| f.responses.is_some()) {
            t.responses = Some(self.files.iter().map(FileReport::responses_counted).sum());
        }
        t
    }

    /// What was read, for `metrics.json` and `rapport check`: counts per file
    /// and in all, and the first [`LISTED`] rejected rows and conflicts.
    pub fn summary(&self) -> InputsSummary<'_> {
        let t = self.totals();
        InputsSummary {
            files: &self.files,
            rows_read: t.rows_read,
            rows_used: t.rows_used,
            rows_rejected: t.rows_rejected,
            duplicates: t.duplicates,
            conflicts: t.conflicts,
            rejections: &self.rejections[..self.rejections.len().min(LISTED)],
            conflicting_copies: &self.conflicts,
        }
    }

    pub fn dimension(&self, name: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.name == name)
    }

    /// The index of `value` among the values seen in dimension `dimension`.
    pub fn value(&self, dimension: usize, value: &str) -> Option<u32> {
        self.dimensions[dimension].values.iter().position(|x| x == value).map(|v| v as u32)
    }

    pub fn measure(&self, name: &str) -> Option<usize> {
        self.measures.iter().position(|m| m == name)
    }
}

/// The exports could not be read as configured.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The exports do not match `site.toml` (a missing column, no files): fix the configuration.
    #[error("{}", .0.message)]
    Mapping(Box<Diagnostic>),
    /// A file or row cannot be read (and the source says `on_error = "fail"`).
    #[error("{}", .0.message)]
    Input(Box<Diagnostic>),
}

impl IngestError {
    pub fn diagnostic(&self) -> &Diagnostic {
        match self {
            IngestError::Mapping(d) | IngestError::Input(d) => d,
        }
    }
}

fn mapping(d: Diagnostic) -> IngestError {
    IngestError::Mapping(Box::new(d))
}
fn input(d: Diagnostic) -> IngestError {
    IngestError::Input(Box::new(d))
}

/// Reads every source of `config`, relative to the site `root`. Folders below
/// `output` (the site being built) and hidden folders are never searched.
pub fn read(config: &Config, root: &Path, output: &Path) -> Result<Inputs, IngestError> {
    read_with(config, root, output, &())
}

/// [`read`], telling `progress` how far each export has been read.
pub fn read_with(config: &Config, root: &Path, output: &Path, progress: &dyn Progress) -> Result<Inputs, IngestError> {
    let files = matched_files(config, root, output)?;
    let spill = spill_for(&files, false)?;
    let names = field_names(config);
    let parsed: Vec<Result<FileRows, IngestError>> =
        files.par_iter().enumerate().map(|(i, file)| read_file(config, i, file, &names, &spill, progress)).collect();
    let (dimension_names, measure_names) = names;
    merge(parsed, dimension_names, measure_names, &spill)
}

/// Where the responses of `files` wait to be counted ([`Spill`]): in memory for small exports
/// or when `in_memory` (a server keeps them to rebuild), else in temporary files.
fn spill_for(files: &[Matched], in_memory: bool) -> Result<Spill, IngestError> {
    let bytes = files.iter().map(|(_, path, _)| std::fs::metadata(path).map_or(0, |m| m.len())).sum();
    Spill::for_exports(bytes, in_memory).map_err(|e| {
        input(
            Diagnostic::new(format!("cannot make a temporary folder for the responses: {e}")).with_help(format!(
                "{WHERE_RESPONSES_WAIT} make it writable, or point TMPDIR to a folder with free space"
            )),
        )
    })
}

pub fn spill_failed(e: &std::io::Error) -> IngestError {
    input(
        Diagnostic::new(format!("cannot keep the responses in a temporary file: {e}"))
            .with_help(format!("{WHERE_RESPONSES_WAIT} free some space there, or point TMPDIR to a folder with more")),
    )
}

/// The first half of the help of a failing temporary folder or file.
const WHERE_RESPONSES_WAIT: &str =
    "rapport keeps the responses of large exports in the system's temporary folder (TMPDIR);";

/// Told how far the exports have been read, e.g. to draw a progress bar.
pub trait Progress: Sync {
    /// An export of `bytes` bytes is about to be read; the returned counter, if any,
    /// is called with the number of bytes of each chunk read (every 64 KiB, not every row).
    fn reading(&self, shown: &str, bytes: u64) -> Option<Box<dyn FnMut(usize) + Send>>;
}

/// No progress to show.
impl Progress for () {
    fn reading(&self, _: &str, _: u64) -> Option<Box<dyn FnMut(usize) + Send>> {
        None
    }
}

/// One matched export: (index of its source, path, path as shown).
type Matched = (usize, PathBuf, String);

fn read_file(
    config: &Config,
    index: usize,
    (source, path, shown): &Matched,
    (dimensions, measures): &(Vec<String>, Vec<String>),
    spill: &Spill,
    progress: &dyn Progress,
) -> Result<FileRows, IngestError> {
    let file = File::open(path).map_err(|e| cannot_read(shown, &e))?;
    let source = &config.sources[*source];
    let bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    spooled(spill, index, |spool| match progress.reading(shown, bytes) {
        Some(tick) => {
            read_export(config, source, Counted { inner: file, tick }, Some(path), shown, dimensions, measures, spool)
        }
        None => read_export(config, source, file, Some(path), shown, dimensions, measures, spool),
    })
}

/// The rows `read` reads from export number `index`, its responses partitioned by id in `spill`.
fn spooled(
    spill: &Spill,
    index: usize,
    read: impl FnOnce(&mut Spool) -> Result<FileRows, IngestError>,
) -> Result<FileRows, IngestError> {
    let mut spool = Spool::new(spill, Key::Id, index as u32);
    let mut rows = read(&mut spool)?;
    rows.responses = spool.finish().map_err(|e| spill_failed(&e))?;
    Ok(rows)
}

/// A reader that reports how many bytes each read returned.
struct Counted<R> {
    inner: R,
    tick: Box<dyn FnMut(usize) + Send>,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.tick)(n);
        Ok(n)
    }
}

/// Reads exports given as bytes (name, contents), as if each were a file
/// matched by the first `[[sources]]` entry: for tests and fuzzing.
pub fn read_bytes(config: &Config, exports: Vec<(String, Vec<u8>)>) -> Result<Inputs, IngestError> {
    read_bytes_in(config, exports, &Spill::memory())
}

/// [`read_bytes`], the responses waiting in `spill`.
#[doc(hidden)]
pub fn read_bytes_in(config: &Config, exports: Vec<(String, Vec<u8>)>, spill: &Spill) -> Result<Inputs, IngestError> {
    let (dimension_names, measure_names) = field_names(config);
    let Some(source) = config.sources.first() else {
        return Ok(Inputs::default());
    };
    let parsed = exports
        .into_iter()
        .enumerate()
        .map(|(index, (shown, bytes))| {
            let cursor = std::io::Cursor::new(bytes);
            spooled(spill, index, |spool| {
                read_export(config, source, cursor, None, &shown, &dimension_names, &measure_names, spool)
            })
        })
        .collect();
    merge(parsed, dimension_names, measure_names, spill)
}

/// One fuzzing input: the first byte picks a preset and `on_error` (0–239: the seven export
/// presets in either mode, by the byte modulo 14; 240–255: a pre-aggregated table, even
/// rejecting bad rows, odd failing on them), the rest is read as an export. Shared by `fuzz/`
/// (libFuzzer, nightly) and the replay of its corpus in `tests/fuzz_corpus.rs` (stable), so
/// both read alike.
#[doc(hidden)]
pub fn fuzz_one(data: &[u8]) {
    let Some((&pick, export)) = data.split_first() else { return };
    let _ = read_bytes(fuzz_config(pick), vec![("fuzz.csv".to_string(), export.to_vec())]);
}

/// The configuration a fuzzing input's first byte picks ([`fuzz_one`]).
fn fuzz_config(pick: u8) -> &'static Config {
    use std::sync::LazyLock;
    static CONFIGS: LazyLock<Vec<Config>> = LazyLock::new(|| {
        let presets = ["generic", "qualtrics", "surveymonkey", "typeform", "google-forms", "delighted", "zendesk"];
        let mut configs = Vec::new();
        for on_error in ["reject", "fail"] {
            for preset in presets {
                let text = format!(
                    "title = \"Fuzz\"\ntimezone = \"Europe/Berlin\"\n[[sources]]\npath = \"*.csv\"\npreset = \"{preset}\"\n\
                     on_error = \"{on_error}\"\n[sources.columns]\ncsat = \"csat\"\nnps = \"nps\"\nces = \"Q3\"\n\
                     [sources.dimensions]\nchannel = \"channel\"\n[sources.measures]\ntransfers = \"transfers\"\nfirst_response_minutes = \"frt\"\n"
                );
                configs.push(Config::parse(&text).expect("the fuzz configuration is valid"));
            }
        }
        configs
    });
    static AGGREGATED: LazyLock<[Config; 2]> = LazyLock::new(|| {
        ["reject", "fail"].map(|on_error| {
            let text = format!(
                "title = \"Fuzz\"\ntimezone = \"Europe/Berlin\"\n[[sources]]\npath = \"*.csv\"\npreset = \"aggregated\"\n\
                 on_error = \"{on_error}\"\n[sources.dimensions]\nchannel = \"channel\"\n[sources.measures]\n\
                 transfers = \"transfers\"\nfirst_response_minutes = \"first_response_minutes\"\nresolution_minutes = \"resolution_minutes\"\n"
            );
            Config::parse(&text).expect("the fuzz configuration is valid")
        })
    });
    match pick {
        240.. => &AGGREGATED[usize::from(pick % 2)],
        _ => &CONFIGS[usize::from(pick) % CONFIGS.len()],
    }
}

/// The site's dimension and measure names, in the order responses store them.
fn field_names(config: &Config) -> (Vec<String>, Vec<String>) {
    let owned = |names: Vec<&str>| names.into_iter().map(String::from).collect();
    (owned(config.dimensions()), owned(config.measures()))
}

fn cannot_read(shown: &str, e: &dyn std::fmt::Display) -> IngestError {
    input(Diagnostic::new(format!("cannot read {shown}: {e}")).in_file(shown))
}

/// Files' rows, in path order, into one set of responses: dimension values
/// renumbered site-wide, duplicates resolved (the later file wins), and the
/// responses partitioned by customer.
fn merge(
    parsed: Vec<Result<FileRows, IngestError>>,
    dimension_names: Vec<String>,
    measure_names: Vec<String>,
    spill: &Spill,
) -> Result<Inputs, IngestError> {
    let mut inputs = Inputs {
        dimensions: dimension_names.iter().map(|n| Dimension { name: n.clone(), values: Vec::new() }).collect(),
        measures: measure_names,
        ..Inputs::default()
    };
    let shape = Shape { dimensions: inputs.dimensions.len(), measures: inputs.measures.len() };
    let mut interned: Vec<Interner> = vec![Interner::default(); inputs.dimensions.len()];
    // Per partition by id, in memory: each file's share of it.
    let mut by_id: Vec<Vec<Vec<Response>>> = (0..spill.partitions).map(|_| Vec::new()).collect();
    let mut renumberings = Vec::new();
    // What the pre-aggregated tables count in all, kept within what the figures' sums hold.
    let mut counted: u64 = 0;
    for result in parsed {
        let rows = result?;
        counted = rows.groups.iter().fold(counted, |sum, g| sum.saturating_add(g.count));
        if counted > values::MOST_COUNTED {
            return Err(input(
                Diagnostic::new(format!(
                    "the pre-aggregated tables count more than a trillion ({}) responses and answers in all",
                    values::MOST_COUNTED
                ))
                .in_file(&rows.report.path)
                .with_help("check the `count` column: a count this large is a unit or a join gone wrong"),
            ));
        }
        inputs.files.push(rows.report);
        inputs.rejections.extend(rows.rejections);
        inputs.warnings.extend(rows.warnings);
        // From this file's own numbering of values to the site's.
        let site_wide = Renumbering::new(&rows.values, &mut interned);
        for mut group in rows.groups {
            site_wide.apply(&mut group.dimensions);
            inputs.groups.push(group);
        }
        for (partition, responses) in by_id.iter_mut().zip(rows.responses) {
            partition.push(responses);
        }
        renumberings.push(site_wide);
    }
    for (dimension, values) in inputs.dimensions.iter_mut().zip(interned) {
        dimension.values = values.values;
    }
    // On disk, each partition is one file that every export wrote to.
    let resolved: Vec<Result<Resolved, std::io::Error>> = by_id
        .into_par_iter()
        .zip(spill.written(Key::Id))
        .enumerate()
        .map(|(partition, (files, written))| {
            let mut responses = Vec::new();
            // Responses kept in memory by a server may have been read when the exports were
            // numbered otherwise; on disk, every export was read just now.
            for (file, mut shared) in files.into_iter().enumerate() {
                shared.iter_mut().for_each(|r| r.file = file as u32);
                responses.append(&mut shared);
            }
            if let Some(written) = written {
                responses.append(&mut written.into_responses(shape)?);
            }
            for r in &mut responses {
                r.first = place(r.file, r.line);
                renumberings[r.file as usize].apply(&mut r.dimensions);
            }
            spill.remove(Key::Id, partition);
            resolve_copies(responses, spill)
        })
        .collect();
    // In memory, a partition's shares from every id partition become one list, which counting
    // borrows as it is.
    let mut by_customer: Vec<Vec<Response>> = (0..spill.partitions).map(|_| Vec::new()).collect();
    let mut conflicts = Vec::new();
    for result in resolved {
        let part = result.map_err(|e| spill_failed(&e))?;
        for (file, [duplicates, conflicting]) in part.counts {
            let report = &mut inputs.files[file as usize];
            report.rows_used -= duplicates;
            report.duplicates += duplicates;
            report.conflicts += conflicting;
        }
        conflicts.extend(part.conflicts);
        for (partition, mut responses) in by_customer.iter_mut().zip(part.responses) {
            partition.append(&mut responses);
        }
    }
    conflicts.sort_unstable_by_key(|c| c.0);
    let path = |(file, line): (u32, u64)| (inputs.files[file as usize].path.clone(), line);
    inputs.conflicts = conflicts
        .into_iter()
        .take(LISTED)
        .map(|(_, id, kept, dropped)| Conflict { id: id.into(), kept: path(kept), dropped: path(dropped) })
        .collect();
    let parts = spill.written(Key::Customer).into_iter().zip(by_customer);
    let parts = parts.map(|(written, memory)| written.unwrap_or(Chunk::Memory(memory))).collect();
    inputs.responses = Parts { shape, parts };
    Ok(inputs)
}

/// One partition by id with its copies of a response resolved.
struct Resolved {
    /// The survivors in memory, by customer partition (none on disk: the spill's files hold them).
    responses: Vec<Vec<Response>>,
    /// Per file: copies left out as duplicates, and copies that replaced a different one.
    counts: FxHashMap<u32, [u64; 2]>,
    /// The first [`LISTED`] conflicts, in the order the files were read.
    conflicts: Vec<Clash>,
}

/// A conflict: where the kept copy was read ([`place`]), the id, the kept and the dropped copy
/// (file index and line).
type Clash = (u64, Box<str>, (u32, u64), (u32, u64));

/// Resolves the copies of each id among `responses` (all of an id's copies, in the order they
/// were read): the last copy wins and takes the first one's place in the order; each earlier
/// copy is a duplicate, and a conflict when it differs from the copy after it.
fn resolve_copies(mut responses: Vec<Response>, spill: &Spill) -> std::io::Result<Resolved> {
    let mut copies: Vec<u32> = (0..responses.len() as u32).filter(|&i| responses[i as usize].id.is_some()).collect();
    // In the order they were read.
    let key = |i: u32| (&responses[i as usize].id, responses[i as usize].first);
    copies.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut dropped = vec![false; responses.len()];
    // Each winning copy, and where its id was first read.
    let mut winners: Vec<(u32, u64)> = Vec::new();
    let mut resolved = Resolved { responses: Vec::new(), counts: FxHashMap::default(), conflicts: Vec::new() };
    for group in copies.chunk_by(|&a, &b| responses[a as usize].id == responses[b as usize].id) {
        for pair in group.windows(2) {
            let (earlier, later) = (&responses[pair[0] as usize], &responses[pair[1] as usize]);
            dropped[pair[0] as usize] = true;
            resolved.counts.entry(earlier.file).or_default()[0] += 1;
            if !earlier.same_answers(later) {
                resolved.counts.entry(later.file).or_default()[1] += 1;
                let id = later.id.clone().unwrap_or_default();
                resolved.conflicts.push((later.first, id, (later.file, later.line), (earlier.file, earlier.line)));
            }
        }
        if let [first, .., last] = group {
            winners.push((*last, responses[*first as usize].first));
        }
    }
    for (winner, first) in winners {
        responses[winner as usize].first = first;
    }
    resolved.conflicts.sort_unstable_by_key(|c| c.0);
    resolved.conflicts.truncate(LISTED);
    let mut spool = Spool::new(spill, Key::Customer, 0);
    for (r, dropped) in responses.into_iter().zip(dropped) {
        if !dropped {
            spool.add(r);
        }
    }
    resolved.responses = spool.finish()?;
    Ok(resolved)
}

/// The distinct values of one dimension, each stored once and known by its index.
#[derive(Debug, Clone, Default)]
struct Interner {
    index: FxHashMap<String, u32>,
    values: Vec<String>,
}

impl Interner {
    fn id(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.index.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        self.values.push(value.to_string());
        self.index.insert(value.to_string(), id);
        id
    }
}

/// From one numbering of dimension values (a file's, a batch's) to a wider one (the site's, the
/// file's): each distinct value is looked up once, then every row's values are rewritten.
struct Renumbering(Vec<Vec<u32>>);

impl Renumbering {
    /// Adds the values of `local` to `wide`, per dimension, in their order of first appearance.
    fn new(local: &[Interner], wide: &mut [Interner]) -> Renumbering {
        Renumbering(
            local.iter().zip(wide).map(|(local, wide)| local.values.iter().map(|v| wide.id(v)).collect()).collect(),
        )
    }

    fn apply(&self, dimensions: &mut [Option<u32>]) {
        for (d, value) in dimensions.iter_mut().enumerate() {
            if let Some(local) = value {
                *value = Some(self.0[d][*local as usize]);
            }
        }
    }
}

/// Every file matched by a source's glob: (source index, path, path as shown), sorted by path.
fn matched_files(config: &Config, root: &Path, output: &Path) -> Result<Vec<Matched>, IngestError> {
    let mut files: Vec<Matched> = Vec::new();
    let mut owner: HashMap<String, usize> = HashMap::new();
    for (i, source) in config.sources.iter().enumerate() {
        let found = glob_files(&source.path, root, output)?;
        if found.is_empty() {
            return Err(mapping(
                Diagnostic::new(format!("no export matches `{}`", source.path))
                    .in_file(crate::config::FILE_NAME)
                    .with_help(format!(
                        "put the survey exports (CSV) under {}, or change `path` in [[sources]]{}",
                        glob_folder(&source.path),
                        if Path::new(&source.path).is_absolute() {
                            ""
                        } else {
                            "; paths are relative to the folder of site.toml"
                        }
                    )),
            ));
        }
        for (path, shown) in found {
            if let Some(&other) = owner.get(&shown) {
                return Err(mapping(
                    Diagnostic::new(format!("{shown} is matched by two sources (number {} and {})", other + 1, i + 1))
                        .in_file(crate::config::FILE_NAME)
                        .with_help("narrow the `path` globs of [[sources]] so that each export belongs to one source"),
                ));
            }
            owner.insert(shown.clone(), i);
            files.push((i, path, shown));
        }
    }
    files.sort_by(|a, b| a.2.cmp(&b.2));
    Ok(files)
}

/// The glob's fixed folder, for messages: `content/surveys/`, or "the site folder".
fn glob_folder(pattern: &str) -> String {
    let prefix = glob_prefix(pattern.trim_start_matches("./"));
    if prefix.as_os_str().is_empty() { "the site folder".to_string() } else { format!("{}/", prefix.display()) }
}

/// The folders of a glob before its first wildcard.
fn glob_prefix(pattern: &str) -> PathBuf {
    Path::new(pattern)
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[', '{']))
        .collect()
}

/// Every file matching `pattern` (relative to `root`, or absolute), in order of their names:
/// (path, path as shown). Folders below `output` and hidden folders are never searched.
fn glob_files(pattern: &str, root: &Path, output: &Path) -> Result<Vec<(PathBuf, String)>, IngestError> {
    let pattern = pattern.trim_start_matches("./");
    let glob = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| mapping(Diagnostic::new(format!("`{pattern}` is not a valid glob: {e}"))))?
        .compile_matcher();
    // Walk only below the glob's fixed prefix: `content/surveys/*.csv` never scans `public/`.
    let prefix = glob_prefix(pattern);
    // An absolute glob (exports downloaded elsewhere by a CI job) is matched and shown as it is.
    let absolute = Path::new(pattern).is_absolute();
    let start = if absolute { prefix.clone() } else { root.join(&prefix) };
    let searched = |e: &walkdir::DirEntry| {
        e.depth() == 0 || !(e.file_name().to_string_lossy().starts_with('.') || e.path() == output)
    };
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&start).sort_by_file_name().into_iter().filter_entry(searched) {
        let entry = match entry {
            Ok(entry) => entry,
            // A glob whose folder does not exist simply matches nothing.
            Err(e) if e.depth() == 0 && e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {
                break;
            }
            Err(e) => return Err(input(Diagnostic::new(format!("cannot list the files of `{pattern}`: {e}")))),
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let candidate = if absolute { entry.path() } else { entry.path().strip_prefix(root).unwrap_or(entry.path()) };
        let shown = candidate.to_string_lossy().replace('\\', "/");
        if glob.is_match(&shown) {
            files.push((entry.path().to_path_buf(), shown));
        }
    }
    Ok(files)
}

/// The rows of one file, before they are merged with the others.
#[derive(Clone)]
struct FileRows {
    report: FileReport,
    /// The responses in memory, by partition of their id ([`Key::Id`]); none on disk.
    responses: Vec<Vec<Response>>,
    groups: Vec<Group>,
    /// Per dimension, the values of this file; responses index into these until merged.
    values: Vec<Interner>,
    rejections: Vec<Rejection>,
    warnings: Vec<Diagnostic>,
}

/// Reads one export, its responses going to `spool`; `path` (when it is a file) lets a failing
/// row be quoted from it.
#[allow(clippy::too_many_arguments)]
fn read_export<R: std::io::Read + Send + 'static>(
    config: &Config,
    source: &SourceConfig,
    file: R,
    path: Option<&Path>,
    shown: &str,
    dimensions: &[String],
    measures: &[String],
    spool: &mut Spool,
) -> Result<FileRows, IngestError> {
    let mut rows = FileRows {
        report: FileReport { path: shown.to_string(), ..FileReport::default() },
        responses: Vec::new(),
        groups: Vec::new(),
        values: vec![Interner::default(); dimensions.len()],
        rejections: Vec::new(),
        warnings: Vec::new(),
    };
    let read_error = |e: &dyn std::fmt::Display| cannot_read(shown, e);
    let mut raw = BufReader::with_capacity(1 << 16, file);
    let head = raw.fill_buf().map_err(|e| read_error(&e))?;
    if head.is_empty() {
        rows.warnings.push(Diagnostic::warning(format!("{shown} is empty and was skipped")).in_file(shown));
        return Ok(rows);
    }
    let text = TextEncoding::detect(source.encoding.as_deref(), head);
    rows.report.encoding = text.name();
    if text.guessed {
        rows.warnings.push(
            Diagnostic::warning(format!("{shown} is not UTF-8 text: it was read as Windows-1252"))
                .in_file(shown)
                .with_help(
                    "if its accented letters look wrong, save it as \"CSV UTF-8\", or set `encoding` in [[sources]]",
                ),
        );
    }
    let mut buffered = BufReader::with_capacity(1 << 16, QuoteCounter { inner: text.reader(raw), quotes: 0 });
    let head = buffered.fill_buf().map_err(|e| read_error(&e))?;
    let delimiter = match &source.delimiter {
        Some(d) => d.as_bytes()[0],
        None => detect_delimiter(head),
    };
    // Records end at `\n` only: with `\r\n` as a terminator the csv crate numbers
    // each record's line one short. The `\r` left at the end of a line's last
    // field is trimmed like any other white space. Old Mac exports end lines
    // with a lone `\r`; those keep the csv crate's own rule.
    let terminator = if memchr::memchr(b'\n', head).is_none() && memchr::memchr(b'\r', head).is_some() {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .terminator(terminator)
        .from_reader(buffered);
    // The header rows: one, or the vendor's several. Rows read to tell the
    // layout apart that turn out to be data are kept for the loop below.
    let vendor = Vendor::of(source.preset);
    let mut peeked: Vec<ByteRecord> = Vec::new();
    for _ in 0..vendor.rows_to_peek() {
        let mut record = ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(|e| read_error(&e))? {
            break;
        }
        peeked.push(record);
    }
    if peeked.is_empty() {
        rows.warnings.push(Diagnostic::warning(format!("{shown} is empty and was skipped")).in_file(shown));
        return Ok(rows);
    }
    let texts: Vec<Vec<String>> = peeked
        .iter()
        .map(|r| {
            r.iter().map(|f| String::from_utf8_lossy(f).trim().trim_start_matches('\u{feff}').to_string()).collect()
        })
        .collect();
    let extra = vendor.extra_header_rows(&texts[0], texts.get(1).map(Vec::as_slice), texts.get(2).map(Vec::as_slice));
    let header_count = (1 + extra).min(peeked.len());
    let mut pending: std::collections::VecDeque<ByteRecord> = peeked.split_off(header_count).into();
    let reading = if source.preset == Preset::Aggregated {
        rows.report.responses = Some(0);
        Reading::Groups(aggregated::Table::resolve(config, source, &peeked, shown, dimensions, delimiter)?)
    } else {
        let (layout, warnings) =
            Layout::resolve(config, source, &vendor, &peeked, shown, dimensions, measures, delimiter)?;
        rows.warnings.extend(warnings);
        if layout.id.is_none() && !layout.has_row_identity() {
            rows.warnings.push(
                Diagnostic::warning(format!(
                    "{shown} has no response id column: a response exported twice would be counted twice"
                ))
                .in_file(shown)
                .with_help("map the id column in [sources.columns], e.g. `id = \"response_id\"`"),
            );
        }
        Reading::Responses(layout)
    };
    // Lines of a file in another encoding cannot be cut out of its raw bytes for the message.
    let excerpt = text.name() == "utf-8";
    let fail = |line: u64, record: &ByteRecord, bad: &BadRow| {
        input(layout::rejection_diagnostic(path, shown, line, record, delimiter, bad, excerpt))
    };

    let mut record = ByteRecord::new();
    let mut last = (0, false);
    let batched = matches!(reading, Reading::Responses(_)) && source.on_error == OnError::Reject;
    if batched {
        // The common case, on two threads: this one reads records, others make responses.
        last = read_in_batches(&mut reader, &mut pending, &reading, config, &mut rows, spool, &read_error)?;
    } else {
        // Made on the first response, since a table of groups reads no times.
        let mut clocks = None;
        loop {
            match pending.pop_front() {
                Some(kept) => record = kept,
                None => {
                    if !reader.read_byte_record(&mut record).map_err(|e| read_error(&e))? {
                        break;
                    }
                }
            }
            rows.report.rows_read += 1;
            let line = record.position().map_or(0, |p| p.line());
            last = (line, record.iter().any(|field| field.contains(&b'\n')));
            let used = match &reading {
                Reading::Responses(layout) => layout
                    .response(&record, config, &mut rows.values, clocks.get_or_insert_with(|| layout.clocks(config)))
                    .map(|response| spool.add(Response { line, ..response })),
                Reading::Groups(table) => {
                    table.group(&record, &mut rows.values).map(|group| rows.add_group(group, line))
                }
            };
            match used {
                Ok(()) => rows.report.rows_used += 1,
                Err(bad) if source.on_error == OnError::Fail => return Err(fail(line, &record, &bad)),
                Err(bad) => rows.reject(&reading, line, bad),
            }
        }
    }
    if let Reading::Groups(_) = reading {
        rows.warnings.extend(aggregated::check_cells(&rows.groups, shown));
    }
    // A quote opened and never closed swallows every later line into one field. The CSV
    // reader cannot tell; an odd number of quotes in the file, with a last row spanning
    // several lines, can.
    let (line, spans_lines) = last;
    if spans_lines && reader.get_ref().get_ref().quotes % 2 == 1 {
        let bad = BadRow {
            column: None,
            problem: values::Unreadable {
                reason: format!(
                    "the row opens a quote that is never closed: everything from line {line} to the end of the file was read into it"
                ),
                hint: "close the quote; a quote inside a quoted field is written twice (\"\")".into(),
            },
        };
        if source.on_error == OnError::Fail {
            return Err(fail(line, &record, &bad));
        }
        let used_last = match reading {
            Reading::Responses(_) => spool.last().is_some_and(|r| r.line == line),
            Reading::Groups(_) => rows.groups.last().is_some_and(|g| g.line == line),
        };
        if used_last {
            if spool.pop_last().is_none() {
                rows.remove_last_group();
            }
            rows.report.rows_used -= 1;
            rows.reject(&reading, line, bad);
        } else if let Some(rejection) = rows.rejections.last_mut() {
            rejection.reason = bad.problem.reason;
            rejection.hint = bad.problem.hint;
        }
    }
    Ok(rows)
}

/// How the rows of one export are read: as responses, or as the groups of a pre-aggregated table.
/// Records handed to another thread at a time (a few per file in unit tests, to cross batches).
#[cfg(not(test))]
const BATCH: usize = 4096;
#[cfg(test)]
const BATCH: usize = 3;

/// What a batch of records became, on the thread that read it.
struct Batch {
    /// Responses, their dimension values numbered in `values`.
    responses: Vec<Response>,
    values: Vec<Interner>,
    /// The records left out, with their line.
    rejected: Vec<(u64, BadRow)>,
}

/// Reads the rest of an export (`pending` records first) and makes its responses on other
/// threads, a [`BATCH`] of records at a time, while this thread reads the next: reading (CSV and
/// text) and making responses (timestamps, scores, labels) each take about half the time. The
/// batches come back in any order and are added to `rows` in the order of the file, so the
/// result is the one of reading row by row. When the workers' queue is full this thread makes a
/// batch itself, while fewer than 4 × workers batches are out (sent and not yet added). Returns the
/// last record's line and whether it spans several lines, as the caller's check needs.
fn read_in_batches<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    pending: &mut std::collections::VecDeque<ByteRecord>,
    reading: &Reading,
    config: &Config,
    rows: &mut FileRows,
    spool: &mut Spool,
    read_error: &dyn Fn(&dyn std::fmt::Display) -> IngestError,
) -> Result<(u64, bool), IngestError> {
    use std::sync::{Mutex, mpsc};
    let Reading::Responses(layout) = reading else { unreachable!("only responses are read in batches") };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1)).max(1);
    let dimensions = rows.values.len();
    let (to_workers, work) = mpsc::sync_channel::<(usize, Vec<ByteRecord>)>(2 * workers);
    let work = Mutex::new(work);
    let (done, results) = mpsc::channel::<(usize, Batch, Vec<ByteRecord>)>();
    let convert = |records: &[ByteRecord]| {
        let mut clocks = layout.clocks(config);
        let mut batch = Batch {
            responses: Vec::with_capacity(records.len()),
            values: vec![Interner::default(); dimensions],
            rejected: Vec::new(),
        };
        for record in records {
            let line = record.position().map_or(0, |p| p.line());
            match layout.response(record, config, &mut batch.values, &mut clocks) {
                Ok(response) => batch.responses.push(Response { line, ..response }),
                Err(bad) => batch.rejected.push((line, bad)),
            }
        }
        batch
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (work, done, convert) = (&work, done.clone(), &convert);
            scope.spawn(move || {
                loop {
                    let Ok((index, records)) = work.lock().map_err(drop).and_then(|w| w.recv().map_err(drop)) else {
                        return;
                    };
                    let batch = convert(&records);
                    if done.send((index, batch, records)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done);
        // Batches back from the workers, kept until every earlier one has been added.
        let mut waiting: std::collections::BTreeMap<usize, Batch> = std::collections::BTreeMap::new();
        let mut next = 0;
        let mut add = |index: usize, batch: Batch, rows: &mut FileRows, spool: &mut Spool| -> usize {
            waiting.insert(index, batch);
            while let Some(batch) = waiting.remove(&next) {
                rows.add_batch(reading, batch, spool);
                next += 1;
            }
            next
        };
        let mut added = 0;
        let mut spare: Vec<Vec<ByteRecord>> = Vec::new();
        let mut sent = 0;
        let mut last = (0, false);
        let mut finished = false;
        while !finished {
            let mut records = spare.pop().unwrap_or_default();
            let mut filled = 0;
            while filled < BATCH {
                if records.len() == filled {
                    records.push(ByteRecord::new());
                }
                if let Some(kept) = pending.pop_front() {
                    records[filled] = kept;
                } else if !reader.read_byte_record(&mut records[filled]).map_err(|e| read_error(&e))? {
                    finished = true;
                    break;
                }
                filled += 1;
            }
            records.truncate(filled);
            if let Some(record) = records.last() {
                last = (record.position().map_or(0, |p| p.line()), record.iter().any(|f| f.contains(&b'\n')));
            }
            rows.report.rows_read += filled as u64;
            if filled > 0 {
                // While the workers have enough to do, this thread makes the batch itself rather
                // than wait: with two cores, reading alone leaves it idle a third of the time. Not
                // when many batches are out (sent, not yet added in file order): those made here
                // would pile up in `waiting` for as long as a worker holding an earlier one is not
                // scheduled.
                let make_here = sent - added < 4 * workers;
                let sending = if make_here {
                    to_workers.try_send((sent, records))
                } else {
                    to_workers.send((sent, records)).map_err(|e| mpsc::TrySendError::Disconnected(e.0))
                };
                match sending {
                    Ok(()) => {}
                    Err(mpsc::TrySendError::Full((index, records))) => {
                        let batch = convert(&records);
                        added = add(index, batch, rows, spool);
                        spare.push(records);
                    }
                    Err(mpsc::TrySendError::Disconnected(_)) => return Err(read_error(&"a reading thread stopped")),
                }
                sent += 1;
            }
            // Add what has come back meanwhile, and reuse its records' memory.
            while let Ok((index, batch, records)) = results.try_recv() {
                added = add(index, batch, rows, spool);
                spare.push(records);
            }
        }
        drop(to_workers);
        while added < sent {
            let (index, batch, _) = results.recv().map_err(|_| read_error(&"a reading thread stopped"))?;
            added = add(index, batch, rows, spool);
        }
        Ok(last)
    })
}

enum Reading {
    Responses(Layout),
    Groups(aggregated::Table),
}

impl Reading {
    fn header(&self, column: usize) -> &str {
        match self {
            Reading::Responses(layout) => layout.header(column),
            Reading::Groups(table) => table.header(column),
        }
    }
}

impl FileRows {
    fn add_group(&mut self, group: Group, line: u64) {
        if group.counts == Counts::Responses {
            *self.report.responses.get_or_insert(0) += group.count;
        }
        self.groups.push(Group { line, ..group });
    }

    fn remove_last_group(&mut self) {
        if let Some(group) = self.groups.pop()
            && group.counts == Counts::Responses
            && let Some(n) = &mut self.report.responses
        {
            *n -= group.count;
        }
    }

    /// Adds a batch of [`read_in_batches`], the next in the file: its values numbered as the file's.
    fn add_batch(&mut self, reading: &Reading, batch: Batch, spool: &mut Spool) {
        let file_wide = Renumbering::new(&batch.values, &mut self.values);
        // Responses and rejections interleave in the file; both lists are in line order.
        let mut rejected = batch.rejected.into_iter().peekable();
        for mut response in batch.responses {
            while let Some((line, _)) = rejected.peek()
                && *line < response.line
            {
                let (line, bad) = rejected.next().expect("peeked");
                self.reject(reading, line, bad);
            }
            file_wide.apply(&mut response.dimensions);
            self.report.rows_used += 1;
            spool.add(response);
        }
        for (line, bad) in rejected {
            self.reject(reading, line, bad);
        }
    }

    fn reject(&mut self, reading: &Reading, line: u64, bad: BadRow) {
        self.report.rows_rejected += 1;
        // Every rejection is counted; the first ones of each file are kept to be listed.
        if self.rejections.len() >= LISTED {
            return;
        }
        self.rejections.push(Rejection {
            file: self.report.path.clone(),
            line,
            column: bad.column.map(|c| reading.header(c).to_string()),
            reason: bad.problem.reason,
            hint: bad.problem.hint,
        });
    }
}

/// Counts the double quotes of a file as they are read.
struct QuoteCounter<R> {
    inner: R,
    quotes: usize,
}

impl<R: std::io::Read> std::io::Read for QuoteCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.quotes += memchr::memchr_iter(b'"', &buf[..n]).count();
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
