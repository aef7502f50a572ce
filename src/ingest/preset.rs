//! Vendor presets: what each survey tool's export looks like, so that a user
//! maps only the question columns.
//!
//! A preset knows how many header rows the vendor writes and what they hold,
//! the columns of the response id, the submission time and the customer, the
//! vendor's date format and the time zone its timestamps are in. Anything
//! mapped in `[sources.columns]` overrides the preset. The layouts follow
//! real exports kept in `../shared/fixtures/exports/` (see its README) and
//! the vendors' documentation.

use crate::config::{Columns, Field, Preset};

/// Which time zone a vendor writes its timestamps in (when they carry no offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The site's `timezone` (the account's zone, which the export does not say).
    Site,
    /// Always UTC.
    Utc,
    /// Named in the export itself (Qualtrics' third header row), else the site's.
    Export,
}

/// How one vendor's exports are laid out.
#[derive(Debug, Clone, Copy)]
pub struct Vendor {
    /// Headers of the response id, in order of preference (any header row).
    pub id: &'static [&'static str],
    pub submitted_at: &'static [&'static str],
    pub customer: &'static [&'static str],
    pub comment: &'static [&'static str],
    /// Score columns assumed when site.toml maps none.
    pub csat: &'static [&'static str],
    pub nps: &'static [&'static str],
    /// strftime formats of its timestamps, tried after ISO 8601.
    pub formats: &'static [&'static str],
    pub zone: Zone,
    /// Header rows after the first: `Fixed(n)`, or Qualtrics' own rule.
    pub extra_rows: ExtraRows,
    /// Without an id column, a response is known by its whole row (Google
    /// Forms downloads every response every time, so overlaps are the rule).
    pub id_from_row: bool,
    /// Answer labels the vendor writes for CSAT, with a score of `true` =
    /// the top of the satisfied range and `false` = the bottom of the scale.
    pub csat_labels: &'static [(&'static str, bool)],
    /// Values that mean "not answered" (Zendesk's offered, unoffered).
    pub no_answer: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtraRows {
    Fixed(usize),
    /// Row 2 is question text; row 3 is ImportId JSON when present. The legacy
    /// layout (row 1 `V1`, `V2`, …) has the real names in row 2.
    Qualtrics,
}

const NONE: &[&str] = &[];

