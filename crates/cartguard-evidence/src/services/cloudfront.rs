//! The account's CloudFront distributions.

use cartguard_inventory::Collected;
use cartguard_inventory::cloudfront::{CloudFrontEvidence, Distribution, LIST_DISTRIBUTIONS};

use super::part;
use crate::EvidenceError;
use crate::folder::Reader;

part!(DistributionList {
    quantity: "Quantity" => Option<i64>,
    items: "Items" => Option<Vec<Distribution>>,
});
#[derive(serde::Deserialize)]
pub(crate) struct DistributionsResponse {
    #[serde(rename = "DistributionList")]
    list: DistributionList,
}
impl super::Response for DistributionsResponse {
    const REQUIRED: &'static [&'static str] = &["DistributionList"];
    // What CloudFront answers when there is no distribution; the paginating
    // CLI prints nothing for it, stored as `{}`.
    const EMPTY_ANSWER: &'static str = r#"{"DistributionList":{"Quantity":0}}"#;
}

/// Reads the account's distributions. The AWS CLI prints `Items` and, without
/// pagination, `Quantity`; CloudFront itself leaves `Items` out of an empty
/// list, so the paginating CLI prints nothing at all for it (stored as `{}`). A list must be whole: `Items` or a `Quantity` of 0,
/// and never a `Quantity` other than the number of items.
pub(crate) fn read(reader: &mut Reader, out: &mut CloudFrontEvidence) -> Result<(), EvidenceError> {
    let key = LIST_DISTRIBUTIONS.global();
    let listed = reader.load(&key, |r: DistributionsResponse| r.list)?;
    out.distributions = match listed.into_present() {
        Ok(list) => {
            let count = list.items.as_ref().map_or(0, Vec::len);
            let whole = match list.quantity {
                Some(quantity) => quantity == count as i64,
                None => list.items.is_some(),
            };
            if !whole {
                return Err(EvidenceError::Malformed {
                    path: reader.path_of(&key),
                    line: 1,
                    column: 1,
                    json_path: Some("DistributionList.Quantity".into()),
                    message: format!(
                        "the list of distributions is not whole: `Quantity` is {} and `Items` {}",
                        list.quantity
                            .map_or_else(|| "absent".to_string(), |q| q.to_string()),
                        list.items.as_ref().map_or_else(
                            || "is absent".to_string(),
                            |i| format!("holds {}", i.len())
                        )
                    ),
                });
            }
            Collected::Present(list.items.unwrap_or_default())
        }
        Err(absent) => absent,
    };
    Ok(())
}
