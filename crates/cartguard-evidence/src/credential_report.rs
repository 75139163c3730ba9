//! The IAM credential report: a CSV, delivered base64-encoded by the CLI.

use std::collections::BTreeMap;

use cartguard_inventory::Timestamp;
use cartguard_inventory::iam::{CredentialReport, CredentialReportKey, CredentialReportRow};

/// The columns IAM writes into every credential report, in its order (IAM User
/// Guide, "Getting credential reports"). All are required: a header without
/// one of them was cut short or is not a credential report, and reading it
/// as a report with fewer users would pass what could not be checked.
const REQUIRED_COLUMNS: &[&str] = &[
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

/// Parses the decoded CSV of a credential report. Errors carry the 1-based CSV line.
pub fn parse_credential_report_csv(
    csv_text: &str,
    generated_time: Option<Timestamp>,
) -> Result<CredentialReport, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv_text.as_bytes());
    let headers = reader.headers().map_err(|e| (1, e.to_string()))?.clone();
    for column in REQUIRED_COLUMNS {
        if !headers.iter().any(|h| h == *column) {
            return Err((
                1,
                format!(
                    "missing column `{column}` (IAM writes {} columns; a shorter header means the file was cut or is not a credential report)",
                    REQUIRED_COLUMNS.len()
                ),
            ));
        }
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| (line, e.to_string()))?;
        let raw: BTreeMap<String, String> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        rows.push(parse_row(raw).map_err(|message| (line, message))?);
    }
    Ok(CredentialReport {
        generated_time,
        rows,
    })
}

fn parse_row(raw: BTreeMap<String, String>) -> Result<CredentialReportRow, String> {
    let get = |column: &str| raw.get(column).map(String::as_str).unwrap_or("N/A");
    let key = |slot: u8| -> Result<CredentialReportKey, String> {
        Ok(CredentialReportKey {
            active: flag(
                &format!("access_key_{slot}_active"),
                get(&format!("access_key_{slot}_active")),
            )?
            .unwrap_or(false),
            last_rotated: time(
                &format!("access_key_{slot}_last_rotated"),
                get(&format!("access_key_{slot}_last_rotated")),
            )?,
            last_used: time(
                &format!("access_key_{slot}_last_used_date"),
                get(&format!("access_key_{slot}_last_used_date")),
            )?,
            last_used_service: text(get(&format!("access_key_{slot}_last_used_service"))),
        })
    };
    Ok(CredentialReportRow {
        user: get("user").to_string(),
        arn: get("arn").to_string(),
        user_creation_time: time("user_creation_time", get("user_creation_time"))?,
        password_enabled: flag("password_enabled", get("password_enabled"))?,
        password_last_used: time("password_last_used", get("password_last_used"))?,
        password_last_changed: time("password_last_changed", get("password_last_changed"))?,
        mfa_active: flag("mfa_active", get("mfa_active"))?.unwrap_or(false),
        access_keys: [key(1)?, key(2)?],
        raw,
    })
}

/// Values the report uses where there is no date or flag to give.
fn is_placeholder(value: &str) -> bool {
    matches!(value, "" | "N/A" | "no_information" | "not_supported")
}

fn flag(column: &str, value: &str) -> Result<Option<bool>, String> {
    match value {
        "true" | "TRUE" | "True" => Ok(Some(true)),
        "false" | "FALSE" | "False" => Ok(Some(false)),
        v if is_placeholder(v) => Ok(None),
        v => Err(format!(
            "column `{column}`: expected true or false, found `{v}`"
        )),
    }
}

fn time(column: &str, value: &str) -> Result<Option<Timestamp>, String> {
    if is_placeholder(value) {
        return Ok(None);
    }
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| Some(t.with_timezone(&chrono::Utc)))
        .map_err(|e| format!("column `{column}`: `{value}` is not an RFC 3339 time ({e})"))
}

fn text(value: &str) -> Option<String> {
    (!is_placeholder(value)).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn parses_root_and_user_rows() {
        let csv = format!(
            "{HEADER}\n<root_account>,arn:aws:iam::111122223333:root,2020-01-01T00:00:00+00:00,not_supported,2026-11-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\nalice,arn:aws:iam::111122223333:user/alice,2021-05-01T00:00:00+00:00,true,no_information,2021-05-01T00:00:00+00:00,N/A,false,true,2021-05-01T00:00:00+00:00,2026-11-19T08:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let report = parse_credential_report_csv(&csv, None).unwrap();
        let root = report.root().unwrap();
        assert_eq!(root.password_enabled, None);
        assert!(root.mfa_active);
        let alice = report.users().next().unwrap();
        assert!(alice.has_password());
        assert_eq!(alice.password_last_used, None);
        assert_eq!(alice.active_keys().count(), 1);
        assert_eq!(
            alice.access_keys[0].last_used_service.as_deref(),
            Some("s3")
        );
    }

    #[test]
    fn reports_the_line_of_a_bad_value() {
        let csv = format!(
            "{HEADER}\nbob,arn:aws:iam::1:user/bob,yesterday,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let (line, message) = parse_credential_report_csv(&csv, None).unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("user_creation_time"), "{message}");
    }

    #[test]
    fn requires_the_key_columns() {
        let (line, message) = parse_credential_report_csv("user,arn\nx,y\n", None).unwrap_err();
        assert_eq!(line, 1);
        assert!(message.contains("missing column"), "{message}");
    }
}
