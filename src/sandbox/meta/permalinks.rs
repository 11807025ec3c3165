//! The addresses published things are reached at, on the sandbox's own www hosts, so a browser
//! following a permalink lands on a page that shows the post.

pub(super) fn facebook_post(base_url: &str, page_id: &str, number: &str) -> String {
    format!("{base_url}/www.facebook.com/{page_id}/posts/{number}")
}

/// Relative, as Graph gives a video's `permalink_url` (§2.5): clients prefix their www host.
pub(super) fn facebook_video_path(page_username: &str, video_id: &str) -> String {
    format!("/{page_username}/videos/{video_id}/")
}

/// One shape for every media product, the one §3.6 shows: `/p/{shortcode}/`.
pub(super) fn instagram_media(base_url: &str, shortcode: &str) -> String {
    format!("{base_url}/www.instagram.com/p/{shortcode}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalinks_live_on_the_sandboxes_www_hosts() {
        assert_eq!(
            facebook_post("http://127.0.0.1:9", "1000000000000001", "122"),
            "http://127.0.0.1:9/www.facebook.com/1000000000000001/posts/122"
        );
        assert_eq!(
            facebook_video_path("sandboxpage1", "42"),
            "/sandboxpage1/videos/42/"
        );
        assert_eq!(
            instagram_media("http://127.0.0.1:9", "Cx1abc"),
            "http://127.0.0.1:9/www.instagram.com/p/Cx1abc/"
        );
    }
}
