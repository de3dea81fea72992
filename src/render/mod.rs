//! Views of a [`crate::report::Report`]. Renderers only read the report: no verdicts here.

pub mod json;
pub mod mermaid;
pub mod summary_line;
pub mod text;
