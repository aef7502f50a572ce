//! Answer labels: "Very satisfied", "Очень доволен", "非常满意" read as scores.
//!
//! Survey tools export choice questions as their labels unless told
//! otherwise. rapport knows the usual labels of the usual scales in English,
//! Russian and Chinese, for the scale each metric is configured with (a
//! 5-point satisfaction label means nothing on a 7-point scale), and a site
//! adds its own under `[metrics.<metric>.labels]`. Matching ignores case and
//! runs of spaces; a label that starts with its score ("9 - Very likely",
//! "5 = Sehr zufrieden") is read by its number.

use rustc_hash::FxHashMap;

use crate::config::Config;

/// Labels of one metric, by their normalised text.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    scores: FxHashMap<String, u8>,
}

/// 5-point satisfaction, 1 = very dissatisfied.
const SATISFACTION_5: &[(&str, u8)] = &[
    ("very satisfied", 5),
    ("extremely satisfied", 5),
    ("completely satisfied", 5),
    ("satisfied", 4),
    ("somewhat satisfied", 4),
    ("neither satisfied nor dissatisfied", 3),
    ("neutral", 3),
    ("dissatisfied", 2),
    ("somewhat dissatisfied", 2),
    ("very dissatisfied", 1),
    ("extremely dissatisfied", 1),
    ("completely dissatisfied", 1),
    ("очень доволен", 5),
    ("очень довольна", 5),
    ("полностью удовлетворен", 5),
    ("доволен", 4),
    ("довольна", 4),
    ("скорее доволен", 4),
    ("нейтрально", 3),
    ("ни доволен, ни недоволен", 3),
    ("затрудняюсь ответить", 3),
    ("недоволен", 2),
    ("недовольна", 2),
    ("скорее недоволен", 2),
    ("очень недоволен", 1),
    ("очень недовольна", 1),
    ("совсем не удовлетворен", 1),
    ("非常满意", 5),
    ("满意", 4),
    ("比较满意", 4),
    ("一般", 3),
    ("中立", 3),
    ("不满意", 2),
    ("比较不满意", 2),
    ("非常不满意", 1),
];

/// 7-point agreement (the CES statement "… made it easy to handle my issue"), 1 = strongly disagree.
const AGREEMENT_7: &[(&str, u8)] = &[
    ("strongly agree", 7),
    ("agree", 6),
    ("somewhat agree", 5),
    ("neither agree nor disagree", 4),
    ("neutral", 4),
    ("somewhat disagree", 3),
    ("disagree", 2),
    ("strongly disagree", 1),
    ("полностью согласен", 7),
    ("совершенно согласен", 7),
    ("согласен", 6),
    ("скорее согласен", 5),
    ("ни согласен, ни не согласен", 4),
    ("нейтрально", 4),
    ("скорее не согласен", 3),
    ("не согласен", 2),
    ("совершенно не согласен", 1),
    ("полностью не согласен", 1),
    ("非常同意", 7),
    ("同意", 6),
    ("比较同意", 5),
    ("一般", 4),
    ("中立", 4),
    ("比较不同意", 3),
    ("不同意", 2),
    ("非常不同意", 1),
];

/// 5-point agreement, 1 = strongly disagree.
const AGREEMENT_5: &[(&str, u8)] = &[
    ("strongly agree", 5),
    ("agree", 4),
    ("neither agree nor disagree", 3),
    ("neutral", 3),
    ("disagree", 2),
    ("strongly disagree", 1),
    ("полностью согласен", 5),
    ("согласен", 4),
    ("нейтрально", 3),
    ("ни согласен, ни не согласен", 3),
    ("не согласен", 2),
    ("полностью не согласен", 1),
    ("非常同意", 5),
    ("同意", 4),
    ("一般", 3),
    ("中立", 3),
    ("不同意", 2),
    ("非常不同意", 1),
];

/// 5-point ease (CES asked as "How easy was it…"), 1 = very difficult.
const EASE_5: &[(&str, u8)] = &[
    ("very easy", 5),
    ("extremely easy", 5),
    ("easy", 4),
    ("somewhat easy", 4),
    ("neither easy nor difficult", 3),
    ("difficult", 2),
    ("somewhat difficult", 2),
    ("very difficult", 1),
    ("extremely difficult", 1),
    ("очень легко", 5),
    ("легко", 4),
    ("ни легко, ни сложно", 3),
    ("сложно", 2),
    ("очень сложно", 1),
    ("非常容易", 5),
    ("容易", 4),
    ("一般", 3),
    ("困难", 2),
    ("非常困难", 1),
];

/// 7-point ease, 1 = very difficult.
const EASE_7: &[(&str, u8)] = &[
    ("very easy", 7),
    ("extremely easy", 7),
    ("easy", 6),
    ("somewhat easy", 5),
    ("neither easy nor difficult", 4),
    ("somewhat difficult", 3),
    ("difficult", 2),
    ("very difficult", 1),
    ("extremely difficult", 1),
    ("очень легко", 7),
    ("легко", 6),
    ("скорее легко", 5),
    ("ни легко, ни сложно", 4),
    ("скорее сложно", 3),
    ("сложно", 2),
    ("очень сложно", 1),
    ("非常容易", 7),
    ("容易", 6),
    ("比较容易", 5),
    ("一般", 4),
    ("比较困难", 3),
    ("困难", 2),
    ("非常困难", 1),
];

