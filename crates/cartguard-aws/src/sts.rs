//! STS: who the collection runs as, and so which account it reads.

use cartguard_inventory::sts::GET_CALLER_IDENTITY;

use crate::answer::error_code;
use crate::config::Clients;

/// The account id of the caller, or why it could not be read.
pub(crate) async fn caller_identity(clients: &Clients) -> Result<String, String> {
    match clients.sts.get_caller_identity().send().await {
        Ok(identity) => identity
            .account
            .ok_or_else(|| format!("{GET_CALLER_IDENTITY} answered without an account id")),
        Err(error) => {
            let (code, message) = error_code(&error);
            Err(format!("{GET_CALLER_IDENTITY} failed: {code}: {message}"))
        }
    }
}
