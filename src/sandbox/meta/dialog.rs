//! The consent dialogs of Facebook Login (§1.1) and Instagram Login (§1.10): a plain page with
//! Continue and Cancel that works without JavaScript, then a redirect back carrying a
//! single-use code or Meta's denial parameters.

use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{Html, IntoResponse, Response};
use url::Url;

use super::codes::{AuthorizationCode, new_code_value};
use super::dispatch::Call;
use super::errors::dialog_error;
use super::html;
use super::tokens::{self, Network};
use super::world::APPLICATION_NAME;

/// What Facebook Login for Business grants when the dialog names a `config_id` instead of scopes:
/// the configuration, not the request, decides, and Herald's configuration is for publishing.
const CONFIGURATION_SCOPES: [&str; 13] = tokens::FACEBOOK_PUBLISHING_CONSENT;

/// Facebook permissions the dialog accepts (§1.8); Facebook refuses unknown names outright.
const FACEBOOK_SCOPES: [&str; 18] = [
    "public_profile",
    "email",
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "pages_manage_metadata",
    "read_insights",
    "business_management",
    "publish_video",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "ads_management",
    "ads_read",
    "pages_messaging",
];

/// Instagram Login scopes; the old `business_*` names were retired on 2025-01-27 (§1.8).
const INSTAGRAM_SCOPES: [&str; 5] = [
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_comments",
    "instagram_business_manage_insights",
    "instagram_business_manage_messages",
];

/// Every Facebook user grants this one implicitly.
const IMPLICIT_FACEBOOK_SCOPE: &str = "public_profile";

/// The parameters a dialog carries through its form to the confirm step.
const CARRIED_PARAMETERS: [&str; 6] = [
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "config_id",
    "response_type",
];

/// Why a dialog shows an error page instead of redirecting.
#[derive(Debug)]
struct Refusal {
    title: &'static str,
    detail: String,
}