impl Vendor {
    pub fn of(preset: Preset) -> Vendor {
        let base = Vendor {
            id: Columns::candidates(Field::Id),
            submitted_at: Columns::candidates(Field::SubmittedAt),
            customer: Columns::candidates(Field::Customer),
            comment: Columns::candidates(Field::Comment),
            csat: Columns::candidates(Field::Csat),
            nps: Columns::candidates(Field::Nps),
            formats: NONE,
            zone: Zone::Site,
            extra_rows: ExtraRows::Fixed(0),
            id_from_row: false,
            csat_labels: &[],
            no_answer: NONE,
        };
        match preset {
            // An aggregated table has one header row; its columns are read by `super::aggregated`.
            Preset::Generic | Preset::Aggregated => base,
            Preset::Qualtrics => Vendor {
                id: &["ResponseId", "ResponseID", "_recordId"],
                submitted_at: &["RecordedDate", "EndDate", "recordedDate"],
                customer: &["ExternalReference", "ExternalDataReference", "RecipientEmail"],
                comment: NONE,
                formats: &["%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S"],
                zone: Zone::Export,
                extra_rows: ExtraRows::Qualtrics,
                ..base
            },
            Preset::Surveymonkey => Vendor {
                id: &["Respondent ID"],
                submitted_at: &["End Date", "Start Date"],
                customer: &["Email Address", "Custom Data 1"],
                comment: NONE,
                formats: &["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"],
                zone: Zone::Site,
                extra_rows: ExtraRows::Fixed(1),
                ..base
            },
            Preset::Typeform => Vendor {
                id: &["#", "Response ID", "Token"],
                submitted_at: &["Submit Date (UTC)", "Submitted At", "Start Date (UTC)"],
                customer: NONE,
                comment: NONE,
                formats: &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"],
                zone: Zone::Utc,
                ..base
            },
            Preset::GoogleForms => Vendor {
                id: NONE,
                submitted_at: &[
                    "Timestamp",
                    "Horodateur",
                    "Marca temporal",
                    "Zeitstempel",
                    "Отметка времени",
                    "时间戳记",
                ],
                customer: &["Email Address", "Email address", "Username", "Email", "Адрес электронной почты"],
                comment: NONE,
                formats: &[
                    "%Y/%m/%d %I:%M:%S %p",
                    "%Y/%m/%d %H:%M:%S",
                    "%m/%d/%Y %H:%M:%S",
                    "%m/%d/%Y %I:%M:%S %p",
                    "%d.%m.%Y %H:%M:%S",
                ],
                zone: Zone::Site,
                id_from_row: true,
                ..base
            },
            // Delighted's fields as its API documents them (id, person, score,
            // comment, created_at in Unix seconds); no CSV export of theirs was
            // at hand to confirm the headers, so the API's names come first.
            Preset::Delighted => Vendor {
                id: &["id", "Response ID", "ID"],
                submitted_at: &["created_at", "Created At", "Response Timestamp", "Date"],
                customer: &["person", "Person ID", "person_id", "Email"],
                comment: &["comment", "Comment"],
                csat: &["csat"],
                nps: &["score", "Score"],
                formats: &["%s", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S"],
                zone: Zone::Utc,
                ..base
            },
            // The satisfaction ratings API (id, ticket_id, requester_id, score,
            // comment, created_at, updated_at in ISO 8601 UTC) and ticket exports
            // ("Id", "Updated at", "Satisfaction Score").
            Preset::Zendesk => Vendor {
                id: &["id", "Id", "ID", "ticket_id", "Ticket ID"],
                submitted_at: &["updated_at", "Updated at", "created_at", "Created at", "Solved at"],
                customer: &["requester_id", "Requester id", "Requester ID", "Requester"],
                comment: &["comment", "Satisfaction Comment", "Comment"],
                csat: &["score", "Satisfaction Score", "Satisfaction"],
                nps: &["nps"],
                formats: &["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%m/%d/%Y %H:%M"],
                zone: Zone::Utc,
                csat_labels: &[
                    ("good", true),
                    ("good with comment", true),
                    ("good_with_comment", true),
                    ("bad", false),
                    ("bad with comment", false),
                    ("bad_with_comment", false),
                ],
                no_answer: &["offered", "unoffered"],
                ..base
            },
        }
    }

    /// How many rows to read before the header rows can be told from data.
    pub fn rows_to_peek(&self) -> usize {
        match self.extra_rows {
            ExtraRows::Fixed(n) => n + 1,
            ExtraRows::Qualtrics => 3,
        }
    }

    /// How many header rows follow the first, given the first rows of the file
    /// (their first cells are enough to tell Qualtrics' layouts apart).
    pub fn extra_header_rows(&self, first: &[String], second: Option<&[String]>, third: Option<&[String]>) -> usize {
        match self.extra_rows {
            ExtraRows::Fixed(n) => n,
            ExtraRows::Qualtrics => {
                if first.first().is_some_and(|c| c == "V1") {
                    // Legacy: V1…V10 ids, then the names and questions.
                    return usize::from(second.is_some());
                }
                let import = |row: Option<&[String]>| {
                    row.is_some_and(|r| r.iter().any(|c| c.starts_with('{') && c.contains("ImportId")))
                };
                if import(third) {
                    2
                } else if import(second) {
                    1
                } else {
                    // Question text, without the ImportId row (older "2-row" exports).
                    usize::from(second.is_some())
                }
            }
        }
    }
}

/// The time zone named in a Qualtrics ImportId cell: `{"ImportId":"startDate","timeZone":"America/Denver"}`.
pub fn import_time_zone(cell: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(cell).ok()?;
    value.get("timeZone")?.as_str().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn qualtrics_layouts_are_told_apart_by_their_rows() {
        let q = Vendor::of(Preset::Qualtrics);
        let ids = row(&["StartDate", "ResponseId", "Q1"]);
        let text = row(&["Start Date", "Response ID", "How satisfied were you?"]);
        let import = row(&[
            "{\"ImportId\":\"startDate\",\"timeZone\":\"Europe/Berlin\"}",
            "{\"ImportId\":\"_recordId\"}",
            "{\"ImportId\":\"QID1\"}",
        ]);
        let data = row(&["2026-01-01 10:00:00", "R_1", "5"]);
        assert_eq!(q.extra_header_rows(&ids, Some(&text), Some(&import)), 2);
        assert_eq!(q.extra_header_rows(&ids, Some(&text), Some(&data)), 1);
        let legacy = row(&["V1", "V2", "Q1"]);
        assert_eq!(q.extra_header_rows(&legacy, Some(&text), Some(&data)), 1);
        assert_eq!(import_time_zone(&import[0]).as_deref(), Some("Europe/Berlin"));
        assert_eq!(import_time_zone("{'ImportId': 'responseId'}"), None);
    }
}