/// The end points of the 0–10 likelihood question.
const LIKELIHOOD_11: &[(&str, u8)] = &[
    ("extremely likely", 10),
    ("not at all likely", 0),
    ("extremely unlikely", 0),
    ("крайне вероятно", 10),
    ("очень вероятно", 10),
    ("совершенно маловероятно", 0),
    ("совсем маловероятно", 0),
    ("крайне маловероятно", 0),
    ("极有可能", 10),
    ("非常可能", 10),
    ("完全不可能", 0),
    ("极不可能", 0),
];

impl Labels {
    fn of(built_in: &[&[(&str, u8)]], own: &indexmap::IndexMap<String, u8>) -> Labels {
        let mut scores = FxHashMap::default();
        for table in built_in {
            for &(label, score) in *table {
                scores.insert(normalize(label), score);
            }
        }
        // The site's own labels come last, so they win.
        for (label, &score) in own {
            scores.insert(normalize(label), score);
        }
        Labels { scores }
    }

    /// The labels of CSAT, NPS and CES for the scales `config` sets.
    pub fn for_config(config: &Config) -> [Labels; 3] {
        let m = &config.metrics;
        let csat: &[&[(&str, u8)]] = if m.csat.scale == [1, 5] { &[SATISFACTION_5] } else { &[] };
        let ces: &[&[(&str, u8)]] = match m.ces.scale {
            [1, 7] => &[AGREEMENT_7, EASE_7],
            [1, 5] => &[AGREEMENT_5, EASE_5],
            _ => &[],
        };
        [Labels::of(csat, &m.csat.labels), Labels::of(&[LIKELIHOOD_11], &m.nps.labels), Labels::of(ces, &m.ces.labels)]
    }

    /// Adds a label (for a preset's own vocabulary), unless the site maps it already.
    pub fn add_default(&mut self, label: &str, score: u8) {
        self.scores.entry(normalize(label)).or_insert(score);
    }

    /// The known label nearest to an unknown one (a typo), with its score.
    pub fn nearest(&self, text: &str) -> Option<(&str, u8)> {
        let near = crate::diagnostic::nearest(&normalize(text), self.scores.keys().map(String::as_str))?;
        Some((near, self.scores[near]))
    }

    /// The score of a label, if known: by its leading number, else by its text.
    pub fn score(&self, text: &str) -> Option<u8> {
        leading_number(text).or_else(|| self.scores.get(&normalize(text)).copied())
    }
}

/// Lowercase, single spaces, no space around the text.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// "9 - Very likely", "5 = Sehr zufrieden", "10 (Extremely likely)": the number in front.
fn leading_number(text: &str) -> Option<u8> {
    let text = text.trim();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let rest = text[digits..].trim_start();
    let separated = rest.starts_with(['-', '–', '=', '(', ':', '.']);
    if !separated {
        return None;
    }
    text[..digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(extra: &str) -> Config {
        Config::parse(&format!("title = \"T\"\n[[sources]]\npath = \"x\"\n{extra}")).unwrap()
    }

    #[test]
    fn labels_in_three_languages_ignore_case_and_spaces() {
        let [csat, nps, ces] = Labels::for_config(&config(""));
        assert_eq!(csat.score("Very satisfied"), Some(5));
        assert_eq!(csat.score("  very   SATISFIED "), Some(5));
        assert_eq!(csat.score("Очень доволен"), Some(5));
        assert_eq!(csat.score("ОЧЕНЬ НЕДОВОЛЕН"), Some(1));
        assert_eq!(csat.score("非常满意"), Some(5));
        assert_eq!(csat.score("不满意"), Some(2));
        assert_eq!(nps.score("Extremely likely"), Some(10));
        assert_eq!(nps.score("0 - Not at all likely"), Some(0));
        assert_eq!(nps.score("9 – sehr wahrscheinlich"), Some(9));
        assert_eq!(ces.score("Strongly agree"), Some(7));
        assert_eq!(ces.score("Somewhat disagree"), Some(3));
        assert_eq!(ces.score("Very easy"), Some(7));
        assert_eq!(csat.score("Very happy"), None);
        assert_eq!(csat.score("12 monkeys"), None, "a number must be followed by a separator");
    }

    #[test]
    fn a_site_adds_and_overrides_labels() {
        let [csat, _, ces] = Labels::for_config(&config(
            "[metrics.csat.labels]\n\"Sehr zufrieden\" = 5\n\"Neutral\" = 2\n[metrics.ces]\nscale = [1, 5]\neasy = [4, 5]\n",
        ));
        assert_eq!(csat.score("sehr zufrieden"), Some(5));
        assert_eq!(csat.score("Neutral"), Some(2), "the site's label wins");
        assert_eq!(ces.score("Strongly agree"), Some(5), "on a 5-point scale");
    }

    #[test]
    fn labels_of_another_scale_are_not_guessed() {
        let [csat, _, ces] = Labels::for_config(&config(
            "[metrics.csat]\nscale = [1, 7]\nsatisfied = [6, 7]\n[metrics.ces]\nscale = [1, 10]\neasy = [8, 10]\n",
        ));
        assert_eq!(csat.score("Very satisfied"), None);
        assert_eq!(ces.score("Strongly agree"), None);
    }
}
