//! Which topics a comment mentions: every keyword of every topic, found in one pass.
//!
//! Keywords and comments are compared after [`fold`]ing both: lowercased letter by
//! letter with Unicode's rules (`WAIT` = `wait`, `Ждал` = `ждал`, `Σ` = `σ`), `ё` read
//! as `е` (Russian writes either), the final `ς` as `σ`, and whitespace runs as one
//! space. All keywords go into one Aho-Corasick automaton, which reports every
//! occurrence of every keyword, overlapping ones included; an occurrence counts
//! when its ends fall on word boundaries:
//!
//! - in scripts that separate words with spaces (Latin, Cyrillic, Greek, …) a
//!   keyword matches whole words: `wait` matches "Wait!" and "a long wait," but not
//!   "waited" or "awaited". Every form is its own keyword (`"wait", "waited"`), or a
//!   trailing `*` matches any word starting with the keyword (`wait*`: wait, waited,
//!   waiting; `ждал*`: ждал, ждала, ждали);
//! - in scripts written without spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer,
//!   Myanmar) there are no word boundaries to find, so a keyword matches anywhere:
//!   `等待` in "等待了两天".
//!
//! The rule is applied at each end of a keyword separately: an end that is a letter
//! or digit of a spaced script must not run on into another such letter or digit.
//! A Chinese character next to it is a boundary (`app` matches "用App付款"), and
//! an end that is punctuation needs none (`c++` matches "c++,").

use aho_corasick::AhoCorasick;
use indexmap::IndexMap;

/// A topic keyword as written in `site.toml`, ready to match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyword {
    /// The keyword [`fold`]ed, without its `*`.
    pub text: String,
    /// Written with a trailing `*`: matches the start of a word.
    pub prefix: bool,
}

/// Why a written keyword cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordProblem {
    /// Nothing but whitespace.
    Empty,
    /// `*` alone would match every word.
    OnlyStar,
    /// A `*` before the end.
    StarInside,
}

impl Keyword {
    pub fn parse(written: &str) -> Result<Keyword, KeywordProblem> {
        let trimmed = written.trim();
        let (stem, prefix) = match trimmed.strip_suffix('*') {
            Some(stem) => (stem.trim_end(), true),
            None => (trimmed, false),
        };
        if trimmed.is_empty() {
            Err(KeywordProblem::Empty)
        } else if stem.is_empty() {
            Err(KeywordProblem::OnlyStar)
        } else if stem.contains('*') {
            Err(KeywordProblem::StarInside)
        } else {
            let mut text = String::new();
            fold(stem, &mut text);
            Ok(Keyword { text, prefix })
        }
    }
}

/// `text` as keywords are compared, into `out`: each letter lowercased, `ё` as `е`, final `ς`
/// as `σ`, every run of whitespace as one space.
pub fn fold(text: &str, out: &mut String) {
    out.clear();
    let mut in_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            for lower in c.to_lowercase() {
                out.push(match lower {
                    'ё' => 'е',
                    'ς' => 'σ',
                    other => other,
                });
            }
        }
    }
}

/// A letter, mark or digit of a word (Unicode's `\w`).
fn is_word(c: char) -> bool {
    regex_syntax::try_is_word_character(c).unwrap_or_else(|_| c.is_alphanumeric() || c == '_')
}

/// A character of a script written without spaces between words, where a keyword matches anywhere.
fn unspaced(c: char) -> bool {
    matches!(u32::from(c),
        0x0E00..=0x0EFF     // Thai, Lao
        | 0x1000..=0x109F   // Myanmar
        | 0x1100..=0x11FF   // Hangul Jamo
        | 0x1780..=0x17FF   // Khmer
        | 0x2E80..=0x2FDF   // CJK radicals
        | 0x3005..=0x3007   // 々 〆 〇
        | 0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3130..=0x318F   // Hangul compatibility Jamo
        | 0x31F0..=0x31FF   // Katakana extensions
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xA960..=0xA97F   // Hangul Jamo extended A
        | 0xAC00..=0xD7FF   // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF   // CJK compatibility ideographs
        | 0xFF66..=0xFFDC   // halfwidth Katakana and Hangul
        | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

/// A letter or digit that a word boundary cannot fall next to.
fn spaced_word(c: char) -> bool {
    is_word(c) && !unspaced(c)
}

/// One topic a keyword marks, and which of its ends must fall on a word boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rule {
    topic: u16,
    start: bool,
    end: bool,
}

/// The keywords of every topic, compiled once.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Every distinct folded keyword; `None` when there are none.
    automaton: Option<AhoCorasick>,
    /// Per pattern of the automaton: what an occurrence of it marks.
    rules: Vec<Vec<Rule>>,
    topics: usize,
}

impl Matcher {
    /// Compiles `topics` (name = keywords). Keywords that cannot be used are left out:
    /// validation has already rejected them with their place in `site.toml`, and keywords
    /// too many for an automaton ([`Matcher::build`]) match nothing.
    pub fn new(topics: &IndexMap<String, Vec<String>>) -> Matcher {
        Matcher::build(topics).unwrap_or_else(|_| Matcher { automaton: None, rules: Vec::new(), topics: topics.len() })
    }

    /// Compiles `topics`; fails only when the keywords are too many for an automaton
    /// (billions of characters), which validation reports.
    pub fn build(topics: &IndexMap<String, Vec<String>>) -> Result<Matcher, aho_corasick::BuildError> {
        let mut patterns: IndexMap<String, Vec<Rule>> = IndexMap::new();
        for (topic, words) in topics.values().enumerate() {
            for keyword in words.iter().filter_map(|w| Keyword::parse(w).ok()) {
                let start = keyword.text.chars().next().is_some_and(spaced_word);
                let end = !keyword.prefix && keyword.text.chars().next_back().is_some_and(spaced_word);
                let rule = Rule { topic: topic as u16, start, end };
                let rules = patterns.entry(keyword.text).or_default();
                if !rules.contains(&rule) {
                    rules.push(rule);
                }
            }
        }
        let automaton = if patterns.is_empty() { None } else { Some(AhoCorasick::new(patterns.keys())?) };
        Ok(Matcher { automaton, rules: patterns.into_values().collect(), topics: topics.len() })
    }

    /// How many topics there are.
    pub fn len(&self) -> usize {
        self.topics
    }

    pub fn is_empty(&self) -> bool {
        self.topics == 0
    }

    /// The topics `text` mentions, as indices in the order of `[topics]`, into `found`.
    /// `folded` is scratch space, reused between calls.
    pub fn tag_into(&self, text: &str, folded: &mut String, found: &mut Vec<u16>) {
        found.clear();
        let Some(automaton) = &self.automaton else { return };
        fold(text, folded);
        for m in automaton.find_overlapping_iter(folded.as_str()) {
            // Keywords are whole UTF-8 strings, so they start and end on character boundaries.
            let before = folded.get(..m.start()).and_then(|s| s.chars().next_back());
            let after = folded.get(m.end()..).and_then(|s| s.chars().next());
            for rule in &self.rules[m.pattern().as_usize()] {
                let bounded =
                    !(rule.start && before.is_some_and(spaced_word) || rule.end && after.is_some_and(spaced_word));
                if bounded && !found.contains(&rule.topic) {
                    found.push(rule.topic);
                }
            }
        }
        found.sort_unstable();
    }

    /// The topics `text` mentions, in the order of `[topics]`.
    pub fn tag(&self, text: &str) -> Vec<u16> {
        let mut found = Vec::new();
        self.tag_into(text, &mut String::new(), &mut found);
        found
    }
}
