//! Insights of what was published and of its accounts, and the counters that agree with them,
//! grown on demand through `age_published`.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::*;

const POST_METRICS: &str = "post_total_media_view_unique,post_media_view,\
                            post_reactions_by_type_total,post_clicks,post_clicks_by_type";
const MEDIA_METRICS: &str = "reach,likes,comments,saved,shares,views,total_interactions";

fn sum_of(counts: &Value) -> u64 {
    counts
        .as_object()
        .unwrap()
        .values()
        .map(|count| count.as_u64().unwrap())
        .sum()
}

/// The lifetime value of `name` in an insights answer.
fn value_of(answer: &Value, name: &str) -> Value {
    let entry = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {answer}"));
    entry["values"][0]["value"].clone()
}

fn number(value: &Value) -> u64 {
    value.as_u64().unwrap()
}

#[tokio::test]
async fn a_page_posts_insights_and_counters_grow_together_as_it_ages() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let feed = graph(&sandbox, &format!("{PAGE_ID}/feed"));
    let form = [("message", "Figures"), ("link", "https://example.com/f")];
    let post_id = id_of(&json_of(post_form(&feed, &token, &form).await).await);
    let insights = graph(
        &sandbox,
        &format!("{post_id}/insights?metric={POST_METRICS}"),
    );

    let fresh = get_json(&insights, &token).await;
    let first = &fresh["data"][0];
    assert_eq!(fresh["data"].as_array().unwrap().len(), 5);
    assert_eq!(first["name"], "post_total_media_view_unique");
    assert_eq!(first["period"], "lifetime");
    assert_eq!(
        first["id"],
        format!("{post_id}/insights/post_total_media_view_unique/lifetime")
    );
    // Seconds old: next to nobody has seen it yet.
    let fresh_reach = number(&value_of(&fresh, "post_total_media_view_unique"));
    assert!(fresh_reach <= 1, "{fresh}");
    assert!(value_of(&fresh, "post_reactions_by_type_total").is_object());

    // Over HTTP, as a browser test or a person would; past every horizon, so that figures
    // read in separate requests cannot tick apart.
    let aged = client()
        .post(format!("{}/_sandbox/age_published", sandbox.base_url()))
        .json(&json!({ "ids": [post_id, "1000000000000001_404"], "seconds": 40 * 86_400 }))
        .send()
        .await
        .unwrap();
    assert_eq!(aged.status(), 204);

    let grown = get_json(&insights, &token).await;
    let reach = number(&value_of(&grown, "post_total_media_view_unique"));
    assert!(reach > fresh_reach);
    assert!(number(&value_of(&grown, "post_media_view")) >= reach);
    let clicks = number(&value_of(&grown, "post_clicks"));
    assert_eq!(clicks, sum_of(&value_of(&grown, "post_clicks_by_type")));
    assert!(
        value_of(&grown, "post_clicks_by_type")
            .get("photo view")
            .is_none()
    );

    let counters = get_json(
        &graph(
            &sandbox,
            &format!(
                "{post_id}?fields=shares,reactions.summary(total_count).limit(0),\
                 comments.summary(total_count).limit(0),created_time"
            ),
        ),
        &token,
    )
    .await;
    let reactions = sum_of(&value_of(&grown, "post_reactions_by_type_total"));
    assert_eq!(counters["reactions"]["summary"]["total_count"], reactions);
    assert!(counters["comments"]["summary"]["total_count"].is_u64());
    let created = counters["created_time"].as_str().unwrap();
    let created = DateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%S%z").unwrap();
    assert!(Utc::now() - created.with_timezone(&Utc) > Duration::days(39));
}

#[tokio::test]
async fn a_photo_answers_for_its_post_by_either_id() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let photos = graph(&sandbox, &format!("{PAGE_ID}/photos"));
    let image_url = media.url("square.jpg");
    let made = json_of(post_form(&photos, &token, &[("url", image_url.as_str())]).await).await;
    let (photo_id, post_id) = (id_of(&made), made["post_id"].as_str().unwrap().to_owned());
    sandbox
        .meta()
        .age_published(std::slice::from_ref(&photo_id), Duration::days(40));

    let by_photo = get_json(
        &graph(
            &sandbox,
            &format!("{photo_id}/insights?metric={POST_METRICS}"),
        ),
        &token,
    )
    .await;
    let by_post = get_json(
        &graph(
            &sandbox,
            &format!("{post_id}/insights?metric={POST_METRICS}"),
        ),
        &token,
    )
    .await;
    for name in POST_METRICS.split(',') {
        assert_eq!(
            value_of(&by_photo, name),
            value_of(&by_post, name),
            "{name}"
        );
    }
    assert!(number(&value_of(&by_post, "post_media_view")) > 0);
}

