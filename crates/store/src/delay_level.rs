//! The delay levels (`messageDelayLevel`, docs/store-format.md §7.2, §11): the table of level → delay, and the
//! tags code a SCHEDULE_TOPIC_XXXX record gets in its ConsumeQueue unit: the deliver time
//! (`storeTimestamp + delay(level)`) instead of the tag hash, so the schedule service can scan by
//! time. Depends on `properties`, `error`.

use crate::error::{ErrorCode, StoreError, StoreResult};
use crate::properties::{find_property, parse_i32, tags_code, PROPERTY_DELAY_LEVEL};

/// `TopicValidator.RMQ_SYS_SCHEDULE_TOPIC`.
pub const SCHEDULE_TOPIC: &[u8] = b"SCHEDULE_TOPIC_XXXX";
/// RocketMQ's default `messageDelayLevel`.
pub const DEFAULT_MESSAGE_DELAY_LEVEL: &str = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayLevelTable {
    /// Index `level - 1` holds the level's delay in ms.
    delays_ms: Vec<i64>,
}

impl DelayLevelTable {
    /// Parses `"1s 5s 10m 2h 1d"` (units s, m, h, d as in `parseDelayLevel`).
    pub fn parse(levels: &str) -> StoreResult<DelayLevelTable> {
        let invalid = |item: &str| StoreError::new(ErrorCode::InvalidArg, format!("messageDelayLevel item {item:?}"));
        let delays_ms = levels
            .split_whitespace()
            .map(|item| {
                let (number, unit) = item.split_at(item.len().saturating_sub(1));
                let factor = match unit {
                    "s" => 1000,
                    "m" => 60_000,
                    "h" => 3_600_000,
                    "d" => 86_400_000,
                    _ => return Err(invalid(item)),
                };
                number.parse::<i64>().ok().filter(|n| *n >= 0).map(|n| n * factor).ok_or_else(|| invalid(item))
            })
            .collect::<StoreResult<Vec<i64>>>()?;
        if delays_ms.is_empty() {
            return Err(invalid(levels));
        }
        Ok(DelayLevelTable { delays_ms })
    }

    pub fn max_level(&self) -> i32 {
        self.delays_ms.len() as i32
    }

    /// `computeDeliverTimestamp`: store time plus the level's delay; an unknown level gets 1 s.
    pub fn deliver_timestamp(&self, level: i32, store_timestamp: i64) -> i64 {
        let delay = usize::try_from(level - 1).ok().and_then(|index| self.delays_ms.get(index));
        store_timestamp + delay.copied().unwrap_or(1000)
    }

    /// The ConsumeQueue tags code of a record (`checkMessageAndReturnSize`): for SCHEDULE_TOPIC_XXXX
    /// records with DELAY > 0 the deliver time (the level clamped to the max), else the tag hash.
    pub fn dispatch_tags_code(&self, topic: &[u8], properties: &[u8], store_timestamp: i64) -> i64 {
        if topic == SCHEDULE_TOPIC {
            if let Some(level) = find_property(properties, PROPERTY_DELAY_LEVEL).and_then(parse_i32) {
                let level = level.min(self.max_level());
                if level > 0 {
                    return self.deliver_timestamp(level, store_timestamp);
                }
            }
        }
        tags_code(properties)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_default_levels() {
        let table = DelayLevelTable::parse(DEFAULT_MESSAGE_DELAY_LEVEL).unwrap();
        assert_eq!(table.max_level(), 18);
        assert_eq!(table.deliver_timestamp(1, 0), 1000);
        assert_eq!(table.deliver_timestamp(3, 0), 10_000);
        assert_eq!(table.deliver_timestamp(18, 0), 7_200_000);
        assert_eq!(table.deliver_timestamp(99, 0), 1000, "unknown level");
        assert!(DelayLevelTable::parse("1x").is_err());
        assert!(DelayLevelTable::parse("").is_err());
    }

    #[test]
    fn schedule_records_get_their_deliver_time_as_tags_code() {
        let table = DelayLevelTable::parse(DEFAULT_MESSAGE_DELAY_LEVEL).unwrap();
        let props = b"DELAY\x013\x02TAGS\x01TagA\x02";
        assert_eq!(table.dispatch_tags_code(SCHEDULE_TOPIC, props, 0x1a20d5e1d70), 0x1a20d5e4480);
        assert_eq!(table.dispatch_tags_code(SCHEDULE_TOPIC, b"DELAY\x0199\x02", 0), 7_200_000, "clamped");
        assert_eq!(table.dispatch_tags_code(b"TopicTest", props, 0), 0x0027_A807, "other topics: tag hash");
        assert_eq!(table.dispatch_tags_code(SCHEDULE_TOPIC, b"DELAY\x010\x02", 0), 0);
    }
}
