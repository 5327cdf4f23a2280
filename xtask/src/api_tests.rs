//! Unit tests for the demo API contract: routes, defaults, limits, messages.

use super::*;

fn user(query: &str) -> Result<Route, ApiError> {
    route("users/7", query)
}

fn message(result: Result<Route, ApiError>) -> String {
    let err = result.expect_err("expected a refusal");
    assert_eq!(err.status, 400, "bad parameters are 400: {}", err.message);
    err.message
}

#[test]
fn suffix_is_taken_after_the_last_api_segment() {
    assert_eq!(api_suffix("/api/health"), Some("health"));
    assert_eq!(api_suffix("/docs/looplab/api/users/3"), Some("users/3"));
    assert_eq!(api_suffix("/www/app.js"), None);
    assert_eq!(api_suffix("/api"), None);
}

#[test]
fn users_defaults_and_values() {
    assert_eq!(user(""), Ok(Route::User { id: 7, delay_ms: 0, status: 200 }));
    assert_eq!(user("delay_ms=200&status=404&other=x"), Ok(Route::User { id: 7, delay_ms: 200, status: 404 }));
    assert_eq!(user("delay_ms=60000"), Ok(Route::User { id: 7, delay_ms: 60000, status: 200 }));
    // The first of a repeated key wins, like URLSearchParams.get.
    assert_eq!(user("delay_ms=1&delay_ms=2"), Ok(Route::User { id: 7, delay_ms: 1, status: 200 }));
}

#[test]
fn bad_delays_are_refused_with_the_parameter_named() {
    for raw in ["-5", "abc", "60001", "", "1.5", "+5", " 5", "99999999999999999999"] {
        let msg = message(user(&format!("delay_ms={raw}")));
        assert!(msg.starts_with("delay_ms must be an integer from 0 to 60000"), "{msg}");
    }
    assert_eq!(message(user("delay_ms=abc")), r#"delay_ms must be an integer from 0 to 60000 (got "abc")"#);
}

#[test]
fn bad_ids_and_statuses_are_refused() {
    assert!(message(route("users/-1", "")).starts_with("id must be an integer"));
    assert!(message(route("users/x", "")).starts_with("id must be an integer"));
    assert!(message(route("users/", "")).starts_with("id must be an integer"));
    assert!(message(route("users/1000000001", "")).contains("got \"1000000001\""));
    let msg = message(user("status=999"));
    assert!(msg.starts_with("status must be one of 200, 201, 400"), "{msg}");
    assert!(msg.ends_with(r#"(got "999")"#), "{msg}");
}

#[test]
fn stream_limits() {
    assert_eq!(route("stream", ""), Ok(Route::Stream { rows: 5, interval_ms: 200 }));
    assert_eq!(route("stream", "rows=1000&interval_ms=120"), Ok(Route::Stream { rows: 1000, interval_ms: 120 }));
    assert!(message(route("stream", "rows=0")).starts_with("rows must be an integer from 1 to 1000"));
    assert!(message(route("stream", "interval_ms=10001")).starts_with("interval_ms must be"));
    assert_eq!(
        message(route("stream", "rows=13&interval_ms=10000")),
        "rows * interval_ms must be at most 120000 ms (got 13 * 10000 = 130000)"
    );
}

#[test]
fn unknown_routes_are_404() {
    let err = route("nope", "").unwrap_err();
    assert_eq!(err.status, 404);
    assert_eq!(err.message, r#"no API route "nope"; try users/{id}, stream or health"#);
    assert_eq!(route("health", "x=1"), Ok(Route::Health));
}

#[test]
fn query_decoding_matches_url_search_params() {
    assert_eq!(param("a=1&b=x%20y+z", "b").as_deref(), Some("x y z"));
    assert_eq!(param("flag&b=2", "flag").as_deref(), Some(""));
    assert_eq!(param("a=1", "b"), None);
    assert_eq!(percent_decode("%2e%2E/%zz"), "../%zz");
    assert_eq!(percent_decode("%+1%-1%1"), "%+1%-1%1", "an escape is two hex digits");
    assert_eq!(percent_decode("%ff%EF%BB%BFx"), "\u{fffd}\u{feff}x", "bad bytes become U+FFFD; a BOM stays");
}

#[test]
fn bodies_are_compact_json() {
    assert_eq!(user_body(1), r#"{"id":1,"name":"Grace"}"#);
    assert_eq!(stream_row(1, 5), "{\"row\":1,\"of\":5}\n");
    assert_eq!(health_body("looplab-dev"), r#"{"server":"looplab-dev"}"#);
    assert_eq!(error_body("a \"b\""), r#"{"error":"a \"b\""}"#);
}