#[tokio::test]
async fn post_insights_refuse_retired_or_missing_metrics_and_tokens_without_read_insights() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let feed = graph(&sandbox, &format!("{PAGE_ID}/feed"));
    let post_id = id_of(&json_of(post_form(&feed, &token, &[("message", "Hi")]).await).await);
    let insights = |query: &str| graph(&sandbox, &format!("{post_id}/insights{query}"));
    let ask = |url: String, token: String| async move {
        client().get(url).bearer_auth(token).send().await.unwrap()
    };

    let retired = ask(
        insights("?metric=post_clicks,post_impressions_unique"),
        token.clone(),
    );
    let error = refusal(retired.await, 400).await;
    assert_eq!(
        error["message"],
        "(#100) The value must be a valid insights metric"
    );

    let none = refusal(ask(insights(""), token.clone()).await, 400).await;
    assert_eq!(
        (none["code"].clone(), none["error_subcode"].clone()),
        (json!(3001), json!(1504028))
    );

    // PAGE_SCOPES grant no read_insights: the user token, and the Page token it yields.
    let user_token = super::super::long_lived_user_token(&sandbox).await;
    let as_user = refusal(
        ask(insights("?metric=post_clicks"), user_token.clone()).await,
        400,
    );
    assert_eq!(as_user.await["code"], 190);
    let accounts = get_json(&graph(&sandbox, "me/accounts"), &user_token).await;
    let weak_token = accounts["data"][0]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let weak = refusal(ask(insights("?metric=post_clicks"), weak_token).await, 400).await;
    assert_eq!(
        weak["message"],
        "(#10) This endpoint requires the 'read_insights' permission"
    );

    let other_page = sandbox.meta().issue_page_token(OTHER_PAGE_ID);
    let unseen = refusal(ask(insights("?metric=post_clicks"), other_page).await, 400).await;
    assert_eq!(unseen["error_subcode"], 33);
}

#[tokio::test]
async fn page_insights_give_one_value_per_pacific_day_and_follows_add_up() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    // 2025-01-10T08:00Z to 2025-01-13T08:00Z: three winter days, midnight to midnight Pacific.
    let url = graph(
        &sandbox,
        &format!(
            "{PAGE_ID}/insights?metric=page_follows,page_daily_follows,page_post_engagements\
             &period=day&since=1736496000&until=1736755200"
        ),
    );
    let answer = get_json(&url, &token).await;
    let totals = answer["data"][0]["values"].as_array().unwrap();
    let ends: Vec<&str> = totals
        .iter()
        .map(|value| value["end_time"].as_str().unwrap())
        .collect();
    assert_eq!(
        ends,
        [
            "2025-01-11T08:00:00+0000",
            "2025-01-12T08:00:00+0000",
            "2025-01-13T08:00:00+0000"
        ]
    );
    let daily = &answer["data"][1]["values"];
    for day in 1..3 {
        let gained = number(&totals[day]["value"]) - number(&totals[day - 1]["value"]);
        assert_eq!(gained, number(&daily[day]["value"]));
    }
    assert_eq!(answer["data"][2]["title"], "Daily Post Engagements");
    assert_eq!(
        answer["data"][2]["id"],
        format!("{PAGE_ID}/insights/page_post_engagements/day")
    );
    let next = answer["paging"]["next"].as_str().unwrap();
    let later = json_of(client().get(next).send().await.unwrap()).await;
    assert_eq!(later["data"][0]["values"].as_array().unwrap().len(), 3);

    let recent = get_json(
        &graph(&sandbox, "me/insights?metric=page_daily_follows&period=day"),
        &token,
    )
    .await;
    assert_eq!(recent["data"][0]["values"].as_array().unwrap().len(), 2);

    for query in [
        "metric=page_impressions",
        "metric=page_fans",
        "metric=page_follows&period=month",
    ] {
        let url = graph(&sandbox, &format!("{PAGE_ID}/insights?{query}"));
        let refused = client().get(url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(refusal(refused, 400).await["code"], 100, "{query}");
    }

    let page = get_json(
        &graph(
            &sandbox,
            &format!("{PAGE_ID}?fields=followers_count,fan_count"),
        ),
        &token,
    )
    .await;
    assert!(number(&page["followers_count"]) >= number(&page["fan_count"]));
    assert!(number(&page["fan_count"]) > 0);
}

