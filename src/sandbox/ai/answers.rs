//! The sandbox model: deterministic answers read off Herald's own request format, so a test
//! knows exactly what a rephrase or a brief comes back as.

use crate::server::ai::prompts::{TEXT_END, TEXT_START};

/// The answer to the last user message.
pub(super) fn answer(request: &str) -> String {
    let text = wrapped_text(request).unwrap_or(request.trim());
    if let Some(brief) = request.contains("Brief:").then_some(text) {
        return drafted_from_brief(brief, request);
    }
    let instruction = request
        .lines()
        .find_map(|line| line.strip_prefix("Instruction:"))
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    rewrite(text, &instruction)
}

fn wrapped_text(request: &str) -> Option<&str> {
    let start = request.find(&format!("{TEXT_START}\n"))? + TEXT_START.len() + 1;
    let end = request.rfind(&format!("\n{TEXT_END}"))?;
    request.get(start..end)
}

/// Each thing the instruction asks for, applied in a fixed order.
fn rewrite(text: &str, instruction: &str) -> String {
    let asks = |words: &[&str]| words.iter().any(|word| instruction.contains(word));
    let mut out = text.trim().to_owned();
    let mut understood = false;
    if asks(&["shorter", "shorten", "plus court"]) {
        out = shorter(&out);
        understood = true;
    }
    if asks(&["friendl", "warm"]) {
        out = format!("Hey there! {out}");
        understood = true;
    }
    if asks(&["professional"]) {
        out = format!("We are pleased to share: {}", out.replace('!', "."));
        understood = true;
    }
    if asks(&["french"]) {
        out = format!("[fr] {out}");
        understood = true;
    }
    if asks(&["english"]) {
        out = format!("[en] {out}");
        understood = true;
    }
    if asks(&["emoji"]) {
        out = format!("{out} 🎉✨");
        understood = true;
    }
    if asks(&["hashtag"]) {
        out = format!("{out}\n\n#herald #socialmedia #news");
        understood = true;
    }
    if asks(&["longer", "repeat"]) {
        // Lets tests reach a network's limit: the text, ten times.
        out = [out.as_str(); 10].join(" ");
        understood = true;
    }
    if !understood {
        out = format!("{out} ({instruction})");
    }
    out
}

/// The first sentence, or the first half of the words of a single sentence.
fn shorter(text: &str) -> String {
    let first_sentence_end = text
        .char_indices()
        .find(|(at, c)| {
            matches!(c, '.' | '!' | '?' | '\n')
                && text[at + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
        })
        .map(|(at, c)| at + c.len_utf8());
    match first_sentence_end {
        Some(end) => text[..end].trim().to_owned(),
        None => {
            let words: Vec<&str> = text.split_whitespace().collect();
            let keep = words.len().div_ceil(2).max(1);
            words[..keep.min(words.len())].join(" ")
        }
    }
}

fn drafted_from_brief(brief: &str, request: &str) -> String {
    let network = request
        .lines()
        .find_map(|line| line.strip_prefix("Network:"))
        .unwrap_or("the network")
        .trim();
    let topic: Vec<&str> = brief.split_whitespace().take(6).collect();
    let tags: Vec<String> = brief
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() > 3)
        .take(3)
        .map(|word| format!("#{}", word.to_lowercase()))
        .collect();
    serde_json::json!({
        "caption": format!("{} — for {network}.", topic.join(" ")),
        "hashtags": tags,
        "call_to_action": "Tell us what you think in the comments.",
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(instruction: &str, text: &str) -> String {
        format!("Instruction: {instruction}\nPost:\n<<<\n{text}\n>>>")
    }

    #[test]
    fn rephrases_are_deterministic() {
        let text = "Our bakery opens Monday. Come taste the bread!";
        assert_eq!(
            answer(&request("Make it shorter.", text)),
            "Our bakery opens Monday."
        );
        assert_eq!(
            answer(&request("Add a few fitting emojis.", "Open Monday.")),
            "Open Monday. 🎉✨"
        );
        assert_eq!(answer(&request("rhyme", "Hi")), "Hi (rhyme)");
        assert_eq!(answer(&request("shorter", "one two three four")), "one two");
    }

    #[test]
    fn a_brief_becomes_json() {
        let drafted = answer("Network: Instagram\nBrief:\n<<<\nSpring sale on garden tools\n>>>");
        let value: serde_json::Value = serde_json::from_str(&drafted).unwrap();
        assert_eq!(
            value["caption"],
            "Spring sale on garden tools — for Instagram."
        );
        assert_eq!(value["hashtags"][0], "#spring");
    }
}
