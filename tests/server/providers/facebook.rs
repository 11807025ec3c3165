//! The contract suite for Facebook Pages, connected through Facebook Login.

use super::{Format, Subject, contract_suite};

const FACEBOOK: Subject = Subject {
    login: "facebook",
    network: "facebook",
    publish_path: "/feed",
    formats: &[
        Format::Text,
        Format::Link,
        Format::Picture,
        Format::Pictures,
        Format::Video,
    ],
};

contract_suite!(FACEBOOK);
