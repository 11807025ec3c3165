//! What a browser sees of what the sandbox published: `/_sandbox/feed`, one section per Page and
//! per Instagram account, and the pages the permalinks on the www hosts open.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::SecondsFormat;

use super::dispatch::Call;
use super::html;
use super::publishing::{PostView, graph_time, instagram_view};
use super::world::World;

/// The feed page over `views` (those not live are left out).
pub(super) fn feed(world: &World, views: &[PostView]) -> String {
    let mut sections = Vec::new();
    for page in &world.pages {
        let heading = format!("{} — Facebook Page {}", page.name, page.id);
        sections.push(section(&heading, &page.id, views));
    }
    for profile in world.instagram_profiles() {
        let heading = format!("@{} — Instagram account {}", profile.username, profile.id);
        sections.push(section(&heading, &profile.id, views));
    }
    let body = format!(
        "<h1>Published in the sandbox</h1>\n\
         <p>Every live post, newest first. <a href=\"/\">Back to the sandbox</a></p>\n{}",
        sections.concat()
    );
    html::page("Published in Herald's Meta sandbox", &body)
}

fn section(heading: &str, account_id: &str, views: &[PostView]) -> String {
    let mut posts: Vec<&PostView> = views
        .iter()
        .filter(|view| view.live && view.account_id == account_id)
        .collect();
    posts.sort_by_key(|view| std::cmp::Reverse((view.created_at, view.sequence)));
    let cards: String = if posts.is_empty() {
        "<p>Nothing published yet.</p>\n".to_owned()
    } else {
        posts.iter().map(|view| card(view)).collect()
    };
    format!(
        "<section>\n<h2>{}</h2>\n{cards}</section>\n",
        html::escape(heading)
    )
}

/// One post: kind, time, text, link, media, permalink — all of it escaped.
pub(super) fn card(view: &PostView) -> String {
    let state = if view.live {
        ""
    } else {
        " · not published yet"
    };
    let mut card = format!(
        "<article>\n<p><strong>{}</strong> · <time datetime=\"{}\">{}</time>{state}</p>\n",
        html::escape(view.kind),
        html::escape(&view.created_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        html::escape(&graph_time(view.created_at)),
    );
    if !view.text.is_empty() {
        let text = html::escape(&view.text).replace('\n', "<br>\n");
        card.push_str(&format!("<p>{text}</p>\n"));
    }
    if let Some(link) = &view.link {
        let link = html::escape(link);
        card.push_str(&format!("<p><a href=\"{link}\">{link}</a></p>\n"));
    }
    for media in &view.media {
        let url = html::escape(&media.url);
        if media.is_video {
            card.push_str(&format!(
                "<video src=\"{url}\" controls style=\"max-width:100%\"></video>\n"
            ));
        } else {
            card.push_str(&format!(
                "<img src=\"{url}\" alt=\"\" style=\"max-width:100%\">\n"
            ));
        }
    }
    card.push_str(&format!(
        "<p><a href=\"{}\">Permalink</a> · <code>{}</code></p>\n</article>\n",
        html::escape(&view.permalink),
        html::escape(&view.id),
    ));
    card
}

/// `www.facebook.com/{page-id}/posts/{post}` and `/{page-username}/videos/{video-id}/`.
pub(super) fn facebook_permalink(call: &mut Call<'_>, segments: &[&str]) -> Response {
    let publishing = &call.state.publishing;
    let world = call.world;
    let post = match segments {
        [page_id, "posts", number] => publishing.page.post(&format!("{page_id}_{number}")),
        [username, "videos", video_id] => publishing
            .page
            .video(video_id)
            .filter(|video| {
                world
                    .page(&video.page_id)
                    .is_some_and(|page| page.username == *username)
            })
            .and_then(|video| video.post_id.as_deref())
            .and_then(|post_id| publishing.page.post(post_id)),
        _ => None,
    };
    match post {
        Some(post) => {
            let view = publishing.page_post_view(world, post, call.now);
            let title = world
                .page(&post.page_id)
                .map_or("A Page", |page| page.name.as_str());
            shown(title, &view)
        }
        None => not_available(),
    }
}

/// `www.instagram.com/p/{shortcode}/` (and `/reel/{shortcode}/`, which Instagram also serves).
pub(super) fn instagram_permalink(call: &mut Call<'_>, segments: &[&str]) -> Response {
    let content = &call.state.publishing.instagram;
    let media = match segments {
        ["p" | "reel", shortcode] => content
            .media
            .iter()
            .find(|media| media.shortcode == *shortcode && media.is_top_level()),
        _ => None,
    };
    match media {
        Some(media) => {
            let title = call
                .world
                .instagram_profile(&media.account_id)
                .map(|profile| format!("@{}", profile.username))
                .unwrap_or_else(|| "Instagram".to_owned());
            shown(&title, &instagram_view(media))
        }
        None => not_available(),
    }
}

fn shown(account: &str, view: &PostView) -> Response {
    let body = format!(
        "<h1>{}</h1>\n{}<p><a href=\"/_sandbox/feed\">Everything published in the sandbox</a></p>",
        html::escape(account),
        card(view)
    );
    Html(html::page(account, &body)).into_response()
}

fn not_available() -> Response {
    let body = "<h1>This content isn't available right now</h1>\n\
                <p>Nothing was published at this address in this run of the sandbox.</p>";
    (
        StatusCode::NOT_FOUND,
        Html(html::page("Content not available", body)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::sandbox::meta::SandboxConfig;
    use crate::sandbox::meta::publishing::ShownMedia;

    fn view(text: &str, url: &str) -> PostView {
        PostView {
            network: "facebook",
            account_id: "1000000000000001".to_owned(),
            id: "1000000000000001_1".to_owned(),
            kind: "photo",
            text: text.to_owned(),
            link: None,
            media: vec![ShownMedia {
                url: url.to_owned(),
                is_video: false,
            }],
            permalink: "http://127.0.0.1:9/www.facebook.com/1000000000000001/posts/1".to_owned(),
            created_at: Utc::now(),
            live: true,
            sequence: 1,
        }
    }

    #[test]
    fn cards_escape_text_and_urls() {
        let card = card(&view(
            "<script>x</script> & co",
            "http://h/a.jpg?a=1&b=\"2\"",
        ));
        assert!(card.contains("&lt;script&gt;x&lt;/script&gt; &amp; co"));
        assert!(card.contains("<img src=\"http://h/a.jpg?a=1&amp;b=&quot;2&quot;\""));
        assert!(!card.contains("<script>"));
    }

    #[test]
    fn the_feed_has_a_section_per_page_and_instagram_account() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9");
        let page = feed(&world, &[view("Hello", "http://h/a.jpg")]);
        assert_eq!(page.matches("<h2>").count(), 5);
        assert!(page.contains("<h2>Sandbox Page 1 — Facebook Page 1000000000000001</h2>"));
        assert!(page.contains("<h2>@sandbox.creator — Instagram account 17841400000000009</h2>"));
        assert_eq!(page.matches("<article>").count(), 1);
    }
}
