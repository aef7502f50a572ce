//! Shortcodes: the syntax of `{{ name(key="value", n=12, on=true, list=["a", "b"]) }}`
//! in markdown, as Zola writes them.
//!
//! This module only reads the syntax and remembers where each piece is, so
//! that every later error can point at the file, line and column of the
//! offending name or argument. What a shortcode means (which figure, which
//! period) is decided by the site, which knows the metrics; content stays a
//! stage before them.
//!
//! Shortcodes inside code (fenced or indented blocks, `inline code`) are
//! text, found with the same markdown parser that renders the page, so what
//! is code to the reader is code here. `{{/* metric(...) */}}` is Zola's
//! escape: it is written out as `{{ metric(...) }}`. Any other `{{` outside
//! code is an error rather than text, so a shortcode with a typo in its
//! brackets is never published as a raw string in place of a figure.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::Diagnostic;

/// One `{{ name(...) }}`, with byte ranges into the whole file.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortcode {
    pub name: String,
    pub name_span: Range<usize>,
    /// From `{{` to `}}`.
    pub span: Range<usize>,
    pub args: Vec<Arg>,
}

/// `key=value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub key: String,
    pub key_span: Range<usize>,
    pub value: Value,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<(Value, Range<usize>)>),
}

impl Value {
    /// What the value is, in words: for "must be a number, not a string".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "a string",
            Value::Int(_) => "a whole number",
            Value::Float(_) => "a number",
            Value::Bool(_) => "true or false",
            Value::List(_) => "a list",
        }
    }
}

impl Shortcode {
    pub fn arg(&self, key: &str) -> Option<&Arg> {
        self.args.iter().find(|a| a.key == key)
    }
}

/// A piece of the body that is replaced before the markdown is rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Shortcode(Shortcode),
    /// An escaped shortcode, written out as this text.
    Literal {
        span: Range<usize>,
        text: String,
    },
}

impl Piece {
    pub fn span(&self) -> &Range<usize> {
        match self {
            Piece::Shortcode(s) => &s.span,
            Piece::Literal { span, .. } => span,
        }
    }
}

/// A syntax error at a place in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
    pub label: &'static str,
    pub help: String,
}

impl SyntaxError {
    pub fn diagnostic(&self, file: &str, text: &str) -> Diagnostic {
        Diagnostic::new(&self.message).in_file(file).at(text, self.span.clone(), self.label).with_help(&self.help)
    }
}

const SHAPE: &str = "a shortcode looks like {{ metric(name=\"csat\", period=\"2026-10\") }}";

/// Every shortcode and escape in `text[body..]`, in order, skipping code.
pub fn parse(text: &str, body: usize) -> Result<Vec<Piece>, SyntaxError> {
    let code = code_ranges(&text[body..], body);
    let mut pieces: Vec<Piece> = Vec::new();
    let mut from = body;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        if let Some(c) = code.iter().find(|c| c.contains(&start)) {
            from = c.end.max(start + 2);
            continue;
        }
        let piece = Cursor { text, at: start }.piece()?;
        from = piece.span().end;
        pieces.push(piece);
    }
    Ok(pieces)
}

