//! The recursive-descent parser: FOLLOWEDBY binds loosest, then OR, then AND,
//! then the qualifiers; inside brackets OR binds looser than AND. Literal checks
//! (timestamps, base64, hex, digest lengths) happen here so errors carry positions.

use base64::Engine as _;

use super::lexer::{LexError, Tok, lex};
use super::{CompExpr, Literal, ObjectPath, ObsExpr, Op, PatternError, Qualifier, Step, Test};
use crate::timestamp::Timestamp;
use crate::vocab::hash_hex_len;

/// Deepest nesting of parentheses and brackets accepted (keeps the stack bounded).
const MAX_DEPTH: usize = 100;

pub fn parse(text: &str) -> Result<ObsExpr, PatternError> {
    let tokens =
        lex(text).map_err(|LexError { offset, message }| PatternError { offset, message })?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        depth: 0,
        advanced_to_end: false,
    };
    let expr = parser.followed_by()?;
    match parser.peek() {
        Tok::End => Ok(expr),
        other => Err(parser.error(format!(
            "expected AND, OR, FOLLOWEDBY or a qualifier, found {other}"
        ))),
    }
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    depth: usize,
    /// Whether the last `next` stepped onto the end marker.
    advanced_to_end: bool,
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos.min(self.tokens.len() - 1)].1
    }

    fn offset(&self) -> usize {
        self.tokens[self.pos.min(self.tokens.len() - 1)].0
    }

    fn next(&mut self) -> Tok {
        let tok = self.peek().clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
            self.advanced_to_end = self.pos == self.tokens.len() - 1;
        } else {
            self.advanced_to_end = false;
        }
        tok
    }

    /// Steps back over the token `next` returned (never past the end marker).
    fn back(&mut self) {
        if self.pos < self.tokens.len() - 1 || self.advanced_to_end {
            self.pos -= 1;
            self.advanced_to_end = false;
        }
    }

    fn error(&self, message: String) -> PatternError {
        PatternError {
            offset: self.offset(),
            message,
        }
    }

    fn keyword(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Tok::Keyword(k) if *k == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), PatternError> {
        if *self.peek() == tok {
            self.next();
            Ok(())
        } else {
            Err(self.error(format!("expected {what}, found {}", self.peek())))
        }
    }

    fn enter(&mut self) -> Result<(), PatternError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn followed_by(&mut self) -> Result<ObsExpr, PatternError> {
        let mut left = self.obs_or()?;
        while self.keyword("FOLLOWEDBY") {
            let right = self.obs_or()?;
            left = ObsExpr::FollowedBy(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn obs_or(&mut self) -> Result<ObsExpr, PatternError> {
        let mut left = self.obs_and()?;
        while self.keyword("OR") {
            let right = self.obs_and()?;
            left = ObsExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn obs_and(&mut self) -> Result<ObsExpr, PatternError> {
        let mut left = self.qualified()?;
        while self.keyword("AND") {
            let right = self.qualified()?;
            left = ObsExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// A primary observation and its qualifiers. A bracketed observation may carry
    /// each kind of qualifier once; a parenthesised expression may be qualified again.
    fn qualified(&mut self) -> Result<ObsExpr, PatternError> {
        let (mut expr, simple) = self.obs_primary()?;
        let mut seen = [false; 3];
        loop {
            let offset = self.offset();
            let (qualifier, kind) = if self.keyword("WITHIN") {
                (self.within()?, 0)
            } else if self.keyword("REPEATS") {
                (self.repeats()?, 1)
            } else if self.keyword("START") {
                (self.start_stop()?, 2)
            } else {
                return Ok(expr);
            };
            if simple && seen[kind] {
                return Err(PatternError {
                    offset,
                    message: "an observation may carry each qualifier only once \
                              (parenthesise it to qualify it again)"
                        .into(),
                });
            }
            seen[kind] = true;
            expr = ObsExpr::Qualified(Box::new(expr), qualifier);
        }
    }

    fn within(&mut self) -> Result<Qualifier, PatternError> {
        let seconds = match self.next() {
            Tok::Int(n) if n > 0 => n as f64,
            Tok::Float(x) if x > 0.0 => x,
            other => {
                self.back();
                return Err(self.error(format!(
                    "WITHIN needs a positive number of seconds, found {other}"
                )));
            }
        };
        if !self.keyword("SECONDS") {
            return Err(self.error(format!("expected SECONDS, found {}", self.peek())));
        }
        Ok(Qualifier::Within(seconds))
    }

    fn repeats(&mut self) -> Result<Qualifier, PatternError> {
        let count = match self.next() {
            Tok::Int(n) if n > 0 => n as u64,
            other => {
                self.back();
                return Err(self.error(format!("REPEATS needs a positive integer, found {other}")));
            }
        };
        if !self.keyword("TIMES") {
            return Err(self.error(format!("expected TIMES, found {}", self.peek())));
        }
        Ok(Qualifier::Repeats(count))
    }

    fn start_stop(&mut self) -> Result<Qualifier, PatternError> {
        let start = self.timestamp()?;
        if !self.keyword("STOP") {
            return Err(self.error(format!("expected STOP, found {}", self.peek())));
        }
        let stop = self.timestamp()?;
        if stop <= start {
            return Err(self.error("STOP must be later than START".into()));
        }
        Ok(Qualifier::StartStop(start, stop))
    }

    fn timestamp(&mut self) -> Result<Timestamp, PatternError> {
        match self.next() {
            Tok::Timestamp(text) => Timestamp::parse(&text).map_err(|e| {
                self.back();
                self.error(format!("the timestamp `{text}` {e}"))
            }),
            other => {
                self.back();
                Err(self.error(format!("expected a timestamp t'…', found {other}")))
            }
        }
    }

    /// `[ comparison ]` or `( observation expressions )`; true when bracketed.
    fn obs_primary(&mut self) -> Result<(ObsExpr, bool), PatternError> {
        self.enter()?;
        let result = match self.next() {
            Tok::LBrack => {
                let comp = self.comp_or()?;
                self.expect(Tok::RBrack, "`]` or AND/OR")?;
                Ok((ObsExpr::Observation(comp), true))
            }
            Tok::LParen => {
                let inner = self.followed_by()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok((inner, false))
            }
            other => {
                self.back();
                Err(self.error(format!(
                    "expected `[` or `(` to start an observation, found {other}"
                )))
            }
        };
        self.depth -= 1;
        result
    }

    fn comp_or(&mut self) -> Result<CompExpr, PatternError> {
        let mut left = self.comp_and()?;
        while self.keyword("OR") {
            let right = self.comp_and()?;
            left = CompExpr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn comp_and(&mut self) -> Result<CompExpr, PatternError> {
        let mut left = self.comp_primary()?;
        while self.keyword("AND") {
            let right = self.comp_primary()?;
            left = CompExpr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn comp_primary(&mut self) -> Result<CompExpr, PatternError> {
        if *self.peek() == Tok::LParen {
            self.enter()?;
            self.next();
            let inner = self.comp_or()?;
            self.expect(Tok::RParen, "`)`")?;
            self.depth -= 1;
            return Ok(inner);
        }
        if self.keyword("EXISTS") {
            let path = self.object_path()?;
            return Ok(CompExpr::Test(Test {
                path,
                negated: false,
                op: Op::Exists,
            }));
        }
        let path = self.object_path()?;
        let negated = self.keyword("NOT");
        let offset = self.offset();
        let op = match self.next() {
            Tok::Eq => Op::Eq(self.literal(true)?),
            Tok::Ne => Op::Ne(self.literal(true)?),
            Tok::Lt => Op::Lt(self.literal(false)?),
            Tok::Le => Op::Le(self.literal(false)?),
            Tok::Gt => Op::Gt(self.literal(false)?),
            Tok::Ge => Op::Ge(self.literal(false)?),
            Tok::Keyword("IN") => Op::In(self.set()?),
            Tok::Keyword("LIKE") => Op::Like(self.string("LIKE")?),
            Tok::Keyword("MATCHES") => Op::Matches(self.string("MATCHES")?),
            Tok::Keyword("ISSUBSET") => Op::IsSubset(self.string("ISSUBSET")?),
            Tok::Keyword("ISSUPERSET") => Op::IsSuperset(self.string("ISSUPERSET")?),
            other => {
                return Err(PatternError {
                    offset,
                    message: format!(
                        "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET), found {other}"
                    ),
                });
            }
        };
        check_digest(&path, &op, offset)?;
        Ok(CompExpr::Test(Test { path, negated, op }))
    }

    fn string(&mut self, op: &str) -> Result<String, PatternError> {
        match self.next() {
            Tok::Str(s) => Ok(s),
            other => {
                self.back();
                Err(self.error(format!("{op} needs a quoted string, found {other}")))
            }
        }
    }

    fn set(&mut self) -> Result<Vec<Literal>, PatternError> {
        self.expect(Tok::LParen, "`(` to open a set")?;
        let mut items = Vec::new();
        if *self.peek() == Tok::RParen {
            self.next();
            return Ok(items);
        }
        loop {
            items.push(self.literal(true)?);
            match self.next() {
                Tok::Comma => {}
                Tok::RParen => return Ok(items),
                other => {
                    self.back();
                    return Err(self.error(format!("expected `,` or `)` in a set, found {other}")));
                }
            }
        }
    }

    fn literal(&mut self, allow_bool: bool) -> Result<Literal, PatternError> {
        let offset = self.offset();
        let bad = |message: String| PatternError { offset, message };
        match self.next() {
            Tok::Int(n) => Ok(Literal::Int(n)),
            Tok::Float(x) => Ok(Literal::Float(x)),
            Tok::Str(s) => Ok(Literal::Str(s)),
            Tok::Bool(b) if allow_bool => Ok(Literal::Bool(b)),
            Tok::Timestamp(text) => Timestamp::parse(&text)
                .map(Literal::Timestamp)
                .map_err(|e| bad(format!("the timestamp `{text}` {e}"))),
            Tok::Binary(text) => base64::engine::general_purpose::STANDARD
                .decode(&text)
                .map(Literal::Binary)
                .map_err(|_| bad(format!("`{text}` is not valid base64"))),
            Tok::Hex(text) => decode_hex(&text)
                .map(Literal::Hex)
                .ok_or_else(|| bad(format!("`{text}` is not an even number of hex digits"))),
            other => {
                self.back();
                Err(bad(format!(
                    "expected a constant (string, number, timestamp…), found {other}"
                )))
            }
        }
    }

    fn object_path(&mut self) -> Result<ObjectPath, PatternError> {
        let object_type = match self.next() {
            Tok::Ident(name) => name,
            other => {
                self.back();
                return Err(self.error(format!(
                    "expected an object path such as `file:name`, found {other}"
                )));
            }
        };
        self.expect(Tok::Colon, "`:` between the object type and its property")?;
        let mut steps = vec![self.path_key()?];
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.next();
                    steps.push(self.path_key()?);
                }
                Tok::LBrack => {
                    self.next();
                    let step = match self.next() {
                        Tok::Int(i) => Step::Index(i),
                        Tok::Star => Step::AnyIndex,
                        other => {
                            self.back();
                            return Err(
                                self.error(format!("expected an index or `*`, found {other}"))
                            );
                        }
                    };
                    self.expect(Tok::RBrack, "`]` after the index")?;
                    steps.push(step);
                }
                _ => return Ok(ObjectPath { object_type, steps }),
            }
        }
    }

    fn path_key(&mut self) -> Result<Step, PatternError> {
        match self.next() {
            Tok::Ident(name) if !name.contains('-') => Ok(Step::Key(name)),
            Tok::Ident(name) => {
                self.back();
                Err(self.error(format!("`{name}` has a hyphen: quote it as '{name}'")))
            }
            Tok::Str(name) => Ok(Step::Key(name)),
            other => {
                self.back();
                Err(self.error(format!("expected a property name, found {other}")))
            }
        }
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// `hashes.'SHA-256' = '…'` must hold a digest of the algorithm's length.
fn check_digest(path: &ObjectPath, op: &Op, offset: usize) -> Result<(), PatternError> {
    let algorithm = match path.steps.as_slice() {
        [Step::Key(hashes), Step::Key(algorithm)] if hashes == "hashes" => algorithm,
        _ => return Ok(()),
    };
    let (Op::Eq(Literal::Str(digest)) | Op::Ne(Literal::Str(digest))) = op else {
        return Ok(());
    };
    match hash_hex_len(algorithm) {
        Some(len) if digest.len() != len || !digest.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Err(PatternError {
                offset,
                message: format!("a {algorithm} digest is {len} hex digits"),
            })
        }
        _ => Ok(()),
    }
}
