//! e-Yazışma v2 packages (.eyp): reading with digest checks, and writing an issued document as one.
