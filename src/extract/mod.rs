//! One extractor per dataset family. Each reads ingested documents and returns typed datasets
//! plus the findings (checks and inferences) it made along the way.

pub mod avrr;
pub mod funding;
pub mod mentions;
pub mod metrics;

use crate::dataset::Dataset;
use crate::validate::Finding;

/// What an extractor hands back to the pipeline.
#[derive(Default)]
pub struct Output {
    pub datasets: Vec<Dataset>,
    pub findings: Vec<Finding>,
}
