//! Turning an SDK call's result into evidence: the answer, "not configured",
//! or a failure with the API's error code.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use cartguard_inventory::{Collected, Operation, means_not_configured};

/// An SDK error's code and message, as a report quotes them.
pub(crate) fn error_code<E>(error: &SdkError<E, Response>) -> (String, String)
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = || causes(error);
    match error {
        SdkError::ServiceError(context) => {
            let status = context.raw().status().as_u16();
            let code = error
                .code()
                .map(str::to_string)
                // An answer without an error code (an emulator's 500 for an
                // operation it does not implement, a proxy's page).
                .unwrap_or_else(|| format!("HTTP{status}"));
            let message = error.message().map(str::to_string).unwrap_or_else(detail);
            (code, message)
        }
        SdkError::TimeoutError(_) => ("Timeout".to_string(), detail()),
        SdkError::DispatchFailure(failure) => {
            let code = if failure.is_timeout() {
                "Timeout"
            } else if failure.is_io() {
                "ConnectionError"
            } else {
                "DispatchFailure"
            };
            (code.to_string(), detail())
        }
        SdkError::ResponseError(context) => {
            (format!("HTTP{}", context.raw().status().as_u16()), detail())
        }
        _ => {
            let text = detail();
            let code = if text.contains("credentials") {
                "NoCredentials"
            } else {
                "RequestNotSent"
            };
            (code.to_string(), text)
        }
    }
}

/// An error and its causes, as one line ("dispatch failure: io error:
/// Connection refused"), without the debug dump of the request and response.
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// The evidence an SDK call's result gives for `operation`.
pub(crate) fn answer<T, E>(
    operation: &Operation,
    result: Result<T, SdkError<E, Response>>,
) -> Collected<T>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(value) => Collected::Present(value),
        Err(error) => {
            let (code, message) = error_code(&error);
            if means_not_configured(operation, &code) {
                Collected::NotConfigured { code }
            } else {
                Collected::Failed { code, message }
            }
        }
    }
}
