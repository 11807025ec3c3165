//! Plays the person at the sandbox's login dialogs, as a browser with JavaScript off would.

use reqwest::redirect;
use url::Url;

/// Plays the person at Meta's dialog: loads it, presses `decision` ("continue" or "cancel"),
/// and returns where Meta sends the browser back to.
pub async fn answer_dialog(authorize: Url, decision: &str) -> Url {
    let browser = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    let page = browser.get(authorize.clone()).send().await.unwrap();
    assert!(
        page.status().is_success(),
        "the dialog loads: {}",
        page.status()
    );
    let html = page.text().await.unwrap();
    let action = attribute_after(&html, "<form", "action").expect("the dialog has a form");
    let mut fields = hidden_fields(&html);
    fields.push(("decision".to_owned(), decision.to_owned()));
    let answered = browser
        .post(authorize.join(&action).unwrap())
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert!(answered.status().is_redirection(), "{}", answered.status());
    Url::parse(answered.headers()["location"].to_str().unwrap()).unwrap()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attribute_after(html: &str, tag: &str, name: &str) -> Option<String> {
    let start = html.find(tag)?;
    let rest = &html[start..];
    let end = rest.find('>')?;
    attribute(&rest[..end], name)
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!("{name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter_map(|rest| rest.split('>').next())
        .filter(|tag| tag.contains("type=\"hidden\""))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value")?)))
        .collect()
}

pub fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}
