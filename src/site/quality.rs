//! The data-quality page: every row of every export accounted for.

use serde::Serialize;

use super::views::Ctx;
use crate::ingest::FileReport;

#[derive(Debug, Serialize)]
pub struct FileRow {
    pub path: String,
    pub encoding: &'static str,
    pub read: String,
    pub used: String,
    pub rejected: String,
    pub duplicates: String,
    pub conflicts: String,
    /// Whether the counts add up: read = used + rejected + duplicates.
    pub balanced: bool,
}

#[derive(Debug, Serialize)]
pub struct RejectionRow {
    pub file: String,
    pub line: String,
    pub column: Option<String>,
    pub reason: String,
    pub hint: String,
}

#[derive(Debug, Serialize)]
pub struct ConflictRow {
    pub id: String,
    pub kept: String,
    pub dropped: String,
}

#[derive(Debug, Serialize)]
pub struct QualityView {
    pub files: Vec<FileRow>,
    pub totals: FileRow,
    /// "Every row read is used, rejected or a duplicate", or what is missing.
    pub summary: String,
    pub rejections: Vec<RejectionRow>,
    /// "The first 100 of 230 rejected rows are listed", when not all are.
    pub rejections_note: Option<String>,
    pub conflicts: Vec<ConflictRow>,
    pub conflicts_note: Option<String>,
    pub warnings: Vec<String>,
    /// The `[sent]` files, when the site has them.
    pub sent: Option<super::outreach::SentQuality>,
    /// What the rows of each pre-aggregated table are, and what such a table cannot hold.
    pub aggregated: Vec<String>,
}

pub fn quality(ctx: &Ctx) -> QualityView {
    let l = ctx.locale;
    let inputs = ctx.inputs;
    let redact = |text: &str| ctx.comments.redactor().apply(text).into_owned();
    let row = |f: &FileReport| FileRow {
        path: f.path.clone(),
        encoding: f.encoding,
        read: l.count(f.rows_read),
        used: l.count(f.rows_used),
        rejected: l.count(f.rows_rejected),
        duplicates: l.count(f.duplicates),
        conflicts: l.count(f.conflicts),
        balanced: f.rows_read == f.rows_used + f.rows_rejected + f.duplicates,
    };
    let mut totals = row(&inputs.totals());
    totals.path = ctx.t("total");
    let listed = |shown: usize, all: u64| {
        (all > shown as u64).then(|| l.fill("listed_of", &[("shown", &l.count(shown as u64)), ("all", &l.count(all))]))
    };
    let all = inputs.totals();
    QualityView {
        summary: if totals.balanced {
            l.fill("quality_balanced", &[("n", &l.count(all.rows_read))])
        } else {
            ctx.t("quality_unbalanced")
        },
        files: inputs.files.iter().map(row).collect(),
        totals,
        rejections: inputs
            .rejections
            .iter()
            .map(|r| RejectionRow {
                file: r.file.clone(),
                line: l.count(r.line),
                column: r.column.clone(),
                // Rejected cells are quoted in reasons; they are export text like any comment.
                reason: redact(&r.reason),
                hint: redact(&r.hint),
            })
            .collect(),
        rejections_note: listed(inputs.rejections.len(), all.rows_rejected),
        conflicts: inputs
            .conflicts
            .iter()
            .map(|c| ConflictRow {
                id: c.id.clone(),
                kept: format!("{}:{}", c.kept.0, c.kept.1),
                dropped: format!("{}:{}", c.dropped.0, c.dropped.1),
            })
            .collect(),
        conflicts_note: listed(inputs.conflicts.len(), all.conflicts),
        aggregated: inputs
            .files
            .iter()
            .filter_map(|f| {
                let n = f.responses?;
                Some(l.fill(
                    "quality_aggregated",
                    &[("file", &f.path), ("rows", &l.count(f.rows_used)), ("n", &l.count(n))],
                ))
            })
            .collect(),
        warnings: inputs
            .warnings
            .iter()
            .map(|w| {
                let parts = [w.file.as_deref(), Some(w.message.as_str()), w.help.as_deref()];
                redact(&parts.into_iter().flatten().collect::<Vec<_>>().join(" — "))
            })
            .collect(),
        sent: super::outreach::quality(ctx),
    }
}
