//! iomtally: turns the text of IOM reports into typed datasets and checks that the totals the
//! reports print add up. The binary (`src/main.rs`) is a thin CLI over [`pipeline`].

pub mod catalogue;
pub mod config;
pub mod countries;
pub mod datapackage;
pub mod dataset;
pub mod diff;
pub mod document;
pub mod error;
pub mod explain;
pub mod extract;
pub mod interval;
pub mod lock;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod relations;
pub mod report;
pub mod set;
pub mod stated;
pub mod suggest;
pub mod summary;
pub mod terminal;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