impl Refusal {
    fn new(title: &'static str, detail: impl Into<String>) -> Refusal {
        Refusal {
            title,
            detail: detail.into(),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        dialog_error(self.title, &self.detail)
    }
}

/// A dialog request that passed the checks Meta makes before showing anything.
struct Consent {
    network: Network,
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    scopes: Vec<String>,
}

pub(super) fn facebook_dialog(call: &mut Call<'_>) -> Response {
    match read_consent(call, Network::Facebook) {
        Ok(consent) => consent_page(call, &consent),
        Err(refusal) => refusal.into_response(),
    }
}

pub(super) fn facebook_confirm(call: &mut Call<'_>) -> Response {
    confirm(call, Network::Facebook)
}

pub(super) fn instagram_dialog(call: &mut Call<'_>) -> Response {
    match read_consent(call, Network::Instagram) {
        Ok(consent) => consent_page(call, &consent),
        Err(refusal) => refusal.into_response(),
    }
}

pub(super) fn instagram_confirm(call: &mut Call<'_>) -> Response {
    confirm(call, Network::Instagram)
}

/// The confirm step repeats every check of the dialog: its hidden fields come back from the
/// browser and must not turn the sandbox into an open redirector.
fn confirm(call: &mut Call<'_>, network: Network) -> Response {
    let consent = match read_consent(call, network) {
        Ok(consent) => consent,
        Err(refusal) => return refusal.into_response(),
    };
    match call.request.param("decision") {
        Some("continue") => {
            let code = new_code_value();
            call.state.codes.insert(
                code.clone(),
                AuthorizationCode {
                    network,
                    client_id: consent.client_id.clone(),
                    redirect_uri: consent.redirect_uri.clone(),
                    scopes: consent.scopes.clone(),
                    issued_at: call.now,
                    used: false,
                },
            );
            let mut pairs = vec![("code", code)];
            pairs.extend(consent.state.clone().map(|state| ("state", state)));
            // Both networks append a fragment to the redirect; clients must ignore it.
            let fragment = match network {
                Network::Facebook => "_=_",
                Network::Instagram => "_",
            };
            redirect_back(&consent.redirect_uri, &pairs, Some(fragment))
        }
        Some("cancel") => {
            let description = match network {
                Network::Facebook => "Permissions error",
                Network::Instagram => "The user denied your request.",
            };
            let mut pairs = vec![
                ("error", "access_denied".to_owned()),
                ("error_reason", "user_denied".to_owned()),
                ("error_description", description.to_owned()),
            ];
            pairs.extend(consent.state.clone().map(|state| ("state", state)));
            redirect_back(&consent.redirect_uri, &pairs, None)
        }
        _ => dialog_error(
            "Missing decision",
            "Choose Continue or Cancel on the sandbox's consent page.",
        ),
    }
}

fn read_consent(call: &Call<'_>, network: Network) -> Result<Consent, Refusal> {
    let request = call.request;
    let config = &call.world.config;
    let app_id = match network {
        Network::Facebook => config.facebook_app_id.as_str(),
        Network::Instagram => config.instagram_app_id.as_str(),
    };
    let client_id = request.param("client_id").unwrap_or_default();
    if client_id != app_id {
        return Err(Refusal::new(
            "Invalid App ID",
            format!("The provided app ID \"{client_id}\" does not look like a valid app ID."),
        ));
    }
    let redirect_uri = request.param("redirect_uri").unwrap_or_default();
    if !call.state.allows_redirect(redirect_uri) {
        return Err(Refusal::new(
            "URL blocked",
            format!(
                "This redirect failed because the redirect URI \"{redirect_uri}\" is not \
                 whitelisted in the app's client OAuth settings. Register it exactly (POST \
                 /_sandbox/redirect-uris) and try again."
            ),
        ));
    }
    if !matches!(request.param("response_type"), None | Some("code")) {
        return Err(Refusal::new(
            "Unsupported response type",
            "The sandbox implements the server-side flow only: use response_type=code.",
        ));
    }
    let scopes = match network {
        Network::Facebook => facebook_scopes(request.param("config_id"), request.param("scope"))?,
        Network::Instagram => instagram_scopes(request.param("scope"))?,
    };
    Ok(Consent {
        network,
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        state: request.param("state").map(str::to_owned),
        scopes,
    })
}

fn facebook_scopes(config_id: Option<&str>, scope: Option<&str>) -> Result<Vec<String>, Refusal> {
    let mut scopes: Vec<String> = match config_id {
        Some(_) => CONFIGURATION_SCOPES
            .iter()
            .map(|scope| (*scope).to_owned())
            .collect(),
        None => known_scopes(scope.unwrap_or_default(), &FACEBOOK_SCOPES)?,
    };
    if !scopes.iter().any(|scope| scope == IMPLICIT_FACEBOOK_SCOPE) {
        scopes.push(IMPLICIT_FACEBOOK_SCOPE.to_owned());
    }
    Ok(scopes)
}

fn instagram_scopes(scope: Option<&str>) -> Result<Vec<String>, Refusal> {
    let scopes = known_scopes(scope.unwrap_or_default(), &INSTAGRAM_SCOPES)?;
    if scopes.is_empty() {
        return Err(Refusal::new(
            "Invalid request",
            "Request parameters are invalid: missing required field 'scope'.",
        ));
    }
    Ok(scopes)
}

/// Scope lists are comma-separated (spaces tolerated); any unknown name fails the whole dialog.
fn known_scopes(requested: &str, known: &[&str]) -> Result<Vec<String>, Refusal> {
    let mut scopes: Vec<String> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for scope in requested
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|scope| !scope.is_empty())
    {
        if !known.contains(&scope) {
            unknown.push(scope);
        } else if !scopes.iter().any(|granted| granted == scope) {
            scopes.push(scope.to_owned());
        }
    }
    if !unknown.is_empty() {
        return Err(Refusal::new(
            "Invalid Scopes",
            format!("Invalid Scopes: {}.", unknown.join(", ")),
        ));
    }
    Ok(scopes)
}

