//! Vendor presets on real exports (tests/fixtures/exports, origins in its
//! README) and on exports of our own that carry CSAT, NPS and CES questions:
//! the user maps only question columns, by column id or by question text.

use std::path::Path;

use rapport::config::Config;
use rapport::ingest::{self, Inputs};

/// Reads `files` (name, bytes) in a site whose only source is `source` (TOML lines).
fn read(source: &str, files: &[(&str, &[u8])]) -> Result<Inputs, String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("exports")).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join("exports").join(name), bytes).unwrap();
    }
    let config = Config::parse(&format!(
        "title = \"T\"\ntimezone = \"Europe/Berlin\"\n[[sources]]\npath = \"exports/*.csv\"\non_error = \"reject\"\n{source}"
    ))
    .map_err(|e| e.diagnostic().to_string())?;
    ingest::read(&config, dir.path(), &dir.path().join("public")).map_err(|e| e.diagnostic().to_string())
}

fn real(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports").join(name)).unwrap()
}

fn ids(inputs: &Inputs) -> Vec<String> {
    inputs.all_responses().unwrap().into_iter().map(|r| r.id.as_deref().unwrap_or("").to_string()).collect()
}

#[test]
fn qualtrics_three_header_rows_with_a_question_mapped_by_its_column_id() {
    let file = real("qualtrics-3row-de.csv");
    let inputs = read("preset = \"qualtrics\"\n[sources.columns]\ncsat = \"Q1\"\n", &[("q.csv", &file)]).unwrap();
    assert_eq!(ids(&inputs), ["R_2YPOQ602ER1jkf1"]);
    let r = &inputs.all_responses().unwrap()[0];
    assert_eq!(r.scores.csat, Some(2));
    // RecordedDate 2017-07-18 08:28:48; the ImportId row names no zone, so the site's (Berlin, UTC+2 in July).
    assert_eq!(r.submitted_at.to_string(), "2017-07-18T06:28:48Z");
    assert_eq!(inputs.files[0].rows_read, 1, "the three header rows are not rows");
}

#[test]
fn qualtrics_names_the_time_zone_in_its_import_row() {
    let text = "StartDate,RecordedDate,ResponseId,Q1\n\
                Start Date,Recorded Date,Response ID,How satisfied are you?\n\
                \"{\"\"ImportId\"\":\"\"startDate\"\",\"\"timeZone\"\":\"\"America/New_York\"\"}\",\"{\"\"ImportId\"\":\"\"recordedDate\"\",\"\"timeZone\"\":\"\"America/New_York\"\"}\",\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1\"\"}\"\n\
                2025-07-01 11:13:44,2025-07-01 11:14:19,R_5rYfeErcBsS3nsJ,Extremely satisfied\n\
                2025-07-01 12:00:00,2025-07-01 12:01:00,R_2,Somewhat dissatisfied\n";
    let inputs = read(
        "preset = \"qualtrics\"\n[sources.columns]\ncsat = \"How satisfied are you?\"\n",
        &[("q.csv", text.as_bytes())],
    )
    .unwrap();
    let r = &inputs.all_responses().unwrap()[0];
    assert_eq!(r.submitted_at.to_string(), "2025-07-01T15:14:19Z", "11:14:19 in New York (UTC−4)");
    let scores: Vec<Option<u8>> = inputs.all_responses().unwrap().into_iter().map(|r| r.scores.csat).collect();
    assert_eq!(scores, [Some(5), Some(2)], "answers as choice labels");
}

#[test]
fn qualtrics_legacy_two_rows_with_a_question_mapped_by_its_text() {
    let file = real("qualtrics-legacy-2row.csv");
    let inputs = read(
        "preset = \"qualtrics\"\n[sources.columns]\ncsat = \"This is a multiple choice question.\"\n",
        &[("q.csv", &file)],
    )
    .unwrap();
    assert_eq!(ids(&inputs), ["R_2YPOQ602ER1jkf1"]);
    assert_eq!(inputs.all_responses().unwrap()[0].scores.csat, Some(2));
    assert_eq!(
        inputs.all_responses().unwrap()[0].submitted_at.to_string(),
        "2017-07-18T06:28:48Z",
        "EndDate, in the site's zone"
    );
}

#[test]
fn qualtrics_recoded_values_with_a_python_style_import_row() {
    let file = real("qualtrics-recode-values.csv");
    let inputs = read("preset = \"qualtrics\"\n[sources.columns]\ncsat = \"Q3\"\n", &[("q.csv", &file)]).unwrap();
    assert_eq!(inputs.files[0].rows_read, 5);
    let scores: Vec<Option<u8>> = inputs.all_responses().unwrap().into_iter().map(|r| r.scores.csat).collect();
    assert_eq!(scores, [Some(4), Some(5), Some(1), Some(5), Some(3)]);
    assert_eq!(inputs.all_responses().unwrap()[0].id.as_deref(), Some("R_862TbryT6hpIAfP"));
}

