//! Tokens of the STIX 2.1 patterning language, with their byte positions.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    LBrack,
    RBrack,
    LParen,
    RParen,
    Comma,
    Colon,
    Dot,
    Star,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// A keyword (uppercase, case-sensitive) such as `AND` or `WITHIN`.
    Keyword(&'static str),
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Timestamp(String),
    Binary(String),
    Hex(String),
    End,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::LBrack => f.write_str("`[`"),
            Tok::RBrack => f.write_str("`]`"),
            Tok::LParen => f.write_str("`(`"),
            Tok::RParen => f.write_str("`)`"),
            Tok::Comma => f.write_str("`,`"),
            Tok::Colon => f.write_str("`:`"),
            Tok::Dot => f.write_str("`.`"),
            Tok::Star => f.write_str("`*`"),
            Tok::Eq => f.write_str("`=`"),
            Tok::Ne => f.write_str("`!=`"),
            Tok::Lt => f.write_str("`<`"),
            Tok::Le => f.write_str("`<=`"),
            Tok::Gt => f.write_str("`>`"),
            Tok::Ge => f.write_str("`>=`"),
            Tok::Keyword(k) => write!(f, "`{k}`"),
            Tok::Ident(i) => write!(f, "`{i}`"),
            Tok::Str(_) => f.write_str("a string"),
            Tok::Int(i) => write!(f, "`{i}`"),
            Tok::Float(x) => write!(f, "`{x}`"),
            Tok::Bool(b) => write!(f, "`{b}`"),
            Tok::Timestamp(_) => f.write_str("a timestamp"),
            Tok::Binary(_) => f.write_str("a binary literal"),
            Tok::Hex(_) => f.write_str("a hex literal"),
            Tok::End => f.write_str("the end of the pattern"),
        }
    }
}

const KEYWORDS: &[&str] = &[
    "AND",
    "OR",
    "NOT",
    "FOLLOWEDBY",
    "LIKE",
    "MATCHES",
    "ISSUBSET",
    "ISSUPERSET",
    "IN",
    "EXISTS",
    "WITHIN",
    "SECONDS",
    "REPEATS",
    "TIMES",
    "START",
    "STOP",
];

/// A lexing failure: byte offset and message.
#[derive(Debug, Clone, PartialEq)]
pub struct LexError {
    pub offset: usize,
    pub message: String,
}

/// Splits `input` into tokens, each with its byte offset; the last is [`Tok::End`].
pub fn lex(input: &str) -> Result<Vec<(usize, Tok)>, LexError> {
    let bytes = input.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |offset: usize, message: String| Err(LexError { offset, message });
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let two = bytes.get(i..i + 2).unwrap_or_default();
        let (tok, len) = match c {
            b'[' => (Tok::LBrack, 1),
            b']' => (Tok::RBrack, 1),
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b',' => (Tok::Comma, 1),
            b':' => (Tok::Colon, 1),
            b'*' => (Tok::Star, 1),
            b'=' if two == b"==" => (Tok::Eq, 2),
            b'=' => (Tok::Eq, 1),
            b'!' if two == b"!=" => (Tok::Ne, 2),
            b'<' if two == b"<>" => (Tok::Ne, 2),
            b'<' if two == b"<=" => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if two == b">=" => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'\'' => {
                let (text, len) = string_literal(input, i)?;
                (Tok::Str(text), len)
            }
            b't' | b'b' | b'h' if bytes.get(i + 1) == Some(&b'\'') => {
                let (text, len) = string_literal(input, i + 1)?;
                let tok = match c {
                    b't' => Tok::Timestamp(text),
                    b'b' => Tok::Binary(text),
                    _ => Tok::Hex(text),
                };
                (tok, len + 1)
            }
            b'0'..=b'9' | b'-' | b'+' => number(input, i)?,
            b'.' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => number(input, i)?,
            b'.' => (Tok::Dot, 1),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let len = bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                    .count();
                let word = &input[i..i + len];
                let tok = if let Some(k) = KEYWORDS.iter().find(|k| **k == word) {
                    Tok::Keyword(k)
                } else if word == "true" || word == "false" {
                    Tok::Bool(word == "true")
                } else {
                    Tok::Ident(word.to_owned())
                };
                (tok, len)
            }
            _ => {
                let ch = input[i..].chars().next().unwrap_or('?');
                return err(i, format!("unexpected character `{ch}`"));
            }
        };
        out.push((start, tok));
        i += len;
    }
    out.push((input.len(), Tok::End));
    Ok(out)
}

/// A quoted literal starting at `quote` (the `'`): its unescaped text and its length.
/// Only `\\` and `\'` are escapes.
fn string_literal(input: &str, quote: usize) -> Result<(String, usize), LexError> {
    let mut text = String::new();
    let mut chars = input[quote + 1..].char_indices();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\'' => return Ok((text, offset + 2)),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '\''))) => text.push(e),
                _ => {
                    return Err(LexError {
                        offset: quote + 1 + offset,
                        message: "only \\\\ and \\' are escapes in a string".into(),
                    });
                }
            },
            c => text.push(c),
        }
    }
    Err(LexError {
        offset: quote,
        message: "the string is not closed with `'`".into(),
    })
}

fn number(input: &str, start: usize) -> Result<(Tok, usize), LexError> {
    let bytes = input.as_bytes();
    let mut i = start;
    if matches!(bytes[i], b'-' | b'+') {
        i += 1;
    }
    let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    i += digits;
    let mut float = false;
    if bytes.get(i) == Some(&b'.') {
        let fraction = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction == 0 {
            return Err(LexError {
                offset: i,
                message: "a number needs digits after `.`".into(),
            });
        }
        i += 1 + fraction;
        float = true;
    } else if digits == 0 {
        return Err(LexError {
            offset: start,
            message: "expected a number".into(),
        });
    }
    let text = &input[start..i];
    let tok = if float {
        text.parse().map(Tok::Float).ok()
    } else {
        text.parse().map(Tok::Int).ok()
    };
    tok.map(|t| (t, i - start)).ok_or(LexError {
        offset: start,
        message: format!("`{text}` is out of range"),
    })
}
