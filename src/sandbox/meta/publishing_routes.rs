//! Which publishing handler a Graph path reaches, on graph.facebook.com (Pages, and Instagram
//! accounts linked to them) and on graph.instagram.com (the Instagram-Login account), and the
//! insights of what was published and of its accounts (`{id}/insights`, GET only). Paths that
//! are about neither fall through to the hosts' own routes.

use axum::http::Method;
use axum::response::Response;

use super::dispatch::Call;
use super::instagram::names_creator;
use super::tokens::Network;
use super::{
    instagram_account_insights, instagram_insights, instagram_publish, instagram_reads,
    page_access, page_insights, page_publish, page_reads,
};

pub(super) fn facebook(call: &mut Call<'_>, segments: &[&str]) -> Option<Response> {
    let world = call.world;
    let is_get = call.request.method == Method::GET;
    match segments {
        [node] if page_reads::knows(call.state, node) => Some(page_reads::read_object(call, node)),
        [node] if instagram_reads::knows(call.state, node) => {
            Some(instagram_reads::read_object(call, Network::Facebook, node))
        }
        [node, "insights"] if is_get && page_reads::knows(call.state, node) => {
            Some(page_insights::post(call, node))
        }
        [node, "insights"] if is_get && instagram_reads::knows(call.state, node) => {
            Some(instagram_insights::media(call, Network::Facebook, node))
        }
        [node, edge]
            if world.page(node).is_some() || (*node == "me" && page_access::me_is_a_page(call)) =>
        {
            page_edge(call, node, edge)
        }
        [node, edge] if world.instagram_account(node).is_some() => {
            instagram_edge(call, Network::Facebook, node, edge)
        }
        _ => None,
    }
}

pub(super) fn instagram(call: &mut Call<'_>, segments: &[&str]) -> Option<Response> {
    let is_get = call.request.method == Method::GET;
    match segments {
        [node] if instagram_reads::knows(call.state, node) => {
            Some(instagram_reads::read_object(call, Network::Instagram, node))
        }
        [node, "insights"] if is_get && instagram_reads::knows(call.state, node) => {
            Some(instagram_insights::media(call, Network::Instagram, node))
        }
        [node, edge] if names_creator(&call.world.creator, node) => {
            instagram_edge(call, Network::Instagram, node, edge)
        }
        _ => None,
    }
}

fn page_edge(call: &mut Call<'_>, node: &str, edge: &str) -> Option<Response> {
    let method = call.request.method.clone();
    match (method, edge) {
        (Method::POST, "feed" | "photos" | "videos") => Some(page_publish::route(call, node, edge)),
        (Method::GET, "feed" | "posts" | "published_posts" | "scheduled_posts") => {
            Some(page_reads::list_posts(call, node, edge))
        }
        (Method::GET, "insights") => Some(page_insights::page(call, node)),
        _ => None,
    }
}

fn instagram_edge(
    call: &mut Call<'_>,
    network: Network,
    node: &str,
    edge: &str,
) -> Option<Response> {
    let method = call.request.method.clone();
    match (method, edge) {
        (Method::POST, "media") => Some(instagram_publish::create_container(call, network, node)),
        (Method::POST, "media_publish") => Some(instagram_publish::publish(call, network, node)),
        (Method::GET, "media" | "stories") => {
            Some(instagram_reads::list_media(call, network, node, edge))
        }
        (Method::GET, "content_publishing_limit") => {
            Some(instagram_reads::publishing_limit(call, network, node))
        }
        (Method::GET, "insights") => Some(instagram_account_insights::account(call, network, node)),
        _ => None,
    }
}