/// Byte ranges (in the file) of inline code and code blocks in `body`, which starts at `offset`.
fn code_ranges(body: &str, offset: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(body, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Code(_) => ranges.push(offset + range.start..offset + range.end),
            Event::Start(Tag::CodeBlock(_)) => block = Some(offset + range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..offset + range.end);
                }
            }
            _ => {}
        }
    }
    ranges
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    /// An error at the next character (or the end of the file).
    fn error(&self, message: impl Into<String>, label: &'static str, help: impl Into<String>) -> SyntaxError {
        let width = self.peek().map_or(0, char::len_utf8);
        SyntaxError { span: self.at..self.at + width, message: message.into(), label, help: help.into() }
    }

    /// `{{ … }}` or `{{/* … */}}`, with the cursor on `{{`.
    fn piece(mut self) -> Result<Piece, SyntaxError> {
        let start = self.at;
        self.at += 2;
        self.skip_space();
        if self.eat("/*") {
            return self.escape(start);
        }
        let name_start = self.at;
        let name = self.ident();
        if name.is_empty() {
            return Err(SyntaxError {
                span: start..start + 2,
                message: "`{{` starts a shortcode, but no shortcode name follows".into(),
                label: "expected a shortcode name after this",
                help: format!(
                    "{SHAPE}; to write `{{{{` as text, put it in `code` or write &#123;&#123; \
                     (or {{{{/* metric(...) */}}}} to show a shortcode as it is written)"
                ),
            });
        }
        let name_span = name_start..self.at;
        self.skip_space();
        if !self.eat("(") {
            return Err(self.error(format!("expected `(` after `{name}`"), "expected `(`", SHAPE));
        }
        let mut args: Vec<Arg> = Vec::new();
        loop {
            self.skip_space();
            if self.eat(")") {
                break;
            }
            let arg = self.arg()?;
            if let Some(first) = args.iter().find(|a| a.key == arg.key) {
                return Err(SyntaxError {
                    span: arg.key_span,
                    message: format!("`{}` is given twice", first.key),
                    label: "given again here",
                    help: "give each argument once".into(),
                });
            }
            args.push(arg);
            self.skip_space();
            if self.eat(")") {
                break;
            }
            if !self.eat(",") {
                return Err(self.error("expected `,` or `)` after an argument", "expected `,` or `)`", SHAPE));
            }
        }
        self.skip_space();
        if !self.eat("}}") {
            return Err(self.error("expected `}}` to close the shortcode", "expected `}}`", SHAPE));
        }
        Ok(Piece::Shortcode(Shortcode { name: name.into(), name_span, span: start..self.at, args }))
    }

    /// `{{/* inner */}}` -> `{{ inner }}`, with the cursor after `/*`.
    fn escape(mut self, start: usize) -> Result<Piece, SyntaxError> {
        let inner_start = self.at;
        let Some(end) = self.rest().find("*/") else {
            return Err(SyntaxError {
                span: start..inner_start,
                message: "the escaped shortcode is not closed".into(),
                label: "opened here",
                help: "write an escaped shortcode as {{/* metric(name=\"csat\") */}}".into(),
            });
        };
        let inner = self.text[inner_start..inner_start + end].trim();
        self.at = inner_start + end + 2;
        self.skip_space();
        if !self.eat("}}") {
            return Err(self.error("expected `}}` after `*/`", "expected `}}`", "close the escape with `*/}}`"));
        }
        Ok(Piece::Literal { span: start..self.at, text: format!("{{{{ {inner} }}}}") })
    }

    fn ident(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
            .map_or(rest.len(), |(i, _)| i);
        let start = self.at;
        self.at += len;
        &self.text[start..start + len]
    }

    fn arg(&mut self) -> Result<Arg, SyntaxError> {
        let key_start = self.at;
        let key = self.ident().to_string();
        if key.is_empty() {
            return Err(self.error("expected an argument name", "expected a name", SHAPE));
        }
        let key_span = key_start..self.at;
        self.skip_space();
        if !self.eat("=") {
            return Err(self.error(
                format!("expected `=` after `{key}`"),
                "expected `=`",
                format!("give the argument a value: {key}=\"…\""),
            ));
        }
        self.skip_space();
        let value_start = self.at;
        let value = self.value()?;
        Ok(Arg { key, key_span, value, value_span: value_start..self.at })
    }

    fn value(&mut self) -> Result<Value, SyntaxError> {
        const VALUES: &str = "a value is a \"string\", a number, true, false or a [list, of, values]";
        match self.peek() {
            Some(q @ ('"' | '\'')) => self.string(q).map(Value::Str),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.eat("]") {
                        return Ok(Value::List(items));
                    }
                    let start = self.at;
                    let item = self.value()?;
                    items.push((item, start..self.at));
                    self.skip_space();
                    if self.eat("]") {
                        return Ok(Value::List(items));
                    }
                    if !self.eat(",") {
                        return Err(self.error("expected `,` or `]` in the list", "expected `,` or `]`", VALUES));
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_digit() => self.number(),
            _ => {
                let start = self.at;
                let word = self.ident().to_string();
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "" => Err(self.error("expected a value", "expected a value", VALUES)),
                    _ => Err(SyntaxError {
                        span: start..self.at,
                        message: format!("`{word}` is not a value"),
                        label: "not a value",
                        help: format!("{VALUES}; did you mean \"{word}\"?"),
                    }),
                }
            }
        }
    }

    /// A quoted string with `\"`, `\'`, `\\`, `\n` and `\t` escapes.
    fn string(&mut self, quote: char) -> Result<String, SyntaxError> {
        let open = self.at;
        self.at += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(SyntaxError {
                    span: open..open + 1,
                    message: "the string is not closed".into(),
                    label: "opened here",
                    help: format!("end it with {quote}"),
                });
            };
            if c == '\n' {
                return Err(SyntaxError {
                    span: open..open + 1,
                    message: "the string is not closed on its line".into(),
                    label: "opened here",
                    help: format!("end it with {quote} before the end of the line"),
                });
            }
            self.at += c.len_utf8();
            if c == quote {
                return Ok(out);
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let escaped = match self.peek() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some(e @ ('"' | '\'' | '\\')) => e,
                _ => {
                    self.at -= 1;
                    return Err(self.error(
                        "unknown escape in a string",
                        "unknown escape",
                        "in a string, `\\` escapes only \\\", \\', \\\\, \\n and \\t",
                    ));
                }
            };
            self.at += 1;
            out.push(escaped);
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.at;
        let rest = self.rest();
        let len = rest
            .char_indices()
            .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' || (i == 0 && c == '-')))
            .map_or(rest.len(), |(i, _)| i);
        let text = &rest[..len];
        self.at += len;
        let bad = |at: &Self| SyntaxError {
            span: start..at.at,
            message: format!("`{text}` is not a number"),
            label: "not a number",
            help: "write numbers as 12, -3 or 0.95".into(),
        };
        if text.contains('.') {
            text.parse::<f64>().map(Value::Float).map_err(|_| bad(self))
        } else {
            text.parse::<i64>().map(Value::Int).map_err(|_| bad(self))
        }
    }
}

#[cfg(test)]
mod tests;
