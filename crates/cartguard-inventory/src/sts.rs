//! AWS STS: who the evidence was collected as.

use crate::key::Operation;

/// `sts:GetCallerIdentity`: names the account (optional; ARNs name it too).
pub const GET_CALLER_IDENTITY: Operation = Operation::account("sts", "GetCallerIdentity");

/// Every STS operation the model holds.
pub const OPERATIONS: &[Operation] = &[GET_CALLER_IDENTITY];
