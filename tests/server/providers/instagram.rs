//! The contract suite for Instagram professional accounts, reached both ways: through their
//! Facebook Page (Facebook Login) and on their own (Instagram Login).

use super::Format;

const FORMATS: &[Format] = &[
    Format::Picture,
    Format::Pictures,
    Format::Video,
    Format::Story,
];

mod via_facebook_login {
    use super::super::{Subject, contract_suite};

    const INSTAGRAM: Subject = Subject {
        login: "facebook",
        network: "instagram",
        publish_path: "/media_publish",
        formats: super::FORMATS,
    };

    contract_suite!(INSTAGRAM);
}

mod via_instagram_login {
    use super::super::{Subject, contract_suite};

    const INSTAGRAM: Subject = Subject {
        login: "instagram",
        network: "instagram",
        publish_path: "/media_publish",
        formats: super::FORMATS,
    };

    contract_suite!(INSTAGRAM);
}
