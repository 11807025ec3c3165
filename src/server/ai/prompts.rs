//! What Herald asks the model. The post is wrapped between markers so the model (and the
//! sandbox) can tell it from the instruction, and each network's limits are spelled out so
//! the answer fits them.

use crate::domain::accounts::Network;
use crate::domain::limits::limits_for;
use crate::domain::post::PostFormat;

use super::chat::Message;

/// Around the text to rewrite.
pub const TEXT_START: &str = "<<<";
pub const TEXT_END: &str = ">>>";

const REPHRASE_SYSTEM: &str = "You rewrite social media posts. Follow the instruction, keep \
facts, names, links and numbers exactly, and answer with the rewritten post only: no preface, \
no quotes, no explanation.";

const BRIEF_SYSTEM: &str = "You write social media posts from a brief. Answer with one JSON \
object only, with the keys \"caption\" (the post's text), \"hashtags\" (a list of hashtags, \
each starting with #) and \"call_to_action\" (one short sentence), and nothing else.";

/// Asks for `text` rewritten as `instruction` says, within every network's limits.
pub fn rephrase(instruction: &str, text: &str, networks: &[Network]) -> Vec<Message> {
    let mut request = format!("Instruction: {}\n", one_line(instruction));
    if let Some(limits) = limits_line(networks) {
        request.push_str(&limits);
        request.push('\n');
    }
    request.push_str(&format!("Post:\n{TEXT_START}\n{text}\n{TEXT_END}"));
    vec![Message::system(REPHRASE_SYSTEM), Message::user(request)]
}

/// Asks for a caption, hashtags and a call to action for one network, from a brief.
pub fn from_brief(brief: &str, network: Network) -> Vec<Message> {
    let mut request = format!("Network: {}\n", network_name(network));
    if let Some(limits) = limits_line(&[network]) {
        request.push_str(&limits);
        request.push('\n');
    }
    request.push_str(&format!("Brief:\n{TEXT_START}\n{brief}\n{TEXT_END}"));
    vec![Message::system(BRIEF_SYSTEM), Message::user(request)]
}

/// "Limits: at most 2,200 characters and 30 hashtags (Instagram)…", the strictest first.
fn limits_line(networks: &[Network]) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    let mut seen: Vec<Network> = Vec::new();
    for network in networks {
        if seen.contains(network) {
            continue;
        }
        seen.push(*network);
        let limits = limits_for(*network, PostFormat::Feed);
        let mut part = format!(
            "{}: at most {} characters",
            network_name(*network),
            limits.caption_max
        );
        if let Some(hashtags) = limits.hashtags_max {
            part.push_str(&format!(", {hashtags} hashtags"));
        }
        if let Some(mentions) = limits.mentions_max {
            part.push_str(&format!(", {mentions} @mentions"));
        }
        parts.push(part);
    }
    (!parts.is_empty()).then(|| format!("Limits: {}.", parts.join("; ")))
}

fn network_name(network: Network) -> &'static str {
    match network {
        Network::Facebook => "Facebook",
        Network::Instagram => "Instagram",
    }
}

/// An instruction is one line of the request, whatever the person typed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The caption, hashtags and call to action a model wrote from a brief. Models wrap JSON in
/// prose or code fences now and then: the first `{` to the last `}` is read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Drafted {
    #[serde(default)]
    pub caption: String,
    #[serde(default, deserialize_with = "hashtag_list")]
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub call_to_action: String,
}

impl Drafted {
    pub fn read(answer: &str) -> Option<Drafted> {
        let start = answer.find('{')?;
        let end = answer.rfind('}')?;
        let drafted: Drafted = serde_json::from_str(answer.get(start..=end)?).ok()?;
        (!drafted.caption.trim().is_empty()).then_some(drafted)
    }
}

/// A list of hashtags, or one string of them, as models give either.
fn hashtag_list<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Tags {
        List(Vec<String>),
        Text(String),
    }
    let tags = match <Tags as serde::Deserialize>::deserialize(deserializer)? {
        Tags::List(list) => list,
        Tags::Text(text) => text.split_whitespace().map(str::to_owned).collect(),
    };
    Ok(tags
        .into_iter()
        .map(|tag| tag.trim().trim_start_matches('#').to_owned())
        .filter(|tag| !tag.is_empty())
        .map(|tag| format!("#{tag}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rephrase_request_wraps_the_post_and_names_the_limits() {
        let messages = rephrase("Make it\nshorter", "Hello\nworld", &[Network::Instagram]);
        assert_eq!(messages[0].role, "system");
        let request = &messages[1].content;
        assert!(
            request.starts_with("Instruction: Make it shorter\n"),
            "{request}"
        );
        assert!(
            request.contains("Instagram: at most 2200 characters, 30 hashtags"),
            "{request}"
        );
        assert!(request.ends_with("<<<\nHello\nworld\n>>>"), "{request}");
    }

    #[test]
    fn drafted_posts_are_read_from_json_in_prose_or_fences() {
        let answer = "Sure! ```json\n{\"caption\": \"Fresh bread\", \"hashtags\": \"#bakery bread\", \"call_to_action\": \"Come by\"}\n```";
        let drafted = Drafted::read(answer).unwrap();
        assert_eq!(drafted.caption, "Fresh bread");
        assert_eq!(drafted.hashtags, vec!["#bakery", "#bread"]);
        assert_eq!(drafted.call_to_action, "Come by");
        assert_eq!(Drafted::read("no json here"), None);
        assert_eq!(Drafted::read("{\"caption\": \"\"}"), None);
    }
}