fn consent_page(call: &Call<'_>, consent: &Consent) -> Response {
    let (network_name, account_name, action) = match consent.network {
        Network::Facebook => (
            "Facebook",
            call.world.user.name.as_str(),
            "/www.facebook.com/dialog/oauth/confirm",
        ),
        Network::Instagram => (
            "Instagram",
            call.world.creator.username.as_str(),
            "/www.instagram.com/oauth/authorize/confirm",
        ),
    };
    let hidden_fields: String = CARRIED_PARAMETERS
        .iter()
        .filter_map(|name| {
            call.request.param(name).map(|value| {
                format!(
                    "<input type=\"hidden\" name=\"{name}\" value=\"{}\">\n",
                    html::escape(value)
                )
            })
        })
        .collect();
    let permissions: String = consent
        .scopes
        .iter()
        .map(|scope| format!("<li>{}</li>\n", html::escape(scope)))
        .collect();
    let title = format!("Log in with {network_name} — {APPLICATION_NAME}");
    let body = format!(
        "<h1>{app} wants to connect to your {network_name} account</h1>\n\
         <p>You are signed in to the sandbox as <strong>{account}</strong>.</p>\n\
         <p>{app} asks for these permissions:</p>\n<ul>\n{permissions}</ul>\n\
         <form method=\"post\" action=\"{action}\">\n{hidden_fields}\
         <button type=\"submit\" name=\"decision\" value=\"continue\">Continue</button>\n\
         <button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\n\
         </form>\n\
         <p><small>This is Herald's Meta sandbox: nothing here reaches {network_name}.</small></p>",
        app = html::escape(APPLICATION_NAME),
        account = html::escape(account_name),
    );
    (StatusCode::OK, Html(html::page(&title, &body))).into_response()
}

/// `302` to `redirect_uri` with `pairs` added to whatever query it already has.
fn redirect_back(redirect_uri: &str, pairs: &[(&str, String)], fragment: Option<&str>) -> Response {
    let Ok(mut target) = Url::parse(redirect_uri) else {
        return dialog_error(
            "Invalid redirect URI",
            "The registered redirect URI is not an absolute URL.",
        );
    };
    {
        let mut query = target.query_pairs_mut();
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
    }
    target.set_fragment(fragment);
    (StatusCode::FOUND, [(LOCATION, target.to_string())]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_scopes_fail_the_dialog() {
        assert!(known_scopes("pages_show_list,pages_manage_everything", &FACEBOOK_SCOPES).is_err());
        assert!(instagram_scopes(Some("business_basic")).is_err());
        assert!(instagram_scopes(None).is_err());
    }

    #[test]
    fn scopes_are_split_on_commas_and_spaces_and_deduplicated() {
        let scopes = known_scopes(
            "pages_show_list, read_insights pages_show_list",
            &FACEBOOK_SCOPES,
        )
        .unwrap();
        assert_eq!(scopes, ["pages_show_list", "read_insights"]);
    }

    #[test]
    fn facebook_grants_public_profile_and_configurations_decide_their_scopes() {
        let scopes = facebook_scopes(None, Some("pages_show_list")).unwrap();
        assert_eq!(scopes, ["pages_show_list", "public_profile"]);
        let scopes = facebook_scopes(Some("123"), Some("email")).unwrap();
        assert!(
            scopes
                .iter()
                .any(|scope| scope == "instagram_content_publish")
        );
        assert!(!scopes.iter().any(|scope| scope == "email"));
    }

    #[test]
    fn the_redirect_keeps_the_uris_own_query_and_adds_the_fragment() {
        let response = redirect_back(
            "http://127.0.0.1:3000/callback?from=sandbox",
            &[("code", "AQx".to_owned()), ("state", "n o".to_owned())],
            Some("_=_"),
        );
        assert_eq!(response.status(), StatusCode::FOUND);
        assert_eq!(
            response.headers()[LOCATION],
            "http://127.0.0.1:3000/callback?from=sandbox&code=AQx&state=n+o#_=_"
        );
    }

    #[test]
    fn denial_descriptions_are_form_encoded() {
        let response = redirect_back(
            "http://127.0.0.1:3000/callback",
            &[("error_description", "Permissions error".to_owned())],
            None,
        );
        assert_eq!(
            response.headers()[LOCATION],
            "http://127.0.0.1:3000/callback?error_description=Permissions+error"
        );
    }
}
