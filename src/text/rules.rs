//! A network rule a post breaks (or a change Herald makes to fit it) in words: what is wrong,
//! for which network, and what to do.

use leptos_i18n::td_string;

use crate::domain::accounts::Network;
use crate::domain::post_rules::Rule;
use crate::i18n::Locale;

pub fn network_name(network: Network) -> &'static str {
    match network {
        Network::Facebook => "Facebook",
        Network::Instagram => "Instagram",
    }
}

pub fn describe_rule(network: Network, rule: &Rule, locale: Locale) -> String {
    let network = network_name(network);
    let mb = |bytes: u64| bytes.div_ceil(1024 * 1024);
    match *rule {
        Rule::CaptionTooLong { length, max } => {
            let over = length - max;
            td_string!(locale, rules.caption_too_long, network, max, length, over).to_string()
        }
        Rule::TooManyHashtags { count, max } => {
            let over = count - max;
            td_string!(locale, rules.too_many_hashtags, network, max, count, over).to_string()
        }
        Rule::TooManyMentions { count, max } => {
            let over = count - max;
            td_string!(locale, rules.too_many_mentions, network, max, count, over).to_string()
        }
        Rule::NothingToPost => td_string!(locale, rules.nothing_to_post).to_string(),
        Rule::MediaRequired => td_string!(locale, rules.media_required, network).to_string(),
        Rule::FormatNotOffered => td_string!(locale, rules.format_not_offered, network).to_string(),
        Rule::WordsNotShown => td_string!(locale, rules.words_not_shown, network).to_string(),
        // Only a Story takes a single item.
        Rule::TooManyMedia { count, max: 1 } => {
            td_string!(locale, rules.story_one_medium, network, count).to_string()
        }
        Rule::TooManyMedia { count, max } => {
            let over = count - max;
            td_string!(locale, rules.too_many_media, network, max, count, over).to_string()
        }
        Rule::VideoNotAlone => td_string!(locale, rules.video_not_alone, network).to_string(),
        Rule::VideoFormat { position } => {
            td_string!(locale, rules.video_format, network, position).to_string()
        }
        Rule::VideoCodec { position } => {
            td_string!(locale, rules.video_codec, network, position).to_string()
        }
        Rule::VideoTooLarge {
            position,
            bytes,
            max,
        } => {
            let size_mb = mb(bytes);
            let max_mb = max / (1024 * 1024);
            td_string!(
                locale,
                rules.video_too_large,
                network,
                position,
                size_mb,
                max_mb
            )
            .to_string()
        }
        Rule::VideoTooShort {
            position,
            seconds,
            min,
        } => td_string!(
            locale,
            rules.video_too_short,
            network,
            position,
            seconds,
            min
        )
        .to_string(),
        Rule::VideoTooLong {
            position,
            seconds,
            max,
        } => td_string!(
            locale,
            rules.video_too_long,
            network,
            position,
            seconds,
            max
        )
        .to_string(),
        Rule::VideoTooWide {
            position,
            width,
            max,
        } => td_string!(locale, rules.video_too_wide, network, position, width, max).to_string(),
        Rule::ConvertedToJpeg { position } => {
            td_string!(locale, rules.converted_to_jpeg, network, position).to_string()
        }
        Rule::Cropped { position, crop } => {
            let (width, height) = (crop.width, crop.height);
            td_string!(locale, rules.cropped, network, position, width, height).to_string()
        }
        Rule::ScaledDown { position, width } => {
            td_string!(locale, rules.scaled_down, network, position, width).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_caption_says_by_how_much_to_shorten_it() {
        let rule = Rule::CaptionTooLong {
            length: 3000,
            max: 2200,
        };
        assert_eq!(
            describe_rule(Network::Instagram, &rule, Locale::en),
            "Instagram allows 2200 characters; this text has 3000. Shorten it by 800, or write a \
             separate text for this account."
        );
        assert!(
            describe_rule(Network::Instagram, &rule, Locale::fr)
                .starts_with("Instagram accepte 2200")
        );
    }
}
