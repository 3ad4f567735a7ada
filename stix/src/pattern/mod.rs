//! STIX 2.1 Patterning: a parser for the whole grammar, the checks the
//! reference validator makes, and an evaluator that decides whether a pattern
//! matches observed cyber observables.
//!
//! ```
//! use cairn_stix::pattern::Pattern;
//! let p = Pattern::parse("[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']").unwrap();
//! assert!(p.warnings().is_empty());
//! assert!(Pattern::parse("[file:size = ]").is_err());
//! ```

mod eval;
mod lexer;
mod parser;

use std::fmt;

pub use eval::{Observation, matches_objects};

use crate::timestamp::Timestamp;

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub root: ObsExpr,
    warnings: Vec<String>,
}

/// An observation expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ObsExpr {
    /// `[ comparison ]`
    Observation(CompExpr),
    And(Box<ObsExpr>, Box<ObsExpr>),
    Or(Box<ObsExpr>, Box<ObsExpr>),
    FollowedBy(Box<ObsExpr>, Box<ObsExpr>),
    Qualified(Box<ObsExpr>, Qualifier),
}

/// A qualifier on an observation expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Qualifier {
    /// `WITHIN n SECONDS`
    Within(f64),
    /// `REPEATS n TIMES`
    Repeats(u64),
    /// `START t'…' STOP t'…'`
    StartStop(Timestamp, Timestamp),
}

/// A comparison expression inside `[ ]`.
#[derive(Debug, Clone, PartialEq)]
pub enum CompExpr {
    And(Box<CompExpr>, Box<CompExpr>),
    Or(Box<CompExpr>, Box<CompExpr>),
    Test(Test),
}

/// `path [NOT] op value`, or `EXISTS path`.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    pub path: ObjectPath,
    pub negated: bool,
    pub op: Op,
}

/// A comparison operator with its operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Eq(Literal),
    Ne(Literal),
    Lt(Literal),
    Le(Literal),
    Gt(Literal),
    Ge(Literal),
    In(Vec<Literal>),
    Like(String),
    Matches(String),
    IsSubset(String),
    IsSuperset(String),
    Exists,
}

/// `type:property.step[0].step[*]`
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectPath {
    pub object_type: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(i64),
    AnyIndex,
}

/// A constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Binary(Vec<u8>),
    Hex(Vec<u8>),
    Timestamp(Timestamp),
}

/// Why a pattern was refused: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Byte offset in the pattern.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at offset {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for PatternError {}

impl Pattern {
    /// Parses and checks a pattern.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let root = parser::parse(text)?;
        let mut warnings = Vec::new();
        check_paths(&root, &mut warnings);
        Ok(Pattern { root, warnings })
    }

    /// Things worth a look that do not make the pattern invalid, such as an
    /// object type or property that STIX 2.1 does not define.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

impl std::str::FromStr for Pattern {
    type Err = PatternError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pattern::parse(s)
    }
}

/// Warns about object types and first properties unknown to STIX 2.1.
fn check_paths(expr: &ObsExpr, warnings: &mut Vec<String>) {
    match expr {
        ObsExpr::Observation(comp) => check_comp_paths(comp, warnings),
        ObsExpr::And(a, b) | ObsExpr::Or(a, b) | ObsExpr::FollowedBy(a, b) => {
            check_paths(a, warnings);
            check_paths(b, warnings);
        }
        ObsExpr::Qualified(inner, _) => check_paths(inner, warnings),
    }
}

fn check_comp_paths(comp: &CompExpr, warnings: &mut Vec<String>) {
    match comp {
        CompExpr::And(a, b) | CompExpr::Or(a, b) => {
            check_comp_paths(a, warnings);
            check_comp_paths(b, warnings);
        }
        CompExpr::Test(test) => {
            let ty = &test.path.object_type;
            match crate::types::TypeDef::get(ty) {
                Some(def) if def.family == crate::types::Family::Sco => {
                    if let Some(Step::Key(first)) = test.path.steps.first()
                        && def.prop(first).is_none()
                    {
                        warnings.push(format!("`{ty}` has no property `{first}` in STIX 2.1"));
                    }
                }
                _ if ty.starts_with("x-") || ty.starts_with("x_") => {}
                _ => warnings.push(format!("`{ty}` is not a STIX 2.1 cyber-observable type")),
            }
        }
    }
}

#[cfg(test)]
mod tests;
