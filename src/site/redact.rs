//! Personal data out of published text: `privacy.redact` replaces email
//! addresses, phone numbers and payment card numbers in comments (and in
//! anything else quoted from an export) before a page sees them.
//!
//! The patterns err on the side of removing too much: a long order number
//! may read as a phone number. Card numbers are recognised by length and
//! the Luhn checksum, so a 16-digit reference that fails it is a phone
//! number at worst, never published as is.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::config::Redaction;

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}").expect("valid pattern")
});
/// 13 to 19 digits, optionally grouped by spaces or dashes.
static CARD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d(?:[ \-]?\d){12,18}\b").expect("valid pattern"));
/// A run of digits with the punctuation phone numbers are written with; counted below.
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+|\b|\()\d[\d ().\-/]{5,}\d\b").expect("valid pattern"));

/// What replaces each kind of personal data, in the site's language.
#[derive(Debug, Clone)]
pub struct Redactor {
    kinds: Vec<Redaction>,
    email: String,
    phone: String,
    card: String,
}

impl Redactor {
    /// Removes the `kinds` configured; `[email]`, `[phone]`, `[card]` or the theme's words take their place.
    pub fn new(kinds: &[Redaction], email: &str, phone: &str, card: &str) -> Redactor {
        Redactor { kinds: kinds.to_vec(), email: email.into(), phone: phone.into(), card: card.into() }
    }

    pub fn apply<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut text = Cow::Borrowed(text);
        // Cards before phones: a card number would also read as a phone number.
        for kind in [Redaction::Email, Redaction::Card, Redaction::Phone] {
            if !self.kinds.contains(&kind) {
                continue;
            }
            let replaced = match kind {
                Redaction::Email => EMAIL.replace_all(&text, self.email.as_str()),
                Redaction::Card => CARD
                    .replace_all(&text, |c: &Captures| if luhn(&c[0]) { self.card.clone() } else { c[0].to_string() }),
                Redaction::Phone => PHONE.replace_all(&text, |c: &Captures| {
                    let found = &c[0];
                    let digits = found.bytes().filter(u8::is_ascii_digit).count();
                    // "+" marks an international number; otherwise a date (8 digits) or a year range is not one.
                    if digits >= 9 || (found.starts_with('+') && digits >= 7) {
                        self.phone.clone()
                    } else {
                        found.to_string()
                    }
                }),
            };
            if let Cow::Owned(s) = replaced {
                text = Cow::Owned(s);
            }
        }
        text
    }
}

/// The Luhn checksum every payment card number satisfies.
fn luhn(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Redactor {
        Redactor::new(&[Redaction::Email, Redaction::Phone, Redaction::Card], "[email]", "[phone]", "[card]")
    }

    #[test]
    fn emails_phones_and_cards_are_replaced() {
        let r = all();
        assert_eq!(r.apply("write to j.doe+cx@mail.example.co.uk today"), "write to [email] today");
        assert_eq!(r.apply("Call me back on +49 151 2345 6789."), "Call me back on [phone].");
        assert_eq!(r.apply("call (555) 123-4567 please"), "call [phone] please");
        assert_eq!(r.apply("call 555-123-4567"), "call [phone]");
        // A Visa test number (passes Luhn), grouped and not.
        assert_eq!(r.apply("card 4111 1111 1111 1111 was charged"), "card [card] was charged");
        assert_eq!(r.apply("card 4111-1111-1111-1111."), "card [card].");
        assert_eq!(r.apply("5500005555555559"), "[card]");
    }

    #[test]
    fn ordinary_numbers_stay() {
        let r = all();
        for text in [
            "waited 45 minutes, 3 transfers",
            "since 2026-10-31 nothing works",
            "ticket 4711 and version 2.3.1",
            "between 2024 and 2026",
            "in 1,234 cases",
            "Очень доволен, 非常满意",
        ] {
            assert_eq!(r.apply(text), text, "{text}");
        }
    }

    #[test]
    fn a_sixteen_digit_number_failing_luhn_is_still_not_published_as_is() {
        // Not a card, but long enough to be treated as a phone number.
        assert_eq!(all().apply("ref 1234 5678 9012 3456"), "ref [phone]");
    }

    #[test]
    fn only_configured_kinds_are_removed() {
        let r = Redactor::new(&[Redaction::Email], "[email]", "[phone]", "[card]");
        assert_eq!(r.apply("a@b.io +49 151 2345 6789"), "[email] +49 151 2345 6789");
        assert!(matches!(r.apply("nothing here"), Cow::Borrowed(_)));
    }

    #[test]
    fn luhn_checksum() {
        assert!(luhn("4111111111111111"));
        assert!(luhn("79927398713"));
        assert!(!luhn("4111111111111112"));
    }
}
