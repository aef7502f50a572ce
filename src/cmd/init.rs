//! `rapport init [DIR] [--demo]`: a new site that builds at once.

use std::path::Path;

use crate::cli::InitArgs;
use crate::demo;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::site::OutputError;

pub fn run(args: &InitArgs) -> Result<(), Error> {
    let dir = &args.dir;
    let has_files = std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if has_files && !args.force {
        return Err(Error::usage(
            Diagnostic::new(format!("{} is not empty", dir.display()))
                .with_help("choose a new folder (`rapport init my-site`), or pass --force to write into this one (files of the same name are replaced)"),
        ));
    }
    let files = if args.demo { demo::demo_site() } else { demo::blank_site(&title_for(dir)) };
    for file in &files {
        let path = dir.join(&file.path);
        let write_error = |source| Error::Output(OutputError::Write { path: path.clone(), source });
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(write_error)?;
        }
        std::fs::write(&path, &file.bytes).map_err(write_error)?;
    }
    let shown = if dir == Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
    println!("Created a {} site in {} ({} files).", if args.demo { "demo" } else { "new" }, dir.display(), files.len());
    println!("Build it with: {shown}rapport build");
    Ok(())
}

/// A title from the folder's name: `acme-support` -> "Acme support".
fn title_for(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => format!("{}{} — Customer Satisfaction", first.to_uppercase(), chars.as_str()),
        None => "Customer Satisfaction".into(),
    }
}
