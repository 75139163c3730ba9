//! The IAM policy language: parsing, matching, conditions and evaluation.
