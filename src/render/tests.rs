//! Tests that render letters and read them back with poppler and qpdf.
