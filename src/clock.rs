//! The app's clock and calendar: the time now, and days and times as the phone's time zone
//! has them (summer time included).
//!
//! Nothing else in the app reads the browser's clock: screens ask [`crate::data::Data::now_ms`]
//! and [`crate::data::Data::today`] (the phone's time corrected by the server's), and those ask
//! here. Tests take their dates from the same place, so a test run at a month's end, on a day
//! summer time starts or ends, or on a leap day (`make test` runs the browser at such dates)
//! sees the calendar the app sees.

use chrono::{Datelike, NaiveDate};

/// The phone's time now (Unix milliseconds).
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// The browser's date object for `at_ms`.
fn js_date(at_ms: u64) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64))
}

/// The calendar day at `at_ms` where the phone is.
pub fn local_date(at_ms: u64) -> NaiveDate {
    let d = js_date(at_ms);
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .unwrap_or_default()
}

/// Hours and minutes at `at_ms` where the phone is.
pub fn local_time(at_ms: u64) -> (u32, u32) {
    let d = js_date(at_ms);
    (d.get_hours(), d.get_minutes())
}

/// Minutes to add to local time to get UTC at `at_ms` (JavaScript's sign: -60 in
/// Amsterdam in winter, -120 in summer). Each instant has its own: a visit made in July and
/// exported in December keeps its summer time.
pub fn utc_offset_min(at_ms: u64) -> i64 {
    js_date(at_ms).get_timezone_offset() as i64
}

/// The start of day `d` where the phone is (Unix milliseconds): its first minute, also on the
/// days summer time starts or ends (23 or 25 hours long).
pub fn local_midnight(d: NaiveDate) -> u64 {
    let date = js_sys::Date::new_with_year_month_day(
        u32::try_from(d.year()).unwrap_or(0),
        d.month0() as i32,
        d.day() as i32,
    );
    date.get_time().max(0.0) as u64
}