#[test]
fn surveymonkey_two_rows_us_dates_and_label_answers() {
    let file = real("surveymonkey-2row.csv");
    let question = "To what extent do you agree with the following statement: \"\"I feel more equipped to lead in my context as a result of my learning through this module.\"\"";
    let source =
        format!("preset = \"surveymonkey\"\n[sources.columns]\nces = \"{}\"\n", question.replace("\"\"", "\\\""));
    let config = format!("{source}[metrics.ces]\nscale = [1, 5]\neasy = [4, 5]\n");
    let inputs = read(&config, &[("m.csv", &file)]).unwrap();
    assert_eq!(inputs.files[0].rows_read, 16);
    let first = inputs.all_responses().unwrap().into_iter().find(|r| r.id.as_deref() == Some("19085864118")).unwrap();
    // End Date 07/31/2023 04:29:08 PM, in the site's zone (the account's zone is not in the export).
    assert_eq!(first.submitted_at.to_string(), "2023-07-31T14:29:08Z");
    assert_eq!(first.scores.ces, Some(1), "Strongly disagree");
    // The export really says "Disgree": a label nobody can guess, rejected by name.
    let typo = inputs.rejections.iter().find(|r| r.reason.contains("Disgree")).expect("the typo is rejected");
    assert!(typo.hint.contains("[metrics.ces.labels] \"Disgree\" = 2; it looks like `disagree` (2)"), "{}", typo.hint);
    // Mapping it, as the hint says, reads it.
    let fixed = read(&format!("{config}labels = {{ \"Disgree\" = 2 }}\n"), &[("m.csv", &file)]).unwrap();
    assert_eq!(fixed.files[0].rows_rejected, 0);
}

#[test]
fn typeform_tokens_and_utc_dates() {
    let file = real("typeform-fr.csv");
    let inputs = read(
        "preset = \"typeform\"\n[sources.columns]\nnps = \"Si vous deviez noter votre aisance personnelle avec l'informatique, combien vous donneriez vous ?\"\n",
        &[("t.csv", &file)],
    )
    .unwrap();
    assert_eq!(inputs.files[0].rows_read, 6);
    assert_eq!(inputs.all_responses().unwrap()[0].id.as_deref(), Some("dkxkp3dz4g8f3r9tgwgdkxkp3d84dmz2"));
    assert_eq!(
        inputs.all_responses().unwrap()[0].submitted_at.to_string(),
        "2021-03-27T11:41:34Z",
        "Submit Date (UTC)"
    );
    let scores: Vec<Option<u8>> = inputs.all_responses().unwrap().into_iter().map(|r| r.scores.nps).collect();
    assert_eq!(scores, [Some(7), Some(4), Some(5), Some(9), Some(6), Some(9)]);
}

#[test]
fn google_forms_header_and_its_downloads() {
    let question = "On a scale of 1 to 5, how would you rate your overall satisfaction with our product?";
    let source = format!("preset = \"google-forms\"\n[sources.columns]\ncsat = \"{question}\"\n");
    let file = real("google-forms-header.csv");
    let inputs = read(&source, &[("g.csv", &file)]).unwrap();
    assert_eq!(inputs.files[0].rows_read, 0, "a header alone is a valid, empty export");
    // Two downloads of the same form overlap entirely: each response counts once.
    // The file as published has no line break after its header row.
    let header = format!("{}\n", String::from_utf8(file).unwrap().trim_end());
    let first = format!("{header}\"2026/09/04 7:51:43 PM GMT+5:30\",ann@example.com,Widget,5,4,\"Great\",,,,\n");
    let second = format!("{first}\"2026/09/05 9:00:00 am GMT\",bob@example.com,Widget,2,3,,,,,\n");
    let inputs = read(&source, &[("a.csv", first.as_bytes()), ("b.csv", second.as_bytes())]).unwrap();
    assert_eq!(inputs.responses.len(), 2);
    assert_eq!(inputs.files[0].duplicates, 1);
    assert_eq!(inputs.all_responses().unwrap()[0].submitted_at.to_string(), "2026-09-04T14:21:43Z");
    assert_eq!(inputs.all_responses().unwrap()[1].submitted_at.to_string(), "2026-09-05T09:00:00Z");
    assert_eq!(inputs.all_responses().unwrap()[0].customer.as_deref(), Some("ann@example.com"));
}

