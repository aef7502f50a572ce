//! Writing a built site: all or nothing.
//!
//! Files go to a fresh folder beside the target; only when every file is
//! written does it take the target's place, so a failed build (or a crash
//! half-way) leaves the previous site as it was.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("refusing to build into {}", path.display())]
    Unsafe { path: PathBuf },
    #[error("{origin} would overwrite the generated {path}")]
    Collision { path: String, origin: String },
    #[error("`{path}` is not a place inside the output folder")]
    OutsidePath { path: String },
    #[error("{} holds files that rapport did not write", path.display())]
    Foreign { path: PathBuf },
}

impl OutputError {
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            OutputError::Write { path, source } => {
                Diagnostic::new(format!("cannot write {}: {source}", path.display()))
                    .with_help("check that the output folder's parent exists and is writable")
            }
            OutputError::Unsafe { path } => {
                Diagnostic::new(format!("refusing to build into {}: it holds the site's own files", path.display()))
                    .with_help("choose a separate output folder, e.g. `--output public`")
            }
            OutputError::Collision { path, origin } => {
                Diagnostic::new(format!("{origin} would overwrite the generated {path}"))
                    .in_file(origin)
                    .with_help("rename or remove the static file")
            }
            OutputError::OutsidePath { path } => {
                Diagnostic::new(format!("refusing to write `{path}`: it is not inside the output folder"))
            }
            OutputError::Foreign { path } => {
                Diagnostic::new(format!("{} holds files that rapport did not write", path.display())).with_help(
                    "a build replaces its output folder entirely: choose an empty or new folder, or remove this one",
                )
            }
        }
    }
}

/// Writes `files` (relative paths) into `output`, replacing what was there only once all are written.
/// An existing `output` must be an earlier build (it holds `data/metrics.json`) or empty.
pub fn publish(files: &[super::OutputFile], output: &Path) -> Result<(), OutputError> {
    for (path, _) in files {
        let inside =
            !path.is_empty() && Path::new(path).components().all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(OutputError::OutsidePath { path: path.clone() });
        }
    }
    if output.exists() && !is_replaceable(output) {
        return Err(OutputError::Foreign { path: output.to_path_buf() });
    }
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| OutputError::Write { path, source }
    };
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(&parent).map_err(write_error(&parent))?;
    let staging = parent.join(format!(".{name}.rapport-new-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(write_error(&staging))?;
    }
    let written = write_all(files, &staging);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let previous = parent.join(format!(".{name}.rapport-old-{}", std::process::id()));
    if output.exists() {
        std::fs::rename(output, &previous).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            write_error(output)(e)
        })?;
    }
    if let Err(e) = std::fs::rename(&staging, output) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&previous, output);
        let _ = std::fs::remove_dir_all(&staging);
        return Err(write_error(output)(e));
    }
    if previous.exists() {
        remove_tree(&previous).map_err(write_error(&previous))?;
    }
    Ok(())
}

/// Whether `output` may be replaced: an earlier build, or an empty folder.
fn is_replaceable(output: &Path) -> bool {
    output.join(MARKER).is_file() || std::fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_none())
}

/// The file every build writes, by which a later build knows the folder is its to replace.
const MARKER: &str = super::METRICS_JSON;

/// Writes every file under `dir`: folders first, each once (a level at a time, each level in
/// parallel), then the files in parallel. A site has hundreds of both, and making them is the file
/// system's work, which more than one core shortens. The error reported is the first in order,
/// whichever thread met it.
fn write_all(files: &[super::OutputFile], dir: &Path) -> Result<(), OutputError> {
    use rayon::prelude::*;
    // Every folder and the folders above it, made a level at a time, each level in parallel.
    let mut folders: std::collections::BTreeSet<(usize, &Path)> = std::collections::BTreeSet::new();
    for (relative, _) in files {
        for folder in Path::new(relative).ancestors().skip(1).filter(|f| !f.as_os_str().is_empty()) {
            folders.insert((folder.components().count(), folder));
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Write { path: dir.to_path_buf(), source })?;
    let folders: Vec<(usize, &Path)> = folders.into_iter().collect();
    for level in folders.chunk_by(|a, b| a.0 == b.0) {
        first_error(level.par_iter().map(|(_, folder)| {
            let path = dir.join(folder);
            std::fs::create_dir(&path).map_err(|source| OutputError::Write { path, source })
        }))?;
    }
    first_error(files.par_iter().map(|(relative, bytes)| {
        let path = dir.join(relative);
        std::fs::write(&path, bytes).map_err(|source| OutputError::Write { path, source })
    }))
}

/// The first error of `results` in their order, however the threads ran: the same failing build
/// reports the same file.
fn first_error(
    results: impl rayon::iter::IndexedParallelIterator<Item = Result<(), OutputError>>,
) -> Result<(), OutputError> {
    let results: Vec<Result<(), OutputError>> = results.collect();
    results.into_iter().collect()
}

/// Removes a previous build, its top-level entries in parallel.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = names.iter().map(|n| (n.to_string(), n.as_bytes().to_vec())).collect();
        files.push((MARKER.to_string(), b"{}".to_vec()));
        files
    }

    #[test]
    fn replaces_the_previous_output_entirely() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&files(&["index.html", "old/index.html"]), &out).unwrap();
        publish(&files(&["index.html", "reports/index.html"]), &out).unwrap();
        assert!(out.join("reports/index.html").is_file());
        assert!(!out.join("old").exists(), "files of the previous build are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_folder_that_is_not_a_build_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.txt"), "years of work").unwrap();
        let e = publish(&files(&["index.html"]), dir.path()).unwrap_err();
        assert!(matches!(e, OutputError::Foreign { .. }));
        assert!(dir.path().join("thesis.txt").is_file());
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        publish(&files(&["index.html"]), &empty).unwrap();
    }

    #[test]
    fn paths_may_not_leave_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["/index.html", "../x.html", "a/../../b", ""] {
            let e = publish(&[(bad.to_string(), vec![])], &dir.path().join("public")).unwrap_err();
            assert!(matches!(e, OutputError::OutsidePath { .. }), "{bad}");
        }
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        publish(&files(&["index.html"]), &out).unwrap();
        // A file and a folder of the same name cannot both be written.
        let clash = files(&["a", "a/b"]);
        assert!(publish(&clash, &out).is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"index.html");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no staging folder is left behind");
    }
}
