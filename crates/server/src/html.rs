//! What the server-rendered pages share: the page around a body, a message page, the link to
//! the other language, and escaping.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A page in `lang` with `title`, `stylesheet` and `body`. Never kept by a shared cache or the
/// back button: these pages show a resident's answer or a team's figures.
pub fn page(status: StatusCode, lang: &str, title: &str, stylesheet: &str, body: &str) -> Response {
    let page = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<meta name=\"description\" content=\"{title}\"><meta name=\"robots\" content=\"noindex\">\
<title>{title}</title><link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">\
<link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
<body><main>{body}</main></body></html>",
        title = esc(title),
    );
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page's stylesheet, kept a day by browsers and caches.
pub fn stylesheet(css: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        css,
    )
        .into_response()
}

/// The body of a page that says one thing.
pub fn message(title: &str, text: &str) -> String {
    format!("<h1>{}</h1><p>{}</p>", esc(title), esc(text))
}

/// The link from a page in `lang` (`nl` or `en`) at `path` to the same page in the other one.
pub fn language_link(lang: &str, path: &str, other_query: &str, other_language: &str) -> String {
    let other = if lang == "nl" { "en" } else { "nl" };
    format!(
        "<p class=\"lang\"><a href=\"{}{other_query}\" hreflang=\"{other}\" lang=\"{other}\">{other_language}</a></p>",
        esc(path),
    )
}

/// `text` with the characters HTML gives meaning escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_typed_by_anyone_stays_text() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
