//! Which URLs the window may show: the app's own pages, nothing else.
//!
//! Policy: the webview may navigate only within the app's origin (`tauri://localhost` on
//! Linux and macOS, `http(s)://tauri.localhost` on Windows); every other URL — a link in a
//! note, a `file:` URL, a remote page — is refused before it loads.

/// True when the window may navigate to `url`.
pub fn is_app_url(url: &tauri::Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_app_origin_is_allowed() {
        for (url, allowed) in [
            ("tauri://localhost/index.html", true),
            ("tauri://localhost/", true),
            ("http://tauri.localhost/index.html", true),
            ("https://example.com/", false),
            ("http://localhost:8080/", false),
            ("file:///etc/passwd", false),
            ("tauri://evil/", false),
            ("javascript:alert(1)", false),
            ("data:text/html,hi", false),
        ] {
            let parsed = tauri::Url::parse(url).unwrap();
            assert_eq!(is_app_url(&parsed), allowed, "{url}");
        }
    }
}
