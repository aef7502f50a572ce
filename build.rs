//! Embeds the bundled themes (every folder of `themes/`: `default`, `executive`) in the binary,
//! so a site with only `site.toml` and its exports builds without any theme files, and
//! `theme = "executive"` needs none either.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let themes = root.join("themes");
    // A new theme folder is picked up too: cargo scans a watched folder's whole tree.
    println!("cargo:rerun-if-changed={}", themes.display());
    let mut names: Vec<String> = std::fs::read_dir(&themes)
        .expect("themes/ is readable")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.iter().any(|n| n == "default"), "themes/default/ is the theme every other builds on");
    let mut out = String::from(
        "/// A theme's files: (path relative to the theme, contents).\n\
         pub type Files = &'static [(&'static str, &'static [u8])];\n\
         /// Every bundled theme by name, with its files.\n\
         pub static BUNDLED_THEMES: &[(&str, Files)] = &[\n",
    );
    for name in &names {
        let theme = themes.join(name);
        let mut files = Vec::new();
        collect(&theme, &theme, &mut files);
        files.sort();
        writeln!(out, "    ({name:?}, &[").expect("writing to a String");
        for (relative, absolute) in &files {
            println!("cargo:rerun-if-changed={}", absolute.display());
            writeln!(out, "        ({relative:?}, include_bytes!({:?})),", absolute.display().to_string())
                .expect("writing to a String");
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled_themes.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("a theme is readable").filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        // Hidden files (.DS_Store, editor backups) are no part of a theme, as on disk.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let relative = path
                .strip_prefix(base)
                .expect("below the theme")
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, path));
        }
    }
}
