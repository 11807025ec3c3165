//! Cursor paging (§0.3): opaque `before`/`after` cursors on every non-empty page, and absolute
//! `next`/`previous` links only while there is more in that direction.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

use super::errors::GraphError;
use super::request::Incoming;

pub(super) const DEFAULT_LIMIT: usize = 25;

/// Like Meta's, a cursor is the base64 of the id it points at.
pub(super) fn cursor_for(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

fn id_in_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    String::from_utf8(bytes).ok()
}

pub(super) fn parse_limit(limit: Option<&str>) -> Result<usize, GraphError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        // limit(0) only makes sense for summaries, which no edge here has.
        Some(text) => match text.parse::<usize>() {
            Ok(limit) => Ok(limit.max(1)),
            Err(_) => Err(GraphError::numbered(
                100,
                "The parameter limit must be a non-negative integer",
            )),
        },
    }
}

/// Which of `ids` (in edge order) this request gets.
pub(super) fn window(
    ids: &[&str],
    limit: usize,
    after: Option<&str>,
    before: Option<&str>,
) -> Result<Range<usize>, GraphError> {
    let position = |cursor: &str| -> Result<usize, GraphError> {
        id_in_cursor(cursor)
            .and_then(|id| ids.iter().position(|candidate| *candidate == id))
            .ok_or_else(|| GraphError::numbered(100, "Invalid cursor"))
    };
    let limit = limit.max(1);
    if let Some(after) = after {
        let start = position(after)? + 1;
        return Ok(start..(start + limit).min(ids.len()));
    }
    if let Some(before) = before {
        let end = position(before)?;
        return Ok(end.saturating_sub(limit)..end);
    }
    Ok(0..limit.min(ids.len()))
}

/// The `paging` object for `window` over `ids`, or `None` when there is nothing to say.
/// `link(direction, cursor)` builds an absolute URL repeating the request with
/// `after=cursor` or `before=cursor`.
pub(super) fn paging(
    ids: &[&str],
    window: Range<usize>,
    link: impl Fn(&str, &str) -> String,
) -> Option<Value> {
    if window.is_empty() {
        return None;
    }
    let first = cursor_for(ids[window.start]);
    let last = cursor_for(ids[window.end - 1]);
    let mut paging = Map::new();
    paging.insert(
        "cursors".to_owned(),
        json!({ "before": first, "after": last }),
    );
    if window.start > 0 {
        paging.insert("previous".to_owned(), json!(link("before", &first)));
    }
    if window.end < ids.len() {
        paging.insert("next".to_owned(), json!(link("after", &last)));
    }
    Some(Value::Object(paging))
}

/// The `link` for `paging`: this request again, with its token (even one that came in a
/// header: `next` must work as is), its `fields`, its `limit` and the cursor.
pub(super) fn repeating<'a>(
    base_url: &'a str,
    request: &'a Incoming,
    token: &'a str,
    limit: usize,
) -> impl Fn(&str, &str) -> String + 'a {
    let limit = limit.to_string();
    move |direction, cursor| {
        let mut query = vec![("access_token", token)];
        if let Some(selector) = request.param("fields") {
            query.push(("fields", selector));
        }
        query.push(("limit", limit.as_str()));
        query.push((direction, cursor));
        absolute_link(base_url, &request.host, &request.path, &query)
    }
}

/// An absolute sandbox URL on `host` + `path` with these query parameters.
pub(super) fn absolute_link(
    base_url: &str,
    host: &str,
    path: &str,
    query: &[(&str, &str)],
) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in query {
        serializer.append_pair(name, value);
    }
    format!("{base_url}/{host}{path}?{}", serializer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 5] = ["1", "2", "3", "4", "5"];

    fn link(direction: &str, cursor: &str) -> String {
        format!("{direction}={cursor}")
    }

    #[test]
    fn the_first_page_has_cursors_and_a_next_link_but_no_previous() {
        let range = window(&IDS, 2, None, None).unwrap();
        assert_eq!(range, 0..2);
        let page = paging(&IDS, range, link).unwrap();
        assert_eq!(page["cursors"]["before"], cursor_for("1"));
        assert_eq!(page["cursors"]["after"], cursor_for("2"));
        assert_eq!(page["next"], format!("after={}", cursor_for("2")));
        assert!(page.get("previous").is_none());
    }

    #[test]
    fn following_after_reaches_the_last_page_which_has_no_next() {
        let second = window(&IDS, 2, Some(cursor_for("2").as_str()), None).unwrap();
        assert_eq!(second, 2..4);
        let third = window(&IDS, 2, Some(cursor_for("4").as_str()), None).unwrap();
        assert_eq!(third, 4..5);
        let page = paging(&IDS, third, link).unwrap();
        assert!(page.get("next").is_none());
        assert_eq!(page["previous"], format!("before={}", cursor_for("5")));
    }

    #[test]
    fn before_walks_backwards() {
        assert_eq!(
            window(&IDS, 2, None, Some(cursor_for("5").as_str())).unwrap(),
            2..4
        );
        assert_eq!(
            window(&IDS, 2, None, Some(cursor_for("2").as_str())).unwrap(),
            0..1
        );
    }

    #[test]
    fn everything_fits_in_one_page_by_default_and_then_there_is_no_next() {
        let range = window(&IDS, DEFAULT_LIMIT, None, None).unwrap();
        assert_eq!(range, 0..5);
        assert!(paging(&IDS, range, link).unwrap().get("next").is_none());
    }

    #[test]
    fn an_empty_edge_has_no_paging() {
        let range = window(&[], DEFAULT_LIMIT, None, None).unwrap();
        assert!(paging(&[], range, link).is_none());
    }

    #[test]
    fn garbage_cursors_and_limits_are_refused() {
        assert_eq!(window(&IDS, 2, Some("%%%"), None).unwrap_err().code, 100);
        assert_eq!(
            window(&IDS, 2, Some(cursor_for("9").as_str()), None)
                .unwrap_err()
                .code,
            100
        );
        assert_eq!(parse_limit(Some("ten")).unwrap_err().code, 100);
        assert_eq!(parse_limit(None).unwrap(), 25);
    }

    #[test]
    fn links_are_absolute_and_encoded() {
        assert_eq!(
            absolute_link(
                "http://127.0.0.1:9",
                "graph.facebook.com",
                "/v23.0/me/accounts",
                &[("fields", "id,picture.type(large)"), ("limit", "2")]
            ),
            "http://127.0.0.1:9/graph.facebook.com/v23.0/me/accounts?fields=id%2Cpicture.type%28large%29&limit=2"
        );
    }
}
