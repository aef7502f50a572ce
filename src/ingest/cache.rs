//! Parsed exports kept between builds of one `rapport serve` process.
//!
//! Reading a million-row export takes seconds; editing commentary or a
//! template should not. Each export's rows are kept with what identifies its
//! contents: path, size, modification time and a hash of its bytes. An export
//! whose size and time are unchanged is taken as unchanged without reading it
//! (as make and cargo do); one whose time changed is hashed, and read again
//! only when its bytes differ (a `touch` or a save without edits costs one
//! pass of hashing, not a parse). The merged [`Inputs`] are kept too, and
//! handed out again as long as the same exports, in the same state, are
//! matched under the same configuration, so callers can tell by
//! [`ExportCache::generation`] whether anything computed from them is stale.

use std::collections::HashMap;
use std::hash::Hasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use super::{
    FileRows, IngestError, Inputs, Progress, cannot_read, field_names, matched_files, merge, read_file, spill_for,
};
use crate::config::Config;

/// Exports read by earlier builds, in memory.
#[derive(Default)]
pub struct ExportCache {
    /// The configuration the entries were read under (a hash of `site.toml`).
    config: Option<u64>,
    files: HashMap<PathBuf, Entry>,
    /// The merged inputs and the exports they were merged from.
    merged: Option<(State, Arc<Inputs>)>,
    generation: u64,
    /// Whether the parsed exports are kept for the next build. A one-shot build
    /// does not keep them, so its rows are moved into the inputs, never copied.
    keep: bool,
}

/// The (path, content hash) of each matched export, in order.
type State = Vec<(PathBuf, u64)>;

struct Entry {
    size: u64,
    modified: Option<SystemTime>,
    hash: u64,
    rows: Arc<FileRows>,
}

impl ExportCache {
    /// A cache that keeps what it reads for later builds (a serving process).
    pub fn keeping() -> ExportCache {
        ExportCache { keep: true, ..ExportCache::default() }
    }

    /// Increases whenever [`ExportCache::read`] returns inputs different from the last ones.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Like [`super::read_with`], reading only the exports that changed since the last call.
    /// `config_key` identifies the configuration: a different one drops everything.
    pub fn read(
        &mut self,
        config: &Config,
        config_key: u64,
        root: &Path,
        output: &Path,
        progress: &dyn Progress,
    ) -> Result<Arc<Inputs>, IngestError> {
        if self.config != Some(config_key) {
            *self = ExportCache {
                config: Some(config_key),
                generation: self.generation,
                keep: self.keep,
                ..ExportCache::default()
            };
        }
        let matched = matched_files(config, root, output)?;
        let mut state: State = Vec::with_capacity(matched.len());
        let mut stale = Vec::new();
        for (index, file) in matched.iter().enumerate() {
            let (_, path, shown) = file;
            let meta = std::fs::metadata(path).map_err(|e| cannot_read(shown, &e))?;
            let (size, modified) = (meta.len(), meta.modified().ok());
            let hash = match self.files.get_mut(path) {
                Some(e) if e.size == size && e.modified == modified && modified.is_some() => e.hash,
                cached => {
                    let hash = content_hash(path).map_err(|e| cannot_read(shown, &e))?;
                    match cached {
                        Some(e) if e.size == size && e.hash == hash => e.modified = modified,
                        _ => stale.push((index, file, size, modified, hash)),
                    }
                    hash
                }
            };
            state.push((path.clone(), hash));
        }
        if stale.is_empty()
            && let Some((merged_state, inputs)) = &self.merged
            && *merged_state == state
        {
            return Ok(Arc::clone(inputs));
        }
        let names = field_names(config);
        // A server keeps its exports in memory; a one-shot build of large ones spills them.
        let spill = spill_for(&matched, self.keep)?;
        let parsed: Vec<Result<FileRows, IngestError>> = stale
            .par_iter()
            .map(|&(index, file, ..)| read_file(config, index, file, &names, &spill, progress))
            .collect();
        for ((_, file, size, modified, hash), rows) in stale.iter().zip(parsed) {
            let entry = Entry { size: *size, modified: *modified, hash: *hash, rows: Arc::new(rows?) };
            self.files.insert(file.1.clone(), entry);
        }
        // Exports no longer matched are forgotten.
        self.files.retain(|path, _| state.iter().any(|(p, _)| p == path));
        let rows = if self.keep {
            state.iter().map(|(path, _)| Ok(FileRows::clone(&self.files[path].rows))).collect()
        } else {
            // Nothing is kept: each export's rows move into the inputs.
            let mut files = std::mem::take(&mut self.files);
            state
                .iter()
                .filter_map(|(path, _)| files.remove(path))
                .map(|e| Ok(Arc::try_unwrap(e.rows).unwrap_or_else(|shared| FileRows::clone(&shared))))
                .collect()
        };
        let (dimension_names, measure_names) = names;
        let inputs = Arc::new(merge(rows, dimension_names, measure_names, &spill)?);
        self.merged = Some((state, Arc::clone(&inputs)));
        self.generation += 1;
        Ok(inputs)
    }
}

/// A fast, non-cryptographic hash of a file's bytes: it tells an edit from a touch.
fn content_hash(path: &Path) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = rustc_hash::FxHasher::default();
    let mut buffer = vec![0; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.write(&buffer[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title = \"T\"\ntimezone = \"UTC\"\n[[sources]]\npath = \"*.csv\"\n[sources.columns]\nid = \"id\"\n\
             submitted_at = \"at\"\ncsat = \"csat\"\n",
        )
        .unwrap()
    }

    #[test]
    fn unchanged_exports_are_not_read_again_and_edits_are() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("a.csv");
        std::fs::write(&export, "id,at,csat\n1,2026-01-01T10:00:00Z,5\n").unwrap();
        let mut cache = ExportCache::keeping();
        let config = config();
        let output = dir.path().join("public");
        let first = cache.read(&config, 1, dir.path(), &output, &()).unwrap();
        let again = cache.read(&config, 1, dir.path(), &output, &()).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(cache.generation(), 1);
        std::fs::write(&export, "id,at,csat\n1,2026-01-01T10:00:00Z,5\n2,2026-01-02T10:00:00Z,4\n").unwrap();
        let edited = cache.read(&config, 1, dir.path(), &output, &()).unwrap();
        assert_eq!(edited.responses.len(), 2);
        assert_eq!(cache.generation(), 2);
        // Another configuration reads everything again.
        let other = cache.read(&config, 2, dir.path(), &output, &()).unwrap();
        assert!(!Arc::ptr_eq(&edited, &other));
        assert_eq!(other.responses.len(), 2);
    }
}