#[tokio::test]
async fn instagram_media_insights_wait_for_data_then_agree_with_the_counters() {
    let sandbox = start().await;
    let media = media_host().await;
    let token = sandbox.meta().issue_page_token(PAGE_ID);
    let create = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media"));
    let image_url = media.url("square.jpg");
    let made = post_form(&create, &token, &[("image_url", image_url.as_str())]).await;
    let container_id = id_of(&json_of(made).await);
    let status = graph(&sandbox, &format!("{container_id}?fields=status_code"));
    assert_eq!(get_json(&status, &token).await["status_code"], "FINISHED");
    let publish = graph(&sandbox, &format!("{LINKED_INSTAGRAM_ID}/media_publish"));
    let published = post_form(&publish, &token, &[("creation_id", container_id.as_str())]).await;
    let media_id = id_of(&json_of(published).await);
    let insights = graph(
        &sandbox,
        &format!("{media_id}/insights?metric={MEDIA_METRICS}"),
    );

    assert_eq!(get_json(&insights, &token).await["data"], json!([]));
    // By the container's id, which is what Herald holds when it never learnt the media's;
    // past every horizon, so that figures read in separate requests cannot tick apart.
    sandbox
        .meta()
        .age_published(&[container_id], Duration::days(40));
    let grown = get_json(&insights, &token).await;
    let count = |name: &str| number(&value_of(&grown, name));
    assert!(count("reach") > 0 && count("reach") <= count("views"));
    let parts = count("likes") + count("comments") + count("saved") + count("shares");
    assert!(parts <= count("total_interactions"));
    assert_eq!(grown["data"][0]["title"], "Accounts reached");

    let counters = get_json(
        &graph(
            &sandbox,
            &format!("{media_id}?fields=like_count,comments_count"),
        ),
        &token,
    )
    .await;
    assert_eq!(counters["like_count"], count("likes"));
    assert_eq!(counters["comments_count"], count("comments"));

    for (metric, words) in [
        ("impressions", "no longer supported"),
        ("replies", "media product type (FEED)"),
    ] {
        let url = graph(&sandbox, &format!("{media_id}/insights?metric={metric}"));
        let refused = client().get(url).bearer_auth(&token).send().await.unwrap();
        let error = refusal(refused, 400).await;
        assert!(
            error["message"].as_str().unwrap().contains(words),
            "{error}"
        );
    }
    // PAGE_SCOPES grant no instagram_manage_insights.
    let user_token = super::super::long_lived_user_token(&sandbox).await;
    let refused = client()
        .get(&insights)
        .bearer_auth(&user_token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refusal(refused, 400).await["message"],
        "(#10) Application does not have permission for this action"
    );

    let account = get_json(
        &graph(
            &sandbox,
            &format!("{LINKED_INSTAGRAM_ID}/insights?metric=follower_count,reach&period=day"),
        ),
        &token,
    )
    .await;
    assert_eq!(account["data"].as_array().unwrap().len(), 2);
    assert_eq!(account["data"][1]["values"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_instagram_login_account_reads_its_insights_on_graph_instagram_com() {
    let sandbox = start().await;
    let token = sandbox.meta().issue_instagram_login_token();
    let series = get_json(
        &instagram_graph(&sandbox, "me/insights?metric=follower_count&period=day"),
        &token,
    )
    .await;
    assert_eq!(
        series["data"][0]["id"],
        format!("{CREATOR_ID}/insights/follower_count/day")
    );
    let totals = get_json(
        &instagram_graph(
            &sandbox,
            "me/insights?metric=likes,views&metric_type=total_value&period=day",
        ),
        &token,
    )
    .await;
    assert!(totals["data"][0]["total_value"]["value"].is_u64());
    let url = instagram_graph(&sandbox, "me/insights?metric=likes&period=day");
    let refused = client().get(url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(refusal(refused, 400).await["code"], 100);

    let profile = get_json(
        &instagram_graph(&sandbox, "me?fields=followers_count"),
        &token,
    )
    .await;
    assert!(number(&profile["followers_count"]) >= 120);
}