#[test]
fn zendesk_good_and_bad_are_a_two_point_csat() {
    let text = "id,ticket_id,requester_id,score,comment,reason,created_at,updated_at\n\
                35436,208,7881,good,Thanks!,,2011-07-20T22:55:29Z,2011-07-20T22:55:29Z\n\
                35437,209,7882,bad,Too slow,The issue took too long to resolve,2011-07-21T10:00:00Z,2011-07-21T10:05:00Z\n\
                35438,210,7883,offered,,,2011-07-22T10:00:00Z,2011-07-22T10:00:00Z\n";
    // No column is mapped at all: the preset knows Zendesk's.
    let inputs = read("preset = \"zendesk\"\n", &[("z.csv", text.as_bytes())]).unwrap();
    let scores: Vec<Option<u8>> = inputs.all_responses().unwrap().into_iter().map(|r| r.scores.csat).collect();
    // good = the top of the satisfied range (5), bad = the bottom of the scale (1), offered = no answer.
    assert_eq!(scores, [Some(5), Some(1), None]);
    assert_eq!(inputs.all_responses().unwrap()[1].comment.as_deref(), Some("Too slow"));
    assert_eq!(inputs.all_responses().unwrap()[1].submitted_at.to_string(), "2011-07-21T10:05:00Z");
}

#[test]
fn delighted_scores_as_nps_with_unix_times() {
    let text = "id,person,survey_type,score,comment,permalink,created_at,updated_at\n\
                1,p-1,nps,10,Love it,https://delighted.com/r/1,1713418460,1713418460\n\
                2,p-2,nps,3,,https://delighted.com/r/2,1713418999,1713418999\n";
    let inputs = read("preset = \"delighted\"\n", &[("d.csv", text.as_bytes())]).unwrap();
    let scores: Vec<Option<u8>> = inputs.all_responses().unwrap().into_iter().map(|r| r.scores.nps).collect();
    assert_eq!(scores, [Some(10), Some(3)]);
    assert_eq!(inputs.all_responses().unwrap()[0].submitted_at.to_string(), "2024-04-18T05:34:20Z");
    assert_eq!(inputs.all_responses().unwrap()[0].customer.as_deref(), Some("p-1"));
}

#[test]
fn a_question_that_is_not_there_lists_what_is() {
    let file = real("qualtrics-3row-de.csv");
    let e = read("preset = \"qualtrics\"\n[sources.columns]\ncsat = \"Q7\"\n", &[("q.csv", &file)]).unwrap_err();
    assert!(e.contains("exports/q.csv has no column `Q7`"), "{e}");
    assert!(e.contains("the headers are `StartDate`, `EndDate`"), "{e}");
    assert!(e.contains("(20 in all)"), "{e}");
    // A near miss is named.
    let e = read("preset = \"qualtrics\"\n[sources.columns]\ncsat = \"Q11\"\n", &[("q.csv", &file)]).unwrap_err();
    assert!(e.contains("did you mean `Q1`?"), "{e}");
}

#[test]
fn surveymonkey_and_typeform_exports_of_our_own_with_csat_and_nps() {
    let monkey = "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,How satisfied were you with our support?,How likely are you to recommend us?\n\
                  ,,,,,,,,,Response,Response\n\
                  114000001,4001,03/02/2026 09:00:00 AM,03/02/2026 09:04:10 AM,,ann@example.com,,,,Very satisfied,10 - Extremely likely\n\
                  114000002,4001,03/02/2026 10:00:00 AM,03/02/2026 10:01:00 AM,,bob@example.com,,,,Dissatisfied,3\n";
    let inputs = read(
        "preset = \"surveymonkey\"\n[sources.columns]\ncsat = \"How satisfied were you with our support?\"\nnps = \"How likely are you to recommend us?\"\n",
        &[("m.csv", monkey.as_bytes())],
    )
    .unwrap();
    let scores: Vec<(Option<u8>, Option<u8>)> =
        inputs.all_responses().unwrap().into_iter().map(|r| (r.scores.csat, r.scores.nps)).collect();
    assert_eq!(scores, [(Some(5), Some(10)), (Some(2), Some(3))]);
    assert_eq!(inputs.all_responses().unwrap()[0].customer.as_deref(), Some("ann@example.com"));

    let typeform = "#,How satisfied are you?,Start Date (UTC),Submit Date (UTC),Network ID\n\
                    21db37adb60cdcafadfa7dca1b13b6b1,4,2026-03-09 00:37:10,2026-03-09 00:38:59,f8f8be6910\n";
    let inputs = read(
        "preset = \"typeform\"\n[sources.columns]\ncsat = \"How satisfied are you?\"\n",
        &[("t.csv", typeform.as_bytes())],
    )
    .unwrap();
    assert_eq!(inputs.all_responses().unwrap()[0].scores.csat, Some(4));
    assert_eq!(inputs.all_responses().unwrap()[0].submitted_at.to_string(), "2026-03-09T00:38:59Z");
}
