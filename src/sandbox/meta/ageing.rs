//! Making published objects older, so a person or a browser test sees their figures grow
//! without waiting (`MetaSandbox::age_published`, `POST /_sandbox/age_published`). Their times
//! move back together — the post with its photos or video, the media with its container and
//! carousel children — so `created_time` and `timestamp` reads agree with the figures.

use std::collections::BTreeSet;

use chrono::Duration;

use super::instagram_content::InstagramContent;
use super::page_content::{PageContent, Publication};
use super::publishing::Publishing;

/// Moves back by `by` every publication one of `ids` names: a Page post, photo or video, an
/// Instagram media or the container it was published from. Each moves once, however many of
/// its ids are given; unknown ids are ignored.
pub(super) fn age_published(publishing: &mut Publishing, ids: &[String], by: Duration) {
    let posts: BTreeSet<usize> = ids
        .iter()
        .filter_map(|id| publishing.page.publication_index(id))
        .collect();
    for index in posts {
        age_page_post(&mut publishing.page, index, by);
    }
    let content = &mut publishing.instagram;
    let named: Vec<usize> = ids
        .iter()
        .filter_map(|id| media_index(content, id))
        .collect();
    let mut media: BTreeSet<usize> = named.iter().copied().collect();
    for index in named {
        let children = content.media[index].children.clone();
        media.extend(
            children
                .iter()
                .filter_map(|child| media_index(content, child)),
        );
    }
    for index in media {
        age_media(content, index, by);
    }
}

fn age_page_post(content: &mut PageContent, index: usize, by: Duration) {
    let post = &mut content.posts[index];
    post.created_at -= by;
    post.publication = earlier(post.publication, by);
    let (photo_ids, video_id) = (post.photo_ids.clone(), post.video_id.clone());
    for photo in content
        .photos
        .iter_mut()
        .filter(|photo| photo_ids.contains(&photo.id))
    {
        photo.created_at -= by;
    }
    for video in content
        .videos
        .iter_mut()
        .filter(|video| video_id.as_deref() == Some(video.id.as_str()))
    {
        video.created_at -= by;
        video.publication = earlier(video.publication, by);
    }
}

/// A scheduled time moves with the rest: the post went live that much earlier too.
fn earlier(publication: Publication, by: Duration) -> Publication {
    match publication {
        Publication::Scheduled(at) => Publication::Scheduled(at - by),
        Publication::Published | Publication::Draft => publication,
    }
}

/// The media `id` names, itself or through the container it was published from: Herald holds
/// the container's id when it could not learn the media's.
fn media_index(content: &InstagramContent, id: &str) -> Option<usize> {
    let media_id = content
        .container(id)
        .and_then(|container| container.media_id.as_deref())
        .unwrap_or(id);
    content.media.iter().position(|media| media.id == media_id)
}

fn age_media(content: &mut InstagramContent, index: usize, by: Duration) {
    let media = &mut content.media[index];
    media.published_at -= by;
    let container_id = media.container_id.clone();
    if let Some(container) = content.container_mut(&container_id) {
        container.created_at -= by;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::sandbox::meta::instagram_content::{Container, ContainerKind, InstagramMedia};
    use crate::sandbox::meta::page_content::{PagePhoto, PagePost, PostKind};

    fn photo_post(publishing: &mut Publishing, at: DateTime<Utc>) -> (String, String) {
        let photo_id = publishing.next_facebook_id();
        let post = PagePost {
            page_id: "1000000000000001".to_owned(),
            number: photo_id.clone(),
            kind: PostKind::Photo,
            message: None,
            link: None,
            photo_ids: vec![photo_id.clone()],
            video_id: None,
            created_at: at,
            publication: Publication::Published,
            sequence: publishing.next_sequence(),
        };
        let post_id = post.id();
        publishing.page.posts.push(post);
        publishing.page.photos.push(PagePhoto {
            id: photo_id.clone(),
            page_id: "1000000000000001".to_owned(),
            source_url: "http://127.0.0.1:9/p.jpg".to_owned(),
            caption: None,
            dimensions: None,
            post_id: Some(post_id.clone()),
            created_at: at,
        });
        (post_id, photo_id)
    }

    fn media(
        publishing: &mut Publishing,
        kind: ContainerKind,
        at: DateTime<Utc>,
    ) -> (String, String) {
        let (container_id, media_id) = (publishing.next_container_id(), publishing.next_media_id());
        publishing.instagram.containers.push(Container {
            id: container_id.clone(),
            account_id: "17841400000000001".to_owned(),
            kind,
            media_url: None,
            children: Vec::new(),
            caption: None,
            alt_text: None,
            share_to_feed: true,
            created_at: at,
            reads: 0,
            processing_reads: 0,
            failure: None,
            media_id: Some(media_id.clone()),
            carousel_id: None,
        });
        let sequence = publishing.next_sequence();
        publishing.instagram.media.push(InstagramMedia {
            id: media_id.clone(),
            account_id: "17841400000000001".to_owned(),
            container_id: container_id.clone(),
            kind,
            shortcode: Publishing::new_shortcode(),
            permalink: "http://127.0.0.1:9/www.instagram.com/p/x/".to_owned(),
            caption: None,
            sources: Vec::new(),
            children: Vec::new(),
            share_to_feed: true,
            published_at: at,
            sequence,
        });
        (container_id, media_id)
    }

    #[test]
    fn a_post_named_twice_moves_once_with_its_photo() {
        let now = Utc::now();
        let mut publishing = Publishing::new();
        let (post_id, photo_id) = photo_post(&mut publishing, now);
        let ids = [post_id, photo_id, "1000000000000001_404".to_owned()];
        age_published(&mut publishing, &ids, Duration::days(3));
        assert_eq!(publishing.page.posts[0].created_at, now - Duration::days(3));
        assert_eq!(
            publishing.page.photos[0].created_at,
            now - Duration::days(3)
        );
    }

    #[test]
    fn a_scheduled_post_goes_live_earlier_too() {
        let now = Utc::now();
        let mut publishing = Publishing::new();
        let (post_id, _) = photo_post(&mut publishing, now - Duration::days(2));
        publishing.page.posts[0].publication = Publication::Scheduled(now + Duration::hours(1));
        age_published(&mut publishing, &[post_id], Duration::hours(5));
        assert!(publishing.page.posts[0].live_since(now).is_some());
    }

    #[test]
    fn media_age_by_their_own_id_or_their_containers_with_carousel_children() {
        let now = Utc::now();
        let mut publishing = Publishing::new();
        let (_, child_id) = media(&mut publishing, ContainerKind::CarouselImage, now);
        let (carousel_container, carousel_id) =
            media(&mut publishing, ContainerKind::Carousel, now);
        publishing.instagram.media[1].children = vec![child_id.clone()];
        age_published(
            &mut publishing,
            &[carousel_container, carousel_id, child_id],
            Duration::days(1),
        );
        let content = &publishing.instagram;
        assert!(
            content
                .media
                .iter()
                .all(|media| media.published_at == now - Duration::days(1))
        );
        assert!(
            content
                .containers
                .iter()
                .all(|container| container.created_at == now - Duration::days(1))
        );
    }
}
